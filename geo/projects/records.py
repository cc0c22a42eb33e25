"""Project records, and which records name the same project across documents.

A :class:`Project` is what one sentence of one document says will be built.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from .._data import load_table
from ..gazetteer import Gazetteer, Unit, load_gazetteer
from ..kinds import AREA_KINDS, LINE_KINDS, ROUTE_KINDS

__all__ = ["MentionLike", "Project", "core_name", "group_id", "identity_name", "merge_key",
           "merge_projects", "record_id"]


class MentionLike(Protocol):
    """What this module needs of :class:`geo.mentions.Mention` (read-only)."""

    @property
    def start(self) -> int: ...  # noqa: D102
    @property
    def end(self) -> int: ...  # noqa: D102
    @property
    def text(self) -> str: ...  # noqa: D102
    @property
    def units(self) -> tuple[Unit, ...]: ...  # noqa: D102


@dataclass(frozen=True, slots=True)
class Project:
    """One project as one sentence of one document names it.

    Attributes
    ----------
    id
        Stable id of this record: kind and a hash of document, span and kind.
    name
        The project as the text names it (a shared type word appended: 襄阳至南漳高速公路).
    kind
        One of :data:`geo.kinds.KINDS`.
    places
        Adcodes of the admin units it joins or lies in, in text order.
    doc
        Document name.
    start, end
        Span of the name in the document text (``str`` indices), inside its sentence.
    sentence, sent_start
        The sentence text and its offset in the document.
    status, verb
        Status read from ``verb`` (one of :data:`geo.kinds.STATUSES`) and the verb itself
        (``""`` when no verb governs the project).
    target_year
        The calendar year the project's clause gives (到2025年建成 → ``"2025"``), or ``""``.
    plan_period
        The plan period of the sentence or the document (``"2021–2025"``), or ``""``; never
        the project's target year.
    site
        Key of the curated facility or area that placed it, or ``""``.
    landmark
        Name of a curated landmark that placed it (汉江), or ``""``.
    line
        True when a landmark along a line (a river) places it.
    reason
        Why ``places`` is empty; ``""`` when it is not.
    """

    id: str
    name: str
    kind: str
    places: tuple[str, ...]
    doc: str
    start: int
    end: int
    sentence: str
    sent_start: int
    status: str
    verb: str
    target_year: str
    site: str = ""
    landmark: str = ""
    line: bool = False
    reason: str = ""
    plan_period: str = ""


def merge_key(project: Project, gazetteer: Gazetteer | None = None) -> tuple[str, ...]:
    """Return what makes two records the same project.

    Lines and areas: kind and the set of places (襄阳至南漳 = 南漳至襄阳).  Facilities: kind,
    places and the curated site or :func:`identity_name` (襄阳市检测认证产业园 =
    襄阳检测认证产业园; 襄阳高新区 is not 襄阳自贸片区).  Unplaced records: kind and name.
    A place that holds another place of the project (湖北 of 湖北襄阳…) adds nothing.
    """
    if project.site:
        return (project.kind, "site", project.site)
    if not project.places:
        return (project.kind, "name", core_name(project.name))
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    places = _innermost(tuple(sorted(set(project.places))), gaz)
    if project.kind in LINE_KINDS | AREA_KINDS | ROUTE_KINDS:
        return (project.kind, "places", *places)
    if project.kind in ("port", "airport", "station"):
        return (project.kind, "places", *places)
    return (project.kind, "facility", identity_name(project.name, project.places, gaz), *places)


def identity_name(name: str, places: Iterable[str], gazetteer: Gazetteer | None = None) -> str:
    """Return the name two documents would both give one facility.

    Without spaces, quotes and brackets; without the names of its places and of the units
    holding them (full, short and former names: 湖北省, 襄阳市, 襄阳); without a leading
    国家级, 省级 or 国家; and with official full type names in their short form
    (``geo/data/name_synonyms.csv``: 新技术产业开发区 → 高新区).

    Examples
    --------
    >>> identity_name("武汉东湖新技术开发区", ["420100"])
    '东湖高新区'
    >>> identity_name("湖北省襄阳市检测认证产业园", ["420000", "420600"])
    '检测认证产业园'
    """
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    out = core_name(name)
    for form in _place_forms(tuple(sorted(set(places))), gaz):
        out = out.replace(form, "")
    out = _RANK_RE.sub("", out)
    for long, short in _synonyms():
        out = out.replace(long, short)
    return out or core_name(name)


# a rank written before a facility's name (国家级经开区, 省级高新区, 国家实验室 stays)
_RANK_RE = re.compile(r"^(?:国家级|省级)")


@functools.cache
def _synonyms() -> tuple[tuple[str, str], ...]:
    rows = load_table("name_synonyms.csv")
    return tuple(sorted(((r["long"], r["short"]) for r in rows), key=lambda x: -len(x[0])))


@functools.lru_cache(maxsize=4096)
def _place_forms(codes: tuple[str, ...], gaz: Gazetteer) -> tuple[str, ...]:
    """Names of the units and of the units holding them, longest first (2+ characters)."""
    forms: set[str] = set()
    for code in codes:
        for c in (code, *gaz.ancestors(code)):
            unit = gaz.units.get(c)
            if unit is not None:
                forms.update(f for f in (unit.name, unit.short, *unit.aliases) if len(f) >= 2)
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


@functools.lru_cache(maxsize=4096)
def _innermost(codes: tuple[str, ...], gaz: Gazetteer) -> tuple[str, ...]:
    """Return the places that hold no other place of `codes`."""
    inner = [c for c in codes if not any(c in gaz.ancestors(d) for d in codes if d != c)]
    return tuple(inner)


def merge_projects(
    projects: Iterable[Project],
    gazetteer: Gazetteer | None = None,
    *,
    regions: Mapping[str, str] | None = None,
) -> list[list[Project]]:
    """Group the records that name the same project (see :func:`merge_key`).

    Parameters
    ----------
    projects
        Records from one or several documents.
    gazetteer
        The default gazetteer when omitted.
    regions
        The region of each document, by name (the prefecture, else the province, of its
        jurisdiction): records that name no place merge only within one. A name without a
        place means the project of the document's own city: 17号线 of a 上海 report is not
        17号线 of a 深圳 one, nor 分布式光伏发电 of 襄阳 that of 龙岗.

    Returns
    -------
    list of list of Project
        Groups in order of first appearance; the first record of a group represents it.
    """
    groups: dict[tuple[str, ...], list[Project]] = {}
    for p in projects:
        key = merge_key(p, gazetteer)
        if regions is not None and key[1] == "name":
            key = (*key, regions.get(p.doc, ""))
        groups.setdefault(key, []).append(p)
    return list(groups.values())


def group_id(group: Sequence[Project]) -> str:
    """Stable id of a merged project: its kind and a hash of its merge key.

    A project that names no place is known by its name within a region only
    (:func:`merge_projects`): its id holds the document of its first record too.
    """
    key = merge_key(group[0])
    if key[1] == "name":
        key = (*key, group[0].doc)
    digest = hashlib.sha1("\x1f".join(key).encode("utf-8")).hexdigest()[:10]
    return f"{group[0].kind}-{digest}"


def record_id(doc: str, start: int, end: int, kind: str) -> str:
    """Return the stable id of one record: its kind and a hash of document, span and kind."""
    digest = hashlib.sha1(f"{doc}\x1f{start}\x1f{end}\x1f{kind}".encode()).hexdigest()[:10]
    return f"{kind}-{digest}"


def core_name(name: str) -> str:
    """Return a name without spaces, quotes and brackets, to compare names by."""
    return re.sub(r"[\s“”‘’\"'《》（）()]", "", name)
