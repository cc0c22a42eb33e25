"""Geometry of projects, checked against the boundaries, and the curated tables."""

from __future__ import annotations

import json

import pytest
import shapely
from shapely.geometry import Point

from geo.facilities import AREAS, FACILITIES, LANDMARKS, find_names
from geo.gazetteer import load_gazetteer
from geo.geocode import PRECISION_LABELS, PROJECT_COLUMNS, empty_projects, place, to_frame
from geo.projects import Project, extract_projects
from geo.text import document_from_text

GAZ = load_gazetteer()
CHINA = shapely.box(73.0, 3.0, 136.0, 54.0)  # lon/lat envelope of China and its seas


def boundary(adcode: str):
    return GAZ.boundary(adcode)


def frame_of(text: str):
    return to_frame(extract_projects(document_from_text(text), gazetteer=GAZ), gazetteer=GAZ)


def one(text: str, kind: str):
    gdf = frame_of(text)
    rows = gdf[gdf["kind"] == kind]
    assert len(rows) == 1, gdf[["name", "kind", "places"]]
    return rows.iloc[0]


# --------------------------------------------------------------------------- curated tables


SITES = [f for f in FACILITIES if f.lon is not None or f.lat is not None]
SEAT_ONLY = [f for f in FACILITIES if f not in SITES]


@pytest.mark.parametrize("facility", SITES, ids=[f.key for f in SITES])
def test_curated_site_lies_in_the_unit_it_names(facility):
    assert facility.adcode in GAZ
    point = Point(facility.lon, facility.lat)  # x = lon, y = lat; fails on half a site
    assert boundary(facility.adcode).covers(point)
    assert facility.precision in (1, 2)


@pytest.mark.parametrize("facility", SEAT_ONLY, ids=[f.key for f in SEAT_ONLY])
def test_facility_without_a_site_is_drawn_at_the_seat_of_its_unit(facility):
    assert facility.adcode in GAZ
    row = one(f"推进{facility.names[-1]}建设。", facility.kind)
    unit = GAZ[facility.adcode]
    assert row.geometry.equals_exact(Point(unit.lon, unit.lat), tolerance=1e-6)
    assert facility.adcode in row.places.split(";")
    assert row.precision == facility.precision
    assert f"at the seat of {unit.name}" in row.precision_label


def test_curated_tables_name_known_units_and_no_name_twice():
    codes = [c for a in AREAS for c in a.members] + [c for m in LANDMARKS for c in m.adcodes]
    assert [c for c in codes if c not in GAZ] == []
    names = [n for f in FACILITIES for n in f.names] + [n for a in AREAS for n in a.names]
    names += [m.name for m in LANDMARKS]
    assert len(names) == len(set(names))


def test_find_names_prefers_the_longest():
    text = "共建光谷科技创新大走廊,对接光谷"
    found = [(type(m.entry).__name__, text[m.start : m.end]) for m in find_names(text)]
    assert found == [("NamedArea", "光谷科技创新大走廊"), ("Landmark", "光谷")]


# --------------------------------------------------------------------------- geometry


def test_xiangyang_nanzhang_expressway_runs_into_nanzhang():
    row = one("加快建设襄阳至南漳高速公路。", "expressway")
    line = row.geometry
    assert line.geom_type == "LineString" and row.schematic and row.precision == 5
    start, end = Point(line.coords[0]), Point(line.coords[-1])
    assert start.distance(Point(GAZ["420600"].lon, GAZ["420600"].lat)) < 1e-6  # 襄阳's seat
    assert boundary("420624").covers(end)


def test_jingmen_jingzhou_railway_joins_the_two():
    row = one("规划建设荆门至荆州铁路。", "railway")
    coords = list(row.geometry.coords)
    assert boundary("420800").covers(Point(coords[0]))
    assert boundary("421000").covers(Point(coords[-1]))
    assert row.places == "420800;421000" and row.place_names == "荆门市;荆州市"


def test_jianli_huarong_bridge_reaches_huarong_county_in_hunan():
    row = one("规划建设监利至华容公铁两用大桥。", "bridge")
    end = Point(row.geometry.coords[-1])
    assert boundary("430623").covers(end)
    assert not boundary("420703").covers(end)


def test_huahu_airport_is_a_point_in_ezhou():
    row = one("推动鄂州花湖机场联动发展。", "airport")
    assert row.geometry.geom_type == "Point" and row.precision == 1 and not row.schematic
    assert boundary("420700").covers(row.geometry)
    assert "花湖" in row.precision_label


def test_wuhan_circle_covers_its_nine_cities():
    row = one("推动武汉城市圈同城化发展。", "metro_circle")
    assert row.geometry.geom_type in ("Polygon", "MultiPolygon") and row.precision == 3
    members = row.places.split(";")
    assert len(members) == 9
    union = shapely.union_all([boundary(c) for c in members])
    assert abs(row.geometry.area - union.area) < 1e-6 * union.area
    for c in members:
        assert row.geometry.covers(boundary(c).representative_point())


def test_circle_named_by_one_city_is_its_boundary():
    row = one("推动南昌都市圈互动发展。", "metro_circle")
    assert row.places == "360100" and row.precision == 3
    assert "no member list" in row.precision_label
    assert abs(row.geometry.area - boundary("360100").area) < 1e-6


def test_corridor_is_a_line_through_its_members_in_order():
    row = one("携手共建“汉孝随襄十”万亿级汽车产业走廊。", "corridor")
    seats = [Point(GAZ[c].lon, GAZ[c].lat) for c in row.places.split(";")]
    assert [Point(xy).distance(s) < 1e-6 for xy, s in zip(row.geometry.coords, seats,
                                                         strict=True)] == [True] * 5


def test_facility_without_a_site_is_at_the_seat_of_the_most_specific_place():
    row = one("推进襄阳小河港区建设。", "port")
    assert row.precision == 2 and boundary("420684").covers(row.geometry)
    row = one("支持湖北隆中实验室建设。", "science")
    assert row.precision == 8 and boundary("420602").covers(row.geometry)


def test_province_only_facility_is_precision_4():
    row = one("加快建设湖北省航空装备综合型技术创新平台。", "science")
    assert row.precision == 4 and row.places == "420000"


def test_unplaced_project_has_no_geometry_and_a_reason():
    row = one("支持建设陈埠临港物流园。", "logistics")
    assert row.geometry is None and row.precision == 0 and row.reason
    assert row.precision_label == PRECISION_LABELS[0]


def test_place_reports_unknown_adcodes():
    rec = Project("x", "某港", "port", ("999999",), "d", 0, 2, "某港。", 0, "other", "", "")
    where = place(rec, GAZ)
    assert where.geometry is None and "999999" in where.reason


def test_frame_columns_and_empty_frame():
    gdf = frame_of("建成鄂州机场。")
    assert tuple(gdf.columns) == PROJECT_COLUMNS and gdf.crs.to_epsg() == 4326
    empty = empty_projects()
    assert tuple(empty.columns) == PROJECT_COLUMNS and len(empty) == 0
    assert empty.crs.to_epsg() == 4326
    assert tuple(to_frame([], gazetteer=GAZ).columns) == PROJECT_COLUMNS


def test_sources_list_every_record_of_a_group():
    recs = extract_projects(document_from_text("建成鄂州机场。推动鄂州花湖机场联动发展。"),
                            gazetteer=GAZ)
    gdf = to_frame([recs], merged=True, gazetteer=GAZ)
    assert len(gdf) == 1
    sources = json.loads(gdf.iloc[0]["sources"])
    assert [s["start"] for s in sources] == [r.start for r in recs]


# --------------------------------------------------------------------------- over the seeds


def test_seed_features_have_every_property_and_lie_in_china(seed_documents):
    for doc in seed_documents:
        gdf = to_frame(extract_projects(doc, gazetteer=GAZ), gazetteer=GAZ)
        assert len(gdf) > 0
        for row in gdf.itertuples():
            assert row.sent_start <= row.start < row.end <= row.sent_start + len(row.sentence)
            assert doc.text[row.sent_start : row.sent_start + len(row.sentence)] == row.sentence
            assert row.precision in PRECISION_LABELS
            if row.geometry is None:
                assert row.reason and row.precision == 0
                continue
            assert not row.reason
            assert CHINA.covers(row.geometry), row.name
            if row.geometry.geom_type in ("Polygon", "MultiPolygon"):
                polys = getattr(row.geometry, "geoms", [row.geometry])
                assert all(p.exterior.is_ccw for p in polys)
            coords = shapely.get_coordinates(row.geometry)
            assert (abs(coords * 1e7 - (coords * 1e7).round()) < 1e-3).all()


@pytest.fixture(scope="module")
def seed_documents():
    from geo.readers import read_document
    from geo.seeds import seed_paths

    return [read_document(p) for p in seed_paths()]
