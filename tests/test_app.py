"""The Streamlit app's logic, run headless with ``streamlit.testing.v1.AppTest``.

The app opens the small hand-made atlas of ``tests/app_fixtures.py``, saved to a temporary
file and named by ``PLANATLAS_ATLAS`` (the app's saved-atlas mode, :mod:`geo.saved`), which
keeps these fast and independent of the gazetteer; the last tests run the app on the real
seeds.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from types import SimpleNamespace

import networkx as nx
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from geo.export import read_gpkg
from geo.library import Library
from geo.saved import ATLAS_ENV
from tests.app_fixtures import XSS_IMG, XSS_TEMPLATE, fixture_atlas, save_fixture_atlas

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
MAP_DRAWN = "_map_drawn"  # streamlit_app.MAP_DRAWN (the app is a script, not imported)


def open_app(timeout: float = 60) -> AppTest:
    """The app as a browser session sees it once its map has drawn.

    In a browser the map's script tells the app it has drawn (``MAP_DRAWN``), which
    brings the panels under the map; AppTest has no browser, so the flag is set here.
    """
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.session_state[MAP_DRAWN] = True
    return at


class Downloads(dict):
    """The download buttons of the last run: file name → bytes, made as on a click.

    ``downloads[".geojson"]`` is the last file whose name ends so (names carry the date).
    """

    def __getitem__(self, name: str) -> bytes:
        if not super().__contains__(name):
            name = [k for k in self if str(k).endswith(name)][-1]
        data = super().__getitem__(name)()
        return data.encode("utf-8") if isinstance(data, str) else data


@pytest.fixture
def downloads(monkeypatch):
    """Record the deferred data callables the app hands to ``st.download_button``."""
    files = Downloads()
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        files[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return files


@pytest.fixture(scope="session")
def saved_fixture(tmp_path_factory) -> Path:
    """The fixture atlas and its boundaries, saved as the app opens them."""
    return save_fixture_atlas(tmp_path_factory.mktemp("atlas") / "fixture.atlas")


@pytest.fixture
def app(monkeypatch, saved_fixture):
    monkeypatch.setenv(ATLAS_ENV, str(saved_fixture))
    monkeypatch.delenv("PLANATLAS_TIANDITU_KEY", raising=False)
    at = open_app(60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def component(at: AppTest):
    (element,) = at.get("component_instance")
    assert element.proto.component_name == "streamlit_folium.st_folium"
    return element.proto


SHOW = re.compile(
    r'window\.planatlas\.show\([^,]+,\s*("(?:[^"\\]|\\.)*"),\s*("(?:[^"\\]|\\.)*"),\s*'
    r"(\[[0-9,]*\])"
)
STATIC = Path(APP).parent / "static"


def stored_text(url: str) -> str:
    """The text of a file the map fetches from the app's static folder."""
    prefix = "/app/static/"
    assert url.startswith(prefix), url
    return (STATIC / url[len(prefix):]).read_text(encoding="utf-8")


def drawn(at: AppTest, part: str = "feature_group") -> dict[str, dict]:
    """The features the map is told to show, by id, read from the files it would fetch.

    ``part`` is ``"feature_group"`` (this run's layers) or ``"script"`` (the base map).
    """
    code = json.loads(component(at).json_args)[part] or ""
    features: dict[str, dict] = {}
    for key, url, positions in SHOW.findall(code):
        data = json.loads(stored_text(json.loads(url)))
        for position in json.loads(positions):
            item = data[position]
            features[item["id"]] = {**item, "layer": json.loads(key)}
    return features


def shown_ids(at: AppTest) -> set[str]:
    """Ids in the table of shown projects (the first table with an id column)."""
    tables = [df.value for df in at.dataframe if "id" in df.value.columns]
    return set(tables[0]["id"])


def test_first_run_shows_every_placed_project(downloads, app):
    atlas = fixture_atlas()
    placed = set(atlas.projects.loc[~atlas.projects.geometry.is_empty, "id"])
    assert shown_ids(app) == placed
    args = json.loads(component(app).json_args)
    assert args["returned_objects"] == []
    assert args["js_links"]
    assert all(link.startswith("/app/static/planatlas/") for link in args["js_links"])
    assert "feature_group_feature_group_0" in args["feature_group"]
    data = json.loads(downloads[".geojson"])
    assert data["type"] == "FeatureCollection"
    assert {f["properties"]["id"] for f in data["features"]} == placed


def test_removing_a_kind_redraws_layers_without_remounting_the_map(downloads, app):
    before = component(app)
    app.multiselect(key="kinds").unselect("airport").run()
    after = component(app)
    assert after.id == before.id  # same component: the map stays mounted
    assert json.loads(after.json_args)["script"] == json.loads(before.json_args)["script"]
    assert (
        json.loads(after.json_args)["feature_group"]
        != json.loads(before.json_args)["feature_group"]
    )
    assert not {"p-tianhe-airport", "p-liuji-airport", "p-ezhou-airport"} & shown_ids(app)
    data = json.loads(downloads[".geojson"])
    assert data["features"]
    assert "airport" not in {f["properties"]["kind"] for f in data["features"]}
    assert {f["properties"]["id"] for f in data["features"]} == shown_ids(app)


@pytest.mark.parametrize(
    ("widget", "value"),
    [("circle", "p-wh-circle"), ("city", "420600"), ("statuses", ["planned"])],
)
def test_other_filters_keep_the_same_map(app, widget, value):
    before, shown_before = component(app).id, shown_ids(app)
    element = app.selectbox(key=widget) if widget != "statuses" else app.multiselect(key=widget)
    element.set_value(value).run()
    assert not app.exception
    assert component(app).id == before
    assert shown_ids(app) < shown_before  # the filter took effect


def test_metropolitan_circle_zooms_outlines_and_keeps_what_lies_in_it(downloads, app):
    app.selectbox(key="circle").set_value("p-wh-circle").run()
    ids = shown_ids(app)
    assert "p-tianhe-airport" in ids and "p-liuji-airport" not in ids
    assert "p-hanshi-hsr" not in ids  # the railway to 十堰 only passes through
    args = json.loads(component(app).json_args)
    assert args["center"][0] == pytest.approx(30.65) and args["zoom"] >= 8
    assert "circle-p-wh-circle" in args["feature_group"]  # the chosen circle outlined
    assert {i for i in drawn(app) if i.startswith("p-")} == ids  # the map agrees
    app.selectbox(key="circle").set_value(None).run()
    assert "circle-p-wh-circle" not in json.loads(component(app).json_args)["feature_group"]
    exported = {
        f["properties"]["id"] for f in json.loads(downloads[".geojson"])["features"]
    }
    assert exported == ids


def test_city_search_shows_its_strongest_ties_with_evidence(app):
    app.selectbox(key="city").set_value("420600").run()
    assert any("襄阳市" in h.value and "strongest ties" in h.value for h in app.subheader)
    ties = app.dataframe[0].value  # the city's table comes before the project table
    assert list(ties["联系 tie"])[:2] == ["襄阳市 — 武汉市", "襄阳市 — 十堰市"]
    assert all(ties["依据 evidence"].str.len() > 0)
    assert "p-tianhe-airport" not in shown_ids(app)


def test_ties_are_off_by_default_and_toggle_on(downloads, app):
    assert "tie-420600-420100" not in drawn(app)
    # the GraphML holds every tie the filters keep, drawn or not
    graphml = [b for b in app.get("download_button") if "GraphML" in b.proto.label][0]
    assert not graphml.proto.disabled
    assert nx.read_graphml(io.BytesIO(downloads[".graphml"])).number_of_edges() == 7
    app.toggle(key="ties").set_value(True).run()
    assert drawn(app)["tie-420600-420100"]["layer"] == "ties"


def test_the_geopackage_has_a_layer_per_geometry_and_the_places_and_ties(downloads, app):
    layers = read_gpkg(downloads[".gpkg"])
    assert {name: len(frame) for name, frame in layers.items()} == {
        "points": 6, "lines": 3, "areas": 2, "unplaced": 1, "places": 11, "ties": 7,
    }
    names = [str(k) for k in downloads]
    assert any(re.fullmatch(r"planatlas-\d{4}-\d\d-\d\d\.gpkg", n) for n in names), names


def test_hostile_document_text_never_reaches_the_page_raw(app):
    app.toggle(key="ties").set_value(True).run()
    app.selectbox(key="tie_level").set_value("county").run()  # the tie goes to a county
    args = component(app).json_args
    decoded = json.loads(args)
    for part in ("script", "header", "html", "feature_group"):
        assert XSS_IMG not in decoded[part]
        assert XSS_TEMPLATE not in decoded[part]
    # the hostile project and tie are on the map, their text escaped in the file it fetches
    features = drawn(app)
    assert {"p-xss-park", "tie-420600-420683"} <= set(features)
    (url,) = set(re.findall(r'"(/app/static/[^"]+\.json)"', decoded["feature_group"]))
    text = stored_text(url)
    assert "onerror=alert(1)" in text and XSS_IMG not in text and "<" not in text
    popup = features["p-xss-park"]["properties"]["popup"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in popup and XSS_IMG not in popup


def test_amap_basemap_shifts_display_but_not_downloads(downloads, app):
    plain = drawn(app)["p-liuji-airport"]["geometry"]["coordinates"]
    app.selectbox(key="basemap").set_value("高德 AMap (GCJ-02)").run()
    assert not app.exception
    shifted = drawn(app)["p-liuji-airport"]["geometry"]["coordinates"]
    assert "webrd0" in json.loads(component(app).json_args)["script"]
    assert plain == [112.291, 32.15] and shifted != plain  # 刘集机场 moved for display
    data = json.loads(downloads[".geojson"])
    airport = [f for f in data["features"] if f["properties"]["id"] == "p-liuji-airport"][0]
    assert airport["geometry"]["coordinates"] == pytest.approx([112.291, 32.15])


def test_boundaries_basemap_has_no_tiles(app):
    app.selectbox(key="basemap").set_value("无底图 none (boundaries)").run()
    assert not app.exception
    script = json.loads(component(app).json_args)["script"]
    assert "L.tileLayer" not in script and '"interactive":false' in script
    assert drawn(app, "script")  # the outlines, fetched from a file

def test_uploads_report_unreadable_files(app):
    good = ("plan.txt", "襄阳市推进汉十高铁沿线开发。".encode("gb18030"), "text/plain")
    bad = ("scan.txt", b"\x00\x01\x02\x03" * 64, "text/plain")
    app.file_uploader(key="uploads").set_value([good, bad]).run()
    assert not app.exception
    errors = [e.value for e in app.error]
    assert len(errors) == 1 and "scan.txt" in errors[0] and "plan.txt" not in errors[0]
    notes = [i.value for i in app.info]
    assert any("saved atlas: 1 document(s) read" in note for note in notes), notes


def test_unplaced_projects_are_listed(app):
    (expander,) = [e for e in app.expander if "Unplaced" in e.label]
    assert "Unplaced (1)" in expander.label
    unplaced = app.dataframe[-1].value
    assert list(unplaced["id"]) == ["p-unplaced-wetland"]
    assert list(unplaced["reason"]) == ["no place named in the sentence"]


def test_saved_atlas_boundaries_are_drawn(app):
    app.selectbox(key="basemap").set_value("无底图 none (boundaries)").run()
    assert not app.exception
    outlines = [f["geometry"]["coordinates"] for f in drawn(app, "script").values()]
    # the rough 襄阳市 box saved with the fixture, as GeoJSON (lon, lat)
    assert [[[110.9, 31.2], [113.1, 31.2], [113.1, 32.6], [110.9, 32.6], [110.9, 31.2]]] in outlines


@pytest.mark.parametrize("content", [None, b"not a pickle"], ids=["missing", "not-an-atlas"])
def test_a_saved_atlas_that_cannot_be_opened_is_one_error(monkeypatch, tmp_path, content):
    path = tmp_path / "broken.atlas"
    if content is not None:
        path.write_bytes(content)
    monkeypatch.setenv(ATLAS_ENV, str(path))
    at = open_app(60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (error,) = at.error
    assert "Could not open the atlas" in error.value and str(path) in error.value
    assert not at.get("component_instance")  # no map drawn


def test_app_on_the_real_seeds(monkeypatch):
    monkeypatch.delenv(ATLAS_ENV, raising=False)
    at = open_app(300)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    before = component(at).id
    kinds = at.multiselect(key="kinds")
    shown = shown_ids(at)
    assert len(shown) > 0 and kinds.value
    kinds.unselect(kinds.value[0]).run()
    assert component(at).id == before
    assert shown_ids(at) < shown
    documents = at.multiselect(key="documents")
    assert len(documents.options) == 5
    # the sidebar titles documents from the seed manifest
    assert any("襄阳都市圈" in option for option in documents.options)


def test_server_warm_up_opens_a_saved_atlas_instead_of_building_the_library(
    monkeypatch, caplog, saved_fixture, tmp_path
):
    from layers import serve

    def no_build(*args, **kwargs):
        raise AssertionError("the library was built although a saved atlas was named")

    monkeypatch.setattr(Library, "build", no_build)
    monkeypatch.setenv(ATLAS_ENV, str(saved_fixture))
    serve.warm()
    assert not caplog.records
    broken = tmp_path / "broken.atlas"
    broken.write_bytes(b"nope")
    monkeypatch.setenv(ATLAS_ENV, str(broken))
    with caplog.at_level("WARNING", logger="layers.serve"):
        serve.warm()
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert str(broken) in caplog.records[0].getMessage()
    monkeypatch.delenv(ATLAS_ENV)
    with pytest.raises(AssertionError, match="library was built"):
        serve.warm()


def test_a_changed_saved_atlas_is_read_again(monkeypatch, tmp_path):
    import os

    from geo.saved import save_atlas

    path = save_fixture_atlas(tmp_path / "changing.atlas")
    monkeypatch.setenv(ATLAS_ENV, str(path))
    at = open_app(60)
    at.run()
    assert "p-liuji-airport" in shown_ids(at)
    atlas = fixture_atlas()
    fewer = atlas.projects[atlas.projects["kind"] != "airport"]
    save_atlas(SimpleNamespace(**{**vars(atlas), "projects": fewer}), path)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert shown_ids(at) == set(fewer.loc[~fewer.geometry.is_empty, "id"])


# --------------------------------------------------------------------------- the library


@pytest.fixture
def library_app(monkeypatch, tmp_path):
    """The app on a library of its own, with no saved atlas: a new library holds the seeds."""
    monkeypatch.delenv(ATLAS_ENV, raising=False)
    monkeypatch.setenv("PLANATLAS_LIBRARY", str(tmp_path / "library"))

    def start() -> AppTest:
        at = open_app(300)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return start


def test_an_upload_joins_the_library_and_survives_a_reload(library_app, tmp_path):
    at = library_app()
    assert len(at.multiselect(key="documents").value) == 5
    plan = ("plan.txt", "规划建设十堰至神农架高速公路。".encode("gb18030"), "text/plain")
    bad = ("scan.pdf", b"%PDF-1.7\n", "application/pdf")
    at.file_uploader(key="uploads").set_value([plan, bad]).run()
    assert not at.exception, [e.value for e in at.exception]
    (error,) = at.error
    assert "scan.pdf" in error.value and "PDF" in error.value
    (success,) = at.success
    assert "added 1 document(s): 1 project(s) found" in success.value
    assert "plan.txt" in at.multiselect(key="documents").value
    # the map moved to what was added: the line from 十堰 to 神农架
    args = json.loads(component(at).json_args)
    assert 31.4 < args["center"][0] < 32.7 and 110.0 < args["center"][1] < 111.0
    # a new session (a reload) opens the same library
    again = library_app()
    assert "plan.txt" in again.multiselect(key="documents").value
    assert len(again.multiselect(key="documents").value) == 6


def test_a_document_is_removed_from_the_panel_and_a_new_title_shows(library_app):
    at = library_app()
    remove = at.multiselect(key="library_remove")
    first = remove.options[0]
    remove.select(first).run()
    at.button(key="library_remove_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.multiselect(key="documents").value) == 4

    with Library() as library:
        assert len(library.entries()) == 4
        entry = library.entries()[0]
        library.update(entry.id, title="重新命名的规划")
    fresh = library_app()
    documents = fresh.multiselect(key="documents")
    assert any(option.startswith("重新命名的规划") for option in documents.options)


def test_search_narrows_the_map_and_the_charts_count_what_is_shown(app):
    app.text_input(key="search").set_value("机场").run()
    assert not app.exception, [e.value for e in app.exception]
    assert shown_ids(app) == {"p-liuji-airport", "p-tianhe-airport", "p-ezhou-airport"}
    charts = [h.proto.body for h in app.get("html") if "planatlas-chart" in h.proto.body]
    assert len(charts) == 3  # by kind, by status and by target year, following the filters
    assert "机场 airport" in charts[0] and ">3</span>" in charts[0]
    assert "铁路 railway" not in charts[0]


def test_the_view_is_kept_in_the_url_and_a_shared_link_opens_it(monkeypatch, saved_fixture):
    monkeypatch.setenv(ATLAS_ENV, str(saved_fixture))
    at = open_app(60)
    at.run()
    at.selectbox(key="circle").set_value("p-wh-circle").run()
    at.text_input(key="search").set_value("机场").run()
    assert (at.query_params["circle"], at.query_params["search"]) == ("p-wh-circle", "机场")
    shared = open_app(60)
    shared.query_params["circle"] = "p-wh-circle"
    shared.query_params["search"] = "机场"
    shared.run()
    assert not shared.exception, [e.value for e in shared.exception]
    assert shown_ids(shared) == {"p-tianhe-airport", "p-ezhou-airport"}  # 刘集 is outside
    assert shared.selectbox(key="circle").value == "p-wh-circle"


def test_picking_a_table_row_zooms_the_map_to_that_project(app):
    table = [d for d in app.dataframe if "id" in d.value.columns][0]  # the projects
    row = list(table.value["id"]).index("p-ezhou-airport")
    app.session_state["table"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    app.run()
    assert not app.exception
    args = json.loads(component(app).json_args)
    assert args["center"] == pytest.approx([30.391, 114.895], abs=0.15)  # 鄂州 (lat, lon)
    assert args["zoom"] >= 9
    assert 'window.planatlas.focus(window.map, "p-ezhou-airport")' in args["feature_group"]


def test_the_map_has_an_image_button_served_by_the_app(app):
    script = json.loads(component(app).json_args)["script"]
    (url,) = set(re.findall(r'"(/app/static/planatlas/vendor/[^"]+\.js)"', script))
    assert (STATIC / url[len("/app/static/"):]).is_file()  # installed, not fetched elsewhere
    assert "planatlas-image" in script


def test_a_filter_change_sends_ids_not_features(app):
    before = len(component(app).json_args)
    assert "popup" not in json.loads(component(app).json_args)["feature_group"]
    app.multiselect(key="kinds").unselect("airport").run()
    assert "p-tianhe-airport" not in drawn(app) and "p-hanshi-hsr" in drawn(app)
    assert len(component(app).json_args) < before + 100  # the layers name ids, no features


def test_the_panels_under_the_map_wait_until_the_map_has_drawn(monkeypatch, saved_fixture):
    monkeypatch.setenv(ATLAS_ENV, str(saved_fixture))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()  # a new browser session: the map's script has not reported yet
    assert not at.exception, [e.value for e in at.exception]
    assert drawn(at)  # the map is there, with its layers
    assert not at.dataframe and not at.get("download_button")
    assert not at.get("file_uploader") and not at.expander  # nor the upload box and help
    assert any("Drawing the map" in c.value for c in at.caption)
    # what the map's script does once drawn (window.planatlas.tell): it sets the value of
    # the map component, which streamlit-folium keeps under the map's key, and reruns
    at.session_state["planatlas-map"] = {"planatlas": "drawn"}
    at.run()
    atlas = fixture_atlas()
    assert shown_ids(at) == set(atlas.projects.loc[~atlas.projects.geometry.is_empty, "id"])
    assert len(at.get("download_button")) == 3
    assert len(at.get("file_uploader")) == 1
