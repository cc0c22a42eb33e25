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

A record that names no admin unit is placed, in this order, by

* a **national trunk route** it names (京港澳高速, G4, 京广高铁, 西气东输): a schematic line
  through the route's control cities (precision 5, "G4 control cities"), cut to the section
  its name gives (湖北段, 粤境段; 武汉至黄石段 when the ends are named);
* an **approved circle or city cluster** it names (南京都市圈, 长三角城市群): the dissolved
  boundaries of the members of the approved plan ("members from the approved plan"),
  also when the sentence names only the units in the circle's name (南京);
* a **town** its name holds (:mod:`geo.townships`: 阳逻港, 横琴, 乌镇) when the context
  picks one: the boundary of the town's county, precision 3 ("town 阳逻街道, 新洲区 …");
* the **jurisdiction of its document** (:mod:`geo.documents`): the boundary of the unit
  that issued the plan, precision 3 or 4 ("within the issuing jurisdiction: 宝安区").

A project that names a foreign place (泰国林查班港, 东盟) is never placed in China, and one
in a document issued for the whole country is not drawn over all of it. What is left keeps
an empty geometry (``None``), precision 0 and a ``reason``.
Coordinates are rounded to 7 decimals (about 1 cm) and polygon outer rings are
counter-clockwise, so frames export to RFC 7946 GeoJSON as they are.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from ._data import load_table
from .crs import CRS
from .documents import Jurisdiction
from .facilities import FACILITIES, Facility
from .gazetteer import Gazetteer, load_gazetteer
from .kinds import AREA_KINDS, LINE_KINDS, ROUTE_KINDS
from .projects import Project, group_id
from .routes import KnownCircle, RouteMatch, find_circle, find_foreign, find_route
from .text import Document
from .townships import TownMatch, find_town

if TYPE_CHECKING:  # geopandas is imported where a frame is made: placing needs none
    import geopandas as gpd

__all__ = [
    "IN_TOWN",
    "WITHIN_JURISDICTION",
    "PRECISION_LABELS",
    "PROJECT_COLUMNS",
    "Placement",
    "empty_projects",
    "place",
    "place_groups",
    "projects_frame",
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
    return projects_frame([], [])


def to_frame(
    records: Sequence[Project] | Sequence[Sequence[Project]],
    *,
    merged: bool = False,
    gazetteer: Gazetteer | None = None,
    documents: Mapping[str, Document] | None = None,
    jurisdictions: Mapping[str, Jurisdiction | None] | None = None,
    dates: Mapping[str, str] | None = None,
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
    jurisdictions
        The jurisdiction of each document by name (:func:`geo.documents.document_metadata`):
        where a project that names no place of its own lies. A group of records from
        documents of several jurisdictions lies in the most specific unit holding them all.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326 (x = lon, y = lat), columns :data:`PROJECT_COLUMNS`; ``page`` is the
        PDF page of the name (1-based), null for documents without pages.
    """
    groups: list[Sequence[Project]] = [
        [r] if isinstance(r, Project) else list(r) for r in records  # type: ignore[list-item]
    ]
    rows, geoms = place_groups(
        [g for g in groups if g], merged=merged, gazetteer=gazetteer, documents=documents,
        jurisdictions=jurisdictions, dates=dates,
    )
    return projects_frame(rows, geoms)


def place_groups(
    groups: Sequence[Sequence[Project]],
    *,
    merged: bool = False,
    gazetteer: Gazetteer | None = None,
    documents: Mapping[str, Document] | None = None,
    jurisdictions: Mapping[str, Jurisdiction | None] | None = None,
    dates: Mapping[str, str] | None = None,
) -> tuple[list[dict[str, object]], list[BaseGeometry | None]]:
    """Place groups of records: the rows of :func:`to_frame` and their geometries.

    What :func:`to_frame` does but making the frame (:func:`projects_frame`): it needs
    no pandas, so that a process can place while another imports it.
    """
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    rows: list[dict[str, object]] = []
    geoms: list[BaseGeometry | None] = []
    for group in groups:
        rep = group[0]
        jurisdiction, apart = _common_jurisdiction(group, jurisdictions, gaz)
        where = place(rep, gaz, jurisdiction=jurisdiction)
        if apart and where.label.endswith(_UNIQUE_TOWN):
            # documents of several provinces name it: a town found by its name alone, with
            # no jurisdiction to check it against, is too weak (古贤 of 汤阴县 for 古贤水利枢纽)
            where = Placement(None, 0, PRECISION_LABELS[0], False)
        if apart and where.geometry is None and not where.reason.startswith("names a foreign"):
            where = Placement(None, 0, where.label, False, f"{rep.reason or _NO_UNIT}; {apart}")
        docs = list(dict.fromkeys(r.doc for r in group))
        # the sources in the order of their documents' dates (undated last), each with its
        # own status: the project's history, 谋划 (2021 plan) → 开工 (2023 report)
        dated = sorted(group, key=lambda r: _date_key((dates or {}).get(r.doc, "")))
        latest = max(group, key=lambda r: _date_key((dates or {}).get(r.doc, ""), undated=""))

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
                "status": latest.status,
                "verb": latest.verb,
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
                        {"doc": r.doc, "start": r.start, "end": r.end, "sentence": r.sentence,
                         "status": r.status, "verb": r.verb, "date": (dates or {}).get(r.doc, "")}
                        | ({"page": page(r)} if page(r) is not None else {})
                        for r in dated
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
    return rows, geoms


def projects_frame(
    rows: Sequence[Mapping[str, object]], geoms: Sequence[BaseGeometry | None]
) -> gpd.GeoDataFrame:
    """Make the projects frame of rows and geometries placed by :func:`place_groups`."""
    import geopandas as gpd

    if not rows:
        data: dict[str, list] = {c: [] for c in PROJECT_COLUMNS if c != "geometry"}
        frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=CRS), crs=CRS)
    else:
        frame = gpd.GeoDataFrame(list(rows), geometry=gpd.GeoSeries(list(geoms), crs=CRS), crs=CRS)
    return _typed(frame)


def _date_key(date: str, *, undated: str = "9999") -> str:
    """Sort key of a document date (``2023``, ``2023-05-13``): undated sorts last by default."""
    return date or undated


def place(
    project: Project, gazetteer: Gazetteer, *, jurisdiction: Jurisdiction | None = None
) -> Placement:
    """Decide the geometry of one project (pure: reads only the gazetteer and curated tables).

    Parameters
    ----------
    project
        A record from :func:`geo.projects.extract_projects`.
    gazetteer
        Seats and boundaries (:meth:`geo.gazetteer.Gazetteer.boundary` caches them).
    jurisdiction
        The jurisdiction of the project's document: where it lies when it names no place
        of its own, no national route, no approved circle and no town; it also picks a
        town among towns of the same name.

    Returns
    -------
    Placement
    """
    gaz = gazetteer
    codes = [c for c in project.places if c in gaz]
    kind = project.kind
    route = find_route(project.name, kind) if kind in LINE_KINDS | {"water"} else None
    circle = find_circle(project.name) if kind in AREA_KINDS else None
    if codes:
        if circle is not None and _only_core(codes, circle, gaz):
            return _circle_area(circle, gaz)
        if route is not None:
            section = _route_section(route, project.name, codes, gaz)
            if section is not None:
                return section
        return _named(project, codes, gaz)
    unknown = [c for c in project.places if c not in gaz]
    if unknown:
        reason = f"adcodes not in the gazetteer: {', '.join(unknown)}"
        return Placement(None, 0, PRECISION_LABELS[0], False, reason)
    foreign = _foreign_name(project)
    if foreign:
        reason = f"names a foreign place ({foreign}): not placed in China"
        return Placement(None, 0, PRECISION_LABELS[0], False, reason)
    if route is not None:
        return _route_line(route, project.name, gaz, jurisdiction)
    if circle is not None:
        return _circle_area(circle, gaz)
    town = _town(project, gaz, jurisdiction)
    if town is not None:
        return town
    reason = project.reason or _NO_UNIT
    if jurisdiction is None:
        return Placement(
            None, 0, PRECISION_LABELS[0], False,
            f"{reason}, and the document's jurisdiction is not known",
        )
    if jurisdiction.level == "country" or jurisdiction.adcode not in gaz:
        return Placement(
            None, 0, PRECISION_LABELS[0], False,
            f"{reason}; the document is issued for the whole country ({jurisdiction.name}), "
            "too wide to place it",
        )
    return _jurisdiction_area(jurisdiction, gaz)


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


@functools.lru_cache(maxsize=1024)
def _dissolved(gaz: Gazetteer, members: tuple[str, ...]) -> BaseGeometry:
    """Return the union of the members' boundaries, rounded and oriented.

    Cached: a corpus names the same circles and jurisdictions thousands of times.
    """
    parts = [gaz.boundary(c) for c in members]
    # units of one level tile the land without overlapping: a coverage, whose union GEOS
    # makes by dropping shared edges (six times faster); an overlap makes it invalid, and
    # then the general union decides
    geom = shapely.coverage_union_all(parts)
    if not geom.is_valid:
        geom = shapely.union_all(parts)
    geom = shapely.make_valid(geom)
    if geom.geom_type == "GeometryCollection":
        polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        geom = shapely.union_all(polys)
    return _orient(_round(geom))


def _area(codes: Sequence[str], gaz: Gazetteer) -> Placement:
    # a member whose parent is a member too adds nothing to the union
    members = [c for c in dict.fromkeys(codes) if not any(a in codes for a in gaz.ancestors(c))]
    missing = [c for c in members if _boundary(c, gaz) is None]
    if missing:
        return Placement(None, 0, PRECISION_LABELS[0], False,
                         f"no boundary for adcodes {', '.join(missing)}")
    geom = _dissolved(gaz, tuple(sorted(members)))
    province = any(gaz[c].level == "province" for c in members)
    code = 4 if province else 3
    if len(members) == 1:
        label = (
            f"{PRECISION_LABELS[code]}: boundary of {gaz[members[0]].name} "
            f"(named by one place; no member list)"
        )
    else:
        label = f"{PRECISION_LABELS[code]}: dissolved boundaries of {_names(members, gaz)}"
    return Placement(geom, code, label, False)


def _named(project: Project, codes: Sequence[str], gaz: Gazetteer) -> Placement:
    """Place a project by the admin units it names."""
    kind = project.kind
    if kind in AREA_KINDS:
        return _area(codes, gaz)
    # a route kind drawn as a point (a bridge) is a line when it joins two places
    linear = kind in LINE_KINDS or project.line or (kind in ROUTE_KINDS and len(set(codes)) > 1)
    if linear:
        return _line(codes, gaz)
    return _point(project, codes, gaz)


def _common_jurisdiction(
    group: Sequence[Project],
    jurisdictions: Mapping[str, Jurisdiction | None] | None,
    gaz: Gazetteer,
) -> tuple[Jurisdiction | None, str]:
    """Return the jurisdiction of a group's documents, or the most specific unit holding all.

    The second value says why there is none when the documents lie in different provinces.
    """
    if not jurisdictions:
        return None, ""
    found = [jurisdictions.get(r.doc) for r in group]
    known = list({j.adcode: j for j in found if j is not None}.values())
    if len(known) <= 1:
        return (known[0] if known else None), ""
    if any(j.level == "country" or j.adcode not in gaz for j in known):
        return next(j for j in known if j.level == "country" or j.adcode not in gaz), ""
    chains = [[j.adcode, *gaz.ancestors(j.adcode)] for j in known]
    shared = [c for c in chains[0] if all(c in chain for chain in chains[1:])]
    names = "、".join(j.name for j in known[:4]) + ("…" if len(known) > 4 else "")
    if not shared:
        return None, f"named by documents of jurisdictions in different provinces ({names})"
    unit = gaz[shared[0]]
    return Jurisdiction(unit.adcode, unit.name, unit.level, "documents", names), ""


@functools.lru_cache(maxsize=256)
def _outline(adcode: str, gaz: Gazetteer) -> BaseGeometry | None:
    """Return the rounded, oriented boundary of a unit; one shared object for all its projects."""
    geom = _boundary(adcode, gaz)
    return _orient(_round(geom)) if geom is not None else None


def _jurisdiction_area(jurisdiction: Jurisdiction, gaz: Gazetteer) -> Placement:
    unit = gaz[jurisdiction.adcode]
    geom = _outline(unit.adcode, gaz)
    label = f"{WITHIN_JURISDICTION}: {unit.name}"
    if geom is None:
        where = _seat_point(unit.adcode, gaz, "")
        return Placement(where.geometry, where.precision, f"{label} (at its seat)", False)
    code = 4 if unit.level == "province" else 3
    return Placement(geom, code, label, False)


_NO_UNIT = "no admin unit of the gazetteer is named"
#: How the label of a project placed by a town its name holds starts ("town 乌镇镇, 桐乡市").
IN_TOWN = "town"
_TOWN_SUPPORT = {
    "named": "its county or prefecture named nearby",
    "jurisdiction": "the town of that name in the issuing jurisdiction",
    "unique": "the only town of that name",
}
_UNIQUE_TOWN = f"({_TOWN_SUPPORT['unique']})"


def _town(
    project: Project, gaz: Gazetteer, jurisdiction: Jurisdiction | None
) -> Placement | None:
    """Place a project in the county of a town its name holds (阳逻港 → 新洲区)."""
    within = None
    if jurisdiction is not None and jurisdiction.level != "country":
        within = jurisdiction.adcode
    town: TownMatch | None = find_town(
        project.name, gaz, sentence=project.sentence, jurisdiction=within
    )
    if town is None:
        return None
    if town.support == "unique" and project.kind in _LINES_TOWNS_ARE_NAMED_AFTER:
        return None
    geom = _outline(town.county, gaz)
    if geom is None:
        return None
    label = (
        f"{IN_TOWN} {town.name}, {town.county_name}: within the county "
        f"({_TOWN_SUPPORT[town.support]})"
    )
    return Placement(geom, 3, label, False)


#: Kinds of line that towns and streets are named after (粤汉街道, 陇海街道): a line whose
#: name holds such a town, with nothing else tying it to the town's county, is named for
#: its ends (粤汉: 广州 to 汉口), not for the town.
_LINES_TOWNS_ARE_NAMED_AFTER = frozenset(
    {"railway", "expressway", "road", "corridor", "waterway", "pipeline"}
)
#: How the label of a project placed by its document's jurisdiction starts: the project
#: lies somewhere in that area, which is not its extent.
WITHIN_JURISDICTION = "within the issuing jurisdiction"
#: Characters a foreign place may stand right before a name with (与泰国林查班港).
_FOREIGN_LEAD = 6


def _foreign_name(project: Project) -> str:
    """Return a foreign place named in the project's name or right before it, else ``""``."""
    found = find_foreign(project.name)
    if found is not None:
        return found.name
    at = project.start - project.sent_start
    if 0 < at <= len(project.sentence):
        before = project.sentence[max(0, at - _FOREIGN_LEAD) : at]
        lead = re.split(r"[，。、；：,;:（）()和与及同]", before)[-1]
        found = find_foreign(lead)
        if found is not None and lead.endswith(found.name):
            return found.name
    return ""


def _only_core(codes: Sequence[str], circle: KnownCircle, gaz: Gazetteer) -> bool:
    """Whether the places named are only those of the circle's name (南京 of 南京都市圈)."""
    if not circle.core:
        return all(c in circle.members or _inside(c, circle.members, gaz) for c in codes) and len(
            set(codes)
        ) <= 1
    # the city holding the core counts as the core too (重庆 of 重庆都市圈, whose core is
    # the central district 渝中区)
    return all(
        c in circle.core or _inside(c, circle.core, gaz)
        or any(c in gaz.ancestors(k) for k in circle.core)
        for c in codes
    )


def _inside(code: str, units: Sequence[str], gaz: Gazetteer) -> bool:
    return any(u in gaz.ancestors(code) for u in units)


def _circle_area(circle: KnownCircle, gaz: Gazetteer) -> Placement:
    members = [c for c in circle.members if c in gaz]
    where = _area(members, gaz)
    if where.geometry is None:
        return where
    label = f"members from the approved plan: {circle.key} ({circle.source})"
    return Placement(where.geometry, where.precision, label, False)


@functools.cache
def _province_abbreviations() -> dict[str, str]:
    return {r["abbreviation"]: r["adcode"] for r in load_table("province_abbreviations.csv")}


_SECTION_RE = re.compile(r"([\u4e00-\u9fff]{1,8}?)(?:境内|境)?(?:段|路段)")


def _section_unit(name: str, after: int, gaz: Gazetteer) -> str | None:
    """Return the unit a 段 after the route's name names: 湖北段, 粤境段 (not 武汉至黄石段)."""
    m = _SECTION_RE.search(name, after)
    if m is None or "至" in m.group(1):
        return None
    words = m.group(1)
    for size in range(len(words), 0, -1):
        tail = words[-size:]
        codes = gaz.names.get(tail, ())
        if len(codes) == 1 and size > 1:
            return codes[0]
        if size == 1 and tail in _province_abbreviations():
            return _province_abbreviations()[tail]
    return None


def _route_points(cities: Sequence[str], gaz: Gazetteer) -> list[Point]:
    points: list[Point] = []
    for c in cities:
        p = _seat(c, gaz)
        if not points or not p.equals(points[-1]):
            points.append(p)
    return points


def _route_line(
    match: RouteMatch, name: str, gaz: Gazetteer, jurisdiction: Jurisdiction | None = None
) -> Placement:
    """Draw the schematic line of a route, cut to the unit a 段 of its name gives.

    A section the name gives but that names no unit (沈海高速机荷段) is cut to the issuing
    jurisdiction, when the route crosses it.
    """
    route = match.route
    cities = [c for c in route.cities if c in gaz]
    label = f"{route.key} control cities"
    unit = _section_unit(name, match.end, gaz)
    if unit is None and _SECTION_RE.search(name, match.end) and jurisdiction is not None:
        if jurisdiction.adcode in gaz:
            clipped = _clip(cities, jurisdiction.adcode, gaz)
            if clipped is not None:
                cut = f"{label}, cut to the issuing jurisdiction {jurisdiction.name}"
                return Placement(_round(clipped), 5, cut, True)
    if unit is not None:
        clipped = _clip(cities, unit, gaz)
        if clipped is not None:
            return Placement(
                _round(clipped), 5, f"{route.key} control cities, cut to {gaz[unit].name}", True
            )
    points = _route_points(cities, gaz)
    if len(points) < 2:
        return Placement(None, 0, PRECISION_LABELS[0], False,
                         f"route {route.key} has fewer than two control cities")
    return Placement(_round(LineString(points)), 5, label, True)


def _clip(cities: Sequence[str], unit: str, gaz: Gazetteer) -> BaseGeometry | None:
    points = _route_points(cities, gaz)
    area = _boundary(unit, gaz)
    if len(points) < 2 or area is None:
        return None
    part = LineString(points).intersection(area)
    if part.is_empty or part.geom_type not in ("LineString", "MultiLineString"):
        return None
    return part


def _route_section(
    match: RouteMatch, name: str, codes: Sequence[str], gaz: Gazetteer
) -> Placement | None:
    """Draw a named section of a route: between two of its cities, or in one named unit."""
    route = match.route
    cities = [c for c in route.cities if c in gaz]
    stops = _specific(codes, gaz)

    def index(code: str) -> int | None:
        for i, c in enumerate(cities):
            if c == code or c in gaz.ancestors(code):
                return i
        return None

    if len(stops) >= 2:
        found = [index(c) for c in stops]
        ends = [i for i in found if i is not None]
        if len(ends) < len(found):
            return None
        lo, hi = min(ends), max(ends)
        if lo == hi:
            return None
        section = cities[lo : hi + 1]
        label = (
            f"{route.key} control cities from {gaz[section[0]].name} to {gaz[section[-1]].name}"
        )
        return Placement(_round(LineString(_route_points(section, gaz))), 5, label, True)
    clipped = _clip(cities, stops[0], gaz) if stops else None
    if clipped is None:
        return None
    label = f"{route.key} control cities, cut to {gaz[stops[0]].name}"
    return Placement(_round(clipped), 5, label, True)


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
