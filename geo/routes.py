"""National trunk routes, approved circles and foreign places, to place projects by.

What places a project that names no admin unit of its own.

Three curated tables of ``geo/data/`` (each row with its ``source``):

* :data:`ROUTES` (``national_routes.csv``): national expressways of the National Highway
  Network Plan (G1 京哈 … G80 广昆), the 八纵八横 high-speed rail corridors of the
  Medium- and Long-term Railway Network Plan, a few conventional trunk lines, and the
  named national pipelines and water transfers; each with its control cities in order
  (adcodes). Only cities known to lie on the route are listed: a schematic line through
  fewer seats is better than one through a wrong city.
* :data:`CIRCLES` (``known_circles.csv``): metropolitan circles with nationally approved
  plans and the national city clusters, with their prefecture-level members and the units
  their name contains (``core``).
* :data:`FOREIGN` (``foreign_places.csv``): countries, regions and cities abroad that plans
  name (泰国, 东盟, 雅加达): a project naming one is never placed in China.

Examples
--------
>>> find_route("京港澳高速公路湖北段", "expressway").route.key
'G4'
>>> find_route("G4", "railway") is None
True
>>> find_circle("南京都市圈").key
'南京都市圈'
>>> find_foreign("泰国林查班港").name
'泰国'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ._data import load_table, split_list

__all__ = [
    "CIRCLES",
    "FOREIGN",
    "ROUTES",
    "ForeignPlace",
    "KnownCircle",
    "Route",
    "RouteMatch",
    "find_circle",
    "find_foreign",
    "find_route",
]


@dataclass(frozen=True, slots=True)
class Route:
    """A national trunk route and its control cities in order (adcodes)."""

    key: str
    names: tuple[str, ...]
    short: str
    kind: str
    cities: tuple[str, ...]
    note: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class RouteMatch:
    """Where a route is named in a text: ``text[start:end]`` names it."""

    route: Route
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class KnownCircle:
    """A circle or city cluster with an approved plan: its members and its name's units."""

    key: str
    names: tuple[str, ...]
    kind: str
    core: tuple[str, ...]
    members: tuple[str, ...]
    note: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class ForeignPlace:
    """A country, region or city abroad (``country``: ISO 3166 alpha-2, empty for a region)."""

    name: str
    country: str
    kind: str
    source: str = ""


@functools.cache
def _routes() -> tuple[Route, ...]:
    return tuple(
        Route(r["key"], split_list(r["names"]), r["short"], r["kind"], split_list(r["cities"]),
              r["note"], r["source"])
        for r in load_table("national_routes.csv")
    )


@functools.cache
def _circles() -> tuple[KnownCircle, ...]:
    return tuple(
        KnownCircle(r["key"], split_list(r["names"]), r["kind"], split_list(r["core"]),
                    split_list(r["members"]), r["note"], r["source"])
        for r in load_table("known_circles.csv")
    )


@functools.cache
def _foreign() -> tuple[ForeignPlace, ...]:
    return tuple(
        ForeignPlace(r["name"], r["country"], r["kind"], r["source"])
        for r in load_table("foreign_places.csv")
    )


#: National trunk routes (``geo/data/national_routes.csv``).
ROUTES: tuple[Route, ...] = _routes()
#: Approved circles and national city clusters (``geo/data/known_circles.csv``).
CIRCLES: tuple[KnownCircle, ...] = _circles()
#: Countries, regions and cities abroad (``geo/data/foreign_places.csv``).
FOREIGN: tuple[ForeignPlace, ...] = _foreign()

#: The project kinds each kind of route may be named as.
_KINDS_OF_ROUTE: dict[str, frozenset[str]] = {
    "expressway": frozenset({"expressway", "road"}),
    "railway": frozenset({"railway"}),
    "pipeline": frozenset({"pipeline"}),
    "power": frozenset({"power"}),
    "water": frozenset({"water", "waterway"}),
}
#: What follows a short name for it to name the route (京港澳高速, 京广高铁, 京广线).
_TYPE_AFTER_SHORT: dict[str, str] = {
    "expressway": r"(?:高速|国高|线)",
    "railway": r"(?:高铁|高速铁路|铁路|客专|客运专线|城际|线|通道)",
    "pipeline": r"",
    "power": r"",
    "water": r"",
}


@functools.cache
def _route_patterns(kind: str) -> tuple[tuple[re.Pattern[str], Route], ...]:
    out: list[tuple[int, str, Route]] = []
    for route in ROUTES:
        if kind not in _KINDS_OF_ROUTE.get(route.kind, frozenset()):
            continue
        for name in route.names:
            out.append((len(name), re.escape(name), route))
        if route.short:
            after = _TYPE_AFTER_SHORT[route.kind]
            # a numbered line of a scheme is that line (川气东送二线 is no 川气东送)
            short = re.escape(route.short) + r"(?![一二三四五六七八九十]线)"
            out.append((len(route.short), short + f"(?={after})", route))
        if re.fullmatch(r"G\d+", route.key):
            # G4 beside an expressway word or a section (G4京港澳高速, G4湖北段), not G45,
            # G4W, nor the G20 summit
            code = rf"(?<![A-Za-z\d]){route.key}(?![\dA-Za-z])"
            out.append((len(route.key), code + r"(?=.*(?:高速|国高|段))", route))
    # the longest names first: 京港澳 before 京港, 西气东输二线 before 西气东输
    out.sort(key=lambda t: -t[0])
    return tuple((re.compile(p), r) for _, p, r in out)


def find_route(name: str, kind: str) -> RouteMatch | None:
    """Return the national route a project name names, if any (the first one named).

    Parameters
    ----------
    name
        The project's name (京港澳高速公路湖北段, G4, 西气东输二线).
    kind
        The project's kind: a route is named only as a kind it can be (an expressway as
        ``expressway`` or ``road``, a rail corridor as ``railway``).

    Returns
    -------
    RouteMatch or None
    """
    found: RouteMatch | None = None
    for pattern, route in _route_patterns(kind):
        m = pattern.search(name)
        if m is not None and (found is None or m.start() < found.start):
            found = RouteMatch(route, m.start(), m.end())
    return found


@functools.lru_cache(maxsize=1)
def _circle_pattern() -> tuple[re.Pattern[str], dict[str, KnownCircle]]:
    by_name = {n: c for c in CIRCLES for n in c.names}
    pattern = re.compile("|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True)))
    return pattern, by_name


def find_circle(name: str) -> KnownCircle | None:
    """Return the approved circle or city cluster a project name names (南京都市圈), if any."""
    pattern, by_name = _circle_pattern()
    m = pattern.search(name)
    return by_name[m.group()] if m is not None else None


@functools.lru_cache(maxsize=1)
def _foreign_pattern() -> tuple[re.Pattern[str], dict[str, ForeignPlace]]:
    by_name = {f.name: f for f in FOREIGN}
    names = sorted(by_name, key=len, reverse=True)
    # 国际 is "international": 汇德国际 names no Germany
    return re.compile("(?:" + "|".join(re.escape(n) for n in names) + ")(?!际)"), by_name


def find_foreign(text: str) -> ForeignPlace | None:
    """Return the first foreign country, region or city named in `text`, if any.

    Examples
    --------
    >>> find_foreign("印尼雅加达港口").name, find_foreign("内蒙古自治区") is None
    ('印尼', True)
    """
    pattern, by_name = _foreign_pattern()
    m = pattern.search(text)
    return by_name[m.group()] if m is not None else None
