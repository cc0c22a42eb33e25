"""PDF documents: the text layer of every page, with page numbers.

The text is what :mod:`pypdf` extracts, page after page; a line that wraps inside a
paragraph (it runs to the width of the page's longest lines and does not end a sentence)
is joined to the next, since Chinese text has no space at a wrap and a newline would end
a sentence. Offsets index this extracted text; :attr:`geo.text.Document.pages` holds the
offset where each page starts.
"""

from __future__ import annotations

import io
import logging

from .._errors import DocumentError

__all__ = ["pdf_text"]

log = logging.getLogger(__name__)

_SENTENCE_ENDS = frozenset("。！？；!?;：:”’」』）)】》")
# A line at least this share of the page's longest lines runs to the margin: a wrap.
_FULL_LINE = 0.8
# A shorter line is a title or a heading, never a wrap (a full line of body text on a page
# of A4 holds some 30 to 40 Chinese characters).
_MIN_WRAP = 20
# Pages with fewer visible characters than this, over the whole file, mean no text layer.
_MIN_CHARS = 1


def _unwrap(page: str) -> str:
    """Join the lines of one page that wrap inside a paragraph."""
    lines = page.splitlines()
    if len(lines) < 2:
        return page.strip("\n")
    widths = sorted(len(line.strip()) for line in lines)
    full = widths[int(0.9 * (len(widths) - 1))]  # the width of a full line, not a title
    out: list[str] = []
    for line in lines:
        text = line.rstrip()
        if (
            out
            and out[-1]
            and out[-1][-1] not in _SENTENCE_ENDS
            and len(out[-1].strip()) >= max(_FULL_LINE * full, _MIN_WRAP)
            and text.strip()
        ):
            out[-1] += text.lstrip()
        else:
            out.append(text)
    return "\n".join(out)


def pdf_text(data: bytes, *, name: str) -> tuple[str, tuple[int, ...]]:
    """Return the text of a PDF and the offset where each page starts.

    Parameters
    ----------
    data
        The bytes of the file.
    name
        What to call it in messages.

    Returns
    -------
    tuple[str, tuple[int, ...]]
        The text (pages joined by a newline) and, per page, the offset of its first
        character: page ``k`` (1-based) starts at ``pages[k - 1]``.

    Raises
    ------
    DocumentError
        "not a PDF" for bytes that are not one or are broken (truncated), "encrypted" for
        a PDF that needs a password, "no text layer: run OCR first" for a scanned one.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    # pypdf logs what it repairs (a missing EOF marker) at WARNING: a broken file is our
    # error to report, once; a readable one needs no word
    logging.getLogger("pypdf").setLevel(logging.ERROR)

    if not data.startswith(b"%PDF-"):
        raise DocumentError(f"{name!r} is not a PDF: it does not start with %PDF-")
    broken = (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError)
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except broken as exc:
        msg = f"{name!r} is not a PDF that can be read (broken or truncated: {exc})"
        raise DocumentError(msg) from exc
    if encrypted:
        try:
            opened = bool(reader.decrypt(""))  # a PDF with an owner password only opens
        except broken:
            opened = False
        if not opened:
            msg = f"{name!r} is encrypted: save an unprotected copy and add that"
            raise DocumentError(msg)
    try:
        texts = [_unwrap(page.extract_text() or "") for page in reader.pages]
    except broken as exc:
        msg = f"{name!r} is not a PDF that can be read (broken or truncated: {exc})"
        raise DocumentError(msg) from exc
    if sum(len(t.strip()) for t in texts) < _MIN_CHARS:
        msg = f"{name!r} has no text layer: run OCR first (e.g. ocrmypdf), then add the result"
        raise DocumentError(msg)
    starts, parts, offset = [], [], 0
    for text in texts:
        starts.append(offset)
        parts.append(text)
        offset += len(text) + 1  # the newline that joins two pages
    log.debug("%s: %d pages, %d characters", name, len(texts), offset)
    return "\n".join(parts), tuple(starts)
