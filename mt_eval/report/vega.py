"""The JavaScript that draws the report's charts: Vega, Vega-Lite and vega-embed.

It comes from the ``vl-convert-python`` package, which bundles those libraries
(:func:`vl_convert.javascript_bundle`), so the page embeds them and needs no network.
Building the bundle takes about two seconds; it is kept in the run's cache under the
package's version, and in this process once built (per cache folder).
"""

from __future__ import annotations

import functools

NAMESPACE = "report-js"


@functools.cache
def chart_script(cache_dir: str | None = None) -> str:
    """The bundle of Vega, Vega-Lite and vega-embed, from the cache when it is there.

    Args:
        cache_dir: The run's cache folder (see :mod:`mt_eval.cache`); None or ``""``
            builds the bundle without keeping it.
    """
    import vl_convert

    version = f"vl-convert {vl_convert.__version__}"
    from mt_eval.cache import open_cache

    cache = open_cache(cache_dir)
    if cache is None:
        return vl_convert.javascript_bundle()
    try:
        kept = cache.get_many(NAMESPACE, [version]).get(version)
        if kept is not None:
            return kept.decode("utf-8")
        script = vl_convert.javascript_bundle()
        cache.put_many(NAMESPACE, {version: script.encode("utf-8")})
        return script
    finally:
        cache.close()
