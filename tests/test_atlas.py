"""The atlas: the contract the app relies on, merging across documents, the cache, the report."""

from __future__ import annotations

import json
import time

import networkx as nx
import pytest
from geopandas.testing import assert_geodataframe_equal

from geo._errors import DocumentError
from geo.atlas import PLACE_COLUMNS, Atlas, build, extract
from geo.geocode import PROJECT_COLUMNS
from geo.seeds import seed_paths
from geo.text import document_from_text

SEED_PATHS = seed_paths()
A = "加快建设襄阳至南漳高速公路。推动鄂州花湖机场联动发展。支持建设陈埠临港物流园。".encode()
B = "规划南漳至襄阳高速公路,推进武汉城市圈同城化发展。".encode()


@pytest.fixture(scope="module")
def seeds_atlas(tmp_path_factory) -> Atlas:
    return build(SEED_PATHS, cache=tmp_path_factory.mktemp("cache"))


def test_contract_of_the_seed_atlas(seeds_atlas):
    atlas = seeds_atlas
    assert tuple(atlas.projects.columns) == PROJECT_COLUMNS
    assert tuple(atlas.places.columns) == PLACE_COLUMNS
    assert atlas.projects.crs.to_epsg() == 4326 and atlas.places.crs.to_epsg() == 4326
    assert atlas.documents == tuple(p.name for p in SEED_PATHS)
    assert isinstance(atlas.graph, nx.Graph) and atlas.graph.graph["crs"] == "EPSG:4326"
    assert str(atlas.projects["precision"].dtype) == "int64"
    assert str(atlas.projects["schematic"].dtype) == "bool"
    assert str(atlas.places["mentions"].dtype) == "int64"
    assert set(atlas.places.geometry.geom_type) == {"Point"}
    assert (atlas.places["mentions"] > 0).all()
    assert atlas.projects["id"].is_unique
    keys = {"doc", "start", "end", "sentence", "status", "verb", "date"}
    for value in atlas.projects["sources"]:
        assert all(set(s) == keys for s in json.loads(value))
    with pytest.raises(AttributeError):
        atlas.documents = ()  # frozen


def test_seed_atlas_holds_the_projects_the_plans_name(seeds_atlas):
    projects = seeds_atlas.projects

    def row(name: str):
        hit = projects[projects["name"] == name]
        assert len(hit) == 1, name
        return hit.iloc[0]

    assert row("襄阳至南漳高速公路")["places"] == "420600;420624"
    assert row("荆门至荆州铁路")["kind"] == "railway"
    huahu = projects[(projects["kind"] == "airport") & (projects["places"] == "420700;420704")]
    assert len(huahu) == 1  # 鄂州机场, 鄂州专业性货运枢纽机场, 鄂州花湖机场: one airport
    assert huahu.iloc[0]["geometry"].geom_type == "Point"
    assert len(json.loads(huahu.iloc[0]["sources"])) >= 3
    assert row("监利至华容公铁两用大桥")["places"] == "421088;430623"
    nine = projects["places"].str.count(";").eq(8)
    circle = projects[nine & (projects["kind"] == "metro_circle")]
    assert len(circle) == 1  # 武汉城市圈 and 武汉都市圈 define the same nine cities
    assert json.loads(circle.iloc[0]["sources"])
    by_kind = seeds_atlas.report["by_kind"]
    for kind in ("expressway", "railway", "bridge", "port", "airport", "power", "metro_circle",
                 "corridor"):
        assert by_kind.get(kind, 0) > 0, kind


def test_areas_are_the_polygon_rows(seeds_atlas):
    projects, areas = seeds_atlas.projects, seeds_atlas.areas
    polygons = projects.geometry.geom_type.isin(["Polygon", "MultiPolygon"])
    assert list(areas["id"]) == list(projects.loc[polygons, "id"]) != []
    assert_geodataframe_equal(areas, projects[polygons])
    # The nine cities of 武汉城市圈 are one area.  A merged project keeps the name of its
    # first record, and the first seed to name it (000) says 武汉都市圈; seed 004 says
    # 武汉城市圈, so that name is among its sources only. Sources are in date order: the
    # 2021 news story (004) before the 2023 plan (000).
    nine = areas[areas["places"].str.count(";").eq(8) & areas["name"].str.startswith("武汉")]
    assert list(nine["name"]) == ["武汉都市圈"]
    assert "武汉城市圈" not in set(areas["name"])
    sources = json.loads(nine.iloc[0]["sources"])
    dates = [s["date"] for s in sources]
    assert dates == sorted(dates) and sources[0]["doc"] == "004_1fd86357b09ad930.txt"
    assert SEED_PATHS[0].name in {s["doc"] for s in sources}


def test_report_counts_and_lists_the_unplaced(seeds_atlas):
    report, projects = seeds_atlas.report, seeds_atlas.projects
    unplaced = projects[projects["reason"] != ""]
    assert report["projects"] == len(projects) == report["placed"] + report["unplaced"]
    assert report["unplaced"] == len(unplaced) == len(report["unplaced_items"])
    assert sum(report["by_kind"].values()) == len(projects)
    item = report["unplaced_items"][0]
    assert set(item) == {"name", "doc", "start", "reason"} and item["reason"]
    assert unplaced.geometry.isna().all()


def test_same_project_in_two_documents_is_one_feature_with_both_sources(tmp_path):
    atlas = build(extra_documents=[("a.txt", A), ("b.txt", B)], cache=False)
    row = atlas.projects[atlas.projects["kind"] == "expressway"]
    assert len(row) == 1
    row = row.iloc[0]
    assert row["docs"] == "a.txt;b.txt" and row["doc"] == "a.txt"
    assert [s["doc"] for s in json.loads(row["sources"])] == ["a.txt", "b.txt"]
    places = atlas.places.set_index("adcode")
    assert places.loc["420600", "mentions"] == 2 and places.loc["420600", "docs"] == "a.txt;b.txt"
    assert places.loc["420600", "parent"] == "420000"


def test_extract_keeps_each_mention_span(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(A + "建成襄阳至南漳高速公路。".encode())
    b.write_bytes(B)
    gdf = extract([a, b])
    rows = gdf[gdf["kind"] == "expressway"]
    assert list(rows["doc"]) == ["a.txt", "a.txt", "b.txt"]  # no merging
    text = a.read_text(encoding="utf-8")
    for r in rows[rows["doc"] == "a.txt"].itertuples():
        assert text[r.start : r.end] == "襄阳至南漳高速公路"
        (source,) = json.loads(r.sources)
        assert source == {
            "doc": "a.txt", "start": r.start, "end": r.end, "sentence": r.sentence,
            "status": r.status, "verb": r.verb, "date": source["date"],
        }


def test_second_build_of_unchanged_documents_comes_from_the_cache(tmp_path):
    t0 = time.perf_counter()
    first = build(SEED_PATHS[:1], cache=tmp_path)
    cold = time.perf_counter() - t0
    assert len(list(tmp_path.glob("*.pickle"))) == 1
    t0 = time.perf_counter()
    second = build(SEED_PATHS[:1], cache=tmp_path)
    warm = time.perf_counter() - t0
    assert warm < max(cold / 3, 0.5)
    assert_geodataframe_equal(first.projects, second.projects)
    assert_geodataframe_equal(first.places, second.places)
    assert first.report == second.report


def test_changed_document_misses_the_cache(tmp_path):
    build(extra_documents=[("a.txt", A)], cache=tmp_path)
    build(extra_documents=[("a.txt", A + "建成鄂州机场。".encode())], cache=tmp_path)
    assert len(list(tmp_path.glob("*.pickle"))) == 2


def test_unreadable_cache_is_rebuilt(tmp_path, caplog):
    build(extra_documents=[("a.txt", A)], cache=tmp_path)
    (path,) = tmp_path.glob("*.pickle")
    path.write_bytes(b"not a pickle")
    atlas = build(extra_documents=[("a.txt", A)], cache=tmp_path)
    assert "unreadable" in caplog.text
    fresh = build(extra_documents=[("a.txt", A)], cache=False)
    assert_geodataframe_equal(atlas.projects, fresh.projects)
    assert path.read_bytes() != b"not a pickle"  # and the cache is written again


def test_documents_from_memory():
    doc = document_from_text("建成鄂州机场。", name="upload.txt")
    atlas = build(extra_documents=[doc], cache=False)
    assert atlas.documents == ("upload.txt",)
    assert list(atlas.projects["kind"]) == ["airport"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"paths": []}, "no document"),
        ({"paths": [], "extra_documents": [42]}, "neither a Document"),
        ({"paths": ["/nonexistent/plan.txt"]}, "does not exist"),
    ],
)
def test_bad_input_raises_document_error(kwargs, message):
    with pytest.raises(DocumentError, match=message):
        build(cache=False, **kwargs)


def test_a_merged_project_keeps_each_source_status_in_date_order():
    older = document_from_text("谋划建设襄阳至南漳高速公路。", name="plan-2021.txt")
    newer = document_from_text("襄阳至南漳高速公路开工建设。", name="report-2023.txt")
    atlas = build(
        extra_documents=[newer, older], cache=False,
        metadata={"plan-2021.txt": {"date": "2021"}, "report-2023.txt": {"date": "2023"}},
    )
    (row,) = atlas.projects[atlas.projects["kind"] == "expressway"].itertuples()
    history = [(s["date"], s["doc"], s["status"]) for s in json.loads(row.sources)]
    assert history == [
        ("2021", "plan-2021.txt", "planned"), ("2023", "report-2023.txt", "construction"),
    ]
    assert row.status == "construction"  # the latest document's word
