"""Saving an atlas to one file and opening it again (the app's PLANATLAS_ATLAS mode)."""

from __future__ import annotations

import pickle
import subprocess
import sys
from types import SimpleNamespace

import geopandas as gpd
import networkx as nx
import pytest
from geopandas.testing import assert_geodataframe_equal

from geo._errors import DocumentError
from geo.atlas import Atlas
from geo.saved import FORMAT, SavedAtlas, load_atlas, save_atlas
from tests.app_fixtures import fixture_atlas, fixture_boundaries, save_fixture_atlas


def test_round_trip_keeps_frames_graph_documents_and_report(tmp_path):
    atlas = fixture_atlas()
    levels = {"province": fixture_boundaries("province"), "county": fixture_boundaries("county")}
    path = save_atlas(atlas, tmp_path / "a.atlas", boundaries=levels)
    assert path == tmp_path / "a.atlas" and not list(tmp_path.glob("*.tmp"))
    saved = load_atlas(path)
    assert isinstance(saved, SavedAtlas) and isinstance(saved.atlas, Atlas)
    assert_geodataframe_equal(saved.atlas.projects, atlas.projects)
    assert_geodataframe_equal(saved.atlas.places, atlas.places)
    assert nx.utils.graphs_equal(saved.atlas.graph, atlas.graph)
    assert saved.atlas.documents == atlas.documents == ("xiangyang.txt", "wuhan.txt")
    assert saved.atlas.report == atlas.report
    assert_geodataframe_equal(saved.boundary("county"), levels["county"])
    assert sorted(saved.boundaries) == ["county", "province"]


def test_boundaries_are_optional_and_a_missing_level_is_named(tmp_path):
    saved = load_atlas(save_atlas(fixture_atlas(), tmp_path / "a.atlas"))
    assert saved.boundaries == {}
    with pytest.raises(DocumentError, match=r"level 'county'.*saved: \[\]"):
        saved.boundary("county")


def test_boundary_is_a_copy(tmp_path):
    saved = load_atlas(save_fixture_atlas(tmp_path / "a.atlas"))
    frame = saved.boundary("county")
    frame["name"] = "changed"
    assert "changed" not in set(saved.boundary("county")["name"])


def test_saved_file_opens_without_the_tests_package(tmp_path):
    """The file holds plain parts: a process that cannot import ``tests`` opens it."""
    path = save_fixture_atlas(tmp_path / "fixture.atlas")
    code = (
        "import sys; from geo.saved import load_atlas; "
        f"a = load_atlas({str(path)!r}).atlas; "
        "assert not [m for m in sys.modules if m == 'tests' or m.startswith('tests.')]; "
        "print(len(a.projects), a.graph.number_of_edges())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    atlas = fixture_atlas()
    assert done.stdout.split() == [str(len(atlas.projects)), str(atlas.graph.number_of_edges())]


def test_missing_file(tmp_path):
    with pytest.raises(DocumentError, match=r"'.*nowhere\.atlas' does not exist"):
        load_atlas(tmp_path / "nowhere.atlas")


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "cannot be opened as a saved atlas"),
        (b"plain text, not a pickle", "cannot be opened as a saved atlas"),
        (pickle.dumps({"places": 1}), r"not a saved atlas of format .* \(found None\)"),
        (pickle.dumps({"format": ("planatlas-atlas", 0)}), r"found \('planatlas-atlas', 0\)"),
        (pickle.dumps([1, 2]), "not a saved atlas"),
    ],
)
def test_files_that_are_not_saved_atlases(tmp_path, content, match):
    path = tmp_path / "bad.atlas"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=match) as info:
        load_atlas(path)
    assert str(path) in str(info.value)


def _parts(**changes):
    atlas = fixture_atlas()
    parts = {
        "places": atlas.places,
        "projects": atlas.projects,
        "graph": atlas.graph,
        "documents": atlas.documents,
        "report": atlas.report,
    }
    return SimpleNamespace(**{**parts, **changes})


@pytest.mark.parametrize(
    ("changes", "boundaries", "match"),
    [
        ({"projects": [1, 2]}, None, r"atlas\.projects is a list, not a GeoDataFrame"),
        (
            {"places": gpd.GeoDataFrame({"adcode": []}, geometry=[])},
            None,
            r"atlas\.places has no CRS",
        ),
        ({"graph": {"420600": []}}, None, "atlas.graph is a dict, not a networkx graph"),
        ({}, {"county": "420600"}, r"boundaries\['county'\] is a str"),
    ],
)
def test_save_refuses_parts_of_the_wrong_type(tmp_path, changes, boundaries, match):
    with pytest.raises(DocumentError, match=match):
        save_atlas(_parts(**changes), tmp_path / "a.atlas", boundaries=boundaries)
    assert not list(tmp_path.iterdir())


def test_unwritable_target_is_a_clear_error(tmp_path):
    target = tmp_path / "no-such-folder" / "a.atlas"
    with pytest.raises(DocumentError, match="cannot write the atlas to .*no-such-folder"):
        save_atlas(fixture_atlas(), target)


def test_format_marker_is_stored(tmp_path):
    path = save_atlas(fixture_atlas(), tmp_path / "a.atlas")
    with open(path, "rb") as fh:
        assert pickle.load(fh)["format"] == FORMAT
