"""Feature group of places: a circle at each admin seat, sized by how often it is named."""

from __future__ import annotations

import math
from collections.abc import Mapping, MutableMapping
from typing import Any

import folium
import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from geo.crs import to_wgs84
from layers._geojson import Display, Feature, build_features, feature, feature_group, has_geometry
from layers._stored import FeatureStore
from layers.popups import place_popup, place_tooltip
from layers.styles import LEVEL_COLORS

__all__ = ["place_radius", "places_layer"]


def place_radius(mentions: float) -> float:
    """Circle radius in pixels: grows with the square root of mentions (or weighted degree).

    3 to 18 px.

    Examples
    --------
    >>> place_radius(0), place_radius(1), place_radius(100)
    (3.0, 5.0, 18.0)
    """
    if mentions <= 0:
        return 3.0
    return float(min(3.0 + 2.0 * math.sqrt(mentions), 18.0))


def places_layer(
    places: gpd.GeoDataFrame,
    *,
    name: str = "地点 places",
    show: bool = True,
    display: Display | None = None,
    memo: MutableMapping[str, Feature] | None = None,
    titles: Mapping[str, str] | None = None,
    store: FeatureStore | None = None,
) -> folium.FeatureGroup:
    """Draw places as a FeatureGroup of circle markers, one per place with a geometry.

    Parameters
    ----------
    places
        Rows of ``Atlas.places`` (Points at the admin seat, x=lon, y=lat); with a
        ``strength`` column (weighted degree, :func:`layers.ties.strength`) circles are
        sized by it, else by ``mentions``.
    name
        Layer name; the count of places is appended.
    show
        Whether the group is on when added to a map directly.
    display
        Transform for drawing only, e.g. :func:`layers.basemaps.to_gcj02`.
    titles
        Document titles by file name, shown in popups instead of file names.
    memo
        Features already made for these places with this ``display``, by adcode.
    store
        Where the features of every place of the atlas were published: the group then
        only names the ones to show (see :func:`layers.projects.project_layers`).

    Returns
    -------
    folium.FeatureGroup
        Largest circles first, so small ones stay clickable on top.
    """
    frame = to_wgs84(places[has_geometry(places.geometry)], name="places")
    frame = frame.sort_values("mentions", ascending=False, kind="stable")
    def make(record: dict[str, Any], geometry: BaseGeometry) -> Feature:
        return _place_feature(record, geometry, titles=titles)

    features = build_features(frame, key="adcode", make=make, display=display, memo=memo)
    stored = None if store is None else (store, "places", "planatlas-places", False)
    return feature_group(features, name=f"{name} ({len(features)})", show=show, stored=stored)


def _place_feature(
    record: dict[str, Any], geometry: BaseGeometry, *, titles: Mapping[str, str] | None = None
) -> Feature:
    color = LEVEL_COLORS.get(str(record.get("level")), "#252525")
    # sized by weighted degree (its ties' weights) when known, else by mentions
    size = record.get("strength")
    size = float(record.get("mentions") or 0) if size is None or size != size else float(size)
    style = {
        "radius": place_radius(size),
        "color": color,
        "weight": 1.5,
        "opacity": 0.9,
        "fillColor": "#ffffff",
        "fillOpacity": 0.55,
    }
    return feature(
        geometry,
        fid=f"place-{record['adcode']}",
        style=style,
        popup=place_popup(record, titles=titles),
        tooltip=place_tooltip(record),
        adcode=str(record["adcode"]),
    )
