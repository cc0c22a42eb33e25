"""Compound abbreviations of routes: compass ends, lists with routes written out.

Sentences are shortened from plan texts of the corpus (Henan, Shandong, Guangdong,
Shenzhen); each case says which units must be found and which must not.
"""

from __future__ import annotations

import pytest

from tests.places import adcodes

# a final compass character is a stop when it reads as one close to the stop before
# (周驻南 = 周口—驻马店—南阳), else the section of the route it marks (广韶北, 深汕西)
COMPASS_ENDS = [
    ("周驻南高速、息邢高速、上罗高速加快建设", {"411600", "411700", "411300"}, set()),
    ("推进广惠、广深、广韶北等高速公路繁忙路段扩容提质", {"440100", "440200"}, {"450500"}),
    ("加快广深、广澳、广昆、京珠南高速扩容", set(), {"450100", "360100", "320100"}),
    ("建成投用深汕通港大道、深汕西高速", {"440300", "441500"}, {"610100"}),
]


@pytest.mark.parametrize(("text", "want", "never"), COMPASS_ENDS)
def test_a_compass_end_is_a_stop_only_close_by(text: str, want: set[str], never: set[str]) -> None:
    got = adcodes(text)
    assert want <= got, f"missed {sorted(want - got)} in {text!r}"
    assert not got & never, f"read {sorted(got & never)} in {text!r}"


# a route written out (日照至五莲) is an item of a list of compounds sharing one cue
LISTS = [
    (
        "争取提前启动聊邯长、莱临、德商、日照至五莲高铁前期工作",
        {"371500", "130400", "140400", "371400", "411400", "371100", "371121"},
    ),
]


@pytest.mark.parametrize(("text", "want"), LISTS)
def test_a_route_written_out_is_an_item_of_the_list(text: str, want: set[str]) -> None:
    got = adcodes(text)
    assert want <= got, f"missed {sorted(want - got)} in {text!r}"


# a route from the one city a character names to the only county beside it that the
# other character starts (博深 = 博罗—深圳, 邢和 = 邢台—和顺); two counties as close,
# or a district, leave the character unread (龙大 in a text on 深圳: 大埔 or 大田?);
# the city or the county lies in the region of the text (each sentence names it)
BESIDE = [
    ("深圳借助博深高速、厦深铁路的区位优势", {"441322", "440300"}, set()),
    ("河北津兴城际、邢和铁路建成通车", {"130500", "140723"}, set()),
    ("提速龙岩新机场、武夷山机场迁建、厦安铁路等项目", {"350200", "350524"}, set()),
    ("广东深南高铁、梅武高铁开工建设", {"441400", "350824"}, set()),
    ("加快建设兰合、平庆、天陇、西成铁路甘肃段", {"620100", "623001"}, set()),
    ("推动深大、深惠、龙大城际加快建设", {"440300"}, {"350800", "441422", "350425"}),
    # the only city of the region its character starts: 中 = 中山 in a text on 广东
    ("广东南中高速、中开高速中山段等建成通车", {"442000", "440783"}, set()),
]


@pytest.mark.parametrize(("text", "want", "never"), BESIDE)
def test_a_route_may_end_at_the_county_beside_its_city(
    text: str, want: set[str], never: set[str]
) -> None:
    got = adcodes(text)
    assert want <= got, f"missed {sorted(want - got)} in {text!r}"
    assert not got & never, f"read {sorted(got & never)} in {text!r}"


# a route between two counties when no city reads: the only pair of the region's counties
# the characters start within a county's reach, one of them in a prefecture named around
COUNTY_PAIRS = [
    ("驻马店市加快推进许信、上罗高速，G107绕城建设", {"411722", "411521"}, set()),
    ("驻马店许信高速通车，沈遂高速、G107东移改建加快实施", {"411624", "411728"}, set()),
    ("深圳宝安对接广深、机荷、龙大高速改造", set(), {"360783", "360723"}),
    ("广西高标准高质量高效率建设平陆运河", set(), {"450821", "450922"}),
    ("福建新开通2个高速公路出入口和18个服务区出入口", set(), {"410700", "410200", "320600"}),
]


@pytest.mark.parametrize(("text", "want", "never"), COUNTY_PAIRS)
def test_a_route_between_two_counties_of_the_region(
    text: str, want: set[str], never: set[str]
) -> None:
    got = adcodes(text)
    assert want <= got, f"missed {sorted(want - got)} in {text!r}"
    assert not got & never, f"read {sorted(got & never)} in {text!r}"


# a chain of stops may end at a county-level city beside the city before it (宜兴 after
# 常州); a former one, now a district, is no stop (新深汕高速 is the new 深汕 expressway)
CHAIN_ENDS = [
    (
        "江苏沪苏湖高铁建成通车，盐泰锡常宜高铁、南京北站枢纽加快建设",
        {"320900", "321200", "320200", "320400", "320282"},
        set(),
    ),
    ("深圳推动深汕高铁、新深汕高速等规划建设", {"440300", "441500"}, {"440705"}),
]


@pytest.mark.parametrize(("text", "want", "never"), CHAIN_ENDS)
def test_a_chain_may_end_at_a_town_beside_its_neighbour(
    text: str, want: set[str], never: set[str]
) -> None:
    got = adcodes(text)
    assert want <= got, f"missed {sorted(want - got)} in {text!r}"
    assert not got & never, f"read {sorted(got & never)} in {text!r}"


# routes of the national plans that end at a county or at 雄安新区, which is no admin
# unit: read from the table of named routes (日兰 = 日照—兰考, 雄商 names 商丘 only)
NAMED = [
    ("山东日兰高铁全线贯通，潍烟高铁开通运营", {"371100", "410225"}, {"620100"}),
    ("高质量推进项目建设。加快建设雄商高铁、平漯周高铁", {"411400"}, {"130638"}),
    ("推进雄忻高铁建设，启动大西高铁提速", {"140900"}, {"130638"}),
]


@pytest.mark.parametrize(("text", "want", "never"), NAMED)
def test_named_routes_to_counties_and_new_areas(
    text: str, want: set[str], never: set[str]
) -> None:
    got = adcodes(text)
    assert want <= got, f"missed {sorted(want - got)} in {text!r}"
    assert not got & never, f"read {sorted(got & never)} in {text!r}"
