"""Read plan documents of every format a planner gets: plain text, PDF, Word and web pages.

One entry point per source: :func:`read_document` for a file, :func:`document_from_bytes`
for bytes in memory (an upload). The format is told by the bytes (a PDF or ZIP signature,
an HTML prologue) and the file name's suffix; each format has its reader:

``txt``
    UTF-8 (with or without BOM), GB18030/GBK or UTF-16 (:func:`geo.text.decode_bytes`);
``pdf``
    the text layer of every page, with the page where each offset lies
    (:mod:`geo.readers.pdf`);
``docx``
    paragraphs and tables in order (:mod:`geo.readers.docx`);
``html``
    the main text without navigation, footers and scripts (:mod:`geo.readers.html`).

Offsets always index the text read (:attr:`geo.text.Document.text`), so
``text[start:end]`` is what a mention or project names. Every failure is one
:class:`geo._errors.DocumentError` that says what is wrong and what to do.
"""

from __future__ import annotations

import os
from pathlib import Path

from .._errors import DocumentError
from ..text import Document, decode_bytes, make_document
from .docx import docx_text
from .html import html_text, looks_like_html
from .pdf import pdf_text

__all__ = ["FORMATS", "SUFFIXES", "document_from_bytes", "format_of_bytes", "read_document"]

#: The formats read, and the file suffixes that name them.
FORMATS: tuple[str, ...] = ("txt", "pdf", "docx", "html")
SUFFIXES: dict[str, str] = {
    ".txt": "txt", ".text": "txt", ".md": "txt", ".pdf": "pdf", ".docx": "docx",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
}


def format_of_bytes(data: bytes, *, name: str) -> str:
    """Tell the format of a document from its bytes, then from its name's suffix.

    Examples
    --------
    >>> format_of_bytes(b"%PDF-1.7 ...", name="plan"), format_of_bytes(b"<html>", name="a")
    ('pdf', 'html')
    >>> format_of_bytes("襄阳".encode(), name="plan.docx")
    'docx'
    """
    if data.startswith(b"%PDF-"):
        return "pdf"
    suffix = Path(name).suffix.lower()
    if data.startswith(b"PK\x03\x04") or suffix == ".docx":
        return "docx"
    if suffix in (".pdf",):
        return "pdf"
    if SUFFIXES.get(suffix) == "html" or looks_like_html(data):
        return "html"
    return "txt"


def document_from_bytes(data: bytes, *, name: str, path: str | None = None) -> Document:
    """Read a document of any format from its bytes (an upload, a file read elsewhere).

    Parameters
    ----------
    data
        The raw bytes.
    name
        The file name, reported as ``doc`` in outputs and used in messages.
    path
        Where the bytes were read from, if anywhere.

    Returns
    -------
    Document
        With :attr:`~geo.text.Document.format` set and, for a PDF,
        :attr:`~geo.text.Document.pages`.

    Raises
    ------
    DocumentError
        If the bytes are empty, or cannot be read as their format.

    Examples
    --------
    >>> document_from_bytes("襄阳".encode("gbk"), name="plan.txt").encoding
    'gb18030'
    """
    shown = path or name
    fmt = format_of_bytes(data, name=name)
    if fmt == "txt":
        text, encoding = decode_bytes(data, name=shown)
        return make_document(text, name=name, path=path, encoding=encoding)
    pages: tuple[int, ...] = ()
    if fmt == "pdf":
        text, pages = pdf_text(data, name=shown)
    elif fmt == "docx":
        text = docx_text(data, name=shown)
    else:
        text = html_text(data, name=shown)
    if not text.strip():
        raise DocumentError(f"{shown!r} holds no text: nothing to read")
    return make_document(text, name=name, path=path, encoding="utf-8", pages=pages, format=fmt)


def read_document(path: str | os.PathLike[str]) -> Document:
    """Read a plan document from a file of any format (:data:`FORMATS`).

    Parameters
    ----------
    path
        A ``.txt``, ``.pdf``, ``.docx`` or ``.html`` file (the format is told by its bytes
        first, its suffix second).

    Returns
    -------
    Document
        Named after the file's basename.

    Raises
    ------
    DocumentError
        If the file is missing, a directory, unreadable, empty, or cannot be read as its
        format.
    """
    p = Path(path)
    shown = str(p)
    if not p.exists():
        msg = f"document {shown!r} does not exist; check the path"
        raise DocumentError(msg)
    if p.is_dir():
        msg = f"{shown!r} is a directory, not a document; pass the files inside it"
        raise DocumentError(msg)
    try:
        data = p.read_bytes()
    except OSError as exc:
        msg = f"cannot read {shown!r}: {exc.strerror}; check that the file is readable"
        raise DocumentError(msg) from exc
    return document_from_bytes(data, name=p.name, path=shown)
