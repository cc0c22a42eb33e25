"""Documents handed over in memory (the app's uploads): read each, keep what fails apart.

Examples
--------
>>> read = read_uploads([("plan.txt", "襄阳市推进汉十高铁建设。".encode("gb18030")),
...                      ("scan.txt", b"")])
>>> [doc.name for doc in read.documents], [name for name, _ in read.errors]
(['plan.txt'], ['scan.txt'])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ._errors import DocumentError
from .readers import document_from_bytes
from .text import Document

__all__ = ["Upload", "ReadUploads", "read_uploads"]

#: An uploaded file: its name and its bytes.
Upload = tuple[str, bytes]


@dataclass(frozen=True)
class ReadUploads:
    """What :func:`read_uploads` made of some uploads.

    Attributes
    ----------
    documents
        The documents read, in the order given.
    errors
        ``(file name, reason)`` of each upload that could not be read, in the order given.
    """

    documents: tuple[Document, ...]
    errors: tuple[tuple[str, str], ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the documents read."""
        return tuple(doc.name for doc in self.documents)


def read_uploads(uploads: Iterable[Upload]) -> ReadUploads:
    """Read uploaded files as documents; one that cannot be read does not stop the rest.

    Parameters
    ----------
    uploads
        ``(file name, bytes)`` pairs: plain text in UTF-8 (with or without a byte-order
        mark) or GB18030/GBK.

    Returns
    -------
    ReadUploads
        The documents, and for every empty, binary or undecodable file its name with the
        reason from :class:`geo._errors.DocumentError`.
    """
    documents: list[Document] = []
    errors: list[tuple[str, str]] = []
    for name, data in uploads:
        try:
            documents.append(document_from_bytes(data, name=name))
        except DocumentError as exc:
            errors.append((name, str(exc)))
    return ReadUploads(tuple(documents), tuple(errors))
