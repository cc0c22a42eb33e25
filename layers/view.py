"""What the app shows: the atlas filtered by the sidebar's choices.

:func:`select` is pure (atlas and :class:`Selection` in, a new :class:`View` out) so the app
and its tests get exactly the same frames; the map layers, the table and the downloads are
all made from one ``View``, which is how a download matches what is drawn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import geopandas as gpd
import networkx as nx
import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo.circles import Circle, circle_rows, find_circle, in_circle, split_codes
from geo.kinds import STATUS_IDS
from layers._geojson import has_geometry
from layers.styles import KIND_ORDER
from layers.ties import LEVELS, readable_ties, ties_frame

__all__ = [
    "AtlasLike",
    "Selection",
    "View",
    "circle_options",
    "city_options",
    "counts",
    "years",
    "document_options",
    "focus_on_documents",
    "focus_on_project",
    "kind_options",
    "select",
    "status_options",
    "table",
]

Bounds = tuple[float, float, float, float]  # (min lon, min lat, max lon, max lat)

TABLE_COLUMNS = {
    "name": "名称 name",
    "kind": "类型 kind",
    "status": "状态 status",
    "target_year": "目标年 target",
    "place_names": "地点 places",
    "precision_label": "定位 precision",
    "doc": "文件 document",
    "id": "id",
}


class AtlasLike(Protocol):
    """What :func:`select` needs of ``geo.atlas.Atlas``."""

    places: gpd.GeoDataFrame
    projects: gpd.GeoDataFrame
    graph: nx.Graph


@dataclass(frozen=True)
class Selection:
    """The sidebar's choices; ``None`` means "no filter" for the set-valued ones.

    Parameters
    ----------
    documents
        Document names whose projects, places and ties are shown.
    kinds
        Kinds of project shown.
    statuses
        Statuses shown.
    circle
        ``id`` of a circle project (:func:`geo.circles.circle_rows`): keep the projects,
        places and ties that lie in it (:func:`geo.circles.in_circle`).
    city
        Adcode of a place: keep its projects (and those of the units under it) and its
        strongest ties.
    ties
        Whether the tie layer is drawn (a chosen city's ties are always drawn).
    top_ties
        How many of a city's strongest ties are shown.
    max_ties
        At most this many ties are drawn (the strongest); every tie travels with every
        rerun, and hundreds of weak co-membership ties hide the strong ones anyway.
    search
        Keep the projects whose name contains this text (case-insensitive; blank: all).
    tie_level
        Which network the drawn ties belong to (:data:`layers.ties.LEVELS`): both ends
        prefectures (the default), prefectures and counties, or provinces. The GraphML
        download holds every level.
    co_membership
        Also draw the ties that only a shared area makes (a cluster's members), in a
        layer of their own; off by default.
    """

    documents: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    statuses: frozenset[str] | None = None
    circle: str | None = None
    city: str | None = None
    ties: bool = False
    top_ties: int = 10
    max_ties: int | None = 250
    search: str = ""
    tie_level: str = "prefecture"
    co_membership: bool = False


@dataclass(frozen=True)
class View:
    """Frames of one selection; new objects, safe to hand to layer builders.

    ``ties`` are the ties drawn (none unless asked for, at most ``max_ties``); ``graph``
    holds every tie the filters keep, drawn or not, with its places: what a GraphML
    download of the selection holds.
    """

    projects: gpd.GeoDataFrame
    unplaced: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    ties: gpd.GeoDataFrame
    graph: nx.Graph
    focus: Bounds | None = None
    city_ties: gpd.GeoDataFrame | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    circle: Circle | None = None  # the chosen circle, to outline
    picked: str | None = None  # a project picked in the table: the map zooms to it


def _split(value: Any) -> set[str]:
    return set(split_codes(value))


def _any_in(series: pd.Series, wanted: frozenset[str]) -> pd.Series:
    return series.map(lambda value: bool(_split(value) & wanted)).astype(bool)


def document_options(atlas: AtlasLike) -> list[str]:
    """Every document of the atlas (and any named by a project or place), sorted."""
    docs: set[str] = set(getattr(atlas, "documents", ()) or ())
    for value in atlas.projects["docs"]:
        docs |= _split(value)
    for value in atlas.places["docs"]:
        docs |= _split(value)
    return sorted(docs)


def kind_options(atlas: AtlasLike) -> list[str]:
    """Kinds present in the atlas, in draw order."""
    present = set(atlas.projects["kind"])
    return [k for k in KIND_ORDER if k in present] + sorted(present - set(KIND_ORDER))


def status_options(atlas: AtlasLike) -> list[str]:
    """Statuses present in the atlas."""
    present = set(atlas.projects["status"])
    return [s for s in STATUS_IDS if s in present] + sorted(present - set(STATUS_IDS))


def circle_options(atlas: AtlasLike) -> dict[str, str]:
    """``id → name`` of the circles (:func:`geo.circles.circle_rows`), by name."""
    rows = circle_rows(atlas.projects).sort_values("name", kind="stable")
    return dict(zip(rows["id"].astype(str), rows["name"].astype(str), strict=True))


def city_options(atlas: AtlasLike) -> dict[str, str]:
    """``adcode → "name (adcode)"`` of prefectures and counties, most mentioned first."""
    places = atlas.places[atlas.places["level"].isin(["prefecture", "county"])]
    places = places.sort_values(["mentions", "adcode"], ascending=[False, True], kind="stable")
    return {
        str(code): f"{name} ({code})"
        for code, name in zip(places["adcode"], places["name"], strict=True)
    }


def _descendants(places: pd.DataFrame, adcode: str) -> set[str]:
    children: dict[str, list[str]] = {}
    for code, parent in zip(places["adcode"], places["parent"], strict=True):
        children.setdefault(str(parent), []).append(str(code))
    found, todo = {adcode}, [adcode]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _bounds(geometries: Iterable[BaseGeometry], *, pad: float = 0.0) -> Bounds | None:
    series = gpd.GeoSeries([g for g in geometries if g is not None and not g.is_empty])
    if series.empty:
        return None
    minx, miny, maxx, maxy = series.total_bounds
    return (float(minx - pad), float(miny - pad), float(maxx + pad), float(maxy + pad))


def select(atlas: AtlasLike, selection: Selection, *, ties: gpd.GeoDataFrame | None = None) -> View:
    """Filter the atlas.

    Parameters
    ----------
    atlas
        A ``geo.atlas.Atlas`` (or anything with its ``places``, ``projects``, ``graph``).
    selection
        The filters.
    ties
        ``layers.ties.ties_frame(atlas.graph)``, when the caller has it cached.

    Returns
    -------
    View
        ``projects`` are the placed projects that pass every filter, ``unplaced`` those
        that pass but have no geometry; ``focus`` is where the map should zoom (a chosen
        circle or city), in lon/lat.

    Raises
    ------
    geo._errors.SelectionError
        For a ``circle`` that is not a circle of the atlas.
    KeyError
        For a ``city`` that is not in the atlas.
    """
    projects = atlas.projects
    places = atlas.places
    tie_frame = ties_frame(atlas.graph) if ties is None else ties
    keep = pd.Series(True, index=projects.index)
    keep_places = pd.Series(True, index=places.index)
    keep_ties = pd.Series(True, index=tie_frame.index)
    focus: Bounds | None = None
    notes: list[str] = []
    outline: Circle | None = None

    if selection.documents is not None:
        keep &= _any_in(projects["docs"], selection.documents)
        keep_places &= _any_in(places["docs"], selection.documents)
        keep_ties &= _any_in(tie_frame["docs"], selection.documents)
    if selection.kinds is not None:
        keep &= projects["kind"].isin(selection.kinds)
    if selection.statuses is not None:
        keep &= projects["status"].isin(selection.statuses)
    if selection.search.strip():
        needle = selection.search.strip().lower()
        keep &= projects["name"].astype(str).str.lower().str.contains(needle, regex=False)
    if selection.kinds is not None or selection.statuses is not None:
        # A tie evidenced by projects stays while one of them passes the kind and
        # status filters; a tie with no project behind it (a cooperation clause) stays.
        passing = frozenset(projects.loc[keep, "id"].astype(str))
        evidenced = tie_frame["projects"].fillna("").astype(str) != ""
        keep_ties &= ~evidenced | _any_in(tie_frame["projects"], passing)
    if selection.circle is not None:
        circle = outline = find_circle(projects, selection.circle)
        keep &= in_circle(projects, circle)
        keep_places &= in_circle(places, circle, column="adcode")
        keep_ties &= in_circle(tie_frame, circle, column="u") & in_circle(
            tie_frame, circle, column="v"
        )
        focus = _bounds([circle.geometry])

    # every tie the filters keep, drawn or not: what the GraphML download holds
    filtered = keep_ties.copy()
    city_ties = None
    if selection.city is not None:
        city = str(selection.city)
        match = places[places["adcode"].astype(str) == city]
        if match.empty:
            raise KeyError(f"city={selection.city!r} is not an adcode of this atlas")
        members = _descendants(places, city)
        keep &= projects["places"].map(lambda value: bool(_split(value) & members)).astype(bool)
        incident = tie_frame["u"].isin(members) | tie_frame["v"].isin(members)
        filtered &= incident
        city_ties = (
            tie_frame[keep_ties & incident]
            .sort_values("weight", ascending=False, kind="stable")
            .head(selection.top_ties)
        )
        neighbours = set(city_ties["u"]) | set(city_ties["v"]) | members
        keep_places &= places["adcode"].astype(str).isin(neighbours)
        keep_ties = pd.Series(tie_frame.index.isin(city_ties.index), index=tie_frame.index)
        city_point = match.geometry.iloc[0]
        # Zoom to the city, its ties and its sites and routes; areas that merely
        # contain it (a whole city cluster) would zoom out to half the country.
        local = projects[keep]
        local = local[~local.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
        focus = _bounds([city_point, *local.geometry, *city_ties.geometry], pad=0.15)
    elif not selection.ties:
        keep_ties[:] = False
    else:
        keep_ties &= _readable(tie_frame, selection, atlas.graph)
    if (
        selection.city is None
        and selection.ties
        and selection.max_ties is not None
        and int(keep_ties.sum()) > selection.max_ties
    ):
        strongest = (
            tie_frame[keep_ties]
            .sort_values(_weight_column(tie_frame), ascending=False, kind="stable")
            .head(selection.max_ties)
        )
        notes.append(f"showing the {selection.max_ties} strongest of {int(keep_ties.sum())} ties")
        keep_ties = pd.Series(tie_frame.index.isin(strongest.index), index=tie_frame.index)

    chosen = projects[keep]
    empty = ~has_geometry(chosen.geometry)
    shown_ties = tie_frame[keep_ties].copy()
    if "readable_weight" not in shown_ties:
        shown_ties = readable_ties(shown_ties, atlas.graph)
    kept = tie_frame[filtered]
    graph = atlas.graph.edge_subgraph(
        [(u, v) for u, v in zip(kept["u"], kept["v"], strict=True)]
    ).copy()
    graph.graph.update(atlas.graph.graph)
    return View(
        projects=chosen[~empty].copy(),
        unplaced=chosen[empty].copy(),
        places=places[keep_places].copy(),
        ties=shown_ties,
        graph=graph,
        focus=focus,
        city_ties=None if city_ties is None else city_ties.copy(),
        notes=tuple(notes),
        circle=outline,
    )


def _weight_column(ties: pd.DataFrame) -> str:
    return "readable_weight" if "readable_weight" in ties else "weight"


def _readable(ties: gpd.GeoDataFrame, selection: Selection, graph: nx.Graph) -> pd.Series:
    """Ties of the chosen network, without co-membership-only ties unless asked for."""
    if selection.tie_level not in LEVELS:
        raise ValueError(
            f"tie_level={selection.tie_level!r} is not one of {sorted(LEVELS)}"
        )
    frame = ties if "u_level" in ties else readable_ties(ties, graph)
    wanted = LEVELS[selection.tie_level]
    keep = frame["u_level"].isin(wanted) & frame["v_level"].isin(wanted)
    if not selection.co_membership:
        keep &= ~frame["co_membership_only"].astype(bool)
    return pd.Series(keep.to_numpy(), index=ties.index)


def focus_on_documents(view: View, documents: Iterable[str]) -> View:
    """Return `view` zoomed to what the given documents name (e.g. a document just added).

    The view is unchanged when they name nothing drawn.
    """
    wanted = frozenset(documents)
    mine = view.projects[_any_in(view.projects["docs"], wanted)]
    bounds = _bounds(mine.geometry, pad=0.15)
    return view if bounds is None else replace(view, focus=bounds)


def focus_on_project(view: View, project: str) -> View:
    """Return `view` zoomed to one of its projects (a row picked in the table).

    A point gets a neighbourhood of about 20 km; the view is unchanged when the project is
    not drawn.
    """
    rows = view.projects[view.projects["id"].astype(str) == str(project)]
    bounds = _bounds(rows.geometry, pad=0.1)
    return view if bounds is None else replace(view, focus=bounds, picked=str(project))


def counts(projects: gpd.GeoDataFrame, column: str, labels: Any) -> pd.Series:
    """Projects per value of `column` (kind, status), labelled, largest first."""
    values = projects[column].astype(str).map(labels)
    return values.value_counts().rename("projects")


def years(projects: gpd.GeoDataFrame) -> pd.Series:
    """Projects per target year (a year, or the last of a range), in year order.

    Examples
    --------
    >>> frame = pd.DataFrame({"target_year": ["2025", "", "2023–2025", "2030"]})
    >>> years(frame).to_dict()
    {'2025': 2, '2030': 1}
    """
    last = projects["target_year"].astype(str).str.extract(r"(\d{4})\D*$")[0].dropna()
    return last.value_counts().sort_index().rename("projects")


def table(projects: gpd.GeoDataFrame) -> pd.DataFrame:
    """Turn projects into a plain table for ``st.dataframe`` (no geometry, readable headers)."""
    columns = [c for c in TABLE_COLUMNS if c in projects.columns]
    frame = pd.DataFrame(projects[columns]).rename(columns=TABLE_COLUMNS)
    return frame.reset_index(drop=True)
