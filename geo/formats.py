"""The file formats planatlas writes, told by a file's suffix, and where it may write.

Apart from :mod:`geo.export` so that a command can check its output before it imports
pandas and geopandas to build what it writes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from ._errors import ExportError

__all__ = ["FORMATS", "Format", "check_target", "format_of"]

Format = Literal["geojson", "gpkg", "csv", "graphml"]
FORMATS: tuple[str, ...] = ("geojson", "gpkg", "csv", "graphml")

_SUFFIX_FORMAT: dict[str, Format] = {
    ".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".csv": "csv",
    ".graphml": "graphml",
}


def format_of(path: str | os.PathLike[str], *, formats: Iterable[str] = FORMATS) -> Format:
    """Return the format a file's suffix names, among `formats`.

    Parameters
    ----------
    path
        The output file.
    formats
        The formats the caller can write.

    Returns
    -------
    str
        ``"geojson"`` (``.geojson``, ``.json``), ``"gpkg"``, ``"csv"`` or ``"graphml"``.

    Raises
    ------
    ExportError
        If the suffix names none of `formats`; the message lists the suffixes that do.

    Examples
    --------
    >>> format_of("out/Projects.GPKG")
    'gpkg'
    >>> format_of("projects.txt", formats=("geojson", "csv"))
    Traceback (most recent call last):
    ...
    geo._errors.ExportError: cannot tell what to write to 'projects.txt': it has suffix '.txt'; ...
    """
    allowed = tuple(formats)
    target = Path(path)
    fmt = _SUFFIX_FORMAT.get(target.suffix.lower())
    if fmt is None or fmt not in allowed:
        suffix = f"suffix {target.suffix!r}" if target.suffix else "no suffix"
        names = ", ".join(k for k, v in _SUFFIX_FORMAT.items() if v in allowed)
        msg = (
            f"cannot tell what to write to {str(target)!r}: it has {suffix}; "
            f"name it with one of {names}"
        )
        raise ExportError(msg)
    return fmt


def check_target(path: str | os.PathLike[str]) -> None:
    """Refuse, before any work, a path that cannot take a file.

    Raises
    ------
    ExportError
        If its folder is missing or is a file, or the path is a folder.
    """
    target = Path(path)
    if not target.parent.exists():
        msg = f"folder {str(target.parent)!r} does not exist; create it first"
        raise ExportError(msg)
    if not target.parent.is_dir():
        msg = f"cannot write {str(target)!r}: {str(target.parent)!r} is a file, not a folder"
        raise ExportError(msg)
    if target.is_dir():
        msg = f"cannot write {str(target)!r}: it is a folder; pass a file name"
        raise ExportError(msg)
