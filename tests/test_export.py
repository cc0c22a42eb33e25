"""Exports: RFC 7946 GeoJSON, GeoPackage layers, CSV with WKT, GraphML; round trips."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import networkx as nx
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Point, shape

from geo._errors import CRSError, ExportError, SelectionError
from geo.atlas import Atlas, build
from geo.export import (
    filter_projects,
    graph_to_graphml_bytes,
    read_csv,
    read_geojson,
    read_gpkg,
    split_layers,
    to_csv_bytes,
    to_geojson_bytes,
    to_gpkg_bytes,
    write,
)
from geo.geocode import empty_projects
from geo.ties import ties_to_gdf

TEXT = (
    "加快建设襄阳至南漳高速公路。推动武汉天河机场、鄂州花湖机场联动发展。"
    "推动武汉城市圈同城化发展。推进宜荆荆都市圈建设。支持建设陈埠临港物流园。"
    "规划建设监利至华容公铁两用大桥。"
).encode()


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return build(extra_documents=[("plan.txt", TEXT)], cache=False)


def test_geojson_follows_rfc_7946(atlas):
    data = json.loads(to_geojson_bytes(atlas.projects))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert len(data["features"]) == len(atlas.projects)
    for feat in data["features"]:
        props, geom = feat["properties"], feat["geometry"]
        assert isinstance(props["places"], list) and isinstance(props["sources"], list)
        assert isinstance(props["schematic"], bool) and isinstance(props["precision"], int)
        if geom is None:
            assert props["reason"]
            continue
        assert not props["reason"]
        coords = shapely.get_coordinates(shape(geom))
        assert ((-180 <= coords[:, 0]) & (coords[:, 0] <= 180)).all()  # lon first
        assert ((-90 <= coords[:, 1]) & (coords[:, 1] <= 90)).all()
        for value in coords.ravel():
            assert len(repr(float(value)).split(".")[-1]) <= 7
        if geom["type"] == "Polygon":
            assert shapely.LinearRing(geom["coordinates"][0]).is_ccw
        if geom["type"] == "MultiPolygon":
            assert all(shapely.LinearRing(p[0]).is_ccw for p in geom["coordinates"])


def test_geojson_round_trip(atlas, tmp_path):
    path = write(atlas.projects, tmp_path / "p.geojson")
    assert_geodataframe_equal(read_geojson(path), atlas.projects)
    assert_geodataframe_equal(read_geojson(to_geojson_bytes(atlas.places)), atlas.places)


def test_geojson_of_an_empty_frame():
    data = json.loads(to_geojson_bytes(empty_projects()))
    assert data == {"type": "FeatureCollection", "features": []}


def test_gpkg_has_a_layer_per_geometry_family_and_round_trips(atlas, tmp_path):
    path = write(atlas, tmp_path / "atlas.gpkg", format="gpkg")
    layers = {name: gtype for name, gtype in pyogrio.list_layers(path)}
    assert set(layers) == {"points", "lines", "areas", "unplaced", "places", "ties"}
    assert layers["ties"] == "LineString"
    back = read_gpkg(path)
    want = split_layers(atlas.projects)
    want["places"] = atlas.places
    want["ties"] = ties_to_gdf(atlas.graph)
    for name, frame in want.items():
        assert_geodataframe_equal(back[name], frame.reset_index(drop=True))
    assert len(back["unplaced"]) == atlas.report["unplaced"] > 0


def test_gpkg_bytes_of_one_frame_is_one_layer(atlas, tmp_path):
    path = tmp_path / "one.gpkg"
    path.write_bytes(to_gpkg_bytes(atlas.projects))
    assert [name for name, _ in pyogrio.list_layers(path)] == ["projects"]
    assert_geodataframe_equal(read_gpkg(path)["projects"], atlas.projects)


def test_csv_round_trip_with_wkt(atlas):
    back = read_csv(to_csv_bytes(atlas.projects))
    assert list(back.columns) == list(atlas.projects.columns)
    assert list(back["name"]) == list(atlas.projects["name"])
    for got, want in zip(back.geometry, atlas.projects.geometry, strict=True):
        assert (got is None) == (want is None)
        if want is not None:
            assert got.equals_exact(want, 1e-7)


def test_graphml_joins_kinds_and_keeps_evidence_as_json():
    G = nx.Graph(crs="EPSG:4326")
    G.add_node("420100", name="武汉市", docs=["a.txt", "b.txt"])
    G.add_node("420700", name="鄂州市", docs=["a.txt"])
    G.add_edge(
        "420100",
        "420700",
        kinds=["cooperation", "joint_project"],
        weight=2.0,
        evidence=[
            {"doc": "a", "start": 0, "end": 4, "sentence": "武汉鄂州", "kind": "cooperation"}
        ],
    )
    back = nx.read_graphml(io.BytesIO(graph_to_graphml_bytes(G)))
    assert back.graph["crs"] == "EPSG:4326"
    assert back.nodes["420100"]["docs"] == "a.txt;b.txt"
    edge = back.edges["420100", "420700"]
    assert edge["kinds"] == "cooperation;joint_project"
    assert json.loads(edge["evidence"])[0]["sentence"] == "武汉鄂州"
    assert edge["weight"] == 2.0


def test_filter_by_kind_doc_and_circle(atlas):
    projects = atlas.projects
    airports = filter_projects(projects, kinds=["airport"])
    assert set(airports["kind"]) == {"airport"} and len(airports) == 2
    assert len(filter_projects(projects, doc="plan.txt")) == len(projects)
    assert filter_projects(projects, doc="other.txt").empty
    inside = filter_projects(projects, circle="武汉城市圈", atlas=atlas)
    assert set(inside["name"]) == {"鄂州花湖机场", "武汉天河机场", "武汉城市圈"}
    alias = filter_projects(projects, circle="武汉都市圈", atlas=atlas)  # the same nine cities
    assert list(alias["id"]) == list(inside["id"])
    circle_id = atlas.areas.loc[atlas.areas["name"] == "宜荆荆都市圈", "id"].iloc[0]
    # the bridge touches the circle at 监利 (荆州) but reaches 华容县 in Hunan: not in it
    assert set(filter_projects(projects, circle=circle_id)["name"]) == {"宜荆荆都市圈"}
    assert len(projects) == len(atlas.projects)  # input untouched


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kinds": ["harbour"]}, "unknown kind.*'harbour'"),
        ({"circle": "不存在都市圈"}, "no circle with id or name '不存在都市圈'"),
    ],
)
def test_filter_errors_name_the_value(atlas, kwargs, message):
    with pytest.raises(SelectionError, match=message):
        filter_projects(atlas.projects, **kwargs)


def test_write_infers_the_format_and_refuses_what_it_cannot(atlas, tmp_path):
    assert json.loads((write(atlas, tmp_path / "a.geojson")).read_text(encoding="utf-8"))
    assert (write(atlas, tmp_path / "a.csv")).read_bytes().startswith(b"\xef\xbb\xbf")
    read_back = nx.read_graphml(write(atlas.graph, tmp_path / "g.graphml"))
    assert sorted(map(sorted, read_back.edges)) == sorted(map(sorted, atlas.graph.edges))
    with pytest.raises(ExportError, match="cannot tell what to write to .*a.xyz.*suffix '.xyz'"):
        write(atlas, tmp_path / "a.xyz")
    with pytest.raises(ExportError, match="graphml"):
        write(atlas.projects, tmp_path / "a.graphml")
    with pytest.raises(ExportError, match="does not exist"):
        write(atlas, tmp_path / "missing" / "a.geojson")


def test_a_frame_without_crs_is_refused_not_assumed_wgs84() -> None:
    frame = gpd.GeoDataFrame({"name": ["襄阳"]}, geometry=[Point(112.1, 32.0)])
    for writer in (to_geojson_bytes, to_csv_bytes, to_gpkg_bytes):
        with pytest.raises(CRSError, match="the frame to export has no CRS.*set_crs"):
            writer(frame)


def test_a_projected_frame_is_written_in_wgs84() -> None:
    frame = gpd.GeoDataFrame(
        {"name": ["襄阳"]}, geometry=[Point(112.1, 32.0)], crs="EPSG:4326"
    ).to_crs("EPSG:3857")
    (feature,) = json.loads(to_geojson_bytes(frame))["features"]
    assert feature["geometry"]["coordinates"] == pytest.approx([112.1, 32.0], abs=1e-7)
