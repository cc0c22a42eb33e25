r"""One compact ``L.geoJSON`` layer per feature group: style, popup and tooltip per feature.

Each feature carries its Leaflet style and its (already escaped) popup and tooltip HTML in
its properties, and one fixed function binds them. The data are written as JSON by
:func:`safe_json`, which keeps CJK text as UTF-8 (half the bytes of ``\uXXXX``) and
escapes ``<``, ``>``, ``&``, ``'`` and the JavaScript line separators, so no document text
can close the script or be read as code. ``streamlit-folium`` re-sends the feature groups
on every rerun, so their size is what a filter change costs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.map import Layer
from folium.template import Template
from shapely.geometry.base import BaseGeometry

__all__ = [
    "Display",
    "Stored",
    "FeatureLayer",
    "build_features",
    "feature",
    "feature_group",
    "has_geometry",
    "safe_json",
    "stored_group",
]

# A display transform: frame in, new frame out (e.g. layers.basemaps.to_gcj02).
Display = Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]
Feature = dict[str, Any]
# (store, layer key, pane, spread points): where a group's features were published
Stored = tuple[Any, str, str, bool]

_DIGITS = 5  # ~1 m at these latitudes; more only inflates the page

# str.replace per character beats str.translate on long strings by an order of magnitude.
_JS_SAFE = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("'", "\\u0027"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def safe_json(value: Any) -> str:
    r"""Compact JSON that is also safe inside a ``<script>`` element and in ``eval``.

    Examples
    --------
    >>> safe_json({"t": "</script>襄阳"})
    '{"t":"\\u003c/script\\u003e襄阳"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _JS_SAFE:
        text = text.replace(char, escaped)
    return text


def has_geometry(geometry: gpd.GeoSeries) -> pd.Series:
    """Tell which rows have a non-empty geometry (missing and empty both count as none)."""
    values = np.asarray(geometry.array)
    drawable = ~(shapely.is_missing(values) | shapely.is_empty(values))
    return pd.Series(drawable, index=geometry.index, dtype=bool)


def _geometry_json(geometry: BaseGeometry, digits: int) -> dict[str, Any]:
    """GeoJSON geometry dict with coordinates rounded to ``digits`` decimals."""
    # "pointwise" only rounds the vertices; fine for drawing, and much faster than
    # rounding nested lists in Python.
    rounded = shapely.set_precision(geometry, 10.0**-digits, mode="pointwise")
    data: dict[str, Any] = json.loads(shapely.to_geojson(rounded))
    return data


def feature(
    geometry: BaseGeometry,
    *,
    fid: str,
    style: Mapping[str, Any],
    popup: str = "",
    tooltip: str = "",
    digits: int = _DIGITS,
    **properties: Any,
) -> dict[str, Any]:
    """Make a GeoJSON feature dict for :class:`FeatureLayer`.

    Parameters
    ----------
    geometry
        Shapely geometry, (x=lon, y=lat), in the CRS the map shows.
    fid
        Feature id, unique within the group.
    style
        Leaflet path options (``radius`` too, for points).
    popup, tooltip
        HTML, already escaped (see :mod:`layers.popups`); empty for none.
    digits
        Decimal places kept in coordinates.
    **properties
        Extra properties kept on the feature.
    """
    geo = _geometry_json(geometry, digits)
    props: dict[str, Any] = {"style": dict(style), **properties}
    if popup:
        props["popup"] = popup
    if tooltip:
        props["tooltip"] = tooltip
    return {"type": "Feature", "id": fid, "geometry": geo, "properties": props}


def build_features(
    frame: gpd.GeoDataFrame,
    *,
    key: str,
    make: Callable[[dict[str, Any], BaseGeometry], Feature],
    display: Display | None = None,
    memo: MutableMapping[str, Feature] | None = None,
) -> list[Feature]:
    """Features for the rows of ``frame``, in order, made once per key.

    Parameters
    ----------
    frame
        Rows to draw (EPSG:4326 lon/lat); not modified.
    key
        Column whose value identifies a row's feature (``id``, ``adcode``...).
    make
        ``make(record, geometry) -> feature``: the record is the row without geometry.
    display
        Transform applied to the rows before drawing (the GCJ-02 shift), or ``None``.
    memo
        Features already made, by key; new ones are added. Pass one mapping per atlas
        and display transform (a cached frame never changes, so neither do its
        features): a rerun then only looks features up instead of re-escaping every
        popup and re-projecting every vertex.

    Returns
    -------
    list of dict
        One feature per row, in the frame's order.
    """
    memo = {} if memo is None else memo
    # plain str in a list: a dict lookup each (pandas' isin on Arrow strings is ~10x slower)
    keys = [str(k) for k in frame[key].tolist()]
    known = set(memo)  # one C-level copy: safe while another session adds entries
    missing = np.fromiter((k not in known for k in keys), dtype=bool, count=len(keys))
    if missing.any():
        todo = frame[missing]
        if display is not None:
            todo = display(todo)
        geometry = todo.geometry.name
        records = todo.drop(columns=geometry).to_dict("records")
        for code, record, shape in zip(todo[key].astype(str), records, todo.geometry, strict=True):
            memo[code] = make(record, shape)
    return [memo[code] for code in keys]


class FeatureLayer(Layer):
    """An ``L.geoJSON`` layer styled, and bound to popups and tooltips, by its features.

    Points are drawn as circle markers. Add it to a FeatureGroup or a Map like any
    folium layer.

    Parameters
    ----------
    features
        Feature dicts from :func:`feature`.
    name
        Layer name.
    show
        Whether the layer is on when added.
    interactive
        ``False`` for outlines that must not catch clicks (the boundaries basemap).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON({{ this.data_json }}, {
            interactive: {{ this.interactive|tojson }},
            pointToLayer: function(feature, latlng) {
                return L.circleMarker(latlng, feature.properties.style);
            },
            style: function(feature) { return feature.properties.style; },
            onEachFeature: function(feature, layer) {
                var p = feature.properties || {};
                if (p.tooltip) { layer.bindTooltip(p.tooltip, {sticky: true}); }
                if (p.popup) { layer.bindPopup(p.popup, {maxWidth: 380}); }
                if (p.popup || p.tooltip) {
                    layer.on("mouseover", function() {
                        layer.setStyle({weight: (p.style.weight || 2) + 2});
                    });
                    layer.on("mouseout", function() { layer.setStyle(p.style); });
                }
            }
        });
        {% endmacro %}
        """
    )

    def __init__(
        self,
        features: Iterable[Mapping[str, Any]],
        *,
        name: str | None = None,
        show: bool = True,
        interactive: bool = True,
    ) -> None:
        super().__init__(name=name, overlay=True, control=False, show=show)
        self._name = "FeatureLayer"
        self.data = {"type": "FeatureCollection", "features": list(features)}
        self.interactive = interactive

    @property
    def data_json(self) -> str:
        """The features as script-safe JSON."""
        return safe_json(self.data)


def feature_group(
    features: Iterable[Mapping[str, Any]],
    *,
    name: str,
    show: bool = True,
    stored: Stored | None = None,
) -> folium.FeatureGroup:
    """Wrap the features in a FeatureGroup holding one :class:`FeatureLayer`.

    Parameters
    ----------
    features
        Feature dicts (:func:`feature`).
    name
        Layer name.
    show
        Whether the group is on when added.
    stored
        ``(store, key, pane, spread)``: refer to the features in a published file
        (:mod:`layers._stored`) instead of carrying them; the group is then always made,
        even empty, so the browser hides what the filter removed.

    Returns
    -------
    folium.FeatureGroup
        Never added to a map here: the caller decides.
    """
    collected = list(features)
    if stored is not None:
        return stored_group(stored[0].positions(collected), name=name, show=show, stored=stored)
    group = folium.FeatureGroup(name=name, show=show)
    if collected:
        FeatureLayer(collected, name=name).add_to(group)
    return group


def stored_group(
    positions: Sequence[int], *, name: str, stored: Stored, show: bool = True
) -> folium.FeatureGroup:
    """Make a FeatureGroup showing the features at ``positions`` of a published file.

    Parameters
    ----------
    positions
        Positions in the file (:meth:`layers._stored.FeatureStore.index_of`).
    name
        Layer name.
    stored
        ``(store, key, pane, spread)`` (see :func:`feature_group`).
    show
        Whether the group is on when added.
    """
    from layers._stored import StoredLayer

    group = folium.FeatureGroup(name=name, show=show)
    store, key, pane, spread = stored
    StoredLayer(
        store, positions, key=key, pane=pane, spread=spread, canvas=store.canvas
    ).add_to(group)
    return group
