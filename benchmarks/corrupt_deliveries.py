"""Corrupted vendor files: does each corruption get its flag, and do clean files stay quiet?

Usage: python benchmarks/corrupt_deliveries.py [--data DIR] [--units N] [--seed S]

For every XLIFF and TMX file of ``--data`` (default ``../shared/bench/deliveries``)
with translated units, the script first runs the untouched file (no source
document, one row per unit) and counts flagged units per file and per flag.
Then, for each corruption kind, it writes a copy of the file in which up to
``--units`` (default 10) eligible units, picked with a seeded generator, are
corrupted in the target, runs that copy, and counts a corruption as found
when its unit carries the expected flag:

==============  ==========================================  ========================
corruption      what is done to the target                  expected flag
==============  ==========================================  ========================
placeholder     one placeholder deleted (``{0}``, ``%s``)    ``placeholder_mismatch``
drop_code       one inline code element removed              ``tag_mismatch``
add_code        an ``<x id="mt-eval-99"/>`` appended         ``tag_mismatch``
empty           the target's content removed                 ``dropped``
copy_source     the target replaced by the source            ``untranslated``
number          a number's digits changed                    ``number_mismatch``
==============  ==========================================  ========================

A unit is eligible when its target has text (and, per kind, a placeholder, a
code, a digit; for ``copy_source`` a source of at least 3 words that differs
from the target). Prints per-file and per-flag tables, recall per kind, and
exits 1 when a recall is below 0.95 or an untouched file has more than 1 % of
its units flagged.
"""

from __future__ import annotations

import argparse
import copy
import logging
import random
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "bench" / "deliveries"
KINDS = {
    "placeholder": "placeholder_mismatch",
    "drop_code": "tag_mismatch",
    "add_code": "tag_mismatch",
    "empty": "dropped",
    "copy_source": "untranslated",
    "number": "number_mismatch",
}
CODE_TAGS = {"x", "ph", "bpt", "ept", "it", "g", "pc", "sc", "ec", "bx", "ex"}


def local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def targets(root) -> list[tuple[str, object, object]]:
    """``(unit id, source element, target element)`` per unit whose target has text.

    The ids are those mt-eval writes in its ``unit`` column.
    """
    out = []
    if local(root.tag) == "tmx":
        tus = [e for e in root.iter() if local(e.tag) == "tu"]
        for n, tu in enumerate(tus, 1):
            segs = [s for s in tu.iter() if local(s.tag) == "seg"]
            if len(segs) == 2 and _words(segs[1]) and _words(segs[0]):
                out.append((tu.get("tuid") or str(n), segs[0], segs[1]))
        return out
    for el in root.iter():
        name = local(el.tag)
        if name == "trans-unit":
            kids = {local(c.tag): c for c in el}
            if "seg-source" in kids or el.get("translate") == "no":
                continue  # segmented units: the <mrk> level is left alone here
            src, tgt, ident = kids.get("source"), kids.get("target"), el.get("id")
        elif name == "segment":
            unit = el.getparent()
            segments = [s for s in unit if local(s.tag) == "segment"]
            kids = {local(c.tag): c for c in el}
            src, tgt = kids.get("source"), kids.get("target")
            n = segments.index(el) + 1
            ident = unit.get("id") if len(segments) == 1 else f"{unit.get('id')}#{n}"
        else:
            continue
        if src is not None and tgt is not None and _words(tgt) and _words(src):
            out.append((ident, src, tgt))
    return out


def _words(el) -> str:
    """The element's text outside native codes (what mt-eval reads as its text)."""
    skip = {"x", "ph", "bpt", "ept", "it", "ut", "bx", "ex", "sc", "ec"}
    parts = [el.text or ""]
    for child in el:
        if local(child.tag) not in skip:
            parts.append(_words(child))
        parts.append(child.tail or "")
    return "".join(parts).strip()


_PLACEHOLDER = re.compile(r"\{\d+\}|\{[A-Za-z_]\w*\}|%(?:\d+\$)?[sd@]|\{\{\s*\w+\s*\}\}")


def _text_nodes(el):
    """(owner, attribute) for every text and tail inside ``el`` (not el.tail)."""
    yield el, "text"
    for child in el.iter():
        if child is not el:
            yield child, "tail"
            if local(child.tag) not in CODE_TAGS - {"g", "pc"}:
                yield child, "text"


def corrupt(kind: str, src, tgt, rng: random.Random) -> bool:
    """Corrupt one target in place; ``False`` when the unit is not eligible."""
    from lxml import etree

    if kind == "placeholder":
        for owner, attr in _text_nodes(tgt):
            text = getattr(owner, attr) or ""
            if m := _PLACEHOLDER.search(text):
                setattr(owner, attr, text[: m.start()] + text[m.end() :])
                return True
        return False
    if kind == "drop_code":
        codes = [c for c in tgt.iter() if c is not tgt and local(c.tag) in CODE_TAGS]
        if not codes:
            return False
        code = rng.choice(codes)
        parent = code.getparent()
        keep = (code.text or "") if local(code.tag) in ("g", "pc") else ""
        tail = keep + (code.tail or "")
        prev = code.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        for child in list(code) if local(code.tag) in ("g", "pc") else []:
            parent.insert(parent.index(code), child)
        parent.remove(code)
        return True
    if kind == "add_code":
        ns = tgt.tag.rsplit("}", 1)[0] + "}" if "}" in tgt.tag else ""
        tmx = local(tgt.tag) == "seg"
        name = "ph" if tmx or "document:2" in ns else "x"
        el = etree.SubElement(tgt, ns + name)
        el.set("x" if tmx else "id", "99")
        if name == "ph":
            el.text = "<br/>"  # a native code: matched by its content
        return True
    if kind == "empty":
        for child in list(tgt):
            tgt.remove(child)
        tgt.text = ""
        return True
    if kind == "copy_source":
        src_text = " ".join("".join(src.itertext()).split())
        tgt_text = " ".join("".join(tgt.itertext()).split())
        if len(src_text.split()) < 3 or src_text == tgt_text:
            return False
        for child in list(tgt):
            tgt.remove(child)
        tgt.text = src.text
        for child in src:
            tgt.append(copy.deepcopy(child))
        return True
    if kind == "number":
        for owner, attr in _text_nodes(tgt):
            text = getattr(owner, attr) or ""
            if m := re.search(r"\d+", text):
                digits = m.group()
                changed = str(int(digits) + rng.randint(1, 9))
                setattr(owner, attr, text[: m.start()] + changed + text[m.end() :])
                return True
        return False
    raise ValueError(kind)


def run_file(path: Path, out: Path) -> list[dict[str, str]]:
    """Run mt-eval on a bilingual file; its segments.csv rows."""
    import csv

    from click.testing import CliRunner

    from mt_eval.cli import cli

    args = ["-q", "run", "--target", str(path), "--out", str(out), "--no-comet", "--no-cache"]
    if path.suffix == ".tmx":
        args += ["--source-lang", "en"]
    result = CliRunner().invoke(cli, args)
    if result.exit_code not in (0, 1):
        raise SystemExit(f"{path}: exit {result.exit_code}: {result.output}")
    with (out / "segments.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-v", "--verbose", action="store_true", help="list missed corruptions")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    from lxml import etree

    files = sorted(
        p
        for p in args.data.rglob("*")
        if p.suffix in (".xlf", ".xliff", ".tmx", ".sdlxliff") and p.is_file()
    )
    found: Counter = Counter()
    tried: Counter = Counter()
    flagged_share: dict[str, tuple[int, int]] = {}
    per_flag: Counter = Counter()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for n, path in enumerate(files):
            name = str(path.relative_to(args.data))
            if not targets(etree.parse(str(path)).getroot()):
                continue  # no translated unit to corrupt (a source-only extraction)
            rows = run_file(path, work / f"clean{n}")
            units = [r for r in rows if r["tgt_text"]]
            flagged = [r for r in units if r["flags"]]
            flagged_share[name] = (len(flagged), len(units))
            per_flag.update(f for r in flagged for f in r["flags"].split(";"))
            for kind, flag in KINDS.items():
                root = etree.parse(str(path)).getroot()
                eligible = targets(root)
                rng = random.Random(f"{args.seed}:{name}:{kind}")
                rng.shuffle(eligible)
                done = []
                for ident, src, tgt in eligible:
                    if len(done) >= args.units:
                        break
                    before = " ".join("".join(tgt.itertext()).split())
                    if corrupt(kind, src, tgt, rng):
                        done.append((ident, before))
                if not done:
                    continue
                copy_path = work / f"{kind}{n}{path.suffix}"
                copy_path.write_bytes(etree.tostring(root.getroottree(), encoding="utf-8"))
                rows = run_file(copy_path, work / f"{kind}{n}")
                by_unit = {r["unit"]: r for r in rows}
                for ident, before in done:
                    row = by_unit.get(ident)
                    hit = row is not None and flag in row["flags"].split(";")
                    tried[kind] += 1
                    found[kind] += hit
                    if args.verbose and not hit:
                        print(
                            f"missed {kind} in {name} unit {ident}: was {before[:50]!r} | now "
                            f"{row and row['tgt_text'][:50]!r} {row and row['flags']} "
                            f"{row and row['notes'][:90]}"
                        )
    print(f"{'file':<64}{'flagged':>9}{'units':>7}{'share':>8}")
    for name, (f, u) in flagged_share.items():
        share = f / u if u else 0.0
        failed |= share > 0.01
        print(f"{name:<64}{f:>9}{u:>7}{share:>8.3f}")
    print(f"\n{'flag on untouched units':<30}{'count':>6}")
    for flag, count in per_flag.most_common():
        print(f"{flag:<30}{count:>6}")
    print(f"\n{'corruption':<14}{'found':>6}{'tried':>6}{'recall':>8}")
    for kind in KINDS:
        t, f = tried[kind], found[kind]
        recall = f / t if t else float("nan")
        failed |= t > 0 and recall < 0.95
        print(f"{kind:<14}{f:>6}{t:>6}{recall:>8.3f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
