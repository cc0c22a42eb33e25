"""Placing projects that name no admin unit: jurisdiction, national routes, approved
circles; foreign places never in China; the curated tables checked against the gazetteer."""

from __future__ import annotations

import pytest
import shapely

from geo.atlas import assemble, build, extract, extract_document
from geo.documents import Jurisdiction
from geo.gazetteer import load_gazetteer
from geo.geocode import place, to_frame
from geo.projects import group_id, merge_projects
from geo.routes import CIRCLES, FOREIGN, ROUTES, find_circle, find_foreign, find_route
from geo.text import make_document
from tests.records import record

GAZ = load_gazetteer()
BAOAN = Jurisdiction("440306", "宝安区", "county", "file name")
HUBEI = Jurisdiction("420000", "湖北省", "province", "title")
CHINA = Jurisdiction("", "中国", "country", "file name")




# --------------------------------------------------------------------------- jurisdiction


def test_a_project_naming_no_place_lies_in_the_issuing_jurisdiction():
    where = place(record("燃气管道", "pipeline"), GAZ, jurisdiction=BAOAN)
    assert where.precision == 3
    assert where.label == "within the issuing jurisdiction: 宝安区"
    # the unit's area, not a point at its seat
    assert where.geometry.geom_type in ("Polygon", "MultiPolygon")
    assert where.geometry.symmetric_difference(GAZ.boundary("440306")).area < 1e-9
    assert where.reason == ""


def test_a_province_jurisdiction_is_precision_4():
    where = place(record("光谷实验室", "science"), GAZ, jurisdiction=HUBEI)
    assert where.precision == 4
    assert where.geometry.covers(shapely.Point(GAZ["420100"].lon, GAZ["420100"].lat))


def test_places_the_project_names_win_over_the_jurisdiction():
    where = place(record("襄阳机场", "airport", ("420600",)), GAZ, jurisdiction=BAOAN)
    assert where.precision in (1, 2, 8)
    assert "issuing jurisdiction" not in where.label
    assert GAZ.boundary("420600").buffer(0.05).covers(where.geometry)


def test_without_a_jurisdiction_the_reason_says_so():
    where = place(record("燃气管道", "pipeline"), GAZ)
    assert where.geometry is None and where.precision == 0
    assert "jurisdiction is not known" in where.reason


def test_a_national_document_does_not_spread_a_project_over_the_country():
    where = place(record("燃气管道", "pipeline"), GAZ, jurisdiction=CHINA)
    assert where.geometry is None
    assert "whole country" in where.reason


@pytest.mark.parametrize(
    ("name", "kind", "sentence", "country"),
    [
        ("泰国林查班港", "port", "", "泰国"),
        ("印尼雅加达港口", "port", "", "印尼"),
        ("春武里港", "port", "深化与泰国春武里港合作。", "泰国"),  # the country right before
        ("中国—东盟信息港", "port", "", "东盟"),
        ("老挝万象赛色塔综合开发区", "industrial_park", "", "老挝"),
    ],
)
def test_a_foreign_place_is_never_placed_in_china(name, kind, sentence, country):
    where = place(record(name, kind, sentence=sentence), GAZ, jurisdiction=BAOAN)
    assert where.geometry is None and where.precision == 0
    assert f"foreign place ({country})" in where.reason


@pytest.mark.parametrize("text", ["汇德国际创新中心", "内蒙古自治区", "中欧班列", "印度洋"])
def test_words_that_only_contain_a_foreign_name_are_not_foreign(text):
    found = find_foreign(text)
    # 印度洋 is the Indian Ocean: 印度 inside it is still a foreign name, and that is fine
    assert found is None or (text == "印度洋" and found.name == "印度")


def test_a_group_from_documents_of_two_provinces_says_why_it_is_unplaced():
    a = record("17号线", "railway", doc="sh.txt")
    b = record("17号线", "railway", doc="sz.txt")
    jurisdictions = {
        "sh.txt": Jurisdiction("310000", "上海市", "province", "file name"),
        "sz.txt": BAOAN,
    }
    frame = to_frame([[a, b]], merged=True, gazetteer=GAZ, jurisdictions=jurisdictions)
    row = frame.iloc[0]
    assert row.geometry is None and row.precision == 0
    assert "different provinces" in row.reason


def test_a_group_from_two_districts_lies_in_their_city():
    a = record("17号线", "railway", doc="ba.txt")
    b = record("17号线", "railway", doc="lg.txt")
    jurisdictions = {"ba.txt": BAOAN, "lg.txt": Jurisdiction("440307", "龙岗区", "county", "x")}
    row = to_frame([[a, b]], merged=True, gazetteer=GAZ, jurisdictions=jurisdictions).iloc[0]
    assert row.precision == 3
    assert row.precision_label == "within the issuing jurisdiction: 深圳市"


def test_a_name_without_a_place_is_one_project_within_one_region_only():
    sh = record("17号线", "railway", doc="sh.txt")
    ba = record("17号线", "railway", doc="ba.txt")
    lg = record("17号线", "railway", doc="lg.txt")
    regions = {"sh.txt": "310000", "ba.txt": "440300", "lg.txt": "440300"}
    groups = merge_projects([sh, ba, lg], GAZ, regions=regions)
    assert [[r.doc for r in g] for g in groups] == [["sh.txt"], ["ba.txt", "lg.txt"]]
    assert group_id(groups[0]) != group_id(groups[1])
    # without regions (records of one document, or no jurisdictions): one project by name
    assert len(merge_projects([sh, ba, lg], GAZ)) == 1
    # a name with places is one project wherever it is read
    line = [record("襄阳至南漳高速公路", "expressway", ("420600", "420624"), doc=d)
            for d in ("sh.txt", "ba.txt")]
    assert len(merge_projects(line, GAZ, regions=regions)) == 1


def test_the_atlas_places_a_name_without_a_place_in_each_city_that_names_it():
    text = "加快建设17号线。"
    docs = [
        make_document(text, name="上海市_2025_政府工作报告.txt"),
        make_document(text, name="广东省深圳市宝安区_2024_政府工作报告.txt"),
        make_document(text, name="广东省深圳市龙岗区_2024_政府工作报告.txt"),
    ]
    found = [extract_document(d, gazetteer=GAZ) for d in docs]
    atlas = assemble(docs, found, gazetteer=GAZ)
    lines = atlas.projects[atlas.projects["name"] == "17号线"]
    assert sorted(lines["precision_label"]) == [
        "within the issuing jurisdiction: 上海市",
        "within the issuing jurisdiction: 深圳市",
    ]
    assert lines["id"].is_unique
    assert (lines["reason"] == "").all()


# --------------------------------------------------------------------------- routes


@pytest.mark.parametrize(
    ("name", "kind", "key"),
    [
        ("京港澳高速公路", "expressway", "G4"),
        ("G4京港澳高速", "expressway", "G4"),
        ("沪渝高速", "expressway", "G50"),
        ("福银高速", "expressway", "G70"),
        ("京广高铁", "railway", "京广高铁"),
        ("京广铁路", "railway", "京广铁路"),
        ("西气东输二线西段", "pipeline", "西气东输二线"),
        ("西气东输", "pipeline", "西气东输一线"),
        ("川气东送", "pipeline", "川气东送"),
        ("西气东输三线工程", "pipeline", "西气东输三线"),
    ],
)
def test_a_route_is_found_by_code_full_or_short_name(name, kind, key):
    found = find_route(name, kind)
    assert found is not None and found.route.key == key


@pytest.mark.parametrize(
    ("name", "kind"),
    [("G20", "expressway"), ("首届G20", "expressway"), ("G45", "railway"),
     ("京港澳高速", "railway"), ("沿江高速", "expressway"), ("京广", "expressway"),
     ("川气东送二线", "pipeline")],  # another line of the scheme, not in the table
)
def test_no_route_where_the_name_or_kind_does_not_fit(name, kind):
    assert find_route(name, kind) is None


def test_a_national_route_is_a_schematic_line_through_its_control_cities():
    where = place(record("福银高速", "expressway"), GAZ, jurisdiction=BAOAN)
    assert where.precision == 5 and where.schematic
    assert where.label == "G70 control cities"
    g70 = next(r for r in ROUTES if r.key == "G70")
    coords = list(where.geometry.coords)
    seats = [(round(GAZ[c].lon, 7), round(GAZ[c].lat, 7)) for c in g70.cities]
    assert coords == seats  # x = lon, y = lat, in route order
    assert seats[0] == (round(GAZ["350100"].lon, 7), round(GAZ["350100"].lat, 7))  # 福州


def test_a_section_between_two_named_cities_follows_the_route_between_them():
    rec = record("沪渝高速武汉至黄石段", "expressway", ("420100", "420200"))
    where = place(rec, GAZ)
    assert where.precision == 5
    assert "from 黄石市 to 武汉市" in where.label
    assert len(where.geometry.coords) == 2


def test_a_section_naming_a_province_is_cut_to_it():
    where = place(record("包茂高速粤境段", "expressway"), GAZ, jurisdiction=HUBEI)
    assert where.precision == 5 and "cut to 广东省" in where.label
    guangdong = GAZ.boundary("440000")
    assert guangdong.buffer(1e-6).covers(where.geometry)


def test_a_section_naming_a_unit_the_text_found_is_cut_to_it():
    rec = record("京港澳高速驻马店段", "expressway", ("411700",))
    where = place(rec, GAZ)
    assert where.precision == 5 and "cut to 驻马店市" in where.label
    assert GAZ.boundary("411700").buffer(1e-6).covers(where.geometry)


def test_a_section_naming_no_unit_is_cut_to_the_issuing_jurisdiction():
    shenzhen = Jurisdiction("440300", "深圳市", "prefecture", "file name")
    where = place(record("沈海高速机荷段", "expressway"), GAZ, jurisdiction=shenzhen)
    assert where.precision == 5 and "issuing jurisdiction 深圳市" in where.label
    assert GAZ.boundary("440300").buffer(1e-6).covers(where.geometry)


@pytest.mark.parametrize("route", ROUTES, ids=[r.key for r in ROUTES])
def test_every_route_lists_known_cities_in_order_with_a_source(route):
    assert route.source
    assert len(route.cities) >= 2
    assert all(c in GAZ for c in route.cities)
    assert len(set(route.cities)) == len(route.cities)
    assert route.kind in ("expressway", "railway", "pipeline", "water")
    # control cities in order: no leg longer than 20 degrees (a city out of order or a
    # typo in a code shows as a jump); a pipeline listed by its two ends only is exempt
    seats = [(GAZ[c].lon, GAZ[c].lat) for c in route.cities]
    if len(seats) > 2:
        for (x0, y0), (x1, y1) in zip(seats, seats[1:], strict=False):
            assert ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 < 20, route.key


# --------------------------------------------------------------------------- circles


@pytest.mark.parametrize(
    ("circle", "core", "members", "outside"),
    [
        # an approved circle naming only its core is drawn with its members: 南京, 滁州, 扬州
        ("南京都市圈", "320100", ("320100", "341100", "321000"), ()),
        # a city's circle is its districts and partners (渝中, 永川, 广安), not the whole
        # city: 万州 is 重庆 but not of its circle
        ("重庆都市圈", "500000", ("500103", "500118", "511600"), ("500101",)),
    ],
)
def test_an_approved_circle_is_drawn_with_its_members(circle, core, members, outside):
    where = place(record(circle, "metro_circle", (core,)), GAZ)
    assert where.label.startswith(f"members from the approved plan: {circle}")
    for member in members:
        seat = shapely.Point(GAZ[member].lon, GAZ[member].lat)
        assert where.geometry.buffer(1e-6).covers(seat)
    for code in outside:
        assert not where.geometry.covers(shapely.Point(GAZ[code].lon, GAZ[code].lat))


def test_a_cluster_naming_no_place_is_drawn_with_its_members():
    where = place(record("北部湾城市群", "metro_circle"), GAZ, jurisdiction=BAOAN)
    assert where.label.startswith("members from the approved plan")
    assert where.geometry.buffer(1e-6).covers(shapely.Point(GAZ["450500"].lon, GAZ["450500"].lat))


def test_a_circle_whose_sentence_lists_members_keeps_those():
    rec = record("南京都市圈", "metro_circle", ("320100", "321100"))  # 南京、镇江
    where = place(rec, GAZ)
    assert "approved plan" not in where.label
    assert where.geometry.buffer(1e-6).covers(GAZ.boundary("321100").representative_point())
    assert not where.geometry.covers(shapely.Point(GAZ["341100"].lon, GAZ["341100"].lat))


@pytest.mark.parametrize("circle", CIRCLES, ids=[c.key for c in CIRCLES])
def test_every_circle_has_known_members_holding_its_core_and_a_source(circle):
    assert circle.source and circle.members
    assert all(m in GAZ for m in circle.members)
    assert set(circle.core) <= set(circle.members)
    # members are prefecture-level units, or county-level ones the plan names (桐城市);
    # none lies inside another member
    assert not any(a in circle.members for m in circle.members for a in GAZ.ancestors(m))
    assert find_circle(circle.names[0]) == circle


@pytest.mark.parametrize("entry", FOREIGN, ids=[f.name for f in FOREIGN])
def test_no_foreign_name_is_an_admin_unit_name(entry):
    assert entry.source
    assert not GAZ.lookup(entry.name)


# --------------------------------------------------------------------------- atlas


CORPUS_LIKE = (
    "各位代表：\n现在，我代表宝安区人民政府，向大会报告政府工作。\n"
    "加快建设燃气管道。推进福银高速扩容。深化与泰国林查班港合作。\n"
)


def test_extract_places_by_the_document_jurisdiction(tmp_path):
    path = tmp_path / "广东省深圳市宝安区_2024_政府工作报告.txt"
    path.write_text(CORPUS_LIKE, encoding="utf-8")
    frame = extract([path], gazetteer=GAZ)
    by_name = {r.name: r for r in frame.itertuples()}
    pipe = next(r for n, r in by_name.items() if "燃气管道" in n)
    assert (pipe.precision, pipe.precision_label) == (3, "within the issuing jurisdiction: 宝安区")
    assert pipe.places == ""  # the places the text names are unchanged
    road = next(r for n, r in by_name.items() if "福银" in n)
    assert road.precision == 5
    port = [r for n, r in by_name.items() if "林查班" in n]
    assert all(r.geometry is None and "foreign" in r.reason for r in port)


def test_user_metadata_wins_in_extract_and_build(tmp_path):
    path = tmp_path / "广东省深圳市宝安区_2024_政府工作报告.txt"
    path.write_text(CORPUS_LIKE, encoding="utf-8")
    metadata = {path.name: {"jurisdiction": "湖北省"}}
    frame = extract([path], gazetteer=GAZ, metadata=metadata)
    pipe = frame[frame["name"].str.contains("燃气管道")].iloc[0]
    assert pipe.precision_label == "within the issuing jurisdiction: 湖北省"
    atlas = build([path], cache=False, gazetteer=GAZ, metadata=metadata)
    assert atlas.report["jurisdictions"][path.name]["adcode"] == "420000"
    assert atlas.report["by_precision"][4] >= 1


def test_assemble_reports_each_document_jurisdiction():
    doc = make_document(CORPUS_LIKE, name="广东省深圳市宝安区_2024_政府工作报告.txt")
    atlas = assemble([doc], [extract_document(doc, gazetteer=GAZ)], gazetteer=GAZ)
    assert atlas.report["jurisdictions"][doc.name] == {
        "adcode": "440306", "name": "宝安区", "level": "county", "found": "file name",
    }
