"""Curated tables: named facilities, named areas and landmarks that are not admin units.

Three small tables, read from CSV files in ``geo/data/`` whose ``source`` column says
where each row's fact comes from:

* :data:`FACILITIES` — ports, airports, parks the plans name, with the county (or city)
  they lie in and, where the site is known with confidence, a WGS-84 point (``lon`` is x,
  ``lat`` is y).  ``tests/test_geocode.py`` checks every point against the boundary of the
  unit it names.  A facility without a point is placed at the seat of its unit.
* :data:`AREAS` — metropolitan circles, city clusters and corridors whose members a plan
  defines (武汉城市圈 = nine cities); members are adcodes, in order along the corridor for
  linear areas.
* :data:`LANDMARKS` — names that locate a project but are not admin units: rivers
  (汉江, in order downstream), districts known by a nickname (光谷), scenic places (隆中).

The tables are data, not rules: they make known names precise, while
:mod:`geo.projects` reads every other name from the admin units the text mentions.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from ._data import load_table, split_list
from ._errors import GazetteerError

__all__ = [
    "AREAS",
    "FACILITIES",
    "LANDMARKS",
    "Facility",
    "Landmark",
    "NamedArea",
    "NameMatch",
    "find_names",
]

Shape = Literal["point", "line"]


@dataclass(frozen=True, slots=True)
class Facility:
    """A named facility with the admin unit it lies in.

    Attributes
    ----------
    key
        Canonical name, used to merge the same facility named in several ways.
    names
        Surface forms matched in text (鄂州花湖机场, 花湖机场, 鄂州机场).
    kind
        Project kind (``port``, ``airport``, ...).
    adcode
        The county (or city) the site lies in.
    lon, lat
        WGS-84 site, or None when only the unit is known.
    precision
        IATI code of the point: 1 exact site, 2 near (within 25 km).
    source
        Where the fact comes from.
    """

    key: str
    names: tuple[str, ...]
    kind: str
    adcode: str
    lon: float | None = None
    lat: float | None = None
    precision: int = 2
    source: str = ""


@dataclass(frozen=True, slots=True)
class NamedArea:
    """An area (circle, cluster, corridor) whose members a plan defines.

    ``note`` says who the members are in words; ``source`` where the membership comes from.
    ``strategy`` marks a national strategy (长江经济带, 西部陆海新通道): a frame that plans
    invoke, not a project any plan builds.
    """

    key: str
    names: tuple[str, ...]
    kind: str
    members: tuple[str, ...]
    note: str = ""
    source: str = ""
    strategy: bool = False


@dataclass(frozen=True, slots=True)
class Landmark:
    """A name that locates a project without being an admin unit.

    ``adcodes`` are in order along the feature when ``shape`` is ``"line"`` (a river,
    downstream).
    """

    name: str
    adcodes: tuple[str, ...]
    shape: Shape = "point"
    note: str = ""
    source: str = ""


# --------------------------------------------------------------------------- tables


def _float_or_none(value: str) -> float | None:
    return float(value) if value else None


@functools.cache
def _facilities() -> tuple[Facility, ...]:
    return tuple(
        Facility(
            r["key"],
            split_list(r["names"]),
            r["kind"],
            r["adcode"],
            _float_or_none(r["lon"]),  # WGS-84, x
            _float_or_none(r["lat"]),  # WGS-84, y
            int(r["precision"]),
            r["source"],
        )
        for r in load_table("facilities.csv")
    )


@functools.cache
def _areas() -> tuple[NamedArea, ...]:
    return tuple(
        NamedArea(
            r["key"],
            split_list(r["names"]),
            r["kind"],
            split_list(r["members"]),
            r["note"],
            r["source"],
            r.get("strategy", "") == "yes",
        )
        for r in load_table("named_areas.csv")
    )


@functools.cache
def _landmarks() -> tuple[Landmark, ...]:
    shapes: dict[str, Shape] = {"point": "point", "line": "line"}
    out = []
    for r in load_table("landmarks.csv"):
        shape = shapes.get(r["shape"])
        if shape is None:
            raise GazetteerError(
                f"data file geo/data/landmarks.csv: landmark {r['name']!r} has shape "
                f"{r['shape']!r}; use one of {sorted(shapes)!r}"
            )
        out.append(Landmark(r["name"], split_list(r["adcodes"]), shape, r["note"], r["source"]))
    return tuple(out)


#: Ports, airports and parks the plans name (``geo/data/facilities.csv``).
FACILITIES: tuple[Facility, ...] = _facilities()
#: Circles, clusters and corridors whose members a plan defines (``geo/data/named_areas.csv``).
AREAS: tuple[NamedArea, ...] = _areas()
#: Rivers, nicknames and scenic places that locate a project (``geo/data/landmarks.csv``).
LANDMARKS: tuple[Landmark, ...] = _landmarks()


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True, slots=True)
class NameMatch:
    """Where a curated name occurs in a text; ``entry`` is the table row."""

    start: int
    end: int
    entry: Facility | NamedArea | Landmark


@functools.lru_cache(maxsize=1)
def _index() -> tuple[re.Pattern[str], dict[str, Facility | NamedArea | Landmark]]:
    by_name: dict[str, Facility | NamedArea | Landmark] = {}
    # areas and facilities before landmarks: 光谷科技创新大走廊 is an area, not 光谷
    entries: tuple[NamedArea | Facility, ...] = (*AREAS, *FACILITIES)
    for entry in entries:
        for name in entry.names:
            by_name.setdefault(name, entry)
    for mark in LANDMARKS:
        by_name.setdefault(mark.name, mark)
    pattern = re.compile("|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True)))
    return pattern, by_name


def find_names(text: str) -> list[NameMatch]:
    """Find the curated names in ``text``, longest first where they overlap.

    Parameters
    ----------
    text
        Any text; offsets index it.

    Returns
    -------
    list of NameMatch
        Sorted by start, non-overlapping.

    Examples
    --------
    >>> [(m.start, m.entry.key) for m in find_names("推动武汉天河机场、鄂州花湖机场联动发展")]
    [(2, '武汉天河机场'), (9, '鄂州花湖机场')]
    """
    pattern, by_name = _index()
    return [NameMatch(m.start(), m.end(), by_name[m.group()]) for m in pattern.finditer(text)]
