"""Place mentions in plans from anywhere in China, one parametrized case per failure class.

The sentences are shortened from plan texts of the corpus (Hebei, Guangdong, Fujian,
Jiangxi, Gansu, Chongqing …), or written in their words; every case says which units must
be found and which readings of the trap must not.
"""

from __future__ import annotations

import pytest

from geo.gazetteer import load_gazetteer
from geo.mentions import find_mentions
from tests.places import adcodes, check

# Routes and compounds named by one character per place, read from the whole country:
# capitals and prefectures first, counties of the text's own region on a route.
ROUTES = [
    # capitals joined by a trunk line, not two small cities close together (石嘴山—武威)
    ("京沪高速铁路和京石、石武、津秦客运专线相继开工。",
     {"110000", "310000", "130100", "420100", "120000", "130300"}, {"640200", "620600"}),
    # route words beyond the seeds' (客专), and one cue serving a list
    ("推进赣深客专、广汕铁路等一批铁路项目建设。",
     {"360700", "440300", "440100", "441500"}, set()),
    # 昌 = 南昌, 厦 = 厦门: a long route between places each character names beyond doubt
    ("争取赣龙厦、昌福厦等高铁项目纳入国家铁路规划。",
     {"360700", "350800", "350200", "360100", "350100"}, set()),
    # a county of the text's region at one end of a route (蔚县 in a text on Hebei)
    ("河北省张家口市蔚县境内，京蔚高速建成通车。", {"110000", "130726"}, set()),
    # a short name that runs into the route word gives way (惠城区 in 深惠城际)
    ("加快建设深大城际、深惠城际等跨市轨道交通项目。", {"440300", "441300"}, {"441302"}),
    ("成渝中线高铁加速推进。", {"510100", "500000"}, {"500103"}),
    # 京 is 北京 beyond doubt: a trunk route is not read as two counties (京山, 广水)
    ("依托京广通道，推动沿线城市协同发展。", set(), {"420882", "421381"}),
]


@pytest.mark.parametrize(("text", "want", "never"), ROUTES, ids=[r[0][:12] for r in ROUTES])
def test_routes_and_compounds_country_wide(text, want, never):
    check(text, want, never)


# Regions and foreign groupings are not places, whichever characters they share with one.
REGIONS = [
    ("苏南运河二级航道整治工程全线开工。", {"320500", "320100", "320000"}),
    ("如鲁西、豫东、苏北、皖江等地的生产都有提高。",
     {"370000", "410000", "320000", "340000"}),
    ("我们同东盟国家的关系更加密切。", {"441900"}),
    # 鄂西 was the name of a prefecture until 1983: today it is a region
    ("推动鄂西生态文化旅游圈建设。", {"422800", "420000"}),
    # a waterway is named after its river (北江 was also a district of 韶关)
    ("西江、北江航道扩能升级工程加快建设。", {"440204"}),
]


@pytest.mark.parametrize(("text", "never"), REGIONS, ids=[r[0][:12] for r in REGIONS])
def test_regions_are_not_places(text, never):
    assert not (adcodes(text) & never)


# Short names that are ordinary words, decided by the words around them.
ORDINARY = [
    ("资源县城污水处理厂建成运行。", {"450329"}, set()),
    ("充分利用物产资源发展特色产业。", set(), {"450329"}),
    ("卓尼、临潭、合作等县市加快发展。", {"623022", "623021", "623001"}, set()),
    ("加强区域合作，推动资源共享。", set(), {"623001", "450329"}),
]


@pytest.mark.parametrize(("text", "want", "never"), ORDINARY, ids=[r[0][:12] for r in ORDINARY])
def test_short_names_that_are_words(text, want, never):
    check(text, want, never)


# Former names map to the current unit (from the yearly codes the gazetteer is built from).
FORMER = [
    ("户县", "610118"),
    ("灌县", "510181"),
    ("蒲圻市", "421281"),
    ("九台市", "220113"),
    ("同仁县", "632301"),
    ("襄樊市", "420600"),
    ("集宁市", "150902"),
    ("万县", "500101"),
]


@pytest.mark.parametrize(("old", "adcode"), FORMER)
def test_former_names_in_the_gazetteer(old, adcode):
    assert [u.adcode for u in load_gazetteer().lookup(old)] == [adcode]


@pytest.mark.parametrize(
    ("text", "adcode"),
    [
        ("撤销户县，设立西安市鄠邑区。", "610118"),
        ("原蒲圻市更名为赤壁市。", "421281"),
        ("九台市撤市设区后加快发展。", "220113"),
        ("同仁县撤县设市。", "632301"),
    ],
)
def test_former_names_in_text(text, adcode):
    assert adcode in adcodes(text)


def test_former_names_are_never_current_names_or_generic():
    gaz = load_gazetteer()
    current = {u.name for u in gaz} | {u.short for u in gaz}
    assert not (gaz.former & current)
    # a city's "new district" or "suburbs" names no one unit
    assert not ({"新区", "郊区", "市辖区", "城区"} & gaz.former)
    # a bare former name that is an everyday word needs context (渡口 "ferry")
    assert adcodes("在渡口等候过江。") == set()


def test_spans_stay_exact_on_compounds_and_lists():
    text = "加快建设雄商、津潍、济滨等高铁，推进赣深客专和深惠城际建设。"
    for m in find_mentions(text):
        assert text[m.start : m.end] == m.text
