"""Save an atlas to one file and open it again, with the boundaries to draw under it.

The Streamlit app maps the seeds by default; given ``PLANATLAS_ATLAS=/path/to/file`` it
opens a file written by :func:`save_atlas` instead (a hand-made atlas for tests and demos,
or one built once from a large library and kept). The file is a pickle of plain parts —
GeoDataFrames, a ``networkx`` graph, lists and dicts, never a class of the caller — so it
opens wherever planatlas is installed.

Unpickling runs code chosen by whoever wrote the file: open only files you wrote yourself.

Examples
--------
>>> import tempfile, types, geopandas as gpd, networkx as nx
>>> from shapely.geometry import Point
>>> mine = types.SimpleNamespace(
...     places=gpd.GeoDataFrame({"adcode": ["420600"], "name": ["襄阳市"]},
...                             geometry=[Point(112.144, 32.042)], crs="EPSG:4326"),  # lon, lat
...     projects=gpd.GeoDataFrame({"id": []}, geometry=[], crs="EPSG:4326"),
...     graph=nx.Graph(crs="EPSG:4326"), documents=("a.txt",), report={"documents": 1})
>>> with tempfile.TemporaryDirectory() as folder:
...     saved = load_atlas(save_atlas(mine, f"{folder}/demo.atlas"))
>>> saved.atlas.places["name"].tolist(), saved.atlas.documents, saved.boundaries
(['襄阳市'], ('a.txt',), {})
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import geopandas as gpd
import networkx as nx

from ._errors import DocumentError

if TYPE_CHECKING:
    from .atlas import Atlas

__all__ = ["ATLAS_ENV", "FORMAT", "AtlasParts", "SavedAtlas", "load_atlas", "save_atlas"]

log = logging.getLogger(__name__)

#: Environment variable naming a saved atlas for the app to open instead of the seeds.
ATLAS_ENV = "PLANATLAS_ATLAS"
#: Marker and version of the file format; a file of another version is refused.
FORMAT = ("planatlas-atlas", 1)


class AtlasParts(Protocol):
    """What :func:`save_atlas` keeps of an atlas (``geo.atlas.Atlas`` has all of it)."""

    @property
    def places(self) -> gpd.GeoDataFrame: ...  # noqa: D102

    @property
    def projects(self) -> gpd.GeoDataFrame: ...  # noqa: D102

    @property
    def graph(self) -> nx.Graph: ...  # noqa: D102

    @property
    def documents(self) -> Sequence[str]: ...  # noqa: D102

    @property
    def report(self) -> Mapping[str, Any]: ...  # noqa: D102


@dataclass(frozen=True)
class SavedAtlas:
    """An atlas opened from a file, with the boundaries saved beside it.

    Attributes
    ----------
    atlas
        A :class:`geo.atlas.Atlas` holding the saved frames, graph, documents and report.
    boundaries
        Admin boundaries by level (``"province"``, ``"county"``...) to draw under the
        atlas; empty when none were saved (draw the gazetteer's).
    """

    atlas: Atlas
    boundaries: Mapping[str, gpd.GeoDataFrame] = field(default_factory=dict)

    def boundary(self, level: str) -> gpd.GeoDataFrame:
        """Return the saved boundaries of one level (a new frame).

        Raises
        ------
        DocumentError
            If no boundaries of ``level`` were saved (naming the levels that were).
        """
        if level not in self.boundaries:
            msg = (
                f"no boundaries of level {level!r} were saved with this atlas (saved: "
                f"{sorted(self.boundaries)!r}); pass them to save_atlas(boundaries=...)"
            )
            raise DocumentError(msg)
        return self.boundaries[level].copy()


def save_atlas(
    atlas: AtlasParts,
    path: str | os.PathLike[str],
    *,
    boundaries: Mapping[str, gpd.GeoDataFrame] | None = None,
) -> Path:
    """Write an atlas, and optionally the boundaries to draw under it, to one file.

    Parameters
    ----------
    atlas
        A :class:`geo.atlas.Atlas`, or any object with the same ``places``, ``projects``,
        ``graph``, ``documents`` and ``report``.
    path
        The file to write (replaced atomically if it exists).
    boundaries
        Level name -> GeoDataFrame of boundaries with ``adcode`` and ``name`` columns,
        for ``province`` and ``county`` at least when the app should draw them.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    DocumentError
        If a part has the wrong type (naming it), or the file cannot be written.
    """
    parts: dict[str, Any] = {
        "format": FORMAT,
        "places": _frame(atlas.places, "atlas.places"),
        "projects": _frame(atlas.projects, "atlas.projects"),
        "graph": atlas.graph,
        "documents": tuple(str(d) for d in atlas.documents),
        "report": dict(atlas.report),
        "boundaries": {
            str(level): _frame(frame, f"boundaries[{level!r}]")
            for level, frame in (boundaries or {}).items()
        },
    }
    if not isinstance(parts["graph"], nx.Graph):
        msg = (
            f"atlas.graph is a {type(atlas.graph).__name__}, not a networkx graph; "
            "save an atlas built by geo.atlas.build"
        )
        raise DocumentError(msg)
    target = Path(path)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            pickle.dump(parts, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        msg = f"cannot write the atlas to {str(target)!r}: {exc}; check the folder exists"
        raise DocumentError(msg) from exc
    log.info("atlas saved to %s", target)
    return target


def load_atlas(path: str | os.PathLike[str]) -> SavedAtlas:
    """Open a file written by :func:`save_atlas`.

    Parameters
    ----------
    path
        The saved atlas; only open a file you wrote yourself (it is a pickle).

    Returns
    -------
    SavedAtlas

    Raises
    ------
    DocumentError
        If the file is missing, unreadable, or not a saved atlas of this format version.
    """
    from .atlas import Atlas  # the atlas module loads the gazetteer machinery: only here

    source = Path(path)
    shown = str(source)
    try:
        with open(source, "rb") as fh:
            parts = pickle.load(fh)
    except FileNotFoundError as exc:
        msg = f"saved atlas {shown!r} does not exist; write it with geo.saved.save_atlas"
        raise DocumentError(msg) from exc
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        msg = (
            f"{shown!r} cannot be opened as a saved atlas ({type(exc).__name__}: {exc}); "
            "write it again with geo.saved.save_atlas"
        )
        raise DocumentError(msg) from exc
    found = parts.get("format") if isinstance(parts, dict) else None
    if found != FORMAT:
        msg = (
            f"{shown!r} is not a saved atlas of format {FORMAT!r} (found {found!r}); "
            "write it again with geo.saved.save_atlas"
        )
        raise DocumentError(msg)
    atlas = Atlas(
        places=parts["places"],
        projects=parts["projects"],
        graph=parts["graph"],
        documents=tuple(parts["documents"]),
        report=dict(parts["report"]),
    )
    return SavedAtlas(atlas=atlas, boundaries=dict(parts["boundaries"]))


def _frame(value: object, what: str) -> gpd.GeoDataFrame:
    if not isinstance(value, gpd.GeoDataFrame):
        msg = f"{what} is a {type(value).__name__}, not a GeoDataFrame; pass a GeoDataFrame"
        raise DocumentError(msg)
    if value.crs is None:
        msg = f"{what} has no CRS; set it (frame.set_crs('EPSG:4326')) before saving"
        raise DocumentError(msg)
    return value
