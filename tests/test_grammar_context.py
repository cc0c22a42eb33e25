"""The project grammar beyond one list item: crossings, topic headings and older prose.

Sentences from the corpus of government work reports (Guangdong, Shandong, the State
Council's reports of the 1950s); mentions are given by hand so the cases test the grammar
whatever the place recogniser reads.
"""

from __future__ import annotations

import pytest

from tests.test_projects import records

SZ, ZS, ZH, JM = ("440300",), ("442000",), ("440400",), ("440700",)


def kinds_names(text, spec):
    return [(r.kind, r.name, r.places) for r in records(text, spec)]


# --------------------------------------------------------------------------- crossings


@pytest.mark.parametrize(
    ("text", "spec", "expected"),
    [
        (  # named after a sea: a crossing, whatever the sentence says of it
            "开工建设黄茅海通道、南沙至中山等高速公路。",
            [],
            [("bridge", "黄茅海通道", ())],
        ),
        (  # a strait or an estuary's reach (洋) and a bay (湾)
            "总投资均超过500亿元的深江高铁、狮子洋通道开工建设。",
            [("深", SZ), ("江", JM)],
            [("railway", "深江高铁", ("440300", "440700")), ("bridge", "狮子洋通道", ())],
        ),
        (  # a road beside a crossing is still a road: 跨海 is 妈湾's own type word
            "推动妈湾跨海通道、宝鹏通道等建设。",
            [],
            [("bridge", "妈湾跨海通道", ()), ("road", "宝鹏通道", ())],
        ),
        (  # a crossing between two cities of the estuary
            "建成深中通道、深汕第二高速。",
            [("深中", SZ + ZS), ("深汕", SZ + ("441500",))],
            [("bridge", "深中通道", ("440300", "442000"))],
        ),
        (  # route and crossing: the ends are its places
            "做好珠海至江门黄茅海通道、深圳至深汕特别合作区高速公路等项目前期工作。",
            [("珠海", ZH), ("江门", JM), ("深圳", SZ), ("深汕特别合作区", ("441500",))],
            [
                ("bridge", "珠海至江门黄茅海通道", ("440400", "440700")),
                ("expressway", "深圳至深汕特别合作区高速公路", ("440300", "441500")),
            ],
        ),
        (  # a sea route out to the coast is no crossing, and no named project
            "增加冀中南地区出海通道。",
            [],
            [],
        ),
    ],
)
def test_a_passage_across_water_is_a_bridge(text, spec, expected):
    assert kinds_names(text, spec)[: len(expected)] == expected
    assert not [r for r in records(text, spec) if r.name in ("出海通道", "冀中南地区出海通道")]


# --------------------------------------------------------------------------- headings


@pytest.mark.parametrize(
    ("text", "spec", "expected"),
    [
        (
            "通用机场，开工德州庆云、泰安仪阳项目，投用临沂费县、临沭蛟龙项目。",
            [
                ("德州", ("371400",)),
                ("庆云", ("371423",)),
                ("泰安", ("370900",)),
                ("临沂", ("371300",)),
                ("费县", ("371325",)),
                ("临沭", ("371329",)),
            ],
            [
                ("airport", ("371400", "371423")),
                ("airport", ("370900",)),
                ("airport", ("371300", "371325")),
                ("airport", ("371329",)),
            ],
        ),
        (  # 建成临沂至滕州等15个项目: expressways, by the heading
            "高速公路，开工长深高速改扩建等2个项目，建成临沂至滕州等15个项目。",
            [("长", ("220100",)), ("深", SZ), ("临沂", ("371300",)), ("滕州", ("370481",))],
            [("expressway", ("220100", "440300")), ("expressway", ("371300", "370481"))],
        ),
        (  # a 通道 under a railway heading is a railway
            "铁路，加快建设京沪二通道、雄商等6条高铁。",
            [("京沪", ("110000", "310000"))],
            [("railway", ("110000", "310000"))],
        ),
        (  # a heading with words of its own (公路方面) is no topic heading
            "公路方面，建成信丰至南雄项目。",
            [("信丰", ("360722",)), ("南雄", ("440282",))],
            [],
        ),
    ],
)
def test_a_topic_heading_gives_its_kind_to_the_projects_listed_after_it(text, spec, expected):
    assert [(r.kind, r.places) for r in records(text, spec) if r.places] == expected


# --------------------------------------------------------------------------- older prose


def test_places_that_own_the_items_of_a_list():
    text = (
        "重要的有：哈尔滨、西安、湘潭等地的电机厂，湖南的柘溪、四川灌县的紫坪铺、"
        "安徽的梅山和响洪甸等水电站。"
    )
    spec = [
        ("哈尔滨", ("230100",)),
        ("西安", ("610100",)),
        ("湘潭", ("430300",)),
        ("湖南", ("430000",)),
        ("四川", ("510000",)),
        ("灌县", ("510181",)),
        ("安徽", ("340000",)),
    ]
    got = [(r.kind, r.name, r.places) for r in records(text, spec) if r.kind == "power"]
    assert got == [
        ("power", "柘溪水电站", ("430000",)),
        ("power", "紫坪铺水电站", ("510000", "510181")),
        ("power", "梅山水电站", ("340000",)),
        ("power", "响洪甸水电站", ("340000",)),
    ]


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("推进湖北的港口建设。", [("湖北", ("420000",))]),  # a type word talked about
        ("贯通甘肃和新疆的兰新铁路。", [("甘肃", ("620000",)), ("新疆", ("650000",))]),
    ],
)
def test_a_place_before_a_type_word_owns_no_list(text, spec):
    assert [r.name for r in records(text, spec) if r.name.startswith(("贯通", "湖北"))] == []


def test_a_route_and_its_type_word_across_de():
    text = "其中集宁到二连的铁路和黎塘到湛江的铁路已经铺轨完成。"
    spec = [
        ("集宁", ("150902",)),
        ("二连", ("152501",)),
        ("黎塘", ("451122",)),  # hand-given, as if read: the rule needs both ends
        ("湛江", ("440800",)),
    ]
    assert [(r.kind, r.places) for r in records(text, spec)] == [
        ("railway", ("150902", "152501")),
        ("railway", ("451122", "440800")),
    ]
