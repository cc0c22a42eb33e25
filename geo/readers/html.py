"""Web pages saved from government sites: the main text, without navigation or scripts.

The main text is found by trafilatura (an established boilerplate remover): menus,
footers, share buttons, scripts and styles are left out, tables are kept. Nothing in the
page runs; only its text is kept.
"""

from __future__ import annotations

import logging

from .._errors import DocumentError

__all__ = ["html_text", "looks_like_html"]

log = logging.getLogger(__name__)

_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta")
# Less main text than this is a page of links and buttons, not a plan.
_MIN_CHARS = 20


def looks_like_html(data: bytes) -> bool:
    """Whether the bytes start like an HTML page (after a BOM and blank space)."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    return head.startswith(_MARKERS)


def html_text(data: bytes, *, name: str) -> str:
    """Return the main text of an HTML page.

    Raises
    ------
    DocumentError
        If no main text is found (a page of navigation only, or not HTML).
    """
    import trafilatura

    # trafilatura logs every page it finds too short at WARNING: that is our error to say
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    text = trafilatura.extract(
        data,
        output_format="txt",
        include_tables=True,
        include_comments=False,
        include_links=False,
        include_images=False,
        favor_precision=True,  # a menu line read as text would be read as places too
    )
    if not text or len(text.strip()) < _MIN_CHARS:
        msg = f"{name!r} is an HTML page with no main text found (navigation or scripts only)"
        raise DocumentError(msg)
    return text
