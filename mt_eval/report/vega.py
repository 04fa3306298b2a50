"""The JavaScript that draws the report's charts: Vega, Vega-Lite and vega-embed.

It comes from the ``vl-convert-python`` package, which bundles those libraries
(:func:`vl_convert.javascript_bundle`), so the page embeds them and needs no network.
Building the bundle takes about two seconds; it is kept in the run's cache under the
package's version, and in this process once built.
"""

from __future__ import annotations

import functools
import logging

log = logging.getLogger(__name__)

NAMESPACE = "report-js"


@functools.cache
def _bundle(version: str) -> str:
    import vl_convert

    return vl_convert.javascript_bundle()


def chart_script(cache_dir: str | None = None) -> tuple[str, str]:
    """``(script, reason)``: the bundle, or ``""`` and why the charts cannot be drawn.

    Args:
        cache_dir: The run's cache folder (see :mod:`mt_eval.cache`); None or ``""``
            builds the bundle without keeping it.
    """
    try:
        import vl_convert
    except ImportError:
        return "", "charts need the vl-convert-python package (pip install vl-convert-python)"
    version = f"vl-convert {vl_convert.__version__}"
    if _bundle.cache_info().currsize == 0 and cache_dir:
        from mt_eval.cache import open_cache

        cache = open_cache(cache_dir)
        if cache is not None:
            try:
                kept = cache.get_many(NAMESPACE, [version]).get(version)
                if kept is not None:
                    return kept.decode("utf-8"), ""
                script = _bundle(version)
                cache.put_many(NAMESPACE, {version: script.encode("utf-8")})
                return script, ""
            finally:
                cache.close()
    return _bundle(version), ""
