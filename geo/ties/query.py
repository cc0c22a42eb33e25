"""Questions asked of a tie graph: the ties of one place, and the ties as a frame."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..crs import CRS
from .graph import edges_of

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["TIE_COLUMNS", "resolve_place", "ties_of", "ties_to_gdf"]

#: Columns of :func:`ties_to_gdf`, in order (``geometry`` last).
TIE_COLUMNS = (
    "u", "v", "u_name", "v_name", "kinds", "weight", "docs", "projects", "evidence", "geometry",
)


def resolve_place(G: nx.Graph, place: str) -> str:
    """Return the node `place` names: an adcode, a name, or the start of exactly one name.

    Raises
    ------
    ValueError
        If `place` names no node, or several.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("420600", name="襄阳市")
    >>> resolve_place(G, "襄阳"), resolve_place(G, "420600")
    ('420600', '420600')
    """
    if place in G:
        return place
    exact = [n for n, name in G.nodes(data="name") if name == place]
    found = exact or [n for n, name in G.nodes(data="name") if str(name).startswith(place)]
    if len(found) == 1:
        return str(found[0])
    if not found:
        msg = (
            f"no place {place!r} in the graph; pass an adcode such as '420600' or a "
            "name of one of its nodes such as '襄阳市' or '襄阳'"
        )
    else:
        names = ", ".join(f"{n} {G.nodes[n]['name']}" for n in sorted(found))
        msg = f"{place!r} names several places in the graph ({names}); pass the adcode"
    raise ValueError(msg)


def ties_of(G: nx.Graph, place: str, *, with_co_mention: bool = False) -> list[dict[str, Any]]:
    """List the ties of one place, strongest first, with their evidence.

    Parameters
    ----------
    G
        A graph from :func:`geo.ties.build_graph`.
    place
        An adcode, a node's name (襄阳市) or the start of exactly one name (襄阳).
    with_co_mention
        Also list the kept-apart ``co_mention`` ties.

    Returns
    -------
    list of dict
        One per tie: ``adcode`` and ``name`` of the other place, ``kinds``, ``weight``,
        ``evidence``; sorted by weight (descending), then adcode.

    Raises
    ------
    ValueError
        If `place` names no node, or several.
    """
    G = edges_of(G, co_mention=with_co_mention)
    node = resolve_place(G, place)
    out = [
        {
            "adcode": other,
            "name": G.nodes[other].get("name", other),
            "kinds": list(data["kinds"]),
            "weight": float(data["weight"]),
            "evidence": list(data["evidence"]),
        }
        for other, data in G[node].items()
    ]
    return sorted(out, key=lambda t: (-t["weight"], t["adcode"]))


def ties_to_gdf(G: nx.Graph, *, with_co_mention: bool = False) -> gpd.GeoDataFrame:
    """Return the ties of `G` as straight lines between the seats of their places.

    Parameters
    ----------
    G
        A graph from :func:`geo.ties.build_graph`; not modified.
    with_co_mention
        Merge the kept-apart ``co_mention`` ties first.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, strongest first, columns :data:`TIE_COLUMNS`: ``kinds``, ``docs`` and
        ``projects`` (ids of the projects behind the evidence) ';'-joined, ``evidence`` a
        JSON string, ``geometry`` a LineString (lon/lat). Ties whose ends have no seat
        are left out.
    """
    import geopandas as gpd
    from shapely.geometry import LineString

    G = edges_of(G, co_mention=with_co_mention)
    rows: list[dict[str, Any]] = []
    lines: list[LineString] = []
    for u, v, data in G.edges(data=True):
        a, b = G.nodes[u], G.nodes[v]
        if None in (a.get("lon"), a.get("lat"), b.get("lon"), b.get("lat")):
            continue  # a place without a seat cannot be drawn
        evidence = data.get("evidence") or []
        rows.append(
            {
                "u": str(u),
                "v": str(v),
                "u_name": str(a.get("name", u)),
                "v_name": str(b.get("name", v)),
                "kinds": ";".join(data.get("kinds") or ()),
                "weight": float(data.get("weight", 0.0)),
                "docs": ";".join(dict.fromkeys(str(e["doc"]) for e in evidence)),
                "projects": ";".join(
                    dict.fromkeys(str(e["project"]) for e in evidence if e.get("project"))
                ),
                "evidence": json.dumps(evidence, ensure_ascii=False, default=str),
            }
        )
        # (x, y) = (lon, lat), WGS-84
        lines.append(
            LineString([(float(a["lon"]), float(a["lat"])), (float(b["lon"]), float(b["lat"]))])
        )
    order = sorted(range(len(rows)), key=lambda i: (-rows[i]["weight"], rows[i]["u"], rows[i]["v"]))
    return gpd.GeoDataFrame(
        [rows[i] for i in order],
        columns=list(TIE_COLUMNS[:-1]),
        geometry=gpd.GeoSeries([lines[i] for i in order], crs=CRS),
        crs=CRS,
    )
