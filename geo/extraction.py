"""The per-document work and its version: what a document yields on its own.

:func:`extract_document` reads one document's place mentions and project records. The
result depends on the document and on the extractor alone, so the library stores it by
the document's content hash and :func:`extractor_version`, and a process pool or a Dask
cluster (:mod:`geo.parallel`) can run it anywhere. This module imports no geometry stack:
adding a document and listing the library stay quick to start.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from . import __version__
from .gazetteer import Gazetteer, _source_key, load_gazetteer
from .mentions import Mention, find_mentions
from .projects import Project, extract_projects
from .text import Document

__all__ = ["extract_document", "extractor_version"]


def extract_document(
    doc: Document, *, gazetteer: Gazetteer | None = None
) -> tuple[list[Mention], list[Project]]:
    """Read the place mentions and project records of one document: the per-document work.

    What :func:`geo.atlas.build` and :mod:`geo.library` do for every document, in one
    process, a process pool or on a Dask cluster (:mod:`geo.parallel`); the results depend
    on the document alone, so they can be cached by its content.

    Parameters
    ----------
    doc
        A document (:mod:`geo.readers`).
    gazetteer
        The default gazetteer when omitted.

    Returns
    -------
    tuple[list[Mention], list[Project]]
        Mentions and project records in text order.
    """
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    mentions = find_mentions(doc.text, clean=doc.clean, sentences=doc.sentences, gazetteer=gaz)
    return mentions, extract_projects(doc, mentions=mentions, gazetteer=gaz)


def extractor_version() -> str:
    """Return a hash of the code and data that decide what is extracted from a document.

    A cache keyed by it (the atlas cache, the library's per-document records) is read
    again by the same code only: a change of the extractor extracts everything once more.
    """
    return _code_key()


@functools.lru_cache(maxsize=1)
def _code_key() -> str:
    """Hash of the code and data files that decide what an atlas holds (all of ``geo``)."""
    h = hashlib.sha256(f"{__version__}\x1f{_source_key()}".encode())
    here = Path(__file__).resolve().parent
    for path in sorted(here.rglob("*")):
        if path.is_file() and (path.suffix == ".py" or "data" in path.relative_to(here).parts):
            h.update(path.relative_to(here).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()
