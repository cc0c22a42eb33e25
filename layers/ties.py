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
from shapely.geometry.base import BaseGeometry

from geo.ties import TIE_COLUMNS, ties_to_gdf
from layers._geojson import Display, Feature, build_features, feature, feature_group
from layers.popups import tie_popup, tie_tooltip

__all__ = ["TIE_COLUMNS", "tie_width", "ties_frame", "ties_layer"]

TIE_COLOR = "#c2185b"


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


def ties_layer(
    ties: gpd.GeoDataFrame,
    *,
    name: str = "联系 ties",
    show: bool = False,
    display: Display | None = None,
    memo: MutableMapping[str, Feature] | None = None,
    titles: Mapping[str, str] | None = None,
) -> folium.FeatureGroup:
    """Draw ties as a FeatureGroup of lines, width by weight; off by default.

    Parameters
    ----------
    ties
        A frame from :func:`ties_frame` (possibly filtered).
    name
        Layer name; the count is appended.
    show
        Whether the group is on when added to a map directly (off by default: ties are
        many and sit under the projects).
    display
        Transform for drawing only, e.g. :func:`layers.basemaps.to_gcj02`.
    titles
        Document titles by file name, shown in popups instead of file names.
    memo
        Features already made for these ties with this ``display``, by ``"u-v"``.

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
    return feature_group(features, name=f"{name} ({len(features)})", show=show)


def _tie_feature(
    record: dict[str, Any], geometry: BaseGeometry, *, titles: Mapping[str, str] | None = None
) -> Feature:
    style = {"color": TIE_COLOR, "weight": tie_width(float(record["weight"])), "opacity": 0.55}
    return feature(
        geometry,
        fid=f"tie-{record['u']}-{record['v']}",
        style=style,
        popup=tie_popup(record, titles=titles),
        tooltip=tie_tooltip(record),
    )
