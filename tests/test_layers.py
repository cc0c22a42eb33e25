"""Layer builders: render into a folium Map and read the HTML (no network, no browser)."""

from __future__ import annotations

import html
import io
import json
import math
import re

import folium
import geopandas as gpd
import networkx as nx
import pandas as pd
import pytest
from branca.colormap import LinearColormap
from geopandas.testing import assert_geodataframe_equal
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import LineString, Point, Polygon, box

from geo._errors import CRSError, SelectionError
from geo.export import read_gpkg
from layers import assets, basemaps, export, popups, styles, view
from layers._geojson import FeatureLayer, safe_json
from layers.places import place_radius, places_layer
from layers.projects import project_layers
from layers.ties import tie_width, ties_frame, ties_layer
from tests.app_fixtures import XSS_IMG, XSS_TEMPLATE, fixture_atlas, fixture_boundaries

CDN_HOSTS = (
    "cdn.jsdelivr.net",
    "cdnjs.cloudflare.com",
    "code.jquery.com",
    "unpkg.com",
    "netdna.bootstrapcdn.com",
    "d3js.org",
)


@pytest.fixture(scope="module")
def atlas():
    return fixture_atlas()


def render(*groups: folium.FeatureGroup, m: folium.Map | None = None) -> str:
    m = m or folium.Map(tiles=None)
    for group in groups:
        group.add_to(m)
    return m.get_root().render()


def features_of(group: folium.FeatureGroup) -> list[dict]:
    layers = [c for c in group._children.values() if isinstance(c, FeatureLayer)]
    return [f for layer in layers for f in layer.data["features"]]


# --- escaping --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        (XSS_IMG, "<img"),
        (XSS_TEMPLATE, "${"),
        ("a`b`c", "`"),
        ("back\\slash", "\\"),
        ("</script><script>alert(1)</script>", "</script>"),
        ('" onmouseover="alert(1)', '"'),
        ("'single'", "'"),
    ],
)
def test_escape_text_neutralises_html_and_template_literals(text, forbidden):
    escaped = popups.escape_text(text)
    assert forbidden not in escaped
    assert html.unescape(escaped) == text


@pytest.mark.parametrize("value", [None, float("nan"), ""])
def test_escape_text_of_missing_values_is_empty(value):
    assert popups.escape_text(value) == ""


@given(st.text())
def test_escape_text_round_trips_any_text(text):
    escaped = popups.escape_text(text)
    assert not set("<>`$\\\"'") & set(escaped)
    assert html.unescape(escaped) == text


def test_highlight_span_marks_the_name_and_escapes_the_rest():
    sentence = f"推进{XSS_IMG}襄阳{XSS_TEMPLATE}产业园建设"
    name = f"襄阳{XSS_TEMPLATE}产业园"
    start = sentence.index(name)
    out = popups.highlight_span(sentence, start, start + len(name), name=name)
    assert "<img" not in out and "${" not in out
    marked = re.search(r"<mark>(.*?)</mark>", out).group(1)
    assert html.unescape(marked) == name


def test_highlight_span_falls_back_to_the_name_when_offsets_are_off():
    out = popups.highlight_span("建设小河港多式联运枢纽", 40, 43, name="小河港")
    assert out == "建设<mark>小河港</mark>多式联运枢纽"


def test_project_popup_has_every_field_and_the_other_documents(atlas):
    row = atlas.projects.set_index("id").loc["p-hanshi-hsr"].to_dict() | {"id": "p-hanshi-hsr"}
    out = popups.project_popup(row)
    for expected in [
        "汉十高铁",
        "铁路 railway",
        "建成 completed",
        "estimated",
        "(5)",
        "武汉市",
        "xiangyang.txt",
        "wuhan.txt",
        "<mark>汉十高铁</mark>",
        "示意 schematic",
    ]:
        assert expected in out


def test_project_popup_and_tooltip_of_the_hostile_document_are_inert(atlas):
    row = atlas.projects.set_index("id").loc["p-xss-park"].to_dict()
    popup, tooltip = popups.project_popup(row), popups.project_tooltip(row)
    for out in (popup, tooltip):
        assert "<img" not in out
        assert "${" not in out
        assert "`" not in out
    # The name in both, with $ escaped so a template literal cannot interpolate it; the
    # sentence only in the popup, its tag, backticks and backslash escaped too.
    name = "<b>襄阳&#36;{alert(1)}产业园</b>"
    assert tooltip.startswith(name) and popup.startswith(f"<div class='pa-pop'>{name}")
    assert (
        "<blockquote>推进&lt;img src=x onerror=alert(1)&gt;<mark>襄阳&#36;{alert(1)}产业园</mark>"
        "建设，&#96;一期&#96;&#92;工程于2024年开工。</blockquote>"
    ) in popup
    assert "onerror" not in tooltip


def test_folium_tooltip_with_escaped_text_cannot_interpolate():
    # folium.Tooltip puts its text in a JS template literal: ${...} there would run.
    m = folium.Map(tiles=None)
    marker = folium.CircleMarker([32.04, 112.14]).add_to(m)
    folium.Tooltip(popups.escape_text(f"{XSS_TEMPLATE}`{XSS_IMG}")).add_to(marker)
    out = m.get_root().render()
    script = out[out.index("bindTooltip(") :]
    literal = script[script.index("`") + 1 : script.index("`", script.index("`") + 1)]
    assert "${" not in literal and "<img" not in literal


def test_rendered_map_contains_no_live_hostile_text(atlas):
    groups = project_layers(atlas.projects)
    groups.append(ties_layer(ties_frame(atlas.graph), show=True))
    out = render(*groups)
    assert XSS_IMG not in out
    assert XSS_TEMPLATE not in out
    # The popup HTML travels as JSON (< > & ' escaped), bound by a fixed function.
    assert "bindPopup(p.popup" in out
    assert "\\u003cmark\\u003e" in out  # the highlight markup, inert until bound


# --- projects --------------------------------------------------------------------------


def test_one_group_per_kind_in_draw_order(atlas):
    groups = project_layers(atlas.projects)
    names = [g.layer_name.split(" (")[0] for g in groups]
    kinds = [styles.KIND_STYLES[k].label for k in styles.KIND_ORDER]
    assert names == [label for label in kinds if label in names]
    assert names[0] == styles.kind_label("metro_circle")  # areas at the bottom
    placed = atlas.projects[~atlas.projects.geometry.is_empty]
    assert sum(len(features_of(g)) for g in groups) == len(placed)


def test_unplaced_projects_are_not_drawn(atlas):
    ids = {f["id"] for g in project_layers(atlas.projects) for f in features_of(g)}
    assert "p-unplaced-wetland" not in ids


def test_schematic_lines_are_dashed_and_others_are_not(atlas):
    styles_by_id = {
        f["id"]: f["properties"]["style"]
        for g in project_layers(atlas.projects)
        for f in features_of(g)
    }
    assert styles_by_id["p-hanshi-hsr"]["dashArray"] == styles.SCHEMATIC_DASH
    assert "dashArray" not in styles_by_id["p-liuji-airport"]
    straight = atlas.projects.iloc[[2]].assign(schematic=False, id="surveyed")
    (group,) = project_layers(straight)
    assert "dashArray" not in features_of(group)[0]["properties"]["style"]
    out = render(*project_layers(atlas.projects))
    assert f'"dashArray":"{styles.SCHEMATIC_DASH}"' in out


def test_areas_are_translucent_and_seat_points_hollow(atlas):
    by_id = {f["id"]: f for g in project_layers(atlas.projects) for f in features_of(g)}
    assert by_id["p-xy-circle"]["geometry"]["type"] == "Polygon"
    assert by_id["p-xy-circle"]["properties"]["style"]["fillOpacity"] < 0.3
    exact = by_id["p-liuji-airport"]["properties"]["style"]["fillOpacity"]
    seat = by_id["p-xss-park"]["properties"]["style"]["fillOpacity"]
    assert seat < exact


def test_project_layers_do_not_modify_the_frame(atlas):
    before = atlas.projects.copy()
    project_layers(atlas.projects)
    assert_geodataframe_equal(atlas.projects, before)


def test_areas_are_simplified_for_display_only(atlas):
    ring = [
        (112 + 0.5 * math.cos(a / 50 * math.pi), 32 + 0.5 * math.sin(a / 50 * math.pi))
        for a in range(100)
    ]
    frame = atlas.projects.iloc[[0]].assign(geometry=[Polygon(ring)])
    (coarse,) = project_layers(frame)
    (full,) = project_layers(frame, simplify=None)
    count = len(features_of(coarse)[0]["geometry"]["coordinates"][0])
    assert count < len(features_of(full)[0]["geometry"]["coordinates"][0]) == 101
    assert len(frame.geometry.iloc[0].exterior.coords) == 101  # the frame is untouched


def test_safe_json_cannot_close_a_script():
    text = safe_json({"t": "</script><script>alert(1)</script>'&\u2028"})
    assert "<" not in text and ">" not in text and "'" not in text and "&" not in text
    assert json.loads(text)["t"].startswith("</script>")


def test_project_layers_reproject_to_lon_lat(atlas):
    frame = atlas.projects[atlas.projects["id"] == "p-liuji-airport"].to_crs(3857)
    (group,) = project_layers(frame)
    lon, lat = features_of(group)[0]["geometry"]["coordinates"]
    assert (round(lon, 3), round(lat, 3)) == (112.291, 32.15)


def test_legend_lists_kinds_in_the_map_script():
    m = folium.Map(tiles=None)
    styles.Legend(["railway", "airport"]).add_to(m)
    out = m.get_root().render()
    legend = json.loads(re.search(r"div.innerHTML = (\".*?\");", out).group(1))
    assert "铁路 railway" in legend and "机场 airport" in legend
    assert "L.control(" in out and "planatlas-legend" in out
    assert "高速公路" not in legend


# --- places and ties -------------------------------------------------------------------


def test_places_are_circles_sized_by_mentions(atlas):
    group = places_layer(atlas.places)
    radii = {
        f["properties"]["adcode"]: f["properties"]["style"]["radius"] for f in features_of(group)
    }
    assert radii["420600"] == place_radius(9) > radii["420624"] == place_radius(1)
    assert group.layer_name == f"地点 places ({len(atlas.places)})"


def test_ties_frame_has_one_line_per_edge(atlas):
    frame = ties_frame(atlas.graph)
    assert len(frame) == atlas.graph.number_of_edges()
    assert frame.crs == "EPSG:4326"
    row = frame[(frame["u"] == "420600") & (frame["v"] == "420100")].iloc[0]
    assert row["kinds"] == "joint_project;cooperation"
    assert row["projects"] == "p-hanshi-hsr;p-hanxiaosui-belt"
    assert set(row["docs"].split(";")) == {"xiangyang.txt", "wuhan.txt"}
    assert row.geometry.coords[0] == (112.144, 32.042)


def test_ties_frame_of_an_empty_graph_is_empty():
    frame = ties_frame(nx.Graph())
    assert frame.empty and list(frame.columns) == [
        "u",
        "v",
        "u_name",
        "v_name",
        "kinds",
        "weight",
        "docs",
        "projects",
        "evidence",
        "geometry",
    ]


def test_tie_width_follows_weight_and_ties_are_off_by_default(atlas):
    group = ties_layer(ties_frame(atlas.graph))
    assert group.show is False
    widths = {f["id"]: f["properties"]["style"]["weight"] for f in features_of(group)}
    assert widths["tie-420600-420100"] == tie_width(4.0) > widths["tie-420100-420900"]
    assert tie_width(1e9) == 12.0


def test_tie_popup_escapes_evidence(atlas):
    out = render(ties_layer(ties_frame(atlas.graph), show=True))
    assert XSS_IMG not in out and XSS_TEMPLATE not in out


# --- basemaps and the GCJ-02 shift -----------------------------------------------------


@pytest.mark.parametrize(
    ("lon", "lat"), [(114.30, 30.59), (121.47, 31.23), (116.39, 39.90), (112.14, 32.04)]
)
def test_gcj02_shift_moves_a_point_in_china_by_a_few_hundred_metres(lon, lat):
    frame = gpd.GeoDataFrame({"n": [1]}, geometry=[Point(lon, lat)], crs="EPSG:4326")
    shifted = basemaps.to_gcj02(frame)
    x, y = shifted.geometry.x[0], shifted.geometry.y[0]
    _, _, metres = Geod(ellps="WGS84").inv(lon, lat, x, y)
    # The offset is ~300-600 m over most of China (武汉 586 m, 上海 482 m) and
    # slightly more in the south-west of Hubei (襄阳 613 m).
    assert 300 < metres < 650
    assert x > lon  # GCJ-02 lies to the east of WGS-84 here
    assert frame.geometry.x[0] == lon  # input untouched
    assert shifted.attrs["display_datum"] == "GCJ-02"


def test_gcj02_shift_keeps_shapes_and_leaves_points_abroad():
    frame = gpd.GeoDataFrame(
        geometry=[
            LineString([(112.1, 32.0), (114.3, 30.6)]),
            Polygon([(113, 30), (114, 30), (114, 31), (113, 30)]),
            Point(2.35, 48.85),
            Point(),
        ],
        crs="EPSG:4326",
    )
    shifted = basemaps.to_gcj02(frame)
    assert list(shifted.geom_type) == list(frame.geom_type)
    assert shifted.geometry.iloc[2].equals(frame.geometry.iloc[2])
    assert shifted.geometry.iloc[3].is_empty
    assert not shifted.geometry.iloc[0].equals(frame.geometry.iloc[0])


@pytest.mark.parametrize(("crs", "got"), [("EPSG:3857", "crs='EPSG:3857'"), (None, "no CRS")])
def test_gcj02_shift_refuses_frames_not_in_lon_lat(crs, got):
    frame = gpd.GeoDataFrame(geometry=[Point(0, 0)], crs=crs)
    with pytest.raises(CRSError, match=f"expects lon/lat in EPSG:4326, got {got}"):
        basemaps.to_gcj02(frame)


def test_places_without_a_crs_are_refused(atlas):
    with pytest.raises(CRSError, match="places has no CRS"):
        places_layer(atlas.places.set_crs(None, allow_override=True))


def test_tianditu_needs_a_key():
    assert "天地图 Tianditu" not in basemaps.available_basemaps({})
    assert "天地图 Tianditu" in basemaps.available_basemaps({basemaps.TIANDITU_ENV: "k"})
    with pytest.raises(ValueError, match="PLANATLAS_TIANDITU_KEY"):
        basemaps.base_map("天地图 Tianditu", environ={})
    out = basemaps.base_map("天地图 Tianditu", environ={basemaps.TIANDITU_ENV: "a&b"})
    html_out = out.get_root().render()
    assert "tk=a%26b" in html_out and "vec_w" in html_out and "cva_w" in html_out


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("none", basemaps.NO_TILES),
        ("AMap", "高德 AMap (GCJ-02)"),
        ("cartodb", "CartoDB Positron"),
        ("openstreetmap", "OpenStreetMap"),
        ("bing", basemaps.NO_TILES),  # offline first: no tiles unless asked for
        ("", basemaps.NO_TILES),
    ],
)
def test_default_basemap_from_the_environment(value, name):
    assert basemaps.default_basemap({basemaps.BASEMAP_ENV: value}) == name


def test_unknown_basemap_is_refused():
    with pytest.raises(ValueError, match="basemap='Bing' is not one of"):
        basemaps.base_map("Bing")


def test_no_tiles_basemap_draws_boundaries_instead():
    frames = [
        (basemaps.simplify_boundaries(fixture_boundaries(lvl), tolerance=0.01), w)
        for lvl, w in (("county", 0.6), ("province", 1.6))
    ]
    out = basemaps.base_map(basemaps.NO_TILES, boundaries=frames).get_root().render()
    assert "L.tileLayer" not in out
    assert out.count("L.geoJSON(") == 2 and "interactive: false" in out  # two outline layers
    osm = basemaps.base_map("OpenStreetMap", boundaries=frames).get_root().render()
    assert "tile.openstreetmap.org" in osm and "L.geoJSON(" not in osm


def test_base_map_is_the_same_script_every_time():
    from streamlit_folium import _get_map_string

    first = _get_map_string(basemaps.base_map(legend_kinds=["railway"]))
    second = _get_map_string(basemaps.base_map(legend_kinds=["railway"]))
    assert re.sub(r"_[0-9a-f]{32}", "", first) == re.sub(r"_[0-9a-f]{32}", "", second)


@pytest.mark.parametrize(
    ("bounds", "zoom"),
    [
        (None, basemaps.DEFAULT_ZOOM),
        ((110.2, 31.3, 113.9, 33.0), 8),
        ((112.1, 32.0, 112.1, 32.0), 13),
    ],
)
def test_fit_view(bounds, zoom):
    center, got = basemaps.fit_view(bounds)
    assert got == zoom
    if bounds:
        assert center == pytest.approx(((bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2))


# --- offline assets --------------------------------------------------------------------


def local_links(out: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', out)


def test_localized_map_loads_nothing_from_a_cdn(atlas):
    m = basemaps.base_map(legend_kinds=view.kind_options(atlas))
    groups = [*project_layers(atlas.projects), places_layer(atlas.places)]
    for group in groups:
        group.add_to(m)
    assets.localize(m)
    out = m.get_root().render()
    links = local_links(out)
    assert links and all(link.startswith("/app/static/planatlas/") for link in links)
    assert any(link.endswith("/leaflet.js") for link in links)
    assert not [host for host in CDN_HOSTS if host in out]
    # Only the instance changed; folium's class keeps its defaults.
    assert folium.Map.default_js[0][1].startswith("https://")


def test_streamlit_folium_is_handed_only_local_links(atlas, monkeypatch):
    import streamlit_folium

    captured = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: captured.update(kw))
    m = assets.localize(basemaps.base_map(legend_kinds=["railway"]))
    groups = [assets.localize(g) for g in project_layers(atlas.projects)]
    streamlit_folium.st_folium(m, key="k", feature_group_to_add=groups, returned_objects=[])
    links = captured["js_links"] + captured["css_links"]
    assert links and all(link.startswith("/app/static/planatlas/") for link in links)
    for part in ("script", "header", "html", "feature_group"):
        assert not [host for host in CDN_HOSTS if host in captured[part]]
        assert XSS_IMG not in captured[part] and XSS_TEMPLATE not in captured[part]


def test_localize_honours_a_base_url_path_and_an_index():
    m = assets.localize(
        folium.Map(tiles=None),
        base_url=assets.static_base_url("/atlas/"),
        index={
            "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "l.js",
            "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "l.css",
        },
    )
    assert m.default_js == [("leaflet", "/atlas/app/static/planatlas/l.js")]
    assert m.default_css == [("leaflet_css", "/atlas/app/static/planatlas/l.css")]


def test_localize_matches_another_version_of_the_same_file():
    m = folium.Map(tiles=None)
    m.default_js = [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@9.9.9/dist/leaflet.js")]
    m.default_css = []
    assets.localize(m)
    assert m.default_js == [("leaflet", "/app/static/planatlas/npm/leaflet@1.9.3/dist/leaflet.js")]


def test_localize_refuses_what_it_cannot_serve():
    m = folium.Map(tiles=None)
    m.default_js = [("x", "https://example.invalid/lib/x.js")]
    with pytest.raises(assets.AssetError, match="no local copy of 'https://example.invalid"):
        assets.localize(m)
    colored = folium.Map(tiles=None)
    LinearColormap(["red", "blue"]).add_to(colored)
    with pytest.raises(assets.AssetError, match="load d3 from a CDN"):
        assets.localize(colored)


def test_install_assets_copies_leaflet_once(tmp_path):
    target = assets.install_assets(tmp_path)
    leaflet = target / "npm/leaflet@1.9.3/dist/leaflet.js"
    assert leaflet.read_text(encoding="utf-8").lstrip().startswith("/* @preserve")
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    index = assets.asset_index(tmp_path)
    assert index["https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"] == (
        "npm/leaflet@1.9.3/dist/leaflet.css"
    )
    mtime = leaflet.stat().st_mtime_ns
    assets.install_assets(tmp_path)
    assert leaflet.stat().st_mtime_ns == mtime


def test_asset_index_says_how_to_install(tmp_path):
    with pytest.raises(assets.AssetError, match="python -m layers STATIC_DIR"):
        assets.asset_index(tmp_path)


@pytest.mark.parametrize(
    ("url", "path"),
    [
        (
            "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
            "npm/leaflet@1.9.3/dist/leaflet.js",
        ),
        ("https://x.org/../../etc/passwd", "etc/passwd"),
        ("https://x.org/a b/c.css?v=1", "a_b/c.css_"),
    ],
)
def test_asset_path_stays_inside_the_static_dir(url, path):
    assert assets.asset_path(url).startswith(path)


# --- view and export -------------------------------------------------------------------


def test_kind_filter(atlas):
    shown = view.select(atlas, view.Selection(kinds=frozenset({"railway", "airport"})))
    assert set(shown.projects["kind"]) == {"railway", "airport"}
    assert shown.ties.empty  # ties are off unless asked for


def test_kind_filter_keeps_ties_of_passing_projects_and_project_less_ties(atlas):
    shown = view.select(atlas, view.Selection(kinds=frozenset({"corridor"}), ties=True))
    pairs = {(u, v) for u, v in zip(shown.ties["u"], shown.ties["v"], strict=True)}
    # 汉孝随襄十 belt (a corridor) ties 武汉–孝感 and 襄阳–武汉; the cooperation clauses
    # with no project behind them stay; the railway-only ties go.
    assert pairs == {
        ("420600", "420100"),
        ("420100", "420900"),
        ("420100", "420700"),
        ("420600", "429021"),
    }


def test_circle_filter_keeps_what_lies_in_it(atlas):
    shown = view.select(atlas, view.Selection(circle="p-wh-circle", ties=True))
    # the circle itself and the sites in its members; 汉十高铁 only passes through
    assert set(shown.projects["id"]) == {
        "p-wh-circle", "p-tianhe-airport", "p-optics-lab", "p-ezhou-airport"
    }
    assert set(shown.places["name"]) == {"武汉市", "孝感市", "鄂州市", "黄冈市"}
    assert shown.focus == tuple(atlas.projects.set_index("id").loc["p-wh-circle"].geometry.bounds)
    members = {"420100", "420900", "420700", "421100"}
    assert not shown.ties.empty
    assert set(shown.ties["u"]) | set(shown.ties["v"]) <= members


def test_city_search_keeps_its_projects_and_strongest_ties(atlas):
    shown = view.select(atlas, view.Selection(city="420600", top_ties=2))
    ids = set(shown.projects["id"])
    assert "p-xiang-nanzhang" in ids  # names 南漳县, a county of 襄阳
    assert "p-tianhe-airport" not in ids
    assert list(shown.city_ties["v_name"]) == ["武汉市", "十堰市"]
    assert set(shown.ties.index) == set(shown.city_ties.index)
    # Zoomed to 襄阳's two strongest ties and its sites and routes, with a 0.15° margin:
    # they reach 十堰 in the west and north and 武汉 in the east and south.
    seat = atlas.places.set_index("adcode").geometry
    wuhan, shiyan = seat["420100"], seat["420300"]  # x = lon, y = lat
    assert shown.focus == pytest.approx(
        (shiyan.x - 0.15, wuhan.y - 0.15, wuhan.x + 0.15, shiyan.y + 0.15)
    )


def test_only_the_strongest_ties_are_drawn(atlas):
    shown = view.select(atlas, view.Selection(ties=True, max_ties=2, tie_level="county"))
    assert sorted(shown.ties["weight"], reverse=True) == [4.0, 3.0]
    assert shown.notes == ("showing the 2 strongest of 7 ties",)
    assert len(shown.ties) == 2 and shown.graph.number_of_edges() == 7  # export: all kept


def test_document_and_status_filters(atlas):
    shown = view.select(
        atlas, view.Selection(documents=frozenset({"wuhan.txt"}), statuses=frozenset({"planned"}))
    )
    assert set(shown.projects["status"]) == {"planned"}
    assert all("wuhan.txt" in d.split(";") for d in shown.projects["docs"])
    assert "p-hanxiaosui-belt" in set(shown.projects["id"])


def test_unknown_circle(atlas):
    with pytest.raises(SelectionError, match="no circle with id or name 'nope'.*武汉都市圈"):
        view.select(atlas, view.Selection(circle="nope"))


def test_unknown_city(atlas):
    with pytest.raises(KeyError, match="city='999999'"):
        view.select(atlas, view.Selection(city="999999"))


def test_view_separates_unplaced(atlas):
    shown = view.select(atlas, view.Selection())
    assert list(shown.unplaced["id"]) == ["p-unplaced-wetland"]
    assert "p-unplaced-wetland" not in set(shown.projects["id"])


def test_geojson_export_is_rfc7946_and_matches_the_filter(atlas):
    shown = view.select(atlas, view.Selection(kinds=frozenset({"metro_circle", "railway"})))
    data = json.loads(export.geojson_bytes(shown.projects))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert {f["properties"]["kind"] for f in data["features"]} == {"metro_circle", "railway"}
    assert sorted(f["properties"]["id"] for f in data["features"]) == sorted(shown.projects["id"])
    ring = [f for f in data["features"] if f["geometry"]["type"] == "Polygon"][0]
    assert Polygon(ring["geometry"]["coordinates"][0]).exterior.is_ccw


def test_gpkg_and_graphml_exports_read_back(atlas, tmp_path):
    shown = view.select(atlas, view.Selection(ties=True, tie_level="county"))
    path = tmp_path / "out.gpkg"
    path.write_bytes(export.gpkg_bytes(shown.projects))
    layers = read_gpkg(path)  # one layer per geometry family
    assert set(layers) == {"points", "lines", "areas"}
    back = pd.concat([frame["id"] for frame in layers.values()])
    assert sorted(back) == sorted(shown.projects["id"])
    graph = nx.read_graphml(io.BytesIO(export.graphml_bytes(shown.graph)))
    assert graph.number_of_edges() == len(shown.ties)


def test_assets_command_installs_into_the_given_dir(tmp_path, capsys):
    assert assets.main([str(tmp_path / "static")]) == 0
    assert capsys.readouterr().out.strip().endswith("static/planatlas")
    assert (tmp_path / "static/planatlas/index.json").is_file()


def test_the_offline_basemap_names_prefectures_always_and_counties_when_zoomed(atlas):
    frame = gpd.GeoDataFrame(
        {"name": ["襄阳市", "南漳县"]},
        geometry=[box(111.0, 31.0, 113.0, 33.0), box(111.2, 31.2, 111.9, 31.9)],
        crs="EPSG:4326",
    )
    labels = basemaps.place_labels(frame.iloc[:1]) + basemaps.place_labels(
        frame.iloc[1:], min_zoom=basemaps.COUNTY_LABEL_ZOOM
    )
    assert [(text, zoom) for _, _, text, zoom in labels] == [("襄阳市", 0), ("南漳县", 8)]
    for (lat, lon, _, _), geometry in zip(labels, frame.geometry, strict=True):
        assert geometry.contains(Point(lon, lat))  # inside its own unit
    hostile = [(31.0, 112.0, XSS_IMG, 0)]
    offline = basemaps.base_map(basemaps.NO_TILES, labels=labels + hostile)
    html = offline.get_root().render()
    assert "planatlas-label" in html and "南漳县" in html
    assert XSS_IMG not in html  # names are text (textContent), never markup
    tiles = basemaps.base_map("OpenStreetMap", labels=labels).get_root().render()
    assert "南漳县" not in tiles  # tiles carry their own names


def test_a_project_placed_only_by_its_jurisdiction_is_a_dashed_marker_inside_it():
    hubei = box(108.4, 29.0, 116.1, 33.3)
    frame = gpd.GeoDataFrame(
        {
            "id": ["park", "circle"], "name": ["智慧物流园", "武汉都市圈"],
            "kind": ["logistics", "metro_circle"], "precision": [4, 3],
            "precision_label": ["within the issuing jurisdiction: 湖北省", "members"],
        },
        geometry=[hubei, hubei],
        crs="EPSG:4326",
    )
    features = {f["id"]: f for g in project_layers(frame, simplify=None) for f in features_of(g)}
    park, circle = features["park"], features["circle"]
    assert park["geometry"]["type"] == "Point"
    wetland = frame.assign(kind="ecology", id="wetland").iloc[:1]  # an area kind, same label
    (marker,) = [f for g in project_layers(wetland, simplify=None) for f in features_of(g)]
    assert marker["geometry"]["type"] == "Point"
    assert hubei.contains(Point(park["geometry"]["coordinates"]))
    assert park["properties"]["style"]["dashArray"] == "3 3"
    assert circle["geometry"]["type"] == "Polygon"  # an area kind stays an area


def test_popups_name_documents_by_their_titles_escaped(atlas):
    row = atlas.projects.set_index("id").loc["p-tianhe-airport"].to_dict()
    doc = row["doc"]
    plain = popups.project_popup(row)
    assert f"<div class='pa-doc'>{doc}</div>" in plain
    titled = popups.project_popup(row, titles={doc: f"武汉市规划{XSS_IMG}"})
    shown = f"武汉市规划&lt;img src=x onerror=alert(1)&gt; ({doc})"
    assert f"<div class='pa-doc'>{shown}</div>" in titled
    assert "<img" not in titled


def test_a_popup_tells_the_status_history_of_a_project_named_twice():
    row = {
        "id": "p", "name": "襄阳至南漳高速公路", "kind": "expressway", "status": "construction",
        "doc": "b.txt", "docs": "a.txt;b.txt", "sentence": "", "start": 0, "end": 0,
        "sources": json.dumps([
            {"doc": "a.txt", "status": "planned", "date": "2021"},
            {"doc": "b.txt", "status": "construction", "date": ""},
        ]),
    }
    popup = popups.project_popup(row, titles={"b.txt": f"报告{XSS_IMG}"})
    assert "<tr><th>历程 history</th><td>规划 planned (2021) → 在建 under construction (" in popup
    assert "报告&lt;img src=x onerror=alert(1)&gt; (b.txt))</td></tr>" in popup
    assert "历程" not in popups.project_popup({**row, "sources": "[]"})


def test_search_keeps_projects_by_name_and_counts_follow(atlas):
    shown = view.select(atlas, view.Selection(search="机场"))
    assert set(shown.projects["name"]) == {"襄阳刘集机场", "天河机场", "鄂州花湖机场"}
    counts = view.counts(shown.projects, "kind", styles.kind_label)
    assert counts.to_dict() == {"机场 airport": 3}
    assert view.select(atlas, view.Selection(search="  ")).projects.shape == (
        view.select(atlas, view.Selection()).projects.shape
    )


def test_place_and_tie_popups_name_documents_by_their_titles(atlas):
    place = atlas.places.iloc[0].to_dict()
    doc = place["docs"].split(";")[0]
    assert f"城市规划{XSS_IMG}" not in popups.place_popup(place, titles={doc: f"城市规划{XSS_IMG}"})
    assert f"城市规划 ({doc})" in popups.place_popup(place, titles={doc: "城市规划"})
    tie = view.select(atlas, view.Selection(ties=True)).ties.iloc[0].to_dict()
    first = json.loads(tie["evidence"])[0]["doc"]
    assert f"规划标题 ({first}) · " in popups.tie_popup(tie, titles={first: "规划标题"})


def test_ties_are_drawn_per_network_and_co_membership_apart(atlas):
    everything = view.select(atlas, view.Selection(ties=True, tie_level="county"))
    cities = view.select(atlas, view.Selection(ties=True))  # prefectures by default
    assert set(cities.ties["u_level"]) | set(cities.ties["v_level"]) == {"prefecture"}
    assert set(everything.ties["v_level"]) >= {"county"}
    assert len(cities.ties) < len(everything.ties)
    assert cities.graph.number_of_edges() == everything.graph.number_of_edges()  # GraphML: all
    with pytest.raises(ValueError, match="tie_level='town' is not one of"):
        view.select(atlas, view.Selection(ties=True, tie_level="town"))


def test_a_big_cluster_makes_weak_ties_in_their_own_layer():
    from layers.ties import readable_ties, strength

    members = ";".join(f"42{i:04d}" for i in range(31))
    graph = nx.Graph()
    graph.add_node("420100", level="prefecture")
    graph.add_node("420600", level="prefecture")
    evidence = json.dumps([{"kind": "co_membership", "members": members, "doc": "a.txt"}])
    frame = pd.DataFrame(
        {"u": ["420100"], "v": ["420600"], "kinds": ["co_membership"], "weight": [1.0],
         "evidence": [evidence]}
    )  # fmt: skip
    readable = readable_ties(frame, graph)
    assert readable["readable_weight"].iloc[0] == pytest.approx(1 / 30)
    assert bool(readable["co_membership_only"].iloc[0])
    assert strength(readable) == pytest.approx({"420100": 1 / 30, "420600": 1 / 30})


def test_a_features_file_published_again_is_not_pruned_as_old(tmp_path, monkeypatch):
    import os

    from layers import _stored

    monkeypatch.setattr(_stored, "KEEP_FILES", 3)

    def features(n: int) -> list[dict]:
        return [{"type": "Feature", "id": f"f{n}", "geometry": None,
                 "properties": {"popup": str(n)}}]

    def path_of(store: _stored.FeatureStore) -> os.PathLike[str]:
        return tmp_path / _stored.DATA_DIR / store.url.rsplit("/", 1)[-1]

    first = _stored.publish(features(0), folder=tmp_path, base_url="/s")
    old = path_of(first)
    os.utime(old, (1, 1))  # published long ago
    for n in (1, 2):
        _stored.publish(features(n), folder=tmp_path, base_url="/s")
    again = _stored.publish(features(0), folder=tmp_path, base_url="/s")  # in use again
    assert again.url == first.url
    _stored.publish(features(3), folder=tmp_path, base_url="/s")  # prunes the oldest
    assert old.is_file()
    assert len(list((tmp_path / _stored.DATA_DIR).glob("*.json"))) == 3
