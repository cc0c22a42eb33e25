"""The map in a real browser, offline: stacked points, ties, the table link, the map image.

Same set-up as ``tests/test_browser.py`` (Debian's Chromium driven by Playwright, every
request to another host aborted, skipped without Chromium unless ``CI=true``); screenshots
go under each test's ``tmp_path`` like there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests import test_browser as base
from tests.app_fixtures import save_fixture_atlas

pytestmark = pytest.mark.browser

# Drawn project points, one entry per layer: id, tooltip text, and where it is on screen.
POINTS = """() => Object.values(window.map._layers)
    .filter(l => l.feature && l.getLatLng && String(l.feature.id).match(/^(?!place-|tie-)/))
    .map(l => {
        const c = l.feature.geometry.coordinates;
        const p = window.map.latLngToContainerPoint(l.getLatLng());
        const tip = l.getTooltip() ? l.getTooltip().getContent() : "";
        const bold = String(l.feature.properties.popup || "").match(/<b>([^<]*)<\\/b>/);
        return {id: l.feature.id, spot: c[1].toFixed(4) + "," + c[0].toFixed(4),
                x: p.x, y: p.y, tip: String(tip).replace(/<[^>]*>/g, ""),
                name: bold ? bold[1] : ""};
    })"""


@pytest.fixture(scope="module")
def seeds_server(tmp_path_factory):
    yield from base._start_app(tmp_path_factory.mktemp("seeds") / "streamlit.log", atlas=None)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("server")
    atlas = save_fixture_atlas(folder / "fixture.atlas")
    yield from base._start_app(folder / "streamlit.log", atlas=atlas)


def _click_on_map(page, x: float, y: float) -> None:
    """Click at a point of the map given in the map's own pixels."""
    box = page.locator(base.IFRAME).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def _popup_text(frame) -> str:
    popup = frame.locator(".leaflet-popup-content").last
    popup.wait_for(timeout=10_000)
    return popup.inner_text()


@contextmanager
def _app(browser, url: str) -> Iterator[tuple]:
    """Open the app and wait until it has settled; yield the page and the map's frame.

    On leaving, no request but for tiles went to another host, and the page is closed.
    """
    context, page, traffic, _ = base._open(browser, url)
    try:
        base._idle(page)
        yield page, base._map_frame(page)
        traffic.assert_only_tiles_offhost()
    finally:
        context.close()


def test_stacked_points_spread_apart_and_each_opens_its_own_popup(seeds_server, browser, tmp_path):
    with _app(browser, seeds_server) as (page, frame):
        # 武汉: the seats of the city and of 武昌
        frame.evaluate("window.map.setView([30.57, 114.32], 13)")
        page.wait_for_timeout(500)
        points = frame.evaluate(POINTS)
        stacks: dict[str, list[dict]] = {}
        for point in points:
            stacks.setdefault(point["spot"], []).append(point)
        stacked = [s for s in stacks.values() if len(s) >= 2]
        assert stacked, "the seeds have points at one spot (city seats)"
        for stack in stacked:  # spread: no two points of a stack drawn on each other
            spots = [(round(p["x"]), round(p["y"])) for p in stack]
            assert len(set(spots)) == len(spots)
            gaps = [
                ((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5
                for i, a in enumerate(stack)
                for b in stack[i + 1 :]
            ]
            assert min(gaps) >= 8
        stack = max(
            (s for s in stacked if all(0 < p["x"] < 1300 and 0 < p["y"] < 600 for p in s)),
            key=len,
        )
        for wanted in [p["id"] for p in stack[:4]]:  # each opens its own popup, not the city's
            frame.evaluate("window.map.closePopup(); window.map.setView([30.57, 114.32], 13)")
            page.wait_for_timeout(300)  # a popup pans the map: find the point again
            (point,) = [p for p in frame.evaluate(POINTS) if p["id"] == wanted]
            _click_on_map(page, point["x"], point["y"])
            assert point["name"] and _popup_text(frame).startswith(point["name"]), point
        page.screenshot(path=tmp_path / "stacked-points-spread.png", full_page=True)


def test_clicking_the_ezhou_airport_opens_the_airport(seeds_server, browser, tmp_path):
    with _app(browser, seeds_server) as (page, frame):
        # 鄂州花湖机场; the seeds call it 鄂州专业性货运枢纽机场, at the seat of 鄂州 with others
        airport = [p for p in frame.evaluate(POINTS) if re.search("花湖|鄂州.*机场", p["name"])]
        assert airport, "the airport of 鄂州 is drawn"
        _click_on_map(page, airport[0]["x"], airport[0]["y"])
        assert _popup_text(frame).startswith(airport[0]["name"])
        page.screenshot(path=tmp_path / "ezhou-airport-popup.png")


def test_the_map_image_button_saves_a_png_offline(server, browser, tmp_path):
    with _app(browser, server) as (page, frame):
        with page.expect_download(timeout=60_000) as download_info:
            frame.locator(".planatlas-image").click()
        path = tmp_path / download_info.value.suggested_filename
        download_info.value.save_as(path)
        data = path.read_bytes()
        assert path.name.startswith("planatlas-") and path.suffix == ".png"
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_ties_show_the_city_network_and_co_membership_on_demand(server, browser, tmp_path):
    with _app(browser, server) as (page, _frame):
        page.get_by_text("显示联系 Show ties").click()
        frame = base._map_frame(page)
        frame.wait_for_function(
            "Object.values(window.map._layers).some(l => l.feature && /^tie-/.test(l.feature.id))"
        )
        base._idle(page)
        ties = set(
            frame.evaluate(
                "Object.values(window.map._layers)"
                ".filter(l => l.feature && /^tie-/.test(l.feature.id)).map(l => l.feature.id)"
            )
        )
        assert "tie-420600-420100" in ties  # 襄阳—武汉, two prefectures
        assert "tie-420600-420683" not in ties  # to a county: another network
        tie = frame.evaluate(
            """() => { const l = Object.values(window.map._layers)
                .find(l => l.feature && l.feature.id === "tie-420600-420100");
                l.openPopup(); const e = l.getPopup().getElement();
                return [e.textContent, e.querySelectorAll("blockquote").length]; }"""
        )
        assert "襄阳市" in tie[0] and "武汉市" in tie[0] and tie[1] >= 1  # its evidence, quoted
        page.screenshot(path=tmp_path / "ties-prefecture-network.png", full_page=True)


def test_picking_a_table_row_zooms_the_map_to_that_project(server, browser, tmp_path):
    with _app(browser, server) as (page, frame):
        assert frame.evaluate("window.map.getZoom()") < 9  # the whole region
        search = page.get_by_label("搜索项目 Search projects")
        search.fill("花湖")
        search.press("Enter")
        page.get_by_text("1 projects ·").wait_for()  # the table lists the airport alone
        base._idle(page)
        table = page.locator("[data-testid='stDataFrame']").first
        table.scroll_into_view_if_needed()
        box = table.bounding_box()
        # the grid is a canvas: the first row's selection box, under the header row
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
        frame.wait_for_function("window.map.getZoom() >= 9", timeout=30_000)
        base._idle(page)
        lat, lon, zoom = frame.evaluate(
            "[window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"
        )
        assert abs(lat - 30.346) < 0.1 and abs(lon - 114.966) < 0.1 and zoom >= 9  # 花湖机场
        assert _popup_text(frame).startswith("鄂州花湖机场")  # its popup opened
        page.screenshot(path=tmp_path / "table-row-zoom.png", full_page=True)
