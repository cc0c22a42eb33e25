"""The one vocabulary of planatlas: kinds of project, statuses and kinds of tie.

Every other module reads these tables: the project rules (:mod:`geo.projects`) for the
kinds they may emit, placing (:mod:`geo.geocode`) for the geometry a kind is drawn as, the
tie graph (:mod:`geo.ties`) for the role a kind's places play, and the map
(:mod:`layers.styles`, :mod:`layers.view`) for labels, draw order and style keys. A new
kind is one row here plus its type words in :data:`geo.projects.KIND_TERMS` and a colour
in :data:`layers.styles.PALETTE`.

Examples
--------
>>> KINDS["expressway"].geometry, KINDS["expressway"].tie_role
('line', 'route')
>>> KINDS["metro_circle"].label
'都市圈/城市群 metro circle'
>>> "airport" in POINT_KINDS, "ecology" in AREA_KINDS
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "AREA_KINDS",
    "KINDS",
    "KIND_IDS",
    "LINE_KINDS",
    "MEMBER_KINDS",
    "POINT_KINDS",
    "ROUTE_KINDS",
    "STATUSES",
    "STATUS_IDS",
    "TIE_KINDS",
    "Kind",
    "Status",
    "Term",
    "TieKind",
    "kind_label",
    "status_label",
]

Geometry = Literal["point", "line", "area"]
#: How a project's places enter the tie graph:
#: ``route``: they are the stops of one line, named as peers (襄阳至南漳高速 ties the city
#: to its own county); ``members``: they are the members of one area (co-membership);
#: ``site``: they are where a facility lies (joint project, hierarchy is not a tie).
TieRole = Literal["route", "members", "site"]


@dataclass(frozen=True, slots=True)
class Term:
    """A word of the vocabulary: an identifier and its labels in Chinese and English."""

    id: str
    zh: str
    en: str

    @property
    def label(self) -> str:
        """Both labels, Chinese first: ``规划 planned``."""
        return f"{self.zh} {self.en}"


@dataclass(frozen=True, slots=True)
class Kind(Term):
    """One kind of project.

    Attributes
    ----------
    id
        Identifier used in every record, frame and file (``expressway``).
    zh, en
        Labels in Chinese and English.
    geometry
        How the kind is usually drawn: ``point`` (a facility; a bridge joining two places
        is drawn as a line), ``line`` (through the seats of the places it joins) or
        ``area`` (the dissolved boundaries of its members).
    tie_role
        The role its places play in the tie graph (see :data:`TieRole`).
    style
        Key of its style in :data:`layers.styles.PALETTE`.
    """

    geometry: Geometry
    tie_role: TieRole
    style: str


#: A status of a project, read from the verb that introduces it.
Status = Term
#: A kind of tie between two places, strongest first in :data:`TIE_KINDS`.
TieKind = Term


def _table(*rows: Kind) -> dict[str, Kind]:
    return {row.id: row for row in rows}


#: Every kind of project, in the order the map draws them and the legend lists them:
#: areas at the bottom, then lines (the wide corridors under the routes), points on top.
KINDS: dict[str, Kind] = _table(
    Kind("metro_circle", "都市圈/城市群", "metro circle", "area", "members", "metro_circle"),
    Kind("ecology", "生态", "ecology", "area", "site", "ecology"),
    Kind("corridor", "走廊/发展带", "corridor", "line", "members", "corridor"),
    Kind("expressway", "高速公路", "expressway", "line", "route", "expressway"),
    Kind("railway", "铁路", "railway", "line", "route", "railway"),
    Kind("road", "道路", "road", "line", "route", "road"),
    Kind("waterway", "航道", "waterway", "line", "route", "waterway"),
    Kind("power", "电网", "power line", "line", "route", "power"),
    Kind("pipeline", "管道", "pipeline", "line", "route", "pipeline"),
    Kind("tourism", "旅游", "tourism", "line", "route", "tourism"),
    Kind("water", "水利", "water project", "point", "site", "water"),
    Kind("bridge", "桥梁/过江通道", "bridge", "point", "route", "bridge"),
    Kind("port", "港口", "port", "point", "site", "port"),
    Kind("airport", "机场", "airport", "point", "site", "airport"),
    Kind("station", "站场/枢纽", "station", "point", "site", "station"),
    Kind("logistics", "物流园", "logistics", "point", "site", "logistics"),
    Kind("industrial_park", "产业园区", "industrial park", "point", "site", "industrial_park"),
    Kind("science", "科创设施", "science", "point", "site", "science"),
)
#: Kind identifiers in draw and legend order.
KIND_IDS: tuple[str, ...] = tuple(KINDS)
#: Kinds drawn as a line through the places they join.
LINE_KINDS = frozenset(k for k, v in KINDS.items() if v.geometry == "line")
#: Kinds drawn as the dissolved boundary of their members.
AREA_KINDS = frozenset(k for k, v in KINDS.items() if v.geometry == "area")
#: Kinds drawn as a point (a bridge joining two places is drawn as a line).
POINT_KINDS = frozenset(k for k, v in KINDS.items() if v.geometry == "point")
#: Kinds whose places are the stops of one line, named as peers.
ROUTE_KINDS = frozenset(k for k, v in KINDS.items() if v.tie_role == "route")
#: Kinds whose places are the members of one area.
MEMBER_KINDS = frozenset(k for k, v in KINDS.items() if v.tie_role == "members")

#: Every status, in the order filters list them.
STATUSES: dict[str, Status] = {
    s.id: s
    for s in (
        Status("planned", "规划", "planned"),
        Status("study", "研究", "study"),
        Status("construction", "在建", "under construction"),
        Status("upgrade", "改造", "upgrade"),
        Status("completed", "建成", "completed"),
        Status("other", "其他", "other"),
    )
}
STATUS_IDS: tuple[str, ...] = tuple(STATUSES)

#: Every kind of tie, strongest first.
TIE_KINDS: dict[str, TieKind] = {
    t.id: t
    for t in (
        TieKind("cooperation", "合作", "cooperation"),
        TieKind("joint_project", "共建项目", "joint project"),
        TieKind("co_partner", "伙伴", "partner"),
        TieKind("co_membership", "同属", "co-membership"),
        TieKind("co_mention", "同提及", "co-mention"),
    )
}


def kind_label(kind: str) -> str:
    """Readable label of a kind of project or of tie (the identifier itself when unknown).

    Examples
    --------
    >>> kind_label("airport"), kind_label("cooperation"), kind_label("spaceport")
    ('机场 airport', '合作 cooperation', 'spaceport')
    """
    found = KINDS.get(kind) or TIE_KINDS.get(kind)
    return found.label if found is not None else kind


def status_label(status: str) -> str:
    """Readable label of a status (the identifier itself when unknown).

    Examples
    --------
    >>> status_label("construction")
    '在建 under construction'
    """
    found = STATUSES.get(status)
    return found.label if found is not None else status
