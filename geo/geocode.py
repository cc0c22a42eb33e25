"""Project records → GeoDataFrames in EPSG:4326 with an IATI precision for every row.

How a project is drawn depends on its kind (:mod:`geo.projects`):

* **lines** (expressway, railway, corridor, a bridge joining two places, ...): a
  LineString through the seats of the places it joins, in text order, ``schematic=True``,
  precision 5 (*estimated*).  Places that only add hierarchy (湖北 beside 武汉) are left
  out of the drawing, not out of ``places``;
* **points** (port, airport, park, ...): the curated site of :mod:`geo.facilities` when
  there is one (precision 1 or 2), else the seat of the most specific place named last
  (precision 8, or 4 for a province);
* **areas** (metro circle, city cluster, ecological area): the dissolved boundaries of the
  members (precision 3, or 4 when a member is a province).

A record with no places keeps an empty geometry (``None``), precision 0 and a ``reason``.
Coordinates are rounded to 7 decimals (about 1 cm) and polygon outer rings are
counter-clockwise, so frames export to RFC 7946 GeoJSON as they are.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from .crs import CRS
from .facilities import FACILITIES, Facility
from .gazetteer import Gazetteer, load_gazetteer
from .kinds import AREA_KINDS, LINE_KINDS, ROUTE_KINDS
from .projects import Project, group_id
from .text import Document

__all__ = [
    "PRECISION_LABELS",
    "PROJECT_COLUMNS",
    "Placement",
    "empty_projects",
    "place",
    "to_frame",
]

log = logging.getLogger(__name__)

#: IATI GeographicalPrecision codes used here, with a readable label (0: not placed).
PRECISION_LABELS: dict[int, str] = {
    0: "unplaced",
    1: "exact site",
    2: "near (within 25 km)",
    3: "second-order admin unit",
    4: "first-order admin unit (province)",
    5: "estimated (schematic line between seats)",
    6: "country",
    8: "seat of an admin unit",
}

#: Columns of a projects frame, in order (``geometry`` last).
PROJECT_COLUMNS: tuple[str, ...] = (
    "id", "name", "kind", "status", "verb", "target_year", "plan_period", "places",
    "place_names", "doc", "start", "end", "page", "sentence", "sent_start", "docs", "sources",
    "precision", "precision_label", "schematic", "reason", "geometry",
)

_DECIMALS = 7
_FACILITY_BY_KEY: dict[str, Facility] = {f.key: f for f in FACILITIES}


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a project is drawn and how precisely."""

    geometry: BaseGeometry | None
    precision: int
    label: str
    schematic: bool
    reason: str = ""


def empty_projects() -> gpd.GeoDataFrame:
    """Return a projects frame with no rows but every column (EPSG:4326)."""
    data: dict[str, list] = {c: [] for c in PROJECT_COLUMNS if c != "geometry"}
    frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=CRS), crs=CRS)
    return _typed(frame)


def to_frame(
    records: Sequence[Project] | Sequence[Sequence[Project]],
    *,
    merged: bool = False,
    gazetteer: Gazetteer | None = None,
    documents: Mapping[str, Document] | None = None,
) -> gpd.GeoDataFrame:
    """Place project records and return them as a GeoDataFrame.

    Parameters
    ----------
    records
        Records (one feature each), or groups of records naming one project
        (:func:`geo.projects.merge_projects`); the first record of a group represents it
        and every record becomes one of its ``sources``.
    merged
        Give each feature the id of its group (:func:`geo.projects.group_id`) rather than
        that of its first record.
    gazetteer
        Gazetteer with seats and boundaries; the default one when omitted.
    documents
        The documents by name, for the ``page`` of records read from a PDF.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 (x = lon, y = lat), columns :data:`PROJECT_COLUMNS`; ``page`` is the
        PDF page of the name (1-based), null for documents without pages.
    """
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    groups: list[Sequence[Project]] = [
        [r] if isinstance(r, Project) else list(r) for r in records  # type: ignore[list-item]
    ]
    groups = [g for g in groups if g]
    if not groups:
        return empty_projects()
    rows: list[dict[str, object]] = []
    geoms: list[BaseGeometry | None] = []
    for group in groups:
        rep = group[0]
        where = place(rep, gaz)
        docs = list(dict.fromkeys(r.doc for r in group))

        def page(r: Project) -> int | None:
            doc = documents.get(r.doc) if documents is not None else None
            return doc.page_at(r.start) if doc is not None else None

        year = next((r.target_year for r in group if r.target_year), "")
        period = next((r.plan_period for r in group if r.plan_period), "")
        rows.append(
            {
                "id": group_id(group) if merged else rep.id,
                "name": rep.name,
                "kind": rep.kind,
                "status": rep.status,
                "verb": rep.verb,
                "target_year": rep.target_year or year,
                "plan_period": rep.plan_period or period,
                "places": ";".join(rep.places),
                "place_names": ";".join(gaz[c].name for c in rep.places if c in gaz),
                "doc": rep.doc,
                "start": rep.start,
                "end": rep.end,
                "page": page(rep),
                "sentence": rep.sentence,
                "sent_start": rep.sent_start,
                "docs": ";".join(docs),
                "sources": json.dumps(
                    [
                        {"doc": r.doc, "start": r.start, "end": r.end, "sentence": r.sentence}
                        | ({"page": page(r)} if page(r) is not None else {})
                        for r in group
                    ],
                    ensure_ascii=False,
                ),
                "precision": where.precision,
                "precision_label": where.label,
                "schematic": where.schematic,
                "reason": where.reason,
            }
        )
        geoms.append(where.geometry)
    frame = gpd.GeoDataFrame(rows, geometry=gpd.GeoSeries(geoms, crs=CRS), crs=CRS)
    return _typed(frame)


def place(project: Project, gazetteer: Gazetteer) -> Placement:
    """Decide the geometry of one project (pure: reads only the gazetteer).

    Parameters
    ----------
    project
        A record from :func:`geo.projects.extract_projects`.
    gazetteer
        Seats and boundaries (:meth:`geo.gazetteer.Gazetteer.boundary` caches them).

    Returns
    -------
    Placement
    """
    gaz = gazetteer
    codes = [c for c in project.places if c in gaz]
    if not codes:
        reason = project.reason or "no admin unit of the gazetteer is named"
        unknown = [c for c in project.places if c not in gaz]
        if unknown:
            reason = f"adcodes not in the gazetteer: {', '.join(unknown)}"
        return Placement(None, 0, PRECISION_LABELS[0], False, reason)
    kind = project.kind
    if kind in AREA_KINDS:
        return _area(codes, gaz)
    # a route kind drawn as a point (a bridge) is a line when it joins two places
    linear = kind in LINE_KINDS or project.line or (kind in ROUTE_KINDS and len(set(codes)) > 1)
    if linear:
        return _line(codes, gaz)
    return _point(project, codes, gaz)


# --------------------------------------------------------------------------- internals


def _specific(codes: Sequence[str], gaz: Gazetteer) -> list[str]:
    """Codes without those that are ancestors of another code in the list, in order."""
    out: list[str] = []
    for c in codes:
        if any(c in gaz.ancestors(o) for o in codes if o != c):
            continue
        if c not in out:
            out.append(c)
    return out


def _seat(adcode: str, gaz: Gazetteer) -> Point:
    u = gaz[adcode]
    return Point(u.lon, u.lat)  # x = lon, y = lat (WGS-84)


def _names(codes: Sequence[str], gaz: Gazetteer) -> str:
    return "、".join(gaz[c].name for c in codes)


def _seat_point(adcode: str, gaz: Gazetteer, what: str) -> Placement:
    unit = gaz[adcode]
    if unit.level == "province" and not unit.city_like:
        return Placement(
            _round(_seat(adcode, gaz)), 4,
            f"{PRECISION_LABELS[4]}: in {unit.name}, drawn at its seat{what}", False,
        )
    return Placement(
        _round(_seat(adcode, gaz)), 8, f"{PRECISION_LABELS[8]}: {unit.name}{what}", False
    )


def _line(codes: Sequence[str], gaz: Gazetteer) -> Placement:
    # every place a line names is a stop: 襄阳至南漳 runs from the city into its county
    stops = list(dict.fromkeys(codes))
    points: list[Point] = []
    for c in stops:
        p = _seat(c, gaz)
        if not points or not p.equals(points[-1]):
            points.append(p)
    if len(points) == 1:
        where = _seat_point(stops[0], gaz, " (the only place the line names)")
        return Placement(where.geometry, where.precision, where.label, True)
    label = f"{PRECISION_LABELS[5]}: through the seats of {_names(stops, gaz)}"
    return Placement(_round(LineString(points)), 5, label, True)


def _point(project: Project, codes: Sequence[str], gaz: Gazetteer) -> Placement:
    facility = _FACILITY_BY_KEY.get(project.site)
    if facility is not None and facility.lon is not None and facility.lat is not None:
        label = f"{PRECISION_LABELS[facility.precision]}: {facility.key} ({facility.source})"
        geom = Point(facility.lon, facility.lat)  # x = lon, y = lat (WGS-84)
        return Placement(_round(geom), facility.precision, label, False)
    if facility is not None and facility.adcode in gaz:
        unit = gaz[facility.adcode]
        label = (
            f"{PRECISION_LABELS[facility.precision]}: {facility.key}, at the seat of "
            f"{unit.name} ({facility.source})"
        )
        return Placement(_round(_seat(facility.adcode, gaz)), facility.precision, label, False)
    stops = _specific(codes, gaz)
    # the place named nearest the type word locates the facility (武汉…天门生物产业园)
    return _seat_point(stops[-1], gaz, "")


def _boundary(adcode: str, gaz: Gazetteer) -> BaseGeometry | None:
    try:
        return gaz.boundary(adcode)
    except KeyError:
        return None


def _area(codes: Sequence[str], gaz: Gazetteer) -> Placement:
    # a member whose parent is a member too adds nothing to the union
    members = [c for c in dict.fromkeys(codes) if not any(a in codes for a in gaz.ancestors(c))]
    parts = [_boundary(c, gaz) for c in members]
    missing = [c for c, g in zip(members, parts, strict=True) if g is None]
    if missing:
        return Placement(None, 0, PRECISION_LABELS[0], False,
                         f"no boundary for adcodes {', '.join(missing)}")
    geom = shapely.union_all([g for g in parts if g is not None])
    geom = shapely.make_valid(geom)
    if geom.geom_type == "GeometryCollection":
        polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        geom = shapely.union_all(polys)
    province = any(gaz[c].level == "province" for c in members)
    code = 4 if province else 3
    if len(members) == 1:
        label = (
            f"{PRECISION_LABELS[code]}: boundary of {gaz[members[0]].name} "
            f"(named by one place; no member list)"
        )
    else:
        label = f"{PRECISION_LABELS[code]}: dissolved boundaries of {_names(members, gaz)}"
    return Placement(_orient(_round(geom)), code, label, False)


def _round(geom: BaseGeometry) -> BaseGeometry:
    """Coordinates to 7 decimals (~1 cm), the most RFC 7946 output keeps."""
    return shapely.transform(geom, lambda xy: np.round(xy, _DECIMALS))


def _orient(geom: BaseGeometry) -> BaseGeometry:
    """Counter-clockwise outer rings, clockwise holes (RFC 7946 §3.1.6)."""
    return shapely.orient_polygons(geom, exterior_cw=False)


def _typed(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame[list(PROJECT_COLUMNS)].copy()
    for c in ("start", "end", "sent_start", "precision"):
        out[c] = out[c].astype("int64")
    out["schematic"] = out["schematic"].astype(bool)
    out["page"] = out["page"].astype("Int64")  # null where the document has no pages
    for c in PROJECT_COLUMNS:
        if c not in ("start", "end", "page", "sent_start", "precision", "schematic", "geometry"):
            out[c] = out[c].astype("str")  # pandas' default text dtype, as readers return it
    return out.reset_index(drop=True)
