"""Ties between cities: a GeoDataFrame of edges and a feature group of lines.

The width of a line follows the tie's weight on a fixed scale, so a filter that drops
strong ties does not make the weak ones look strong.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, MutableMapping
from typing import Any

import folium
import geopandas as gpd
import networkx as nx
import pandas as pd
from shapely.geometry.base import BaseGeometry

from geo.ties import KIND_WEIGHTS, TIE_COLUMNS, ties_to_gdf
from layers._geojson import Display, Feature, build_features, feature, feature_group
from layers._stored import FeatureStore
from layers.evidence import parse_sources
from layers.popups import tie_popup, tie_tooltip

__all__ = [
    "LEVELS",
    "TIE_COLUMNS",
    "readable_ties",
    "readable_weight",
    "strength",
    "tie_width",
    "ties_frame",
    "ties_layer",
]

#: Networks a researcher can pick: which levels of place both ends of a drawn tie are at.
LEVELS: dict[str, frozenset[str]] = {
    "prefecture": frozenset({"prefecture"}),
    "county": frozenset({"prefecture", "county"}),
    "province": frozenset({"province"}),
}

TIE_COLOR = "#c2185b"
CO_MEMBERSHIP_COLOR = "#9e9ac8"  # ties only a shared area makes: their own, paler layer


def tie_width(weight: float) -> float:
    """Line width in pixels for a tie weight: 1.5 px, growing with √weight, at most 12 px.

    Examples
    --------
    >>> tie_width(0), tie_width(4), tie_width(1000)
    (1.5, 4.5, 12.0)
    """
    if weight <= 0:
        return 1.5
    return float(min(1.5 + 1.5 * math.sqrt(weight), 12.0))


def ties_frame(graph: nx.Graph) -> gpd.GeoDataFrame:
    """Edges of a tie graph as straight lines between the two seats.

    :func:`geo.ties.ties_to_gdf` of ``graph`` (not modified): EPSG:4326, columns
    :data:`geo.ties.TIE_COLUMNS`, strongest first; edges whose ends have no seat are left out.
    """
    return ties_to_gdf(graph)


def readable_weight(weight: float, evidence: Any) -> float:
    """Return a tie's weight with co-membership falling with the size of the cluster.

    :data:`geo.ties.WEIGHT_FORMULA` counts each member list of a shared area once, at
    full weight, so a 31-city cluster makes 465 ties as strong as a stated cooperation.
    For drawing, a member list of ``m`` places counts ``1/(m-1)`` of that instead: what
    one member shares with each of the others.

    Examples
    --------
    >>> members = ";".join(str(i) for i in range(31))
    >>> round(readable_weight(1.0, [{"kind": "co_membership", "members": members}]), 4)
    0.0333
    >>> readable_weight(3.0, [{"kind": "cooperation"}])
    3.0
    """
    items = evidence if isinstance(evidence, list) else parse_sources(evidence, column="evidence")
    lists = {
        str(item["members"])
        for item in items
        if item.get("kind") == "co_membership" and item.get("members")
    }
    full = KIND_WEIGHTS["co_membership"] * len(lists)
    falling = sum(
        KIND_WEIGHTS["co_membership"] / max(len(m.split(";")) - 1, 1) for m in lists
    )
    return max(float(weight) - full + falling, 0.0)


def readable_ties(ties: gpd.GeoDataFrame, graph: nx.Graph) -> gpd.GeoDataFrame:
    """Add what drawing needs to a :func:`ties_frame`: levels, readable weight, co-only.

    Columns added to a copy: ``u_level``, ``v_level`` (from the graph's nodes),
    ``readable_weight`` (:func:`readable_weight`) and ``co_membership_only`` (a tie that
    only shared membership of an area makes).
    """
    levels = {str(n): str(d.get("level") or "") for n, d in graph.nodes(data=True)}
    kinds = ties["kinds"].fillna("").astype(str)
    return ties.assign(
        u_level=ties["u"].astype(str).map(levels).fillna(""),
        v_level=ties["v"].astype(str).map(levels).fillna(""),
        readable_weight=[
            readable_weight(w, e) for w, e in zip(ties["weight"], ties["evidence"], strict=True)
        ],
        co_membership_only=kinds.map(lambda k: set(k.split(";")) == {"co_membership"}),
    )


def strength(ties: pd.DataFrame, *, column: str = "readable_weight") -> dict[str, float]:
    """Weighted degree of every place of ``ties``: the sum of its ties' ``column``.

    Examples
    --------
    >>> frame = pd.DataFrame({"u": ["a", "a"], "v": ["b", "c"], "readable_weight": [2.0, 0.5]})
    >>> strength(frame)
    {'a': 2.5, 'b': 2.0, 'c': 0.5}
    """
    out: dict[str, float] = {}
    for u, v, w in zip(ties["u"].astype(str), ties["v"].astype(str), ties[column], strict=True):
        out[u] = out.get(u, 0.0) + float(w)
        out[v] = out.get(v, 0.0) + float(w)
    return out


def ties_layer(
    ties: gpd.GeoDataFrame,
    *,
    name: str = "联系 ties",
    key: str = "ties",
    show: bool = False,
    display: Display | None = None,
    memo: MutableMapping[str, Feature] | None = None,
    titles: Mapping[str, str] | None = None,
    store: FeatureStore | None = None,
) -> folium.FeatureGroup:
    """Draw ties as a FeatureGroup of lines, width by weight; off by default.

    Parameters
    ----------
    ties
        A frame from :func:`ties_frame` (possibly filtered).
    name
        Layer name; the count is appended.
    key
        The layer's name in the browser when ``store`` is given (one per tie layer).
    show
        Whether the group is on when added to a map directly (off by default: ties are
        many and sit under the projects).
    display
        Transform for drawing only, e.g. :func:`layers.basemaps.to_gcj02`.
    titles
        Document titles by file name, shown in popups instead of file names.
    memo
        Features already made for these ties with this ``display``, by ``"u-v"``.
    store
        Where the features of every tie of the atlas were published: the group then
        only names the ones to show (see :func:`layers.projects.project_layers`).

    Returns
    -------
    folium.FeatureGroup
        Weakest ties first, strongest drawn on top.
    """
    frame = ties.sort_values("weight", kind="stable")
    frame = frame.assign(_key=frame["u"].astype(str) + "-" + frame["v"].astype(str))
    def make(record: dict[str, Any], geometry: BaseGeometry) -> Feature:
        return _tie_feature(record, geometry, titles=titles)

    features = build_features(frame, key="_key", make=make, display=display, memo=memo)
    stored = None if store is None else (store, key, "planatlas-ties", False)
    return feature_group(features, name=f"{name} ({len(features)})", show=show, stored=stored)


def _tie_feature(
    record: dict[str, Any], geometry: BaseGeometry, *, titles: Mapping[str, str] | None = None
) -> Feature:
    weight = float(record.get("readable_weight", record["weight"]))
    color = CO_MEMBERSHIP_COLOR if record.get("co_membership_only") else TIE_COLOR
    style = {"color": color, "weight": tie_width(weight), "opacity": 0.55}
    return feature(
        geometry,
        fid=f"tie-{record['u']}-{record['v']}",
        style=style,
        popup=tie_popup(record, titles=titles, max_evidence=4),
        tooltip=tie_tooltip(record),
    )
