"""End to end in a real browser: Debian's Chromium, driven by Playwright, fully offline.

The app runs as ``streamlit run`` on a free localhost port with the fixture atlas, saved to
a temporary file and opened through ``PLANATLAS_ATLAS`` (:mod:`geo.saved`); every
request to another host is aborted (only map tiles may even be attempted). The tests time
the first render and a filter change, measure what the page transfers, download the
GeoJSON, and check that script in a document never runs. Screenshots and a JSON of the
measurements are written under the test's ``tmp_path``; the numbers are also printed in the
test report.

Skipped when /usr/bin/chromium (or the ``playwright`` package) is missing, unless
``CI=true``, where that is a failure. Budgets can be loosened for slow machines with
``PLANATLAS_E2E_SLACK`` (a factor, default 1).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from geo.saved import ATLAS_ENV
from layers.basemaps import BASEMAPS
from layers.serve import running
from tests.app_fixtures import XSS_IMG, XSS_TEMPLATE, save_fixture_atlas

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
IFRAME = "iframe[title='streamlit_folium.st_folium']"
FEATURES = "path.leaflet-interactive"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# The only hosts the page may even try: the basemaps' tile servers.
TILE_HOSTS = {
    urlsplit(tile.url.replace("{s}", sub)).hostname
    for basemap in BASEMAPS.values()
    for tile in basemap.tiles
    for sub in tile.subdomains
}
SLACK = float(os.environ.get("PLANATLAS_E2E_SLACK", "1"))
FIRST_RENDER_BUDGET_S = 4.0  # warm server: page opened → features drawn
FILTER_BUDGET_S = 1.0  # kind removed → drawing changed


def _require(condition: bool, why: str) -> None:
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{why} (required when CI=true)", pytrace=False)
    pytest.skip(why, allow_module_level=True)


_require(CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install -y chromium")
try:
    from playwright.sync_api import Page
except ImportError:  # pragma: no cover - depends on the machine
    _require(False, "the Python package 'playwright' is not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_app(log: Path, *, atlas: Path | None):
    """Run the app as ``make run`` does, on a free port; yield its URL, then stop it.

    ``atlas`` is a saved atlas for the app to open; None maps the seeds.
    """
    env = {**os.environ, "PLANATLAS_LIBRARY": str(log.parent / "library")}  # its own library
    env.pop("PLANATLAS_TIANDITU_KEY", None)
    if atlas is not None:
        env[ATLAS_ENV] = str(atlas)
    else:
        env.pop(ATLAS_ENV, None)
    with running(env, log) as url:
        yield url


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app with the fixture atlas, saved to a file (``PLANATLAS_ATLAS``)."""
    folder = tmp_path_factory.mktemp("server")
    atlas = save_fixture_atlas(folder / "fixture.atlas")
    yield from _start_app(folder / "streamlit.log", atlas=atlas)


@pytest.fixture(scope="module")
def seeds_server(tmp_path_factory):
    """The app on the real seeds."""
    yield from _start_app(tmp_path_factory.mktemp("seeds") / "streamlit.log", atlas=None)


@pytest.fixture(scope="module")
def metrics(request, tmp_path_factory):
    """Measurements of this module, written to JSON and printed at the end."""
    data: dict[str, object] = {}
    yield data
    path = tmp_path_factory.mktemp("metrics") / "browser-metrics.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    line = f"planatlas e2e: {json.dumps(data)} ({path})"
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is not None:
        with capture.global_and_fixture_disabled():
            print(f"\n{line}")  # noqa: T201 - the measurements are this fixture's report
    else:  # pragma: no cover
        print(line)  # noqa: T201


class Traffic:
    """What one page asked for: local responses, aborted off-host requests, dialogs."""

    def __init__(self, page: Page) -> None:
        self.offhost: list[str] = []
        self.requests: list = []
        self.ws_bytes = 0
        self.dialogs: list[str] = []
        page.route("**/*", self._route)
        page.on("requestfinished", lambda request: self.requests.append(request))
        page.on("websocket", self._websocket)
        page.on("dialog", self._dialog)

    def _route(self, route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.offhost.append(route.request.url)
            route.abort()

    def _websocket(self, ws) -> None:
        def count(payload) -> None:
            self.ws_bytes += len(payload)

        ws.on("framereceived", count)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def transferred(self) -> int:
        total = 0
        for req in self.requests:
            sizes = req.sizes()
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return total

    def assert_only_tiles_offhost(self) -> None:
        hosts = {urlsplit(u).hostname for u in self.offhost}
        assert hosts <= TILE_HOSTS, f"off-host requests besides tiles: {sorted(hosts - TILE_HOSTS)}"


def _open(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    traffic = Traffic(page)
    started = time.perf_counter()
    page.goto(url)
    page.frame_locator(IFRAME).locator(FEATURES).first.wait_for(timeout=60_000)
    elapsed = time.perf_counter() - started
    return context, page, traffic, elapsed


def _map_frame(page: Page):
    return next(f for f in page.frames if "streamlit_folium" in f.url)


def _drawn_ids(frame) -> set[str]:
    return set(
        frame.evaluate(
            "Object.values(window.map._layers)"
            ".filter(l => l.feature && l.feature.id).map(l => l.feature.id)"
        )
    )


def _idle(page: Page) -> None:
    """Wait until the page has settled: the panels under the map are made, no script runs.

    The panels come in a second run, once the map has told the app it has drawn.
    """
    page.wait_for_selector("[data-testid='stDownloadButton']", timeout=60_000)
    page.wait_for_selector("[data-test-script-state='notRunning']", timeout=30_000)


def _remove_kind(page: Page, label: str, *, mouse: bool = True) -> float:
    """Remove a kind from the multiselect; seconds until the drawing changed.

    ``mouse=False`` dispatches the click to the tag's remove button directly: after a
    first removal the tag list keeps focus and scrolls, and a pointer click at a
    half-hidden tag can miss it.
    """
    frame = _map_frame(page)
    before = frame.evaluate(f"document.querySelectorAll('{FEATURES}').length")
    button = page.get_by_role("button", name=f"Remove {label}")
    started = time.perf_counter()
    if mouse:
        button.click()
    else:
        button.dispatch_event("click")
    frame.wait_for_function(
        f"document.querySelectorAll('{FEATURES}').length !== {before}", timeout=30_000
    )
    elapsed = time.perf_counter() - started
    _idle(page)
    page.keyboard.press("Escape")  # close the option list the removal may leave open
    return elapsed


def test_map_draws_offline_and_fast(server, browser, metrics, tmp_path):
    # The first page of a fresh server pays for imports and caches: recorded, loosely bound.
    context, page, traffic, cold = _open(browser, server)
    _idle(page)
    page.screenshot(path=tmp_path / "first-render-cold.png", full_page=True)
    cold_bytes, cold_ws = traffic.transferred(), traffic.ws_bytes
    traffic.assert_only_tiles_offhost()
    frame = _map_frame(page)
    scripts = frame.evaluate("Array.from(document.scripts).map(s => s.src).filter(Boolean)")
    assert any(
        s.endswith("/app/static/planatlas/npm/leaflet@1.9.3/dist/leaflet.js") for s in scripts
    )
    assert all(urlsplit(s).hostname in LOCAL_HOSTS for s in scripts)
    assert frame.locator(".planatlas-legend").is_visible()
    assert len(_drawn_ids(frame)) > 10
    context.close()

    context, page, traffic, warm = _open(browser, server)
    _idle(page)
    page.screenshot(path=tmp_path / "first-render.png", full_page=True)
    traffic.assert_only_tiles_offhost()
    metrics.update(
        first_render_cold_s=round(cold, 3),
        first_render_s=round(warm, 3),
        transferred_bytes=traffic.transferred(),
        transferred_bytes_cold=cold_bytes,
        websocket_bytes=traffic.ws_bytes,
        websocket_bytes_cold=cold_ws,
        blocked_tile_requests=len(traffic.offhost),
    )
    context.close()
    assert cold < 30 * SLACK
    assert warm < 2 * FIRST_RENDER_BUDGET_S * SLACK, f"first render took {warm:.2f} s"


def test_removing_a_kind_redraws_without_remounting(server, browser, metrics, tmp_path):
    context, page, traffic, _ = _open(browser, server)
    _idle(page)
    frame = _map_frame(page)
    frame.evaluate("window.__planatlas_mounted = true")
    before = _drawn_ids(frame)
    timings = [_remove_kind(page, "机场 airport"), _remove_kind(page, "铁路 railway", mouse=False)]
    after = _drawn_ids(_map_frame(page))
    page.screenshot(path=tmp_path / "filtered.png", full_page=True)
    assert _map_frame(page).evaluate("window.__planatlas_mounted === true")  # same map
    assert before - after == {
        "p-tianhe-airport",
        "p-liuji-airport",
        "p-ezhou-airport",
        "p-hanshi-hsr",
    }
    traffic.assert_only_tiles_offhost()
    metrics.update(filter_s=[round(t, 3) for t in timings])
    context.close()
    assert timings[0] < 2 * FILTER_BUDGET_S * SLACK, f"filter took {timings} s"


def test_geojson_download_matches_the_filter(server, browser, tmp_path):
    context, page, traffic, _ = _open(browser, server)
    _idle(page)
    _remove_kind(page, "机场 airport")
    drawn = {i for i in _drawn_ids(_map_frame(page)) if i.startswith("p-")}
    with page.expect_download() as download_info:
        page.get_by_role("button", name="⬇ GeoJSON").click()
    path = tmp_path / "planatlas.geojson"
    download_info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and data["features"]
    assert "airport" not in {f["properties"]["kind"] for f in data["features"]}
    assert {f["properties"]["id"] for f in data["features"]} == drawn
    traffic.assert_only_tiles_offhost()
    context.close()


def test_document_text_never_runs_as_script(server, browser, tmp_path):
    context, page, traffic, _ = _open(browser, server)
    _idle(page)
    frame = _map_frame(page)
    # Open every popup and tooltip: an unescaped <img onerror> or ${} would fire now.
    frame.evaluate(
        """() => Object.values(window.map._layers).forEach(l => {
            if (l.getTooltip && l.getTooltip()) { l.openTooltip(); }
            if (l.getPopup && l.getPopup()) { l.openPopup(); }
        })"""
    )
    frame.evaluate(
        """() => { window.map.closePopup(); Object.values(window.map._layers)
            .filter(l => l.feature && l.feature.id === "p-xss-park")
            .forEach(l => l.openPopup()); }"""
    )
    popup = frame.locator(".leaflet-popup-content", has_text="onerror").last
    popup.wait_for()
    text = popup.inner_text()
    page.screenshot(path=tmp_path / "hostile-popup.png")
    assert XSS_IMG in text and XSS_TEMPLATE in text  # shown as text
    assert popup.locator("img").count() == 0
    page.wait_for_timeout(300)
    assert traffic.dialogs == []
    assert not [r for r in traffic.requests if urlsplit(r.url).path.endswith("/x")]
    traffic.assert_only_tiles_offhost()
    context.close()


def test_real_seeds_draw_filter_and_download(seeds_server, browser, metrics, tmp_path):
    context, page, traffic, cold = _open(browser, seeds_server)
    _idle(page)
    context.close()
    context, page, traffic, warm = _open(browser, seeds_server)
    _idle(page)
    page.screenshot(path=tmp_path / "seeds-first-render.png", full_page=True)
    frame = _map_frame(page)
    frame.evaluate("window.__planatlas_mounted = true")
    tags = page.locator("[data-testid='stMultiSelect']").filter(has_text="Kinds")
    label = tags.locator("[data-tag]").first.get_attribute("aria-label")
    before = _drawn_ids(frame)
    took = _remove_kind(page, label)
    after = _drawn_ids(_map_frame(page))
    assert after < before and _map_frame(page).evaluate("window.__planatlas_mounted === true")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="⬇ GeoJSON").click()
    path = tmp_path / "seeds.geojson"
    download_info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and data["features"]
    drawn = {i for i in after if not i.startswith(("place-", "tie-", "boundary-"))}
    assert {f["properties"]["id"] for f in data["features"]} == drawn
    page.screenshot(path=tmp_path / "seeds-filtered.png", full_page=True)
    traffic.assert_only_tiles_offhost()
    metrics.update(
        seeds_first_render_cold_s=round(cold, 3),
        seeds_first_render_s=round(warm, 3),
        seeds_filter_s=round(took, 3),
        seeds_transferred_bytes=traffic.transferred(),
        seeds_websocket_bytes=traffic.ws_bytes,
        seeds_features=len(before),
    )
    context.close()
    assert warm < 2 * FIRST_RENDER_BUDGET_S * SLACK, f"first render took {warm:.2f} s"
    assert took < 2 * FILTER_BUDGET_S * SLACK, f"filter took {took:.2f} s"


def test_uploaded_hostile_document_is_shown_as_text(seeds_server, browser, tmp_path):
    hostile = f"加快建设襄阳{XSS_IMG}物流园{XSS_TEMPLATE}，推进襄阳至十堰`高速公路`建设。"
    path = tmp_path / "hostile.txt"
    path.write_bytes(hostile.encode("gb18030"))
    context, page, traffic, _ = _open(browser, seeds_server)
    _idle(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(path)
    page.get_by_text("hostile.txt").first.wait_for()
    page.locator("[data-testid='stAlertContentSuccess']").wait_for(timeout=120_000)
    _idle(page)
    page.frame_locator(IFRAME).locator(FEATURES).first.wait_for(timeout=60_000)
    frame = _map_frame(page)
    found = frame.evaluate(
        """() => {
            let hits = [];
            Object.values(window.map._layers).forEach(l => {
                if (l.getTooltip && l.getTooltip()) { l.openTooltip(); }
                if (l.getPopup && l.getPopup()) {
                    l.openPopup();
                    const c = l.getPopup().getElement();
                    if (c && c.textContent.includes("onerror")) {
                        hits.push([c.textContent, c.querySelectorAll("img").length]);
                    }
                }
            });
            return hits;
        }"""
    )
    page.wait_for_timeout(300)
    page.screenshot(path=tmp_path / "hostile-upload.png", full_page=True)
    assert found, "the uploaded document's project is not on the map"
    assert all(XSS_IMG in text and images == 0 for text, images in found)
    assert traffic.dialogs == []
    assert not [r for r in traffic.requests if urlsplit(r.url).path.endswith("/x")]
    traffic.assert_only_tiles_offhost()
    context.close()


def test_the_server_listens_on_this_machine_only_and_asks_no_one_its_address(tmp_path):
    """Started as `make run` starts it: no --server.address given."""
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, ATLAS_ENV: str(save_fixture_atlas(tmp_path / "fixture.atlas"))}
    command = [sys.executable, "-m", "layers.serve", "--server.port", str(port)]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 60
        while b"URL:" not in log.read_bytes():
            assert process.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.2)
        text = log.read_text(errors="replace")
        assert f"URL: http://localhost:{port}" in text
        assert "External URL" not in text and "Network URL" not in text
    finally:
        process.terminate()
        process.wait(timeout=10)
