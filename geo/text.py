"""Plan documents as text: decode plain-text bytes, mask stray markup and mojibake, split.

Files of every format are read by :mod:`geo.readers`, which builds documents here.

Every offset this module hands out is a Python ``str`` index into
:attr:`Document.text`, the text exactly as decoded (a UTF-8 byte-order mark removed,
nothing else changed). :attr:`Document.clean` has the same length and the same
characters, except that stray HTML markup and runs of mojibake are replaced by spaces,
so recognisers can run on ``clean`` and report offsets valid in ``text``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from geo._errors import DocumentError

__all__ = [
    "Document",
    "Sentence",
    "clean_text",
    "decode_bytes",
    "document_from_text",
    "make_document",
    "split_at",
    "split_clauses",
    "split_sentences",
]

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------- decoding

_SNIFF_BYTES = 8192
_CONVERT_HINT = "convert it to plain text (.txt, UTF-8 or GB18030) first"
_SAVE_HINT = "open it in a text editor and save it as UTF-8"

# (prefix, human name): formats people upload by mistake instead of a .txt file.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx/.xlsx/.pptx Office file is one)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office file (.doc/.xls/.ppt)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    # UTF-32 BOMs before UTF-16: FF FE 00 00 also starts with the UTF-16-LE BOM.
    (b"\xff\xfe\x00\x00", "UTF-32 text"),
    (b"\x00\x00\xfe\xff", "UTF-32 text"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = b"\xef\xbb\xbf"

# A strict GB18030 decode of bytes that are not GB text can still succeed; refuse the
# result when more than this share of its non-space characters is unusual in a plan.
_MAX_UNUSUAL_SHARE = 0.30

_USUAL_RE = re.compile(
    "["
    "\u0020-\u007e"  # ASCII
    "\u00b0\u00b1\u00b7\u00d7\u00f7"  # ° ± · × ÷
    "\u2000-\u206f"  # general punctuation: — “ ” ‘ ’ … ‰ ※
    "\u2160-\u217f"  # Roman numerals
    "\u2460-\u24ff"  # circled numbers
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\u3200-\u33ff"  # enclosed CJK, ㎡ ㎞
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uff00-\uffef"  # fullwidth forms
    "]"
)
_ASCII_LETTER_CJK_ASCII_LETTER_RE = re.compile(r"(?<=[A-Za-z])[\u4e00-\u9fff](?=[A-Za-z])")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
# Fewer ideographs than this inside Latin words is too little evidence of a misread.
_MIN_LATIN_MISREADS = 3


def _unusual_share(text: str) -> float:
    """Share of non-space characters of `text` that are unusual in a Chinese plan."""
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return 0.0
    unusual = sum(1 for c in visible if not _USUAL_RE.match(c))
    return unusual / len(visible)


def _looks_like_latin_misread(text: str) -> bool:
    """Whether most ideographs sit inside Latin words, as in 'd関eloppement'.

    That is what Latin-1 text (é, è ... followed by a letter) becomes when read as
    GB18030; real Chinese text almost never puts an ideograph between two ASCII letters.
    """
    n_inside = len(_ASCII_LETTER_CJK_ASCII_LETTER_RE.findall(text))
    if n_inside < _MIN_LATIN_MISREADS:
        return False
    return n_inside * 2 >= len(_CJK_RE.findall(text))


def _sniff_binary(data: bytes) -> str | None:
    """Describe `data` if it is binary, else return None."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    nul = data.find(b"\x00", 0, _SNIFF_BYTES)
    if nul != -1:
        return f"binary data (a NUL byte at offset {nul})"
    return None


def _check_not_empty(text: str, name: str) -> None:
    if not text.strip():
        msg = f"{name!r} is empty: nothing to read; pass a document with text in it"
        raise DocumentError(msg)


def decode_bytes(data: bytes, *, name: str) -> tuple[str, str]:
    """Decode the bytes of a plan document.

    UTF-8 with a byte-order mark is read as UTF-8 and the mark dropped, so offsets
    count from the first character after it. Otherwise strict UTF-8 is tried, then
    strict GB18030 (a superset of GBK and GB2312). UTF-16 with a byte-order mark is
    read too.

    Parameters
    ----------
    data
        The raw bytes of the document.
    name
        What to call the document in error messages (a file name or path).

    Returns
    -------
    tuple[str, str]
        The decoded text and the encoding used: ``"utf-8-sig"``, ``"utf-8"``,
        ``"gb18030"`` or ``"utf-16"``.

    Raises
    ------
    DocumentError
        If `data` is empty or only whitespace, is binary (a PDF, an Office file, an
        image, NUL bytes...), or is neither UTF-8 nor GB18030 text.

    Examples
    --------
    >>> decode_bytes("襄阳市".encode("utf-8"), name="a.txt")
    ('襄阳市', 'utf-8')
    >>> decode_bytes("襄阳市".encode("gbk"), name="a.txt")
    ('襄阳市', 'gb18030')
    """
    if not data:
        _check_not_empty("", name)

    if data.startswith(_UTF8_BOM):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            bad = data[exc.start + len(_UTF8_BOM)]
            msg = (
                f"cannot decode {name!r}: it starts with a UTF-8 byte-order mark but byte "
                f"0x{bad:02x} at offset {exc.start + len(_UTF8_BOM)} is not valid UTF-8; "
                f"{_SAVE_HINT}"
            )
            raise DocumentError(msg) from exc
        _check_not_empty(text, name)
        return _decoded(text, "utf-8-sig", name)

    if data.startswith(_UTF16_BOMS) and not data.startswith(b"\xff\xfe\x00\x00"):
        text16 = _try_utf16(data)
        if text16 is not None:
            _check_not_empty(text16, name)
            return _decoded(text16, "utf-16", name)
        # Not sensible UTF-16 after all: judge it like any other bytes below.

    binary = _sniff_binary(data)
    if binary is not None:
        msg = f"{name!r} is {binary}, not plain text; {_CONVERT_HINT}"
        raise DocumentError(msg)

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        _check_not_empty(text, name)
        return _decoded(text, "utf-8", name)

    bad_offset = utf8_error.start
    bad_byte = data[bad_offset]
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        msg = (
            f"cannot decode {name!r}: it is neither UTF-8 (byte 0x{bad_byte:02x} at offset "
            f"{bad_offset} is invalid) nor GB18030 (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start} is invalid); {_SAVE_HINT}"
        )
        raise DocumentError(msg) from exc

    not_utf8 = (
        f"cannot decode {name!r}: it is not UTF-8 (byte 0x{bad_byte:02x} at offset "
        f"{bad_offset} is invalid)"
    )
    share = _unusual_share(text)
    if share > _MAX_UNUSUAL_SHARE:
        msg = (
            f"{not_utf8}, and read as GB18030 it gives garbage ({share:.0%} of its "
            f"characters are neither Chinese, ASCII nor punctuation); {_SAVE_HINT}"
        )
        raise DocumentError(msg) from utf8_error
    if _looks_like_latin_misread(text):
        msg = (
            f"{not_utf8}, and read as GB18030 it gives Chinese characters inside Latin "
            f"words, as Latin-1 text does; {_SAVE_HINT}"
        )
        raise DocumentError(msg) from utf8_error
    _check_not_empty(text, name)
    return _decoded(text, "gb18030", name)


def _try_utf16(data: bytes) -> str | None:
    """Decode `data` (which starts with a UTF-16 BOM) or return None if it is not UTF-16."""
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        return None
    if _unusual_share(text) > _MAX_UNUSUAL_SHARE:
        return None
    return text


def _decoded(text: str, encoding: str, name: str) -> tuple[str, str]:
    logger.debug("decoded %r as %s: %d characters", name, encoding, len(text))
    return text, encoding


# --------------------------------------------------------------------------- cleaning

_TAG_NAMES = "font|span|p|div|br|a|b|i|u|em|strong|table|tbody|thead|tr|td|th|li|ul|ol|img|h[1-6]"
_MARKUP_RE = re.compile(
    r"<!--.*?-->"  # HTML comments (one line)
    r"|<![A-Za-z\[][^<>\n]{0,200}>"  # <!DOCTYPE ...>, <![CDATA[
    r"|</?[A-Za-z][^<>\n]{0,200}>"  # <font color=red>, </font>, <br/>, <p>
    r"|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"  # &nbsp; &#12345;
    r"|&nbsp(?![A-Za-z0-9;])"  # &nbsp without its semicolon, common in scraped pages
    # The tail of a tag whose '<' was eaten by mojibake, e.g. '¼/font>'. The damaged
    # character before the slash goes too, unless it is an ASCII letter/digit or a
    # common ideograph that belongs to the text.
    rf"|[^\s<>A-Za-z0-9\u4e00-\u9fff]?/(?:{_TAG_NAMES})>",
    re.IGNORECASE,
)

# Characters never in a readable plan: a lone one is masked wherever it stands.
_BAD_RANGES: tuple[tuple[int, int], ...] = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2800, 0x28FF),  # Braille
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0xA000, 0xA4CF),  # Yi syllables and radicals
    (0xA960, 0xA97F),  # Hangul Jamo extended-A
    (0xAC00, 0xD7FF),  # Hangul syllables, Jamo extended-B
    (0xD800, 0xF8FF),  # surrogates, Private Use Area
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xFFA0, 0xFFDC),  # halfwidth Hangul
    (0xFFF0, 0xFFFF),  # Specials, including U+FFFD
    (0x2F800, 0x2FA1F),  # CJK Compatibility Ideographs supplement
    (0xF0000, 0x10FFFF),  # supplementary Private Use Areas
)
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})

# Characters usual in plans. Everything else is "rare": kept when alone, masked when it
# stands in a run with other rare characters of several blocks (or with a bad one).
_GOOD_CLASS = (
    "\t\n\r\u0020-\u007e"
    "\u00a0\u00a7\u00b0\u00b1\u00b2\u00b3\u00b5\u00b7\u00b9\u00d7\u00f7"
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff"  # Latin-1 letters (é in names)
    "\u0100-\u017f"  # Latin extended-A (pinyin ā ē ī ō ū ě)
    "\u01cd-\u01dc\u0251\u0261"  # pinyin ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ, ɑ ɡ
    "\u0391-\u03a9\u03b1-\u03c9"  # Greek letters (α β in technical text)
    "\u2000-\u200a\u2010-\u2027\u2028-\u2029\u202f-\u205f"  # punctuation, not format chars
    "\u2070-\u209f"  # super- and subscripts
    "\u20a0-\u20cf"  # currency signs
    "\u2100-\u218f"  # letterlike (℃ №), number forms (Ⅰ Ⅱ)
    "\u2190-\u2193"  # ← ↑ → ↓
    "\u2200-\u22ff"  # mathematical operators (≥ ≤ ≈)
    "\u2460-\u24ff"  # ① ⑴ ⒈
    "\u2500-\u25ff"  # box drawing, blocks, geometric shapes (■ ▲ ●)
    "\u2605\u2606\u2640\u2642"  # ★ ☆ ♀ ♂
    "\u3000-\u303f"  # CJK punctuation: 。 、 《 》 「 」 【 】
    "\u30fb"  # katakana middle dot, used as a separator
    "\u3200-\u33ff"  # ㈠ ㈡, ㎡ ㎞
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\ufe30-\ufe4f"  # CJK compatibility forms
    "\uff01-\uff64\uffe0-\uffee"  # fullwidth ASCII and punctuation
)
_NOT_GOOD_RE = re.compile(f"[^{_GOOD_CLASS}]")

# Two odd characters separated by at most this many others (on one line) are one run.
_MAX_GAP = 3
# A run of only rare characters is masked when it has this many, from 2+ blocks.
_MIN_RARE_RUN = 3

# Named blocks for rare characters; others are keyed by their 256-code-point page.
_BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x3400, 0x4DBF, "cjk-ext-a"),
    (0x20000, 0x3FFFF, "cjk-ext-b+"),
    (0x0080, 0x00FF, "latin-1"),
    (0x0180, 0x024F, "latin-ext-b"),
    (0x0370, 0x03FF, "greek-coptic"),
    (0x0600, 0x06FF, "arabic"),
    (0x0700, 0x074F, "syriac"),
    (0x1200, 0x139F, "ethiopic"),
    (0x1400, 0x167F, "canadian-syllabics"),
    (0xA980, 0xA9FF, "javanese-myanmar"),
    (0xFB50, 0xFDFF, "arabic-forms-a"),
    (0xFE70, 0xFEFF, "arabic-forms-b"),
)


def _is_bad(char: str) -> bool:
    cp = ord(char)
    if any(lo <= cp <= hi for lo, hi in _BAD_RANGES):
        return True
    return unicodedata.category(char) in _BAD_CATEGORIES


def _block(char: str) -> str:
    cp = ord(char)
    for lo, hi, block in _BLOCKS:
        if lo <= cp <= hi:
            return block
    return f"page-{cp >> 8:x}"


def _mask_spans(text: str) -> list[tuple[int, int]]:
    """Half-open spans of `text` to mask: markup, bad characters and mojibake runs."""
    spans = [m.span() for m in _MARKUP_RE.finditer(text)]

    # (offset, is_bad) of every character outside the usual set. Whitespace controls
    # (form feed from pdftotext, vertical tab) are masked alone and do not join runs,
    # so a page break never drags a neighbouring rare ideograph with it.
    anchors: list[tuple[int, bool]] = []
    for m in _NOT_GOOD_RE.finditer(text):
        char = m.group()
        if char.isspace():
            if _is_bad(char):
                spans.append((m.start(), m.start() + 1))
            continue
        anchors.append((m.start(), _is_bad(char)))

    i = 0
    while i < len(anchors):
        j = i
        while (
            j + 1 < len(anchors)
            and anchors[j + 1][0] - anchors[j][0] - 1 <= _MAX_GAP
            and "\n" not in text[anchors[j][0] : anchors[j + 1][0]]
        ):
            j += 1
        run = anchors[i : j + 1]
        n_bad = sum(1 for _, bad in run if bad)
        start, end = run[0][0], run[-1][0] + 1
        n_blocks = len({_block(text[pos]) for pos, _ in run})
        if (n_bad and len(run) >= 2) or (len(run) >= _MIN_RARE_RUN and n_blocks >= 2):
            spans.append((start, end))
        else:
            spans.extend((pos, pos + 1) for pos, bad in run if bad)
        i = j + 1
    return spans


def _clean(text: str) -> tuple[str, int]:
    spans = _mask_spans(text)
    if not spans:
        return text, 0
    chars = list(text)
    n_masked = 0
    for start, end in spans:
        for k in range(start, end):
            # Newlines stay, so lines (and the sentences ending at them) survive.
            if chars[k] != " " and chars[k] != "\n":
                chars[k] = " "
                n_masked += 1
    return "".join(chars), n_masked


def clean_text(text: str) -> str:
    """Mask stray markup and mojibake with spaces, keeping every offset.

    Masked: HTML/XML tags (``<font color=red>``, ``</font>``, ``<br/>``), the damaged
    tail of a tag (``¼/font>``), HTML entities (``&nbsp;``, ``&#12345;``), and
    characters that never occur in a readable plan: U+FFFD, control and format
    characters other than newline, tab and carriage return, Hangul, Braille, Yi,
    private use, CJK compatibility ideographs. A run of odd characters (such a
    character, or rare ones from several scripts, CJK extensions included) is masked
    whole, common ideographs caught between them too. A rare ideograph standing alone
    in Chinese text (㮾 in 㮾下) is kept.

    Parameters
    ----------
    text
        Any text.

    Returns
    -------
    str
        A string of the same length as `text`, with masked characters replaced by
        spaces (newlines are never masked).

    Examples
    --------
    >>> clean_text('<font color="red">襄阳</font>')
    '                  襄阳       '
    >>> clean_text("溆浦县&nbsp;G209")
    '溆浦县      G209'
    """
    return _clean(text)[0]


# --------------------------------------------------------------------------- sentences

_TERMINATORS = frozenset("。！？；!?;\n")
# Closing quotes and brackets right after a terminator belong to its sentence.
_CLOSERS = frozenset("”’」』）)】》〕〉\"'")
# A terminator with the terminators and closers right after it ("？！”）" ends one sentence,
# not three), or a newline alone: one regular-expression pass, not a loop over characters.
_SENTENCE_END_RE = re.compile(
    "\n|[" + re.escape("".join(sorted(_TERMINATORS - {"\n"}))) + "]"
    "[" + re.escape("".join(sorted((_TERMINATORS - {"\n"}) | _CLOSERS))) + "]*"
)
_MAX_SENTENCE = 500
_COMMAS = ("，", ",", "、", "：", ":")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as a half-open span ``[start, end)`` of :attr:`Document.text`."""

    start: int
    end: int


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cap(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into pieces of at most `_MAX_SENTENCE` characters.

    Each piece ends after the last comma (or enumeration comma, or colon) that keeps it
    under the cap, or at the cap itself when there is none.
    """
    pieces = []
    while end - start > _MAX_SENTENCE:
        window_end = start + _MAX_SENTENCE
        cut = -1
        for comma in _COMMAS:
            cut = text.rfind(comma, start, window_end)
            if cut != -1:
                break
        split = cut + 1 if cut != -1 else window_end
        pieces.append((start, split))
        start = split
    pieces.append((start, end))
    return pieces


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Split `text` into sentences, as spans of `text`.

    A sentence ends at ``。！？；!?;`` (with any closing quotes or brackets right
    after it) or at a newline. A sentence longer than 500 characters is cut after a
    comma. Leading and trailing whitespace is left out of each span; empty sentences
    are dropped.

    Parameters
    ----------
    text
        Any text; usually :attr:`Document.clean`, so that markup such as ``&nbsp;``
        does not end a sentence.

    Returns
    -------
    tuple[Sentence, ...]
        The sentences in order; ``text[s.start:s.end]`` is never empty and has no
        surrounding whitespace.

    Examples
    --------
    >>> text = "建设襄阳至南漳高速公路。推进“襄十随神”城市群建设！"
    >>> [text[s.start:s.end] for s in split_sentences(text)]
    ['建设襄阳至南漳高速公路。', '推进“襄十随神”城市群建设！']
    """
    raw: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        raw.append((start, m.end()))
        start = m.end()
    if start < len(text):
        raw.append((start, len(text)))

    sentences = []
    for raw_start, raw_end in raw:
        s, e = _strip_span(text, raw_start, raw_end)
        for piece_start, piece_end in _cap(text, s, e):
            ps, pe = _strip_span(text, piece_start, piece_end)
            if ps < pe:
                sentences.append(Sentence(ps, pe))
    return tuple(sentences)


# Clause ends inside a sentence, consumed: punctuation, and list numbers (1. 2、 一、 (一)),
# which number the items of a list and belong to none of them.
_CLAUSE_END_RE = re.compile(
    r"[，,；;：:。！？!?\n]"
    r"|(?<![\d.．])\d{1,2}[.．、](?!\d)"
    r"|[一二三四五六七八九十]{1,3}、"
    r"|[（(][一二三四五六七八九十\d]{1,3}[)）]"
    r"|[)）](?=\s*\d{1,2}[.．、])"
)
_OPENERS = {"（": "）", "(": ")", "【": "】"}
# A bracketed stretch is an aside, a clause of its own, when it holds a list or a clause
# (its own 、，；：) or is longer than any bracketed part of a name: 中国(湖北)自由贸易试验区,
# 沪渝高速(G50), 宜(昌)来(凤) and 市域（郊）铁路 keep their brackets inside the clause;
# （市发改委、市交通运输局负责） does not.
_ASIDE_INNER_RE = re.compile(r"[、，,；;：:]")
_MAX_NAME_BRACKET = 12


def _asides(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans ``[open, close]`` (both brackets included) of the asides in ``text[start:end]``."""
    out: list[tuple[int, int]] = []
    i = start
    while i < end:
        close = _OPENERS.get(text[i])
        if close is None:
            i += 1
            continue
        j = text.find(close, i + 1, end)
        if j == -1:
            i += 1
            continue
        inner = text[i + 1 : j]
        if len(inner) > _MAX_NAME_BRACKET or _ASIDE_INNER_RE.search(inner):
            out.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    return out


def split_clauses(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    keep: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` (usually one sentence) into clauses.

    The one clause splitter of planatlas: the project rules read items within a clause,
    the tie reader looks for a joint verb and its places within one. A clause ends at
    ``，,；;：:。！？!?`` or a newline, at a list number (``1.``, ``2、``, ``一、``,
    ``(一)``), and around a bracketed aside that holds a list or a clause or is longer
    than a bracketed part of a name (``（市发改委、市交通运输局负责）`` is a clause of its
    own; ``宜(昌)来(凤)`` and ``中国(湖北)`` are not cut). A break inside a `keep` span
    (a place mention, a type word) is no break.

    Parameters
    ----------
    text
        The document text (usually :attr:`Document.clean`).
    start, end
        The stretch to split; the whole text by default.
    keep
        ``(start, end)`` spans that no break may cut.

    Returns
    -------
    list of tuple[int, int]
        Non-empty ``(start, end)`` spans of `text` in order; separators are left out.

    Examples
    --------
    >>> s = "加快建设襄阳至南漳高速，推进汉江航道整治（省交通运输厅、省水利厅负责）。"
    >>> [s[a:b] for a, b in split_clauses(s)]
    ['加快建设襄阳至南漳高速', '推进汉江航道整治', '省交通运输厅、省水利厅负责']
    >>> s = "1.建设中国(湖北)自由贸易试验区襄阳片区"
    >>> [s[a:b] for a, b in split_clauses(s)]
    ['建设中国(湖北)自由贸易试验区襄阳片区']
    """
    stop = len(text) if end is None else end
    cuts = [m.span() for m in _CLAUSE_END_RE.finditer(text, start, stop)]
    for a, b in _asides(text, start, stop):
        cuts.append((a, a + 1))
        cuts.append((b - 1, b))
    return _cut(start, stop, sorted(cuts), keep)


def split_at(
    text: str,
    pattern: re.Pattern[str],
    start: int = 0,
    end: int | None = None,
    *,
    keep: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` at the matches of `pattern` that cut no `keep` span.

    What :func:`split_clauses` does with the clause ends, for any pattern: the project
    rules cut a clause into groups at function words and verbs this way.

    Parameters
    ----------
    text
        The document text.
    pattern
        Separators; a match is left out of the pieces, an empty match cuts before it.
    start, end
        The stretch to split; the whole text by default.
    keep
        ``(start, end)`` spans that no separator may cut.

    Returns
    -------
    list of tuple[int, int]
        Non-empty ``(start, end)`` spans of `text` in order.

    Examples
    --------
    >>> s = "推进襄阳与十堰合作"
    >>> [s[a:b] for a, b in split_at(s, re.compile("与"))]
    ['推进襄阳', '十堰合作']
    """
    stop = len(text) if end is None else end
    return _cut(start, stop, [m.span() for m in pattern.finditer(text, start, stop)], keep)


def _cut(
    start: int, stop: int, cuts: Sequence[tuple[int, int]], keep: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Pieces of ``[start, stop)`` between sorted separator spans `cuts`, sparing `keep`."""
    out: list[tuple[int, int]] = []
    cur = start
    for a, b in cuts:
        if a < cur or any(s < b and a < e for s, e in keep):
            continue  # overlaps a cut already made, or lies inside a span to keep
        if a > cur:
            out.append((cur, a))
        cur = b
    if stop > cur:
        out.append((cur, stop))
    return out


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class Document:
    """A decoded plan document with its cleaned twin and its sentences.

    Attributes
    ----------
    name
        The file name (basename), reported as ``doc`` in outputs.
    path
        Where the document was read from, or None for text or uploaded bytes.
    text
        The decoded text, exactly as decoded (a byte-order mark removed). All offsets
        index this string.
    clean
        `text` with stray markup and mojibake replaced by spaces; same length.
    encoding
        ``"utf-8"``, ``"utf-8-sig"``, ``"gb18030"`` (or ``"utf-16"``); ``"utf-8"``
        for a document built from a ``str``.
    sentences
        The sentences of `clean`, whose spans are valid in `text` too.
    pages
        For a paged source (a PDF), the offset where each page starts (page ``k``, 1-based,
        at ``pages[k - 1]``); empty for text without pages.
    format
        What the text was read from: ``"txt"``, ``"pdf"``, ``"docx"`` or ``"html"``
        (:mod:`geo.readers`).
    """

    name: str
    path: str | None
    text: str
    clean: str
    encoding: str
    sentences: tuple[Sentence, ...]
    pages: tuple[int, ...] = ()
    format: str = "txt"

    def __post_init__(self) -> None:
        if len(self.clean) != len(self.text):
            msg = (
                f"Document {self.name!r}: clean has {len(self.clean)} characters but text "
                f"has {len(self.text)}; build documents with document_from_text()"
            )
            raise ValueError(msg)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # a report holds hundreds of sentences: pickled one by one they were most of the
        # time of reading a library's stored records back; as two arrays of offsets, and
        # the cleaned text only where it differs, they cost a fraction of it
        starts = array("q", (s.start for s in self.sentences)).tobytes()
        ends = array("q", (s.end for s in self.sentences)).tobytes()
        clean = None if self.clean == self.text else self.clean
        return (
            _document,
            (self.name, self.path, self.text, clean, self.encoding, starts, ends,
             self.pages, self.format),
        )

    def sentence_at(self, offset: int) -> Sentence:
        """Return the sentence containing `offset`.

        An offset between two sentences (whitespace or masked text) belongs to the
        sentence before it; one before the first sentence, to the first.

        Parameters
        ----------
        offset
            A ``str`` index into :attr:`text`.

        Returns
        -------
        Sentence
            The sentence containing (or nearest before) `offset`.

        Raises
        ------
        IndexError
            If `offset` is outside the text, or the document has no sentences.

        Examples
        --------
        >>> doc = document_from_text("建设襄阳港。推进十堰机场。")
        >>> doc.sentence_text(doc.sentence_at(8))
        '推进十堰机场。'
        """
        if not 0 <= offset < len(self.text):
            msg = (
                f"offset {offset!r} is outside document {self.name!r} "
                f"(0 <= offset < {len(self.text)})"
            )
            raise IndexError(msg)
        if not self.sentences:
            msg = f"document {self.name!r} has no sentences (all of it is masked)"
            raise IndexError(msg)
        k = bisect_right(self.sentences, offset, key=lambda s: s.start) - 1
        return self.sentences[max(k, 0)]

    def sentence_text(self, s: Sentence) -> str:
        """Return the text of sentence `s`, ``self.text[s.start:s.end]``."""
        return self.text[s.start : s.end]

    def page_at(self, offset: int) -> int | None:
        """Return the page (1-based) an offset lies on, or None for text without pages.

        Examples
        --------
        >>> doc = make_document("第一页。第二页。", name="a.pdf", pages=(0, 4), format="pdf")
        >>> doc.page_at(2), doc.page_at(5), document_from_text("无页。").page_at(1)
        (1, 2, None)
        """
        if not self.pages:
            return None
        return max(bisect_right(self.pages, offset), 1)


def make_document(
    text: str,
    *,
    name: str,
    path: str | None = None,
    encoding: str = "utf-8",
    pages: tuple[int, ...] = (),
    format: str = "txt",  # noqa: A002 - the word of the readers
) -> Document:
    """Build a :class:`Document` from text read by a reader: clean it, split its sentences.

    Parameters
    ----------
    text
        The text as read; every offset will index it.
    name, path, encoding, pages, format
        The :class:`Document` attributes of the same names.

    Returns
    -------
    Document
    """
    clean, n_masked = _clean(text)
    if n_masked:
        logger.debug("masked %d of %d characters in %r", n_masked, len(text), name)
    return Document(
        name=name,
        path=path,
        text=text,
        clean=clean,
        encoding=encoding,
        sentences=split_sentences(clean),
        pages=pages,
        format=format,
    )


def document_from_text(text: str, *, name: str = "<text>") -> Document:
    r"""Build a :class:`Document` from text already in memory.

    Parameters
    ----------
    text
        The document text; kept exactly as given.
    name
        What to call the document in outputs and messages.

    Returns
    -------
    Document
        With ``path=None`` and ``encoding="utf-8"``.

    Raises
    ------
    DocumentError
        If `text` is empty or only whitespace.

    Examples
    --------
    >>> doc = document_from_text("建设襄阳港。\n推进十堰机场")
    >>> [doc.sentence_text(s) for s in doc.sentences]
    ['建设襄阳港。', '推进十堰机场']
    """
    _check_not_empty(text, name)
    return make_document(text, name=name)


def _document(
    name: str, path: str | None, text: str, clean: str | None, encoding: str, starts: bytes,
    ends: bytes, pages: tuple[int, ...], format: str,  # noqa: A002 - the field's name
) -> Document:
    """Rebuild a pickled :class:`Document` (see ``Document.__reduce__``)."""
    sentences = tuple(map(Sentence, array("q", starts), array("q", ends)))
    return Document(name, path, text, text if clean is None else clean, encoding, sentences,
                    pages, format)
