"""Metropolitan circles and what lies in them: one definition for the CLI, the app and notebooks.

A circle is a project of an area kind whose places are members
(:data:`CIRCLE_KINDS`: metropolitan circles, city clusters). A project, place or tie lies
**in** a circle when every place it names is a member of the circle or lies within one
(a county of a member city); touching the circle's outline is not enough, so a railway
from 武汉 to 九江 is not in the 武汉 circle, and a city cluster that contains the circle
is not in it either.

Lying within follows the hierarchy of the six-digit administrative codes (GB/T 2260):
``420624`` (南漳县) lies within ``420600`` (襄阳市) and ``420000`` (湖北省).

Examples
--------
>>> within("420624", {"420600"}), within("420624", {"420700"}), within("429004", {"420000"})
(True, False, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from ._errors import SelectionError
from .kinds import AREA_KINDS, MEMBER_KINDS

__all__ = [
    "CIRCLE_KINDS",
    "Circle",
    "circle_rows",
    "find_circle",
    "in_circle",
    "split_codes",
    "within",
]

#: Kinds of project that are circles: areas whose places are their members.
CIRCLE_KINDS = MEMBER_KINDS & AREA_KINDS


@dataclass(frozen=True)
class Circle:
    """One circle of an atlas: its project ``id`` and ``name``, members and outline."""

    id: str
    name: str
    members: frozenset[str]
    geometry: Any  # shapely geometry (lon/lat, EPSG:4326) or None

    def contains(self, codes: Iterable[str]) -> bool:
        """Whether `codes` (adcodes) are all members or lie within one; False when empty."""
        found = list(codes)
        return bool(found) and all(within(c, self.members) for c in found)


def split_codes(value: Any) -> list[str]:
    """Return the adcodes of a ``;``-joined ``places`` value (empty for a missing one).

    Examples
    --------
    >>> split_codes("420600;420624"), split_codes(None)
    (['420600', '420624'], [])
    """
    if not isinstance(value, str):
        return []
    return [part for part in value.split(";") if part]


def within(code: str, members: Iterable[str]) -> bool:
    """Whether the unit `code` is one of `members` or lies within one (GB/T 2260 codes)."""
    for member in members:
        if code == member:
            return True
        if member.endswith("0000") and code[:2] == member[:2]:
            return True
        if member.endswith("00") and not member.endswith("0000") and code[:4] == member[:4]:
            return True
    return False


def circle_rows(projects: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the circles of a projects frame: rows of :data:`CIRCLE_KINDS` with an area."""
    values = projects.geometry.array
    drawn = ~(shapely.is_missing(values) | shapely.is_empty(values))
    return projects[projects["kind"].isin(CIRCLE_KINDS).to_numpy() & drawn]


def find_circle(projects: gpd.GeoDataFrame, circle: str) -> Circle:
    """Look a circle up by its project ``id`` or its name.

    A name may also be another name of a defined area (:data:`geo.facilities.AREAS`):
    武汉城市圈 finds the circle merged under 武汉都市圈, which has the same members.

    Parameters
    ----------
    projects
        A projects frame (``Atlas.projects``).
    circle
        A project id or a circle's name.

    Returns
    -------
    Circle

    Raises
    ------
    SelectionError
        If no circle of `projects` has that id or name.
    """
    rows = circle_rows(projects)
    hit = rows[(rows["id"].astype(str) == circle) | (rows["name"].astype(str) == circle)]
    if hit.empty:
        from .facilities import AREAS

        members = next((set(a.members) for a in AREAS if circle in a.names), None)
        if members is not None:
            hit = rows[rows["places"].map(lambda v: set(split_codes(v)) == members)]
    if hit.empty:
        known = "、".join(sorted(set(rows["name"].astype(str)))) or "none"
        msg = f"no circle with id or name {circle!r} in this atlas; its circles: {known}"
        raise SelectionError(msg)
    row = hit.iloc[0]
    return Circle(
        id=str(row["id"]),
        name=str(row["name"]),
        members=frozenset(split_codes(row["places"])),
        geometry=row.geometry,
    )


def in_circle(frame: pd.DataFrame, circle: Circle, *, column: str = "places") -> pd.Series:
    """Which rows lie in `circle`: every adcode of `column` is a member or within one.

    Parameters
    ----------
    frame
        Projects (``places`` column, ``;``-joined) or places (``column="adcode"``).
    circle
        From :func:`find_circle`.
    column
        The column holding the row's adcodes.

    Returns
    -------
    pandas.Series
        Boolean, on the index of `frame`; rows with no adcode are not in the circle.
    """
    return frame[column].map(lambda v: circle.contains(split_codes(v))).astype(bool)
