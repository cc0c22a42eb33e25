"""Word documents (.docx): paragraphs and tables, in the order they stand.

A paragraph is a line; a table row is a line whose cells are joined by a tab, so a
project list keeps each project with its description. The file is a ZIP archive: its
declared sizes are checked before anything is unpacked, so a zip bomb is refused.
"""

from __future__ import annotations

import io
import zipfile

from .._errors import DocumentError

__all__ = ["docx_text"]

# A plan of a thousand pages is a few MB of XML: far more than this is not a plan.
_MAX_UNPACKED = 200 * 2**20
# Office XML compresses about 10:1; a member that expands far more is built to explode.
_MAX_RATIO = 200
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_archive(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        msg = f"{name!r} is not a Word document (.docx): it is not a ZIP archive"
        raise DocumentError(msg) from exc
    if not any(m.filename == "word/document.xml" for m in members):
        msg = f"{name!r} is a ZIP archive but not a Word document: it has no word/document.xml"
        raise DocumentError(msg)
    total = sum(m.file_size for m in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if total > _MAX_UNPACKED or ratio > _MAX_RATIO:
        msg = (
            f"{name!r} would unpack to {total / 2**20:.0f} MB (ratio {ratio:.0f}:1), more than "
            "a Word document holds; it is refused as a zip bomb"
        )
        raise DocumentError(msg)


def docx_text(data: bytes, *, name: str) -> str:
    """Return the text of a .docx file: paragraphs and table rows, one per line.

    Raises
    ------
    DocumentError
        If the bytes are not a ZIP archive, not a Word document, or a zip bomb.
    """
    _check_archive(data, name)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        msg = f"{name!r} is not a Word document that can be read: {exc}"
        raise DocumentError(msg) from exc
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        if block.tag == f"{_W}p":
            lines.append(_paragraph(block))
        elif block.tag == f"{_W}tbl":
            for row in block.iter(f"{_W}tr"):
                cells = [
                    "".join(_paragraph(p) for p in cell.iter(f"{_W}p"))
                    for cell in row.iter(f"{_W}tc")
                ]
                lines.append("\t".join(c.strip() for c in cells))
    return "\n".join(lines)


def _paragraph(p: object) -> str:
    """Return the text of one ``w:p`` element: its runs' text, tabs and breaks."""
    out: list[str] = []
    for node in p.iter():  # type: ignore[attr-defined]
        if node.tag == f"{_W}t" and node.text:
            out.append(node.text)
        elif node.tag == f"{_W}tab":
            out.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
    return "".join(out)
