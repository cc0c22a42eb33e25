"""Basemaps and the base map: tiles, boundaries for the tile-less view, GCJ-02 shift.

Data stay in WGS-84 (EPSG:4326) everywhere; AMap/Gaode tiles are drawn in GCJ-02, so for
that basemap every geometry is shifted with :func:`to_gcj02` *at display time only*
(downloads never see the shift). Tianditu tiles are CGCS2000, practically WGS-84, and need
a key (``PLANATLAS_TIANDITU_KEY``). The "none" basemap draws province and county
boundaries from the gazetteer instead of tiles, and needs no network at all.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement
from fast_geocn import wgs84_to_gcj02
from jinja2 import Template

from geo._errors import CRSError
from geo.crs import CRS
from layers._geojson import Feature, FeatureLayer, feature, safe_json
from layers._stored import FeatureStore, Runtime, StoredLayer
from layers.popups import PopupStyle
from layers.styles import Legend

__all__ = [
    "Basemap",
    "ImageButton",
    "BASEMAPS",
    "DEFAULT_BASEMAP",
    "NO_TILES",
    "TIANDITU_ENV",
    "BASEMAP_ENV",
    "DEFAULT_CENTER",
    "DEFAULT_ZOOM",
    "available_basemaps",
    "default_basemap",
    "base_map",
    "boundaries_layer",
    "boundary_features",
    "fit_view",
    "main_provinces",
    "simplify_boundaries",
    "tianditu_key",
    "to_gcj02",
]

TIANDITU_ENV = "PLANATLAS_TIANDITU_KEY"
BASEMAP_ENV = "PLANATLAS_BASEMAP"  # the basemap a new session starts with
DEFAULT_CENTER = (31.2, 112.9)  # (lat, lon) for folium: between 襄阳 and 武汉
DEFAULT_ZOOM = 7
NO_TILES = "无底图 none (boundaries)"


@dataclass(frozen=True)
class TileSpec:
    """One tile layer: an XYZ template with its attribution."""

    url: str
    attribution: str
    subdomains: str = "abc"
    max_zoom: int = 18


@dataclass(frozen=True)
class Basemap:
    """A basemap choice: its tile layers and whether geometries must be shifted to GCJ-02."""

    name: str
    tiles: tuple[TileSpec, ...] = ()
    gcj02: bool = False
    needs_key: bool = False

    @property
    def boundaries(self) -> bool:
        """Whether gazetteer boundaries stand in for tiles."""
        return not self.tiles and not self.needs_key


_OSM = TileSpec(
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    subdomains="abc",
    max_zoom=19,
)
_CARTO = TileSpec(
    "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
    '&copy; <a href="https://carto.com/attributions">CARTO</a>',
    subdomains="abcd",
    max_zoom=20,
)
_AMAP = TileSpec(
    "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
    "&x={x}&y={y}&z={z}",
    "&copy; 高德地图 AutoNavi (GCJ-02)",
    subdomains="1234",
    max_zoom=18,
)
_TIANDITU = (
    "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
    "&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)

BASEMAPS: dict[str, Basemap] = {
    "OpenStreetMap": Basemap("OpenStreetMap", (_OSM,)),
    "CartoDB Positron": Basemap("CartoDB Positron", (_CARTO,)),
    "高德 AMap (GCJ-02)": Basemap("高德 AMap (GCJ-02)", (_AMAP,), gcj02=True),
    "天地图 Tianditu": Basemap("天地图 Tianditu", (), needs_key=True),
    NO_TILES: Basemap(NO_TILES),
}
# Offline first: the map starts on gazetteer boundaries and names, which need no network;
# tiles are a choice (and PLANATLAS_BASEMAP picks another start).
DEFAULT_BASEMAP = NO_TILES


def tianditu_key(environ: Mapping[str, str] | None = None) -> str:
    """Read the Tianditu key from ``PLANATLAS_TIANDITU_KEY`` ('' when unset)."""
    env = os.environ if environ is None else environ
    return env.get(TIANDITU_ENV, "").strip()


def available_basemaps(environ: Mapping[str, str] | None = None) -> list[str]:
    """Names of the basemaps that can be shown (Tianditu only with a key)."""
    key = tianditu_key(environ)
    return [name for name, spec in BASEMAPS.items() if not spec.needs_key or key]


def default_basemap(environ: Mapping[str, str] | None = None) -> str:
    """Pick the basemap a session starts with: ``PLANATLAS_BASEMAP`` if it names one.

    A deployment with no internet can start on the boundaries basemap, one in mainland
    China on AMap; the name is matched case-insensitively on its leading word
    (``none``, ``amap``, ``openstreetmap``...) as well as exactly.

    Examples
    --------
    >>> default_basemap({"PLANATLAS_BASEMAP": "none"}) == NO_TILES
    True
    >>> default_basemap({}) == NO_TILES
    True
    """
    env = os.environ if environ is None else environ
    wanted = env.get(BASEMAP_ENV, "").strip().lower()
    names = available_basemaps(environ)
    for name in names:
        words = {name.lower(), *name.lower().replace("(", " ").split()}
        if wanted and wanted in words:
            return name
    return DEFAULT_BASEMAP


def _tile_specs(basemap: Basemap, key: str) -> tuple[TileSpec, ...]:
    if not basemap.needs_key:
        return basemap.tiles
    if not key:
        raise ValueError(
            f"basemap {basemap.name!r} needs a key: set the environment variable "
            f"{TIANDITU_ENV} or pick another basemap"
        )
    attribution = "&copy; 天地图 Tianditu"
    safe = quote(key, safe="")
    return (
        TileSpec(_TIANDITU.format(layer="vec", key=safe), attribution, "01234567", 18),
        TileSpec(_TIANDITU.format(layer="cva", key=safe), attribution, "01234567", 18),
    )


def _gcj02_coords(coords: np.ndarray) -> np.ndarray:
    """(N, 2) lon/lat WGS-84 → (N, 2) lon/lat GCJ-02, one library call per vertex."""
    out = np.empty_like(coords)
    for i, (lng, lat) in enumerate(coords):
        out[i] = wgs84_to_gcj02(float(lng), float(lat))
    return out


def to_gcj02(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Shift every vertex of a copy of ``frame`` from WGS-84 to GCJ-02, for display.

    The CRS label stays EPSG:4326 because GCJ-02 has no EPSG code; the result is only
    for drawing over AMap/Gaode tiles, never for export. Points outside China are left
    where they are (the library does so).

    Parameters
    ----------
    frame
        A GeoDataFrame in EPSG:4326 (x=lon, y=lat). Not modified.

    Returns
    -------
    geopandas.GeoDataFrame
        Same rows and columns, shifted geometry.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> shifted = to_gcj02(gpd.GeoDataFrame(geometry=[Point(112.14, 32.04)], crs=4326))
    >>> round(float(shifted.geometry.x[0]), 4), round(float(shifted.geometry.y[0]), 4)
    (112.1461, 32.038)
    """
    if frame.crs is None or not frame.crs.equals(CRS):
        got = "no CRS" if frame.crs is None else f"crs={frame.crs.to_string()!r}"
        raise CRSError(
            f"to_gcj02 expects lon/lat in {CRS}, got {got}; "
            f"call frame.to_crs({CRS!r}) or frame.set_crs({CRS!r}) first"
        )
    geometry = shapely.transform(np.asarray(frame.geometry.array), _gcj02_coords)
    shifted = gpd.GeoSeries(geometry, index=frame.index, crs=frame.crs)
    out = frame.set_geometry(shifted)  # set_geometry returns a new frame
    out.attrs["display_datum"] = "GCJ-02"
    return out


def main_provinces(adcodes: Iterable[str], *, share: float = 0.1) -> tuple[str, ...]:
    """Two-digit codes of the provinces that hold at least ``share`` of the places.

    The tile-less basemap draws county outlines only there: all the provinces a plan
    mentions once would mean thousands of counties in every map script.

    Examples
    --------
    >>> main_provinces(["420100", "420600", "430100", "110000"], share=0.3)
    ('42',)
    """
    counts = Counter(str(code)[:2] for code in adcodes)
    total = sum(counts.values())
    return tuple(sorted(code for code, n in counts.items() if total and n / total >= share))


def simplify_boundaries(frame: gpd.GeoDataFrame, *, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify a copy of ``frame``'s boundaries for display (tolerance in degrees)."""
    simplified = frame.geometry.simplify(tolerance, preserve_topology=True)
    out = frame.set_geometry(simplified)
    return out[~out.geometry.is_empty]


def boundaries_layer(
    frame: gpd.GeoDataFrame, *, weight: float, color: str = "#666666", digits: int = 3
) -> FeatureLayer:
    """Draw boundary outlines as one non-interactive layer (no popups, no control entry).

    Parameters
    ----------
    frame
        Boundaries (``Gazetteer.boundaries(level)``), EPSG:4326, already simplified.
    weight
        Line width in pixels.
    color
        Line colour.
    digits
        Decimal places kept in coordinates (3 ≈ 100 m, enough for an outline).
    """
    features = boundary_features(frame, weight=weight, color=color, digits=digits)
    return FeatureLayer(features, interactive=False)


def boundary_features(
    frame: gpd.GeoDataFrame,
    *,
    weight: float,
    color: str = "#666666",
    digits: int = 3,
    prefix: str = "boundary",
) -> list[Feature]:
    """Outline features of a boundaries frame (see :func:`boundaries_layer`).

    Ids are ``"<prefix>-<n>"``: give each frame its own prefix when several are published
    together (``boundary-county``, ``boundary-province``).
    """
    style = {"color": color, "weight": weight, "opacity": 0.8, "fill": False}
    return [
        feature(geometry, fid=f"{prefix}-{i}", style=style, digits=digits)
        for i, geometry in enumerate(frame.geometry)
        if geometry is not None and not geometry.is_empty
    ]


#: Zoom from which county names are shown; prefecture names are always shown.
COUNTY_LABEL_ZOOM = 8


class PlaceLabels(MacroElement):
    """Names of places drawn on the map itself, for a basemap without tiles.

    Prefecture names (or any label given with ``min_zoom`` 0) are always shown; county
    names from ``min_zoom`` on, so a map of a province is not a wall of text. Labels are
    text in non-interactive markers: they never take a click meant for a project.

    Parameters
    ----------
    labels
        ``(lat, lon, text, min_zoom)`` per label; lat/lon as Leaflet wants them.

    Examples
    --------
    >>> m = folium.Map(tiles=None)
    >>> _ = PlaceLabels([(32.04, 112.14, "襄阳市", 0)]).add_to(m)
    >>> "planatlas-label" in m.get_root().render()
    True
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>.planatlas-label{background:none;border:none;font:12px/1.2 sans-serif;
        color:#333;white-space:nowrap;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff;
        pointer-events:none;transform:translate(-50%,-50%);width:auto!important;
        height:auto!important}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var groups = {};
            {{ this.labels_json }}.forEach(function(l) {
                var group = groups[l[3]] || (groups[l[3]] = L.layerGroup());
                var span = document.createElement("span");
                span.textContent = l[2];
                L.marker([l[0], l[1]], {
                    interactive: false, keyboard: false,
                    icon: L.divIcon({className: "planatlas-label", html: span.outerHTML})
                }).addTo(group);
            });
            function show() {
                Object.keys(groups).forEach(function(z) {
                    if (map.getZoom() >= +z) { groups[z].addTo(map); }
                    else { map.removeLayer(groups[z]); }
                });
            }
            map.on("zoomend", show);
            show();
        })();
        {% endmacro %}
        """
    )

    def __init__(self, labels: Iterable[tuple[float, float, str, int]]) -> None:
        super().__init__()
        self._name = "PlaceLabels"
        # the app draws the same labels on every rerun: made into JSON once
        self.labels_json = _labels_json(tuple(tuple(label) for label in labels))


@lru_cache(maxsize=8)
def _labels_json(labels: tuple[tuple[float, float, str, int], ...]) -> str:
    """Script-safe JSON of ``(lat, lon, text, min_zoom)`` labels, ~10 m precision."""
    rows = [
        [round(float(lat), 4), round(float(lon), 4), str(text), int(zoom)]
        for lat, lon, text, zoom in labels
    ]
    # CJK kept as UTF-8; <, >, & escaped so no name can close the script
    return safe_json(rows)


class ImageButton(MacroElement):
    """A map button that saves the map as it is on screen as a PNG.

    The drawing script (``dom-to-image-more``, served by the app, see ``layers/vendor``)
    is loaded on the first click only. The file is named ``window.planatlas.imageName``
    (set by each rerun, after what the view holds) or ``planatlas-map.png``.

    Parameters
    ----------
    script
        URL of ``dom-to-image-more.min.js`` (:func:`layers.assets.vendor_url`).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var control = L.control({position: "topleft"});
            function load(src) {
                if (window.domtoimage) { return Promise.resolve(); }
                return new Promise(function(resolve, reject) {
                    var s = document.createElement("script");
                    s.src = src; s.onload = resolve; s.onerror = reject;
                    document.head.appendChild(s);
                });
            }
            control.onAdd = function() {
                var button = L.DomUtil.create("a", "planatlas-image leaflet-bar");
                button.href = "#"; button.title = "保存地图图片 Save an image of the map";
                button.textContent = "⤓ PNG";
                button.style.cssText = "background:#fff;padding:2px 6px;width:auto;"
                    + "font:bold 11px/22px sans-serif;color:#333;text-decoration:none";
                L.DomEvent.disableClickPropagation(button);
                L.DomEvent.on(button, "click", function(e) {
                    L.DomEvent.preventDefault(e);
                    button.textContent = "…";
                    load({{ this.script|tojson }}).then(function() {
                        return window.domtoimage.toPng(map.getContainer(), {
                            bgcolor: "#ffffff",
                            filter: function(node) {  // not the button itself
                                var c = node.classList;
                                return !(c && c.contains("planatlas-image"));
                            }
                        });
                    }).then(function(url) {
                        var a = document.createElement("a");
                        a.href = url;
                        a.download = (window.planatlas && window.planatlas.imageName)
                            || "planatlas-map.png";
                        document.body.appendChild(a); a.click(); a.remove();
                        window.__planatlas_image = url.length;
                    }).catch(function(err) { console.error("planatlas image", err); })
                      .then(function() { button.textContent = "⤓ PNG"; });
                });
                return button;
            };
            control.addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, script: str) -> None:
        super().__init__()
        self._name = "ImageButton"
        self.script = script


def place_labels(
    frame: gpd.GeoDataFrame, *, min_zoom: int = 0
) -> list[tuple[float, float, str, int]]:
    """Labels for the units of a boundaries frame: each ``name`` inside its own area.

    The point is :meth:`shapely.Polygon.representative_point` (always inside the unit,
    unlike a centroid), in the frame's lon/lat.
    """
    out = []
    for name, geometry in zip(frame["name"], frame.geometry, strict=True):
        if geometry is None or geometry.is_empty:
            continue
        point = geometry.representative_point()  # x = lon, y = lat
        out.append((point.y, point.x, str(name), min_zoom))
    return out


def base_map(
    basemap: str = DEFAULT_BASEMAP,
    *,
    boundaries: Sequence[tuple[gpd.GeoDataFrame, float]] = (),
    labels: Sequence[tuple[float, float, str, int]] = (),
    legend_kinds: Iterable[str] = (),
    boundaries_store: FeatureStore | None = None,
    image_script: str | None = None,
    location: tuple[float, float] = DEFAULT_CENTER,
    zoom: int = DEFAULT_ZOOM,
    environ: Mapping[str, str] | None = None,
) -> folium.Map:
    """Build the map every layer is drawn on: tiles (or boundaries), legend, popup style.

    The same arguments always give the same map script, which is what lets
    ``streamlit-folium`` keep the map mounted while only the feature groups change.

    Parameters
    ----------
    basemap
        A key of :data:`BASEMAPS`.
    boundaries
        ``(frame, line width)`` pairs drawn when the basemap has no tiles (ignored
        otherwise); frames in EPSG:4326, simplified by the caller.
    labels
        Place names drawn when the basemap has no tiles (:class:`PlaceLabels`).
    legend_kinds
        Kinds listed in the legend.
    boundaries_store
        The outlines already published (:func:`boundary_features`,
        :func:`layers._stored.publish`): drawn from that file instead of ``boundaries``,
        so the map script stays small.
    image_script
        URL of the served ``dom-to-image-more`` script: adds a button that saves the map
        as a PNG (:class:`ImageButton`).
    location
        Initial centre, (lat, lon) as folium wants it.
    zoom
        Initial zoom.
    environ
        Where to read ``PLANATLAS_TIANDITU_KEY`` (default ``os.environ``).

    Returns
    -------
    folium.Map
        Not localized: call :func:`layers.assets.localize` before showing it offline.

    Raises
    ------
    ValueError
        For an unknown basemap, or Tianditu without a key.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"basemap={basemap!r} is not one of {sorted(BASEMAPS)}")
    spec = BASEMAPS[basemap]
    tiles = _tile_specs(spec, tianditu_key(environ))
    m = folium.Map(
        location=list(location),
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
    )
    for tile in tiles:
        folium.TileLayer(
            tiles=tile.url,
            attr=tile.attribution,
            name=basemap,
            subdomains=tile.subdomains,
            max_zoom=tile.max_zoom,
            control=False,
        ).add_to(m)
    Runtime().add_to(m)
    if spec.boundaries:
        if boundaries_store is not None:
            StoredLayer(
                boundaries_store, sorted(boundaries_store.index.values()), key="boundaries",
                pane="planatlas-boundaries", interactive=False,
            ).add_to(m)  # fmt: skip
        else:
            for frame, weight in boundaries:
                boundaries_layer(frame, weight=weight).add_to(m)
        if labels:
            PlaceLabels(labels).add_to(m)
    kinds = list(legend_kinds)
    if kinds:
        Legend(kinds).add_to(m)
    if image_script:
        ImageButton(image_script).add_to(m)
    PopupStyle().add_to(m)
    return m


def fit_view(
    bounds: tuple[float, float, float, float] | None,
    *,
    width: int = 900,
    height: int = 620,
    max_zoom: int = 13,
) -> tuple[tuple[float, float], int]:
    """Centre and zoom that show ``bounds`` in a map of ``width`` × ``height`` pixels.

    Parameters
    ----------
    bounds
        ``(min lon, min lat, max lon, max lat)``; ``None`` gives the default view.
    width, height
        Size of the map in pixels.
    max_zoom
        Upper limit, so a single point does not zoom to street level.

    Returns
    -------
    tuple
        ``((lat, lon), zoom)`` — (lat, lon) order, as folium and Leaflet want it.

    Examples
    --------
    >>> fit_view((110.2, 31.3, 113.9, 33.0))
    ((32.15, 112.05), 8)
    """
    if bounds is None:
        return DEFAULT_CENTER, DEFAULT_ZOOM
    min_lon, min_lat, max_lon, max_lat = bounds

    def mercator_y(lat: float) -> float:
        lat = max(min(lat, 85.0), -85.0)
        return float(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))

    lon_span = max(max_lon - min_lon, 1e-6) / 360.0
    y_span = max(mercator_y(max_lat) - mercator_y(min_lat), 1e-6) / (2 * np.pi)
    zoom_x = np.log2(width / 256.0 / lon_span)
    zoom_y = np.log2(height / 256.0 / y_span)
    zoom = int(max(min(np.floor(min(zoom_x, zoom_y)), max_zoom), 3))
    center = (round((min_lat + max_lat) / 2, 6), round((min_lon + max_lon) / 2, 6))
    return center, zoom
