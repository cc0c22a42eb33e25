"""Ties that projects make: the places one project joins or gathers.

``joint_project``
    Both are places of one project (an expressway 襄阳至南漳 ties 襄阳—南漳). The stops of
    a route kind (:data:`geo.kinds.ROUTE_KINDS`), or of a project placed along a river,
    are named as peers, so a city and its own county on one line are tied; the places of
    a site (a park in 南漳 listed as lying in 襄阳 too) are not.
``co_membership``
    Both are members of one area of a member kind (:data:`geo.kinds.MEMBER_KINDS`:
    metropolitan circles, corridors); each distinct member list counts once.

A project of ``p`` places adds each of its ties with a share ``1 / (p - 1)``, so a river or
a circle of ten cities does not swamp a link of two.

The projects come as typed :class:`geo.projects.Project` records, grouped as
:func:`geo.projects.merge_projects` groups them; the evidence of a tie names the group's
id (:func:`geo.projects.group_id`, the ``id`` of ``Atlas.projects``) and the sentence of
each record.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..kinds import MEMBER_KINDS, ROUTE_KINDS
from ..projects import Project, group_id
from ._store import TieStore

if TYPE_CHECKING:
    from ..gazetteer import Unit
    from ..text import Document

__all__ = ["as_groups", "read_project_ties"]


def as_groups(projects: Iterable[Project | Sequence[Project]]) -> list[Sequence[Project]]:
    """Return groups of records naming one project; a single record is a group of one."""
    groups = [[p] if isinstance(p, Project) else list(p) for p in projects]
    return [g for g in groups if g]


def _evidence(record: Project, docs: Mapping[str, Document]) -> dict[str, object]:
    """Return the record's sentence as evidence (``doc.text[start:end] == sentence``)."""
    item: dict[str, object] = {
        "doc": record.doc,
        "start": record.sent_start,
        "end": record.sent_start + len(record.sentence),
        "sentence": record.sentence,
    }
    doc = docs.get(record.doc)
    if doc is not None and doc.pages:  # a PDF: the page the sentence starts on
        item["page"] = doc.page_at(record.sent_start)
    return item


def read_project_ties(
    groups: Iterable[Sequence[Project]],
    unit_of: Callable[[str], Unit | None],
    ties: TieStore,
    docs: Mapping[str, Document] | None = None,
) -> int:
    """Add the joint_project and co_membership ties of the projects.

    Parameters
    ----------
    groups
        Groups of records naming one project (:func:`as_groups`).
    unit_of
        Looks a place's adcode up; None for a code the gazetteer does not hold.
    ties
        Where the evidence goes.
    docs
        The documents by name, for the page of a sentence of a PDF.

    Returns
    -------
    int
        How many projects joined two places or more.
    """
    used = 0
    for group in groups:
        rep = group[0]
        units = [u for u in (unit_of(c) for c in dict.fromkeys(rep.places)) if u is not None]
        if len(units) < 2:
            continue
        members = rep.kind in MEMBER_KINDS
        kind = "co_membership" if members else "joint_project"
        # Members of one area, and the stops of a line, are named as peers.
        peers = members or rep.kind in ROUTE_KINDS or rep.line
        tagged: dict[str, object] = {
            "project": group_id(group),
            "project_name": rep.name,
            "share": 1.0 / (len(units) - 1),
        }
        if members:
            tagged["members"] = ";".join(sorted(u.adcode for u in units))
        for record in group:
            item = {**_evidence(record, docs or {}), **tagged}
            for a, b in itertools.combinations(units, 2):
                ties.add(a, b, kind, item, peers=peers)
        used += 1
    return used
