"""The map's browser runtime (``layers._stored``) on its own, in Chromium, offline.

A folium map with :class:`layers._stored.Runtime` and stored layers is written to a
temporary folder with the Leaflet files and the published features, and served from a
local port (no Streamlit): a stack of more points than ``BIG_STACK`` at one spot, as a
library of hundreds of plans puts at a city seat, and a small stack beside it. Every
request to another host is aborted, as in ``tests/test_browser.py``, which holds the
set-up (skipped without Chromium unless ``CI=true``).
"""

from __future__ import annotations

import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import folium
import pytest
from branca.element import MacroElement
from folium.template import Template
from shapely.geometry import Point

from layers import assets
from layers._geojson import feature, stored_group
from layers._stored import BIG_STACK, BIG_ZOOM, GAP, Runtime, publish
from tests import test_browser as base

pytestmark = pytest.mark.browser

BIG = BIG_STACK + 20  # points at 武汉's seat
SEAT = (114.30, 30.60)  # lon, lat
SMALL_SEAT = (112.14, 32.04)  # 襄阳: three points, spread at any zoom
BASE_URL = "/app/static/planatlas"

# Drawn project points: id, where on screen, and the popup text they carry (if loaded).
POINTS = """() => Object.values(window.map._layers)
    .filter(l => l.feature && l.getLatLng)
    .map(l => { const p = window.map.latLngToContainerPoint(l.getLatLng());
                return {id: l.feature.id, x: p.x, y: p.y}; })"""


def _features() -> list[dict]:
    style = {"radius": 6, "color": "#c51b8a", "weight": 2, "fillOpacity": 0.8}
    at = [(f"big-{i:03d}", SEAT) for i in range(BIG)]
    at += [(f"small-{i}", SMALL_SEAT) for i in range(3)]
    return [
        feature(Point(*spot), fid=fid, style=style, popup=f"<b>{fid}</b> popup",
                tooltip=fid, kind="airport")  # fmt: skip
        for fid, spot in at
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The folder served: the map page, Leaflet's files and the published features."""
    root = tmp_path_factory.mktemp("runtime")
    static = root / "app" / "static"
    assets.install_assets(static)
    features = _features()
    # popups kept apart, as for a library of thousands of projects
    store = publish(features, folder=static / assets.ASSET_DIR, base_url=BASE_URL,
                    popups_apart=True)  # fmt: skip
    m = folium.Map(location=[31.2, 112.9], zoom_start=7, tiles=None)
    Runtime().add_to(m)
    layers = stored_group(
        store.index_of(f["id"] for f in features), name="airports",
        stored=(store, "projects:airport", "planatlas-points", True),
    )  # fmt: skip
    layers.add_to(m)
    _WindowMap().add_to(m)
    assets.localize(m, base_url=BASE_URL, index=assets.asset_index(static))
    (root / "index.html").write_text(m.get_root().render(), encoding="utf-8")
    return root, store


@pytest.fixture(scope="module")
def url(site):
    handler = functools.partial(_QuietHandler, directory=str(site[0]))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


class _WindowMap(MacroElement):
    """``window.map``, as ``streamlit-folium`` names the map (the tests' scripts use it)."""

    _template = Template(
        "{% macro script(this, kwargs) %}window.map = {{ this._parent.get_name() }};"
        "{% endmacro %}"
    )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        return


DRAWN = """() => { const P = window.planatlas, state = P && P.groups["projects:airport"];
    return Boolean(state && !P.pending && state.group.getLayers().length); }"""


def _open(browser, url: str, requests: list[str] | None = None):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    traffic = base.Traffic(page)
    if requests is not None:
        page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    page.wait_for_function(DRAWN)
    page.wait_for_timeout(200)  # the layout after the draw (a timeout of 0 in the runtime)
    return context, page, traffic


def _spread_apart(points: list[dict]) -> bool:
    spots = [(p["x"], p["y"]) for p in points]
    return all(
        ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 >= GAP - 1
        for i, a in enumerate(spots)
        for b in spots[i + 1 :]
    )


def _settled(page, *, tries: int = 50) -> list[dict]:
    """The drawn points once the map has stopped moving (two reads 100 ms apart agree)."""
    before = page.evaluate(POINTS)
    for _ in range(tries):
        page.wait_for_timeout(100)
        now = page.evaluate(POINTS)
        if now == before:
            return now
        before = now
    raise AssertionError("the map kept moving")


def test_a_big_stack_is_one_cluster_that_zooms_in_to_its_points_spread(url, browser, tmp_path):
    context, page, traffic = _open(browser, url)
    clusters = page.locator(".planatlas-cluster")
    assert clusters.count() == 1 and clusters.inner_text() == str(BIG)
    small = [p for p in page.evaluate(POINTS) if p["id"].startswith("small-")]
    assert len(small) == 3 and _spread_apart(small)  # a small stack is spread at any zoom
    page.screenshot(path=tmp_path / "cluster.png")
    clusters.click()
    page.wait_for_function(f"window.map.getZoom() === {BIG_ZOOM}")
    # the zoom's animation ends, the stack is spread again: no cluster marker is left
    page.wait_for_function("!document.querySelector('.planatlas-cluster')")
    big = [p for p in _settled(page) if p["id"].startswith("big-")]
    assert len(big) == BIG and _spread_apart(big)  # each one drawn apart, clickable
    page.screenshot(path=tmp_path / "cluster-spread.png")
    for fid in (big[0]["id"], big[-1]["id"]):  # each opens its own popup, from the popups file
        page.evaluate("window.map.closePopup()")
        # an open popup pans the map to show itself: where the point is now, once still
        point = next(p for p in _settled(page) if p["id"] == fid)
        page.mouse.click(point["x"], point["y"])
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=10_000)
        page.wait_for_function("!document.querySelector('.leaflet-popup-content')"
                               ".textContent.startsWith('…')")  # fmt: skip
        assert popup.inner_text().startswith(fid)
    traffic.assert_only_tiles_offhost()
    context.close()


def test_a_large_atlas_keeps_its_popups_in_a_file_fetched_after_the_map_draws(site, url, browser):
    root, store = site
    features = json.loads((root / store.url.lstrip("/")).read_text(encoding="utf-8"))
    assert features and not any("popup" in f["properties"] for f in features)
    popups = json.loads((root / str(store.popups).lstrip("/")).read_text(encoding="utf-8"))
    assert popups[store.index["big-000"]] == "\u003cb\u003ebig-000\u003c/b\u003e popup"
    requests: list[str] = []
    context, page, traffic = _open(browser, url, requests)
    page.wait_for_function(
        "Object.values(window.map._layers).some(l => l.feature && l.feature.properties.popup)"
    )  # put on the features once fetched
    traffic.assert_only_tiles_offhost()
    context.close()
    data = [u for u in requests if "/data/" in u]
    assert [Path(u).name for u in data] == [Path(store.url).name, Path(str(store.popups)).name]
