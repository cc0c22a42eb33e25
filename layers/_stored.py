r"""Map features sent once per atlas as a static file; a filter change sends only ids.

``streamlit-folium`` sends the map script and every feature group again on each rerun; with a
library of hundreds of plans that is megabytes per click. Here the features of a whole
atlas (every project, place and tie, popups included) are written once to a content-named
JSON file under the app's ``static/`` folder (:func:`publish`), which the browser fetches
once. Each rerun then hands the map a few :class:`StoredLayer`\ s: a layer name, the file's
URL and the positions of the features to show.

In the browser, :class:`Runtime` (part of the map script, so it arrives with the map) keeps
one Leaflet group per layer name alive across reruns and only adds and removes the features
that changed, in a map pane per layer (areas under lines under ties under places under
project points, so a site at a city seat is clicked, not the city's circle). Points are
spread so that none is drawn on another, whether they share a spot or only lie close
(a city seat and its district's): each one moves to the nearest free slot on rings around
its spot (after OverlappingMarkerSpiderfier, MIT licence, G. MacKerron), with a thin leg to
the true spot, laid out again on every zoom, so each one can be clicked. A stack of more
than :data:`BIG_STACK` (hundreds of projects placed at one city seat in a large library)
is one cluster marker showing its count until zoom :data:`BIG_ZOOM`; a click on it zooms
there, where its points are spread. A large atlas keeps its popups in a second file,
fetched once the map has drawn.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from branca.element import MacroElement
from folium.map import Layer
from folium.template import Template

from layers._geojson import Feature, safe_json

__all__ = [
    "DATA_DIR",
    "PANES",
    "FeatureStore",
    "Focus",
    "Runtime",
    "StoredLayer",
    "Sweep",
    "publish",
]

logger = logging.getLogger(__name__)

DATA_DIR = "data"  # under static/planatlas/
KEEP_FILES = 24  # data files kept; older ones are removed when a new one is written

#: Map panes of the stored layers, bottom to top, with their z-index (Leaflet's overlay
#: pane is 400, markers 600, tooltips 650, popups 700).
PANES: dict[str, int] = {
    "planatlas-boundaries": 350,
    "planatlas-areas": 410,
    "planatlas-lines": 420,
    "planatlas-ties": 430,
    "planatlas-places": 440,
    "planatlas-points": 450,
    "planatlas-clusters": 460,
}


@dataclass(frozen=True)
class FeatureStore:
    """Features published in one file: its URL and each feature's position, by id."""

    url: str
    index: Mapping[str, int]
    canvas: bool = False  # draw its features on a canvas (see StoredLayer)
    popups: str | None = None  # URL of the popups, when kept apart (see publish)

    def positions(self, features: Iterable[Feature]) -> list[int]:
        """Positions in the file of ``features`` (by their ``id``), in the given order.

        Raises
        ------
        KeyError
            When a feature is not in the file: publish the atlas's features first.
        """
        return self.index_of(str(item["id"]) for item in features)

    def index_of(self, ids: Iterable[str]) -> list[int]:
        """Positions in the file of the features ``ids``, in the given order.

        Raises
        ------
        KeyError
            When a feature is not in the file: publish the atlas's features first.
        """
        out = []
        for fid in ids:
            if fid not in self.index:
                raise KeyError(f"feature {fid!r} is not in {self.url!r}; publish it first")
            out.append(self.index[fid])
        return out


#: Stacks of more points than this are spread only from zoom BIG_ZOOM on; below it they
#: are one cluster marker with their count, which zooms in to them when clicked.
BIG_STACK = 60
BIG_ZOOM = 11
GAP = 15  # px: no two spread points closer (a point is at most ~12 px across)

#: From this many features on, a published atlas is drawn on a canvas, not as SVG, and
#: its popups are a file of their own, fetched once the map has drawn.
CANVAS_FROM = 3000


def publish(
    features: Sequence[Feature],
    *,
    folder: str | Path,
    base_url: str,
    popups_apart: bool | None = None,
) -> FeatureStore:
    """Write ``features`` to ``folder/data/<hash>.json`` (once) and index them.

    Parameters
    ----------
    features
        Feature dicts (:func:`layers._geojson.feature`), ids unique.
    folder
        The served asset folder (``static/planatlas``).
    base_url
        The URL of ``folder`` (:func:`layers.assets.static_base_url`).
    popups_apart
        Write the popups to a file of their own; default: from :data:`CANVAS_FROM`
        features on.

    Returns
    -------
    FeatureStore
        The file's URL and the position of every feature id; from :data:`CANVAS_FROM`
        features on, the popups are written apart (``popups``: a list by position), so
        the map draws before their text (half the bytes of a large atlas) arrives.

    Raises
    ------
    ValueError
        When two features share an id.
    """
    index: dict[str, int] = {}
    for position, item in enumerate(features):
        fid = str(item["id"])
        if fid in index:
            raise ValueError(f"two features have the id {fid!r}; ids must be unique to publish")
        index[fid] = position
    large = len(index) >= CANVAS_FROM
    target = Path(folder) / DATA_DIR
    popups_url = None
    if large if popups_apart is None else popups_apart:
        popups = [str(item["properties"].get("popup", "")) for item in features]
        features = [_without_popup(item) for item in features]
        popups_url = _write(popups, target=target, base_url=base_url, what="popups")
    url = _write(list(features), target=target, base_url=base_url, what="features")
    return FeatureStore(url, index, canvas=large, popups=popups_url)


def _without_popup(item: Feature) -> Feature:
    properties = {k: v for k, v in item["properties"].items() if k != "popup"}
    return {**item, "properties": properties}


def _write(value: Any, *, target: Path, base_url: str, what: str) -> str:
    """Write ``value`` as JSON to ``target/<hash>.json`` (once); return its URL."""
    data = safe_json(value).encode("utf-8")  # script-safe, though only ever parsed as JSON
    name = hashlib.sha1(data).hexdigest()[:20] + ".json"
    target.mkdir(parents=True, exist_ok=True)
    path = target / name
    if not path.is_file():
        tmp = path.with_name(f"{name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a browser never reads half a file
        logger.info("published %s (%d kB) to %s", what, len(data) // 1024, path)
        _prune(target, keep=path)
    else:
        # published before: it is in use again, so it counts as new when files are pruned
        # (an old file kept by name and then pruned by age was read after it was gone)
        path.touch()
    return f"{base_url.rstrip('/')}/{DATA_DIR}/{name}"


def _prune(folder: Path, *, keep: Path) -> None:
    """Remove all but the newest :data:`KEEP_FILES` data files (never ``keep``)."""
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP_FILES:]:
        if old != keep:
            old.unlink(missing_ok=True)


_RUNTIME_JS = r"""
(function() {
  if (window.planatlas) { return; }
  var P = window.planatlas = {
    data: {}, popups: {}, popupsWanted: {}, groups: {}, made: {}, spreadKeys: {}
  };
  P.panes = function(map) {
    Object.keys(PANES).forEach(function(name) {
      if (!map.getPane(name)) { map.createPane(name).style.zIndex = PANES[name]; }
    });
  };
  P.load = function(url) {
    return P.data[url] || (P.data[url] = fetch(url, {credentials: "same-origin"})
      .then(function(r) {
        if (!r.ok) { throw new Error("planatlas: " + url + " " + r.status); }
        return r.json();
      }));
  };
  // One canvas for every layer of a large atlas (thousands of SVG paths are slow to make);
  // its draw order, which is also its click order, is kept by P.order.
  P.renderer = function(map, opts) {
    if (opts.pane === "planatlas-boundaries") {
      return P.outlines || (P.outlines = L.canvas({pane: opts.pane, padding: 0.3}));
    }
    if (!opts.canvas) { return undefined; }
    return P.canvas || (P.canvas = L.canvas({pane: "planatlas-points", padding: 0.3}));
  };
  P.order = function() {
    if (!P.canvas) { return; }
    Object.keys(PANES).forEach(function(pane) {
      Object.keys(P.groups).forEach(function(key) {
        var state = P.groups[key];
        if (state.pane !== pane || !state.group._map) { return; }
        state.group.eachLayer(function(layer) {
          if (layer.options.renderer === P.canvas && layer._map) { layer.bringToFront(); }
        });
      });
    });
  };
  P.make = function(f, opts, map) {
    var p = f.properties || {};
    // a project drawn as a point (a line or area placed only by its jurisdiction too) sits
    // with the other points, above the places, and is spread with them
    var pane = opts.spread && f.geometry.type === "Point" ? "planatlas-points" : opts.pane;
    opts = Object.assign({}, opts, {pane: pane});
    var style = Object.assign({}, p.style, {pane: pane, interactive: opts.interactive});
    var renderer = P.renderer(map, opts);
    if (renderer) { style.renderer = renderer; }
    var layer = L.GeoJSON.geometryToLayer(f, {
      pointToLayer: function(ft, latlng) { return L.circleMarker(latlng, style); },
      style: style
    });
    if (layer.setStyle) { layer.setStyle(style); }
    layer.options.pane = opts.pane;
    layer.options.interactive = opts.interactive;
    if (renderer) { layer.options.renderer = renderer; }
    layer.feature = f;
    if (opts.interactive) {
      if (p.tooltip) { layer.bindTooltip(p.tooltip, {sticky: true}); }
      if (p.popup) { layer.bindPopup(p.popup, {maxWidth: 380}); }
      else if (opts.popups) {  // kept apart: read when opened (fetched once drawn)
        layer.bindPopup(function() { return P.popupOf(layer, opts.popups); }, {maxWidth: 380});
      }
      if (p.popup || opts.popups || p.tooltip) {
        layer.on("mouseover", function() { layer.setStyle({weight: (p.style.weight || 2) + 2}); });
        layer.on("mouseout", function() { layer.setStyle(p.style); });
      }
    }
    return layer;
  };
  // Popups kept in a file of their own (a large atlas): fetched once the map has drawn,
  // then put on the features, where a popup opened before they came finds its text.
  P.loadPopups = function(url, featuresUrl) {
    return P.popups[url] || (P.popups[url] = P.load(url).then(function(texts) {
      return P.load(featuresUrl).then(function(features) {
        features.forEach(function(f, i) { f.properties.popup = texts[i] || ""; });
        return texts;
      });
    }));
  };
  P.popupOf = function(layer, url) {
    var p = layer.feature.properties;
    if (p.popup !== undefined) { return p.popup; }
    P.loadPopups(url, layer.featuresUrl).then(function() {
      if (layer.isPopupOpen()) { layer.getPopup().setContent(p.popup); }
    });
    return "…";
  };
  // Show the features at `ids` of the file `url` as the layer `key`; only what changed moves.
  P.show = function(map, key, url, ids, opts) {
    P.panes(map);
    var state = P.groups[key];
    if (!state) {
      state = P.groups[key] = {
        group: L.featureGroup(), shown: {}, url: url, token: 0, pane: opts.pane
      };
    }
    if (!state.group._map) { state.group.addTo(map); }
    var token = ++state.token;
    if (opts.spread) { P.spreadKeys[key] = true; }
    P.pending = (P.pending || 0) + 1;
    return P.load(url).then(function(features) {
      P.pending--;
      if (token !== state.token) {  // a newer rerun asked for something else
        P.settle(map);  // which may be all there is left to wait for
        return;
      }
      if (state.url !== url) {
        state.group.clearLayers(); state.shown = {}; state.url = url;
      }
      var made = P.made[url + "|" + opts.pane] || (P.made[url + "|" + opts.pane] = {});
      var want = {};
      ids.forEach(function(i) { want[i] = true; });
      Object.keys(state.shown).forEach(function(i) {
        if (!want[i]) { state.group.removeLayer(made[i]); }
      });
      var added = false;
      ids.forEach(function(i) {
        if (!state.shown[i]) {
          var layer = made[i] || (made[i] = P.make(features[i], opts, map));
          layer.featuresUrl = url;
          state.group.addLayer(layer);
          added = true;
        }
      });
      state.shown = want;
      if (added && opts.canvas) { P.orderNeeded = true; }
      if (opts.popups) { P.popupsWanted[opts.popups] = url; }
      // the projects are on the map: tell the app now, in the same task, so nothing
      // sees them drawn before the app is asked for its panels (outlines may come later)
      if (key.indexOf("projects:") === 0) { P.tell(); }
      P.settle(map);
    }, function(err) { P.pending--; throw err; })
      .catch(function(err) { console.error(err); P.settle(map); });
  };
  // Order the canvas and spread the points once, after every layer of a rerun is shown.
  P.settle = function(map) {
    if (P.settling) { return; }
    P.settling = setTimeout(function() {
      P.settling = null;
      if (P.orderNeeded) { P.orderNeeded = false; P.order(); }
      P.spread(map);
      map.fire("planatlas:drawn");
      if (!P.pending) {
        P.tell();
        Object.keys(P.popupsWanted).forEach(function(u) { P.loadPopups(u, P.popupsWanted[u]); });
      }
    }, 0);
  };
  // Tell the app, once per page, that the map has drawn (its projects, or all it was
  // asked to): the panels under the map wait for this (their scripts would hold the map
  // back). It is the component's value, as the Streamlit component protocol sets it.
  P.tell = function() {
    if (P.told || window.parent === window) { return; }
    P.told = true;
    window.parent.postMessage({
      isStreamlitMessage: true, type: "streamlit:setComponentValue",
      value: {planatlas: "drawn"}, dataType: "json"
    }, "*");
  };
  // Hide the layers this rerun did not name.
  P.sweep = function(map, keys) {
    var keep = {};
    keys.forEach(function(k) { keep[k] = true; });
    Object.keys(P.groups).forEach(function(k) {
      if (!keep[k]) {
        P.groups[k].token++;
        map.removeLayer(P.groups[k].group);
      }
    });
    P.settle(map);
  };
  // Open the popup of the feature `fid` once it is drawn (a row picked in the table).
  P.focus = function(map, fid) {
    var urls = Object.keys(P.data).map(function(u) { return P.data[u]; });
    Promise.all(urls).then(function() {
      setTimeout(function() {
        Object.keys(P.groups).forEach(function(key) {
          var state = P.groups[key];
          if (!state.group._map) { return; }
          state.group.eachLayer(function(layer) {
            if (layer.feature && layer.feature.id === fid && layer.openPopup) {
              layer.openPopup();
            }
          });
        });
      }, 0);
    });
  };
  // Spread points apart: none is drawn within GAP px of another, so each one can be
  // clicked. Smaller stacks are placed first (a lone point keeps its true spot); a point
  // whose spot is taken goes to the nearest free slot on rings around it (the rings of
  // OverlappingMarkerSpiderfier), with a leg back to the spot. Laid out again on zoom.
  P.move = function(layer, latlng) {
    if (!layer.getLatLng().equals(latlng, 1e-9)) { layer.setLatLng(latlng); }
  };
  P.cluster = function(map, origin, count) {
    if (!P.clusterStyle) {
      P.clusterStyle = document.createElement("style");
      P.clusterStyle.textContent = ".planatlas-cluster{display:flex;align-items:center;"
        + "justify-content:center;border-radius:50%;background:rgba(33,102,172,.85);"
        + "border:3px solid rgba(255,255,255,.9);color:#fff;font:bold 12px sans-serif;"
        + "box-shadow:0 0 0 4px rgba(33,102,172,.3);cursor:pointer}";
      document.head.appendChild(P.clusterStyle);
    }
    var size = count >= 1000 ? 44 : count >= 100 ? 38 : 32;
    var marker = L.marker(origin, {
      pane: "planatlas-clusters", keyboard: false, riseOnHover: true,
      title: count + " 个项目 projects here: click to spread them",
      icon: L.divIcon({className: "planatlas-cluster", html: String(count),
                       iconSize: [size, size]})
    });
    marker.clusterCount = count;
    marker.on("click", function() { map.setView(origin, BIG_ZOOM); });
    marker.addTo(P.legs);
  };
  P.spread = function(map) {
    if (!P.legs) {
      P.legs = L.layerGroup();
      map.on("zoomend", function() { P.spread(map); });
    }
    P.legs.clearLayers();
    if (!P.legs._map) { P.legs.addTo(map); }
    var stacks = {};
    Object.keys(P.spreadKeys).forEach(function(key) {
      var state = P.groups[key];
      if (!state || !state.group._map) { return; }
      state.group.eachLayer(function(layer) {
        if (!layer.getLatLng || !layer.feature) { return; }
        var c = layer.feature.geometry.coordinates;  // GeoJSON: lon, lat
        var spot = c[1].toFixed(4) + "," + c[0].toFixed(4);
        (stacks[spot] = stacks[spot] || []).push(layer);
      });
    });
    var spots = Object.keys(stacks).sort(function(a, b) {
      return stacks[a].length - stacks[b].length || (a < b ? -1 : 1);
    });
    var grid = {}, legs = [];
    function cell(x, y) { return Math.floor(x / GAP) + "," + Math.floor(y / GAP); }
    function free(pt) {
      var cx = Math.floor(pt.x / GAP), cy = Math.floor(pt.y / GAP), dx, dy, k, list;
      for (dx = -1; dx <= 1; dx++) {
        for (dy = -1; dy <= 1; dy++) {
          list = grid[(cx + dx) + "," + (cy + dy)] || [];
          for (k = 0; k < list.length; k++) {
            if (list[k].distanceTo(pt) < GAP) { return false; }
          }
        }
      }
      return true;
    }
    function take(pt) { var c = cell(pt.x, pt.y); (grid[c] = grid[c] || []).push(pt); }
    spots.forEach(function(spot) {
      var layers = stacks[spot];
      var c = layers[0].feature.geometry.coordinates;
      var origin = L.latLng(c[1], c[0]);
      var centre = map.latLngToLayerPoint(origin);
      layers.sort(function(a, b) { return String(a.feature.id) < String(b.feature.id) ? -1 : 1; });
      if (layers.length > BIG_STACK && map.getZoom() < BIG_ZOOM) {
        // hundreds at one seat would cover the region: one cluster marker with their
        // count until zoomed in; a click zooms in to where they are spread apart
        layers.forEach(function(layer) { P.move(layer, origin); });
        take(centre);
        P.cluster(map, origin, layers.length);
        return;
      }
      layers.forEach(function(layer, n) {
        var at = null, ring, slots, s, angle, pt;
        if (free(centre)) { at = centre; }
        for (ring = 1; !at && ring <= 40; ring++) {
          slots = Math.max(6, Math.floor(2 * Math.PI * ring));
          for (s = 0; s < slots && !at; s++) {
            angle = Math.PI / 6 + 2 * Math.PI * (s + (ring % 2) / 2) / slots;
            pt = centre.add(L.point(ring * GAP * Math.cos(angle), ring * GAP * Math.sin(angle)));
            if (free(pt)) { at = pt; }
          }
        }
        at = at || centre;
        take(at);
        var latlng = at === centre ? origin : map.layerPointToLatLng(at);
        P.move(layer, latlng);
        if (at !== centre) { legs.push([origin, latlng]); }
      });
    });
    if (legs.length) {  // one layer for every leg: thousands of lines would be slow
      L.polyline(legs, {
        pane: "planatlas-points", interactive: false, color: "#555", weight: 1, opacity: 0.6,
        renderer: P.canvas || undefined
      }).addTo(P.legs);
    }
  };
})();
"""


class Runtime(MacroElement):
    """The browser side of stored layers (``window.planatlas``), part of the map script.

    Examples
    --------
    >>> import folium
    >>> m = folium.Map(tiles=None)
    >>> _ = Runtime().add_to(m)
    >>> "window.planatlas" in m.get_root().render()
    True
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.js }}
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "PlanatlasRuntime"
        self.js = (
            _RUNTIME_JS.replace("PANES", safe_json(PANES))
            .replace("BIG_STACK", str(BIG_STACK))
            .replace("BIG_ZOOM", str(BIG_ZOOM))
            .replace("GAP", str(GAP))
        )


class StoredLayer(Layer):
    """Show the features at ``positions`` of a published file as the layer ``key``.

    Add it to a ``folium.FeatureGroup`` handed to ``streamlit-folium`` (which then only
    carries this call), or to the map itself. The map must hold a :class:`Runtime`.

    Parameters
    ----------
    store
        The published file (:func:`publish`).
    positions
        Positions of the features to show, in draw order.
    key
        Name of the layer, the same on every rerun (e.g. ``"projects:airport"``).
    pane
        One of :data:`PANES`.
    interactive
        ``False`` for outlines that must not catch clicks.
    spread
        Spread points that share a spot (project points).
    canvas
        Draw on one shared canvas rather than as SVG paths: for large atlases, where
        thousands of SVG elements are slow to make (outlines are always on a canvas).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        window.planatlas.show({{ this.map_name }}, {{ this.key|tojson }},
            {{ this.url|tojson }}, {{ this.positions_json }}, {{ this.options_json }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        store: FeatureStore,
        positions: Sequence[int],
        *,
        key: str,
        pane: str,
        interactive: bool = True,
        spread: bool = False,
        canvas: bool = False,
    ) -> None:
        if pane not in PANES:
            raise ValueError(f"pane={pane!r} is not one of {sorted(PANES)}")
        super().__init__(name=key, overlay=True, control=False)
        self._name = "StoredLayer"
        self.key = key
        self.url = store.url
        self.positions = [int(p) for p in positions]
        self.positions_json = safe_json(self.positions)
        options: dict[str, Any] = {
            "pane": pane, "interactive": interactive, "spread": spread, "canvas": canvas
        }  # fmt: skip
        if store.popups:  # the URL of the popups kept apart (a large atlas)
            options["popups"] = store.popups
        self.options_json = safe_json(options)

    @property
    def map_name(self) -> str:
        """The JavaScript name of the map this layer ends up on."""
        node: Any = self._parent
        while node is not None and getattr(node, "_name", "") != "Map":
            node = getattr(node, "_parent", None)
        return "window.map" if node is None else node.get_name()


class Sweep(MacroElement):
    """Hide the stored layers a rerun did not name (a kind filtered out entirely).

    It also names the file the map's image button saves after this run's view.
    Add it last, to a FeatureGroup handed to ``streamlit-folium``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        window.planatlas.sweep(window.map, {{ this.keys_json }});
        window.planatlas.imageName = {{ this.image_json }};
        {% endmacro %}
        """
    )

    def __init__(self, keys: Iterable[str], *, image_name: str = "planatlas-map.png") -> None:
        super().__init__()
        self._name = "Sweep"
        self.keys_json = safe_json(sorted(set(keys)))
        self.image_json = safe_json(image_name)  # the PNG the map's image button saves


class Focus(MacroElement):
    """Open the popup of one feature once the map has drawn it (a row picked in the table).

    Add it to a FeatureGroup handed to ``streamlit-folium``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        window.planatlas.focus(window.map, {{ this.fid_json }});
        {% endmacro %}
        """
    )

    def __init__(self, fid: str) -> None:
        super().__init__()
        self._name = "Focus"
        self.fid_json = safe_json(str(fid))
