"""Build the atlas of a set of plan documents: places, projects, areas and the tie graph.

:func:`extract` reads the projects of some files, one feature per mention (what
``planatlas extract`` writes).  :func:`build` reads every document, merges the records that
name the same project across documents into one feature listing all its sources, counts
the places mentioned, and caches the result under :func:`geo.gazetteer.cache_dir` keyed by
a hash of the document bytes and of the code, so a second build of unchanged documents
only unpickles.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import pickle
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import Point

from ._errors import DocumentError
from .crs import CRS
from .documents import DocumentMetadata, Jurisdiction, document_metadata
from .extraction import _code_key, extract_document, extractor_version
from .gazetteer import Gazetteer, cache_dir, load_gazetteer
from .geocode import place_groups, projects_frame, to_frame
from .mentions import Mention
from .parallel import Aside, beside
from .projects import Project, group_id, merge_projects
from .readers import document_from_bytes, read_document
from .seeds import seed_manifest, seed_paths
from .text import Document
from .townships import load_townships

if TYPE_CHECKING:  # imported where frames and graphs are made: placing needs none of them
    import geopandas as gpd
    import networkx as nx

    from .ties.text import StatedTies

__all__ = [
    "Atlas",
    "PLACE_COLUMNS",
    "assemble",
    "build",
    "document_jurisdictions",
    "documents_metadata",
    "extract",
    "extract_document",
    "extractor_version",
    "read_documents",
]

log = logging.getLogger(__name__)


#: Columns of the places frame, in order (``geometry`` last).
PLACE_COLUMNS = ("adcode", "name", "level", "parent", "mentions", "docs", "geometry")

_CACHE_FILES_KEPT = 16


@dataclass(frozen=True)
class Atlas:
    """What a set of plans says will be built, and where.

    Attributes
    ----------
    places
        Every admin unit mentioned: a Point at its seat (EPSG:4326), with ``adcode``,
        ``name``, ``level``, ``parent`` (``""`` if none), ``mentions`` (count) and ``docs``
        (``;``-joined).
    projects
        One row per project, merged across documents; columns
        :data:`geo.geocode.PROJECT_COLUMNS`; unplaced projects have an empty geometry and
        a ``reason``.
    graph
        City ties (``networkx.Graph``, ``G.graph["crs"] == "EPSG:4326"``).
    documents
        Names of the documents read, in order.
    report
        ``projects`` (count), ``by_kind``, ``placed``, ``unplaced`` (count),
        ``unplaced_items`` (``name``, ``doc``, ``start``, ``reason``), ``places``,
        ``documents``.
    """

    places: gpd.GeoDataFrame
    projects: gpd.GeoDataFrame
    graph: nx.Graph
    documents: tuple[str, ...]
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def areas(self) -> gpd.GeoDataFrame:
        """The projects drawn as polygons (metro circles, clusters, ecological areas)."""
        gtype = self.projects.geometry.geom_type
        return self.projects[gtype.isin(["Polygon", "MultiPolygon"])].copy()

    @classmethod
    def _graph_to_come(
        cls,
        places: gpd.GeoDataFrame,
        projects: gpd.GeoDataFrame,
        graph: Aside[nx.Graph],
        documents: tuple[str, ...],
        report: dict[str, Any],
    ) -> Atlas:
        """Make an atlas whose tie graph is still being made: ``graph`` waits for it.

        What :func:`assemble` returns while a forked process makes the graph, so that the
        caller can write the projects meanwhile; every other use is as for any atlas.
        """
        atlas = cls.__new__(cls)
        atlas.__dict__.update(places=places, projects=projects, documents=documents,
                              report=report, _graph_to_come=graph)
        return atlas

    def __getattr__(self, name: str) -> Any:
        # only for what is not set: the graph of an atlas made by _graph_to_come
        coming = self.__dict__.get("_graph_to_come")
        if name != "graph" or coming is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        graph = self.__dict__["graph"] = coming.next()  # the atlas is frozen but for this
        del self.__dict__["_graph_to_come"]
        coming.close()
        return graph

    def __getstate__(self) -> dict[str, Any]:
        # thousands of projects placed in their document's jurisdiction share a few hundred
        # polygons: pickle each shape once (a corpus atlas: 84 MB -> a tenth, 4x faster)
        self.graph  # noqa: B018 - the graph still to come is part of the state
        state = dict(self.__dict__)
        state["projects"] = _SharedGeometry.of(self.projects)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        projects = state["projects"]
        if isinstance(projects, _SharedGeometry):
            state = {**state, "projects": projects.frame()}
        self.__dict__.update(state)


@dataclass(frozen=True)
class _SharedGeometry:
    """A GeoDataFrame pickled with each distinct geometry object once."""

    table: Any  # the frame without its geometry column (a pandas DataFrame)
    columns: list[str]
    name: str
    crs: Any
    shapes: list[bytes | None]
    index: list[int]

    @classmethod
    def of(cls, gdf: gpd.GeoDataFrame) -> _SharedGeometry:
        slots: dict[int, int] = {}
        shapes: list[bytes | None] = []
        index: list[int] = []
        for geom in gdf.geometry.array:
            slot = slots.get(id(geom))
            if slot is None:
                slot = slots[id(geom)] = len(shapes)
                shapes.append(None if geom is None else shapely.to_wkb(geom))
            index.append(slot)
        import pandas as pd

        name = gdf.geometry.name
        table = pd.DataFrame(gdf.drop(columns=[name]))
        return cls(table, list(gdf.columns), name, gdf.crs, shapes, index)

    def frame(self) -> gpd.GeoDataFrame:
        import geopandas as gpd

        made = shapely.from_wkb(self.shapes)
        geoms = made[self.index] if len(self.index) else made[:0]
        frame = self.table.copy()
        frame[self.name] = gpd.GeoSeries(geoms, index=self.table.index, crs=self.crs)
        return gpd.GeoDataFrame(frame[self.columns], geometry=self.name, crs=self.crs)


# --------------------------------------------------------------------------- public


def read_documents(
    paths: Iterable[str | os.PathLike[str]] = (),
    extra_documents: Iterable[Document | tuple[str, bytes]] = (),
) -> list[Document]:
    """Read documents from files and from memory (uploads: ``(name, bytes)`` pairs).

    Raises
    ------
    DocumentError
        If a file is missing, empty, binary or undecodable.
    """
    docs = [read_document(p) for p in paths]
    for extra in extra_documents:
        if isinstance(extra, Document):
            docs.append(extra)
        elif isinstance(extra, tuple) and len(extra) == 2:
            name, data = extra
            docs.append(document_from_bytes(bytes(data), name=str(name)))
        else:
            msg = (
                f"extra_documents item {extra!r} is neither a Document nor a (name, bytes) "
                "pair; pass geo.readers.document_from_bytes(data, name=...) or (name, data)"
            )
            raise DocumentError(msg)
    return docs


def extract(
    paths: Iterable[str | os.PathLike[str]],
    *,
    gazetteer: Gazetteer | None = None,
    metadata: Mapping[str, Mapping[str, object]] | None = None,
) -> gpd.GeoDataFrame:
    """Projects of the given files, one feature per mention (no merging).

    Parameters
    ----------
    paths
        Plain-text plan documents.
    gazetteer
        The default gazetteer when omitted.
    metadata
        What the user knows of each document, by file name (``title``, ``jurisdiction``,
        ``date``, ``kind``; :func:`geo.documents.document_metadata`); it wins over what is
        inferred. A project naming no place lies in its document's jurisdiction.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`geo.geocode.PROJECT_COLUMNS`, EPSG:4326; each feature keeps the
        ``start``/``end`` of its own mention.

    Raises
    ------
    DocumentError
        If a file cannot be read.
    """
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    records: list[Project] = []
    docs = read_documents(paths)
    found: dict[str, list[Mention]] = {}
    for doc in docs:
        mentions, doc_records = extract_document(doc, gazetteer=gaz)
        found[doc.name] = mentions
        records.extend(doc_records)
    return to_frame(
        records,
        merged=False,
        gazetteer=gaz,
        documents={d.name: d for d in docs},
        jurisdictions=document_jurisdictions(docs, found, gazetteer=gaz, metadata=metadata),
    )


def document_jurisdictions(
    docs: Sequence[Document],
    mentions: Mapping[str, Sequence[Mention]],
    *,
    gazetteer: Gazetteer | None = None,
    metadata: Mapping[str, Mapping[str, object]] | None = None,
) -> dict[str, Jurisdiction | None]:
    """Return the jurisdiction of each document, by name (see :mod:`geo.documents`).

    Metadata given for a document (`metadata`, else the seed manifest for a seed document)
    wins over what is inferred from its title, file name and mentions.
    """
    return {
        name: meta.jurisdiction
        for name, meta in documents_metadata(
            docs, mentions, gazetteer=gazetteer, metadata=metadata
        ).items()
    }


def documents_metadata(
    docs: Sequence[Document],
    mentions: Mapping[str, Sequence[Mention]],
    *,
    gazetteer: Gazetteer | None = None,
    metadata: Mapping[str, Mapping[str, object]] | None = None,
) -> dict[str, DocumentMetadata]:
    """Return the metadata of each document, by name: given, else inferred."""
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    seeds = _seed_metadata()
    out: dict[str, DocumentMetadata] = {}
    for doc in docs:
        given = (metadata or {}).get(doc.name) or seeds.get(doc.name)
        out[doc.name] = document_metadata(
            doc, mentions.get(doc.name, ()), gazetteer=gaz, given=given
        )
        log.debug("document %s: %s", doc.name, out[doc.name])
    return out


def _seed_metadata() -> dict[str, Mapping[str, object]]:
    """Return the seed manifest's entries (seed file names carry a content hash: no clash)."""
    try:
        manifest = seed_manifest()
    except DocumentError as exc:  # no manifest: every document's metadata is inferred
        log.warning("seed manifest unreadable (%s); inferring seed metadata", exc)
        return {}
    return {k: v for k, v in manifest.items() if isinstance(v, Mapping)}


def build(
    paths: Iterable[str | os.PathLike[str]] | None = None,
    *,
    extra_documents: Iterable[Document | tuple[str, bytes]] = (),
    cache: bool | str | os.PathLike[str] = True,
    gazetteer: Gazetteer | None = None,
    jobs: int | None = 1,
    scheduler: str | None = None,
    metadata: Mapping[str, Mapping[str, object]] | None = None,
) -> Atlas:
    """Build the atlas of some documents (the bundled seeds by default).

    Parameters
    ----------
    paths
        Plain-text plan documents; the seeds (:func:`geo.seeds.seed_paths`) when None (and no
        ``extra_documents``).
    extra_documents
        Documents already in memory: :class:`geo.text.Document` objects or
        ``(name, bytes)`` pairs (uploads).
    cache
        True to cache under ``cache_dir()/atlas``, a directory to cache there, False to
        build without a cache.
    gazetteer
        The default gazetteer when omitted.
    jobs, scheduler
        Where the documents are extracted (:func:`geo.parallel.extract_all`).
    metadata
        What the user knows of each document, by name (see :func:`extract`).

    Returns
    -------
    Atlas

    Raises
    ------
    DocumentError
        If a document cannot be read, or there is no document at all.
    """
    extra = list(extra_documents)
    if paths is None:
        paths = [] if extra else seed_paths()
    docs = read_documents(list(paths), extra)
    if not docs:
        msg = "no document to build an atlas from; pass plan .txt files or extra_documents"
        raise DocumentError(msg)
    folder = _cache_folder(cache)
    key = _cache_key(docs, metadata) if folder is not None else ""
    if folder is not None:
        hit = _load(folder / f"{key}.pickle")
        if hit is not None:
            log.info("atlas: cache hit %s", key[:12])
            return hit
    t0 = time.perf_counter()
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    if jobs == 1 and scheduler is None:
        atlas = _build(docs, gaz, metadata)
    else:
        from .parallel import extract_all

        found = extract_all(docs, jobs=jobs, scheduler=scheduler)
        atlas = assemble(docs, found, gazetteer=gaz, metadata=metadata)
    log.info("atlas: %d documents built in %.2fs", len(docs), time.perf_counter() - t0)
    if folder is not None:
        _store(folder, key, atlas)
    return atlas


# --------------------------------------------------------------------------- internals


def _build(
    docs: Sequence[Document],
    gaz: Gazetteer,
    metadata: Mapping[str, Mapping[str, object]] | None = None,
) -> Atlas:
    found = [extract_document(doc, gazetteer=gaz) for doc in docs]
    return assemble(docs, found, gazetteer=gaz, metadata=metadata)


def assemble(
    docs: Sequence[Document],
    found: Sequence[tuple[Sequence[Mention], Sequence[Project]]],
    *,
    gazetteer: Gazetteer | None = None,
    metadata: Mapping[str, Mapping[str, object]] | None = None,
    stated: Mapping[str, StatedTies] | None = None,
    previous: Atlas | None = None,
    jobs: int | None = 1,
    graph_later: bool = False,
) -> Atlas:
    """Make the atlas of documents from what :func:`extract_document` found in each.

    Records naming one project across documents merge into one feature; places are
    counted; the tie graph is built from the typed records.

    Parameters
    ----------
    docs
        The documents, each with a distinct name.
    found
        ``(mentions, records)`` of each document, in the order of `docs`.
    gazetteer
        The default gazetteer when omitted.
    metadata
        What the user knows of each document, by name (see :func:`extract`): a project
        naming no place lies in its document's jurisdiction.
    stated
        The ties each document states, by name, when stored with its records
        (:func:`geo.ties.text.document_ties`); the others are read from the text.
    previous
        The atlas of the first of these documents, with the same metadata and extractor,
        when the others were added since (the library knows): a project no added document
        names keeps its row, and only the others are placed again.
    jobs
        With more than one, a forked process places most of the projects and then builds
        the tie graph (:func:`geo.parallel.beside`), while this one imports pandas and
        geopandas, places the others and makes the frames; the atlas is the same.
    graph_later
        Return before the tie graph is made: the atlas's ``graph`` waits for it when it is
        first read (a caller writes the projects meanwhile).

    Returns
    -------
    Atlas
    """
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    mentions: dict[str, list[Mention]] = {}
    records: list[Project] = []
    for doc, (doc_mentions, doc_records) in zip(docs, found, strict=True):
        mentions[doc.name] = mentions.get(doc.name, []) + list(doc_mentions)
        records.extend(doc_records)
    metas = documents_metadata(docs, mentions, gazetteer=gaz, metadata=metadata)
    regions = {name: _region(m.jurisdiction, gaz) for name, m in metas.items()}
    groups = merge_projects(records, gaz, regions=regions)
    ids = [group_id(g) for g in groups] if previous is not None else []
    fresh = _fresh(groups, ids, previous)
    placing = functools.partial(
        place_groups,
        merged=True,
        gazetteer=gaz,
        documents={d.name: d for d in docs},
        jurisdictions={name: m.jurisdiction for name, m in metas.items()},
        dates={name: m.date or m.year for name, m in metas.items()},
    )
    # with more than one job, a forked process places most of the projects, then makes
    # the tie graph; meanwhile this one imports pandas and geopandas, places the others,
    # makes the frames and (the library) writes the projects of the GeoPackage
    to_place = [groups[i] for i in fresh]
    split = round(len(to_place) * _PLACED_BESIDE)
    load_townships(gaz)  # read (or built, the first time) once, here: not in both processes
    work = beside(_place_and_tie, placing, to_place[:split], docs, mentions, groups, gaz,
                  stated, jobs=jobs)
    try:
        import geopandas  # noqa: F401 - imported here, while the projects are placed beside

        rows, geoms = placing(to_place[split:])
        beside_rows, beside_geoms = work.next()
        projects = _projects_frame(
            ids, fresh, projects_frame(beside_rows + rows, beside_geoms + geoms), previous
        )
    except BaseException:
        work.close(cancel=True)  # the child's work is no use now
        raise
    places = _places_frame(docs, mentions, gaz)
    names = tuple(dict.fromkeys(d.name for d in docs))
    report = _report(projects, places, names)
    report["jurisdictions"] = {
        name: {"adcode": j.adcode, "name": j.name, "level": j.level, "found": j.found}
        for name, m in metas.items()
        if (j := m.jurisdiction) is not None
    }
    report["by_precision"] = {
        int(k): int(v) for k, v in projects["precision"].value_counts().sort_index().items()
    }
    atlas = Atlas._graph_to_come(places, projects, work, names, report)
    if not graph_later:
        atlas.graph  # noqa: B018 - made (or received) now
    return atlas


#: The share of the projects a forked process places (see :func:`assemble`): the caller
#: imports pandas and geopandas first (a quarter of a second), then places the others.
#: Both place slower than one process alone (the first touch of each page of records
#: copies it); over the corpus on two cores, builds with shares of 0.57 to 0.9 differed by
#: less than their noise, and 0.7 had the lowest median.
_PLACED_BESIDE = 0.7


def _place_and_tie(
    placing: Callable[[Sequence[Sequence[Project]]], Any],
    groups: Sequence[Sequence[Project]],
    docs: Sequence[Document],
    mentions: Mapping[str, Sequence[Mention]],
    every_group: Sequence[Sequence[Project]],
    gaz: Gazetteer,
    stated: Mapping[str, StatedTies] | None,
) -> Iterator[Any]:
    """Yield the placed `groups` (rows and geometries), then the tie graph of all."""
    yield placing(groups)
    from .ties import build_graph

    yield build_graph(docs, mentions, every_group, gazetteer=gaz, stated=stated)


def _region(jurisdiction: Jurisdiction | None, gaz: Gazetteer) -> str:
    """Return the adcode of the prefecture holding a jurisdiction, else of its province.

    ``""`` for an unknown jurisdiction, ``country`` for the whole country: where a project
    named without a place is one project (see :func:`geo.projects.merge_projects`).
    """
    if jurisdiction is None:
        return ""
    if jurisdiction.level == "country" or jurisdiction.adcode not in gaz:
        return "country"
    chain = (jurisdiction.adcode, *gaz.ancestors(jurisdiction.adcode))
    return next((c for c in chain if gaz[c].level == "prefecture"), chain[-1])


def _fresh(
    groups: Sequence[Sequence[Project]], ids: Sequence[str], previous: Atlas | None
) -> list[int]:
    """Return the indices of the groups to place (all of them without `previous`).

    Those are the groups `previous` has no row for, and those a document added since
    names: a row depends on its group's records and their documents' metadata alone, so a
    group of the previous atlas that gained no record is placed as it was.
    """
    if previous is None or not len(previous.projects):
        return list(range(len(groups)))
    known = set(previous.documents)
    where = set(previous.projects["id"])
    return [
        i for i, (g, pid) in enumerate(zip(groups, ids, strict=True))
        if pid not in where or any(r.doc not in known for r in g)
    ]


def _projects_frame(
    ids: Sequence[str],
    fresh: Sequence[int],
    placed: gpd.GeoDataFrame,
    previous: Atlas | None,
) -> gpd.GeoDataFrame:
    """Return the groups' rows: `placed` for the `fresh` ones, the others from `previous`."""
    import pandas as pd

    if previous is None or len(fresh) == len(ids):  # fresh is all without a previous
        return placed
    old = previous.projects
    where = {pid: i for i, pid in enumerate(old["id"])}
    chosen = set(fresh)
    kept = [i for i in range(len(ids)) if i not in chosen]
    frame = old.iloc[[where[ids[i]] for i in kept]]
    if len(fresh):
        frame = pd.concat([frame, placed], ignore_index=True)
        frame = frame.iloc[np.argsort(np.array(kept + list(fresh)), kind="stable")]
    log.info("atlas: %d of %d projects placed again", len(fresh), len(ids))
    return frame.reset_index(drop=True)


def _places_frame(
    docs: Sequence[Document], mentions: dict[str, list[Mention]], gaz: Gazetteer
) -> gpd.GeoDataFrame:
    counts: Counter[str] = Counter()
    where: dict[str, list[str]] = {}
    for doc in docs:
        for m in mentions.get(doc.name, []):
            for u in m.units:
                counts[u.adcode] += 1
                seen = where.setdefault(u.adcode, [])
                if doc.name not in seen:
                    seen.append(doc.name)
    codes = sorted(counts)
    rows = [
        {
            "adcode": c,
            "name": gaz[c].name,
            "level": gaz[c].level,
            "parent": gaz[c].parent or "",
            "mentions": counts[c],
            "docs": ";".join(where[c]),
        }
        for c in codes
    ]
    seats = [Point(round(gaz[c].lon, 7), round(gaz[c].lat, 7)) for c in codes]  # x=lon, y=lat
    import geopandas as gpd

    frame = gpd.GeoDataFrame(
        rows or {c: [] for c in PLACE_COLUMNS[:-1]},
        geometry=gpd.GeoSeries(seats, crs=CRS),
        crs=CRS,
    )
    frame["mentions"] = frame["mentions"].astype("int64")
    for c in ("adcode", "name", "level", "parent", "docs"):
        frame[c] = frame[c].astype("str")
    return frame[list(PLACE_COLUMNS)]


def _report(
    projects: gpd.GeoDataFrame, places: gpd.GeoDataFrame, documents: Sequence[str]
) -> dict[str, Any]:
    unplaced = projects[projects["reason"] != ""]
    return {
        "documents": len(documents),
        "places": len(places),
        "projects": len(projects),
        "by_kind": {k: int(v) for k, v in projects["kind"].value_counts().sort_index().items()},
        "placed": len(projects) - len(unplaced),
        "unplaced": len(unplaced),
        "unplaced_items": [
            {"name": r.name, "doc": r.doc, "start": int(r.start), "reason": r.reason}
            for r in unplaced.itertuples()
        ],
    }


def _cache_folder(cache: bool | str | os.PathLike[str]) -> Path | None:
    if cache is False:
        return None
    if cache is True:
        return cache_dir() / "atlas"
    return Path(cache)


def _cache_key(
    docs: Sequence[Document], metadata: Mapping[str, Mapping[str, object]] | None = None
) -> str:
    h = hashlib.sha256(_code_key().encode())
    if metadata:
        h.update(json.dumps(metadata, sort_keys=True, ensure_ascii=False, default=str).encode())
    for doc in docs:
        h.update(json.dumps([doc.name, len(doc.text)]).encode())
        h.update(doc.text.encode("utf-8"))
    return h.hexdigest()


def _load(path: Path) -> Atlas | None:
    if not path.exists():
        return None
    try:
        with open(path, "rb") as fh:
            atlas = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        log.warning("atlas cache %s unreadable (%s); building again", path, exc)
        return None
    if not isinstance(atlas, Atlas):
        log.warning("atlas cache %s holds %s, not an Atlas; building again", path, type(atlas))
        return None
    return atlas


def _store(folder: Path, key: str, atlas: Atlas) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f"{key}.pickle.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            pickle.dump(atlas, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{key}.pickle")
        old = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[_CACHE_FILES_KEPT:]:
            stale.unlink(missing_ok=True)
    except OSError as exc:  # a read-only cache is not a failed build
        log.warning("atlas cache not written to %s: %s", folder, exc)
