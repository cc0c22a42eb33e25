"""Route names whose ends include a county, read on the ground (集大原, 廊涿, 渝万).

Sentences are taken from plan texts of the corpus (Shanxi, Hebei, Baoding, Guangdong,
Shenzhen, Sichuan, Guizhou, the State Council), plus the short forms of the route names
the reader was written for; each case says which units must be found and which must not.
"""

from __future__ import annotations

import pytest

from geo.mentions import find_mentions
from tests.places import adcodes, check

# the only chain of ends within reach of each other, one end per character; a county
# end when no city of the character explains the run (集宁—大同—原平, 延庆—崇礼)
READ = [
    # 山西 2025
    ("集大原高铁开通运营，实现市市通高铁动车。", {"150902", "140200", "140981"}, set()),
    # 河北 2017: 延庆区—崇礼区, former counties (延庆县, 崇礼县)
    (
        "推进京张高铁、延崇高速、宁远机场等基础设施建设，继续抓好张家口绿化工程",
        {"110119", "130709"},
        set(),
    ),
    # 保定 2009: 廊坊—涿州; 张涿 (张家口—涿州) is no road from 张北 to 涿鹿
    (
        "贯穿山区6县的张石高速一期、廊涿高速保定段竣工通车，张涿高速开工建设。",
        {"131000", "130681"},
        {"130722", "130731"},
    ),
    # 保定 2023: 北京—涿州
    (
        "互联互通更紧密，京保城际、京涿城际通勤高铁开通，京雄高速直达北京南六环和大兴国际机场",
        {"110000", "130681"},
        set(),
    ),
    # 广东 2020: 瑞金—梅州
    (
        "力争开工深汕高铁、揭阳疏港铁路、瑞梅铁路，加快推进汕头至漳州高铁、龙岩至梅州铁路",
        {"360781", "441400"},
        set(),
    ),
    # the short forms: a city beyond doubt and a county within reach (重庆—万州 226 km,
    # not 万源 314 km; 太原—绥德), or a chain of counties (鄠邑—周至—眉县)
    ("推进渝万高铁建设。", {"500000", "500101"}, {"511781"}),
    ("推进太绥高铁前期工作。", {"140100", "610826"}, set()),
    ("开工建设集大原高铁。", {"150902", "140200", "140981"}, set()),
    ("建成鄠周眉高速。", {"610118", "610124", "610326"}, set()),
    # a stage after the count of a list (等3条续建) still leaves the cue to the list
    ("推进鄠周眉等3条续建高速公路。", {"610118", "610124", "610326"}, set()),
    # today's county before a former county now a district (隆昌—叙永, not 叙州区), and a
    # route of the text's own region (梁平—开江 in a text naming 重庆); two counties need
    # a city named around them (泸州, 重庆)
    ("加快建设隆叙铁路扩能改造，打通泸州南向通道。", {"511083", "510524"}, {"511504"}),
    ("重庆：建成梁开高速、渝武复线高速。", {"500155", "511723", "511622"}, {"500156"}),
]


@pytest.mark.parametrize(("text", "want", "never"), READ)
def test_a_route_with_county_ends_is_read_on_the_ground(
    text: str, want: set[str], never: set[str]
) -> None:
    check(text, want, never)


# ordinary words and local road names before a route word stay unread: a list joiner
# (和土铁路), a river (红水河), a direction (渝西 is western 重庆 as much as 重庆—西安),
# two counties far from every place named around them (清平 of 深圳's 清平高速),
# a county too far from the only city (武深 = 武汉—深圳, not 武平—深圳), a station
# (雄安高铁站) and the far end of a route written out (张北-雄安)
UNREAD = [
    # 国务院 1960
    ("人民公社还应当根据需要和可能，发展公路和土铁路的建设。", {"150121", "150123"}),
    # 贵州 2025
    (
        "开工建设贵阳环城高速公路扩容工程、蔗香至红水河高速公路等项目",
        {"532500", "520204", "451200"},
    ),
    # 四川 2025
    ("加快推进成渝中线高铁、成达万高铁、西渝高铁和阿坝至成都东1000千伏特高压交流工程", {"511325"}),
    # 深圳 2014
    ("厦深铁路投入运营，广深沿江高速、博深高速、清平高速二期建成通车", {"520181", "520403"}),
    # 广东 2018
    ("加快推进汕昆高速、武深高速、汕湛高速、深中通道、白云机场第二高速", {"350824"}),
    # 河北 2021
    ("京雄城际和雄安高铁站开通运营，张北-雄安特高压工程建成投运", {"130632"}),
    # 广西 2025: 黄桶—百色; 黄平 is too far from 百色 to be its other end
    ("合湛高铁开工建设，黄百铁路加快建设，南珠高铁南玉段建成通车", {"522622"}),
    # 四川 2025: 隆黄 = 隆昌—黄桶, no 隆德 or 黄南
    ("隆黄铁路加快建设", {"640423", "632300"}),
]


@pytest.mark.parametrize(("text", "never"), UNREAD)
def test_a_run_without_a_certain_reading_stays_unread(text: str, never: set[str]) -> None:
    got = adcodes(text)
    assert not got & never, f"read {sorted(got & never)} in {text!r}"


# everyday words before 高速/铁路 name no place at all
WORDS = [
    ("积极推动沿江高速、广深铁路四线等省重点项目建设。", "沿江"),  # 深圳 2005
    ("外环高速等加快推进，石岩外环路等8条道路建成通车。", "外环"),  # 深圳 2019
    ("加快疏港铁路建设，推动大型工矿企业、物流园区及粮食储备库接入铁路专用线。", "疏港"),
    ("“三纵”指南光高速、龙大高速、龙澜大道北延。", "龙大"),  # 深圳光明区 2021
]


@pytest.mark.parametrize(("text", "word"), WORDS)
def test_an_everyday_word_before_a_route_word_is_no_place(text: str, word: str) -> None:
    at = text.index(word)
    read = [m.text for m in find_mentions(text) if m.start < at + len(word) and at < m.end]
    assert read == [], f"read {read} in {text!r}"
