"""The file formats planatlas writes, told by a file's suffix.

Apart from :mod:`geo.export` so that a command can check its output's name before it
imports pandas and geopandas to build what it writes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from ._errors import ExportError

__all__ = ["FORMATS", "Format", "format_of"]

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
