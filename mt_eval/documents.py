r"""Loading documents and cleaning web artifacts out of them.

A document is a UTF-8 text file (with or without a BOM; LF, CRLF or CR line
ends). Cleaning turns it into :class:`~mt_eval.model.Paragraph` objects, one per
non-empty line that is left, each remembering its 1-based line in the file.
Lines are never joined. Every change cleaning makes is recorded as a
:class:`~mt_eval.model.Removal`, in document order, with one of these reasons:

============================ ==================================================================
reason                       what was removed
============================ ==================================================================
``html-tag``                 an HTML/XML tag (``<u>``, ``</u>``, ``<br/>``, ``<!DOCTYPE ..>``);
                             block tags (``<p>``, ``<br>``, ``<div>``, ``<li>``, ...) and tags
                             spanning a line break also end the paragraph
``html-comment``             an HTML comment ``<!-- ... -->``
``html-script``              a ``<script>`` or ``<style>`` element with its content
``html-entity``              an entity (``&amp;``, ``&nbsp;``, ``&#8217;``), replaced by its
                             character
``backslash-escape``         the backslash of an escaped ASCII punctuation mark (``\$``, ``\*``)
``boilerplate:url-trailer``  a line ``Original url:`` / ``Source:`` / ``Source link`` with
                             nothing or only a URL after the label, and the URL line(s) right
                             after a bare label (even a URL broken by a space)
``boilerplate:url``          a line that is a single URL
``boilerplate:ad``           an ad marker line: ``[ad_1]``, ``[ad]``, ``Advertisement``,
                             ``Iklan``, ``Sponsored``, an ``adsbygoogle`` push
``boilerplate:comments``     a comment-form line: ``Leave a Reply``, ``This site uses Akismet
                             ...``, ``By | June 27, 2022 | No Comments``, ``3 Comments``
``boilerplate:related-link`` a line ``Related article: ...``, ``Read more: ...``,
                             ``See also: ...``, ``Baca juga: ...``
``boilerplate:photo-credit`` a credit-only line: ``Photo: Reuters``, ``(Photo by X/AFP)``,
                             ``Image credit: ...``, ``Credit: ...`` (at most 10 words)
``dateline``                 a line that is only a date or date and time, with an optional
                             weekday or ``Published:``-style label (``November 02, 2022``,
                             ``2022.12.12 11:13``, ``Senin, 12 Desember 2022``); month and
                             weekday names are English, Indonesian and the document's
                             language's (from babel's CLDR data)
============================ ==================================================================

Boilerplate rules match whole lines (anchored, case-insensitive), never part of
a sentence: a line that merely mentions a date, or starts with ``Source:`` and
goes on with prose (``Source: Russia and North Korea plan ...``), is kept, as
are footnote markers (``[1]``) and photo captions. Whitespace (non-breaking and
other Unicode spaces included) is collapsed to single spaces and lines are
stripped; that is not recorded. A removal's ``text`` is the exact text taken
out: the tag, the entity, the backslash, or the line as it read after markup,
entities and escapes were dealt with (those are recorded on their own).

Text that only looks like markup stays: ``a < b and c > d`` is not a tag. A start
tag may carry bare (valueless) attributes only when they are known boolean HTML
attributes, so ``x <b and c> y`` stays too.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

from mt_eval.boilerplate import classify_line, is_trailer_url_line
from mt_eval.errors import InputError
from mt_eval.model import Document, Paragraph, Removal

__all__ = ["LIMITS", "Limits", "check_limits", "clean_text", "load_document", "read_lines"]


@dataclass(frozen=True)
class Limits:
    """Largest input mt-eval reads; beyond them a run stops at once with an InputError.

    The reasons and measurements are in ``docs/limits.md``.

    Attributes:
        max_file_bytes: Largest file, in bytes (checked before reading it).
        max_lines: Most lines in one file (a final line end starts no line).
        max_document_lines: Most lines of text left after cleaning in a document
            that the aligner aligns (not line-aligned input): the alignment's time
            and memory grow with the number of sentences (35,000 lines: 178 s, 3 GB).
        max_line_chars: Longest line, in characters after decoding. A sentence
            embedder's memory grows with the length of a text: one 200,000-character
            line without spaces peaks at 1.8 GB.
    """

    max_file_bytes: int = 100_000_000
    max_lines: int = 100_000
    max_document_lines: int = 10_000
    max_line_chars: int = 50_000


LIMITS = Limits()
"""The limits every reader in mt-eval applies."""


def check_limits(text: str, name: str, limits: Limits = LIMITS) -> None:
    """Refuse text with more lines, or a longer line, than ``limits`` allow (linear time).

    Args:
        text: Decoded text (LF, CRLF or CR line ends).
        name: The file it came from, for the message.
        limits: The limits to apply.

    Raises:
        InputError: Naming the file, the line and the limit passed.
    """
    ends = text.count("\n") + text.count("\r")  # CRLF counted twice: an upper bound
    if len(text) <= limits.max_line_chars and ends < limits.max_lines:
        return  # cannot pass either limit (the common case: no scan needed)
    lines = _LINE_END_RE.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    if len(lines) > limits.max_lines:
        raise InputError(
            f"{name}: more than {limits.max_lines:,} lines ({len(lines):,}); "
            "split the file (see docs/limits.md)"
        )
    for number, line in enumerate(lines, 1):
        if len(line) > limits.max_line_chars:
            raise InputError(
                f"{name}: line {number} is {len(line):,} characters long, more than the "
                f"limit of {limits.max_line_chars:,} (see docs/limits.md)"
            )


_LINE_END_RE = re.compile(r"\r\n|\r|\n")

_TAG_RE = re.compile(
    r"""
      (?P<comment><!--)
    | (?P<cdata><!\[CDATA\[)
    | (?P<decl><![A-Za-z][^<>]*>|<\?[A-Za-z][^<>]*\?>)
    | </(?P<end>[A-Za-z][A-Za-z0-9:-]*)\s*>
    | <(?P<start>[A-Za-z][A-Za-z0-9:-]*)
      (?P<attrs>(?:\s+[^\s<>"'=/]+(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'=<>`]+))?)*)
      \s*(?P<selfclose>/?)>
    """,
    re.VERBOSE | re.DOTALL,
)
_CLOSERS = {"comment": "-->", "cdata": "]]>"}
"""What ends a comment or CDATA section opened by :data:`_TAG_RE` (found with ``str.find``)."""
_ATTR_RE = re.compile(r"""([^\s<>"'=/]+)(\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_BOOLEAN_ATTRS = frozenset(
    "allowfullscreen async autofocus autoplay checked controls default defer disabled "
    "hidden itemscope loop multiple muted nomodule novalidate nowrap open readonly required "
    "reversed selected".split()
)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption dd div dl dt figcaption figure footer "
    "h1 h2 h3 h4 h5 h6 head header hr html li main nav ol p pre section table tbody td tfoot "
    "th thead title tr ul".split()
)
_RAW_TEXT_TAGS = frozenset({"script", "style"})
_INLINE_RE = re.compile(
    r"(?P<entity>&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)"
    r"|(?P<double>\\\\)"
    r"|(?P<escape>\\(?=[!-/:-@\[\]-`{-~]))"
)
_SPACE_RE = re.compile(r"\s+")


@dataclass
class _Fragment:
    """Text of one would-be paragraph: (offset, chunk) pieces of the normalized text."""

    offset: int
    chunks: list[tuple[int, str]] = field(default_factory=list)


def read_bytes(path: str | PathLike[str]) -> bytes:
    """Read a regular file of at most :data:`LIMITS` ``max_file_bytes`` bytes.

    A FIFO, a device or a folder is refused before it is opened, and the size is
    checked on the open file too, so a link to ``/dev/zero`` cannot exhaust memory.

    Raises:
        InputError: Missing, not a regular file, unreadable, empty or too large.
    """
    name, file = str(path), Path(path)
    limit = LIMITS.max_file_bytes
    try:
        if file.is_dir():
            raise InputError(f"{name}: is a directory, not a text file")
        if file.exists() and not file.is_file():
            raise InputError(f"{name}: not a regular file")
        if file.is_file() and file.stat().st_size > LIMITS.max_file_bytes:
            raise InputError(
                f"{name}: larger than the limit of {LIMITS.max_file_bytes:,} bytes "
                f"({file.stat().st_size:,}; see docs/limits.md)"
            )
        with file.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: cannot read the file (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise InputError(f"{name}: larger than the limit of {limit:,} bytes (see docs/limits.md)")
    if not data:
        raise InputError(f"{name}: empty file")
    return data


def read_text(path: str | PathLike[str]) -> str:
    """Read and decode a text file; line ends are left as they are, a BOM is dropped.

    Raises:
        InputError: Missing, unreadable, binary, not UTF-8, empty or whitespace-only,
            or past a limit of :data:`LIMITS` (size, lines, line length).
    """
    name = str(path)
    data = read_bytes(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: UTF-16 text, not UTF-8; save it as UTF-8")
    if b"\x00" in data:
        line = _line_at(data, data.index(b"\x00"))
        raise InputError(f"{name}: binary file, not text (NUL byte at line {line})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte, line = data[exc.start], _line_at(data, exc.start)
        raise InputError(
            f"{name}: not UTF-8 text (invalid byte 0x{byte:02x} at line {line})"
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError(f"{name}: empty (only whitespace)")
    check_limits(text, name)
    return text


def _line_at(data: bytes, index: int) -> int:
    """1-based line number of byte ``index`` (LF, CRLF and CR line ends)."""
    return len(re.findall(rb"\r\n|\r|\n", data[:index])) + 1


def load_document(path: str | PathLike[str], lang: str) -> Document:
    """Read a text file and clean it.

    Args:
        path: The file to read (UTF-8, BOM optional, any line ends).
        lang: Language code of the text, kept on the document as given.

    Returns:
        The cleaned document (see :func:`clean_text`), with ``path`` set.

    Raises:
        InputError: The file is missing, a directory, unreadable, binary, not
            UTF-8 (the message names the line), empty or whitespace-only,
            past a limit of :data:`LIMITS` (for a document to align, also more
            than ``max_document_lines`` lines of text left), or nothing is left
            after cleaning. The message starts with the path.
    """
    doc = require_paragraphs(clean_text(read_text(path), lang, str(path)))
    if len(doc.paragraphs) > LIMITS.max_document_lines:
        raise InputError(
            f"{path}: {len(doc.paragraphs):,} lines of text to align, more than the limit of "
            f"{LIMITS.max_document_lines:,}; split the document, or give line-aligned files "
            "with --aligned (see docs/limits.md)"
        )
    return doc


def require_paragraphs(doc: Document) -> Document:
    """``doc`` itself when cleaning left it a paragraph.

    Raises:
        InputError: Nothing is left after cleaning; the message starts with the path.
    """
    if not doc.paragraphs:
        raise InputError(
            f"{doc.path}: nothing left after cleaning ({len(doc.removals)} removals, "
            "all boilerplate or markup)"
        )
    return doc


def read_lines(path: str | PathLike[str], lang: str) -> Document:
    """Read a line-aligned or pre-segmented file: one paragraph per line, as is.

    No cleaning is done except dropping the BOM and stripping whitespace at both
    ends of each line. Every line becomes a paragraph, *empty lines included*
    (unlike :func:`clean_text`, paragraph text may be empty here) so that
    paragraph ``i`` is line ``i + 1``. A final line end does not start another line.

    Args:
        path: The file to read (UTF-8, BOM optional, any line ends).
        lang: Language code of the text, kept on the document as given.

    Returns:
        A document with one paragraph per line and no removals.

    Raises:
        InputError: As for :func:`load_document`, and when every line is empty.
    """
    lines = _LINE_END_RE.split(read_text(path))
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    paragraphs = tuple(Paragraph(text=line.strip(), line=i) for i, line in enumerate(lines, 1))
    if not any(p.text for p in paragraphs):
        raise InputError(f"{path}: every line is empty")
    return Document(path=str(path), lang=lang, paragraphs=paragraphs)


def _is_tag(match: re.Match[str]) -> bool:
    """Whether a start-tag match has real attribute syntax (bare attributes must be boolean)."""
    if match["start"] is None:
        return True
    return all(
        attr[2] is not None or attr[1].lower() in _BOOLEAN_ATTRS
        for attr in _ATTR_RE.finditer(match["attrs"])
    )


def _markup(text: str) -> Iterator[tuple[re.Match[str], int, str | None]]:
    """Yield each markup token as (match, end offset, removal reason).

    Linear in ``len(text)``: the end of a comment, CDATA section or script is
    searched with one forward scan, and a closer found missing from some offset on
    is not searched again for later openers (an unclosed ``<!--`` repeated
    thousands of times would otherwise be rescanned to the end each time).
    """
    pos = 0
    absent_from: dict[str, int] = {}  # closer -> offset after which it does not occur

    def find_end(closer: str, start: int, pattern: re.Pattern[str] | None = None) -> int | None:
        if start >= absent_from.get(closer, len(text) + 1):
            return None
        found = _scan(text, closer, start, pattern)
        if found is None:
            absent_from[closer] = start
        return found

    while (match := _TAG_RE.search(text, pos)) is not None:
        opener = "comment" if match["comment"] else "cdata" if match["cdata"] else None
        if opener is not None:
            end = find_end(_CLOSERS[opener], match.end())
            if end is None:  # unclosed: plain text, as a lone "<" is
                pos = match.start() + 1
                continue
            yield match, end, "html-comment" if opener == "comment" else "html-tag"
            pos = end
            continue
        if not _is_tag(match):
            pos = match.start() + 1
            continue
        end, reason = match.end(), "html-tag"
        name = (match["start"] or "").lower()
        if name in _RAW_TEXT_TAGS and not match["selfclose"]:
            close = find_end(f"</{name}>", end, re.compile(rf"</{name}\s*>", re.IGNORECASE))
            if close is not None:
                end, reason = close, "html-script"
        yield match, end, reason
        pos = end


def _scan(text: str, closer: str, start: int, pattern: re.Pattern[str] | None) -> int | None:
    """End offset of the first ``closer`` (or ``pattern`` match) from ``start``: one scan."""
    if pattern is None:
        at = text.find(closer, start)
        return None if at < 0 else at + len(closer)
    close = pattern.search(text, start)
    return None if close is None else close.end()


def _fragments(text: str, add: _Recorder) -> list[_Fragment]:
    """Split normalized text into fragments at line ends and block tags, removing markup."""
    fragments = [_Fragment(0)]

    def add_text(start: int, chunk: str) -> None:
        for i, part in enumerate(chunk.split("\n")):
            if i:
                start += 1
                fragments.append(_Fragment(start))
            fragments[-1].chunks.append((start, part))
            start += len(part)

    pos = 0
    for match, end, reason in _markup(text):
        add_text(pos, text[pos : match.start()])
        token = text[match.start() : end]
        add(match.start(), token, reason)
        name = (match["start"] or match["end"] or "").lower()
        if name in _BLOCK_TAGS or "\n" in token or reason == "html-script":
            fragments.append(_Fragment(end))
        pos = end
    add_text(pos, text[pos:])
    return fragments


def _inline(fragment: _Fragment, add: _Recorder) -> str:
    """Unescape entities and backslash escapes of a fragment; return its cleaned text."""
    out: list[str] = []
    for offset, chunk in fragment.chunks:
        last = 0
        for match in _INLINE_RE.finditer(chunk):
            out.append(chunk[last : match.start()])
            last = match.end()
            if match["entity"]:
                char = html.unescape(match["entity"])
                if char != match["entity"]:
                    add(offset + match.start(), match["entity"], "html-entity")
                out.append(char)
            elif match["double"]:
                out.append(match["double"])
            else:
                add(offset + match.start(), "\\", "backslash-escape")
        out.append(chunk[last:])
    return _SPACE_RE.sub(" ", "".join(out)).strip()


class _Recorder:
    """Collects removals with their offsets so they can be put in document order."""

    def __init__(self, text: str) -> None:
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.items: list[tuple[int, Removal]] = []

    def line(self, offset: int) -> int:
        """1-based line of ``offset``."""
        return bisect_right(self._line_starts, offset)

    def __call__(self, offset: int, text: str, reason: str) -> None:
        self.items.append((offset, Removal(line=self.line(offset), text=text, reason=reason)))


def clean_text(text: str, lang: str, path: str = "") -> Document:
    """Clean the text of a document and cut it into paragraphs.

    See the module docstring for what is removed and the reasons recorded.

    Args:
        text: The decoded file content (a leading BOM is dropped; LF, CRLF or
            CR line ends).
        lang: Language code of the text (its month and weekday names are
            recognised in date lines, besides English and Indonesian ones);
            kept on the document as given.
        path: Where the text came from, for the document's ``path``.

    Returns:
        The document: one paragraph per non-empty cleaned line (or per block of
        a line split by block tags), with its 1-based line in ``text``, and the
        removals in document order. It may have no paragraphs at all (only
        :func:`load_document` treats that as an error).

    Raises:
        InputError: More lines or a longer line than :data:`LIMITS` allow (cleaning
            itself is linear in the length of the text).
    """
    check_limits(text, path or "text")
    normalized = _LINE_END_RE.sub("\n", text.removeprefix("\ufeff"))
    add = _Recorder(normalized)
    paragraphs: list[Paragraph] = []
    after_trailer = False
    for fragment in _fragments(normalized, add):
        cleaned = _inline(fragment, add)
        if not cleaned:
            continue
        if after_trailer and is_trailer_url_line(cleaned):
            reason: str | None = "boilerplate:url-trailer"
        else:
            reason, after_trailer = classify_line(cleaned, lang)
        if reason is None:
            paragraphs.append(Paragraph(text=cleaned, line=add.line(fragment.offset)))
        else:
            add(fragment.offset, cleaned, reason)
    removals = tuple(r for _, r in sorted(add.items, key=lambda item: item[0]))
    return Document(path=path, lang=lang, paragraphs=tuple(paragraphs), removals=removals)
