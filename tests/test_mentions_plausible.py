"""Routes read only as a plausible whole, named routes, and names inside longer names.

Every sentence is shortened from a plan text of the corpus (Guangdong, Henan, Hebei,
Chongqing, Qinghai, national reports); each case says which units must be found and
which readings of the trap must not.
"""

from __future__ import annotations

import pytest

from geo._data import load_table, split_list
from geo.gazetteer import load_gazetteer
from tests.places import adcodes, check

# Named national routes: the table of named routes settles what the characters stand
# for (贵 of 贵广 is 贵阳, not 贵港; 新 of 兰新 is 新疆, not 新乡; 青藏 is no word here).
NAMED = [
    ("韶赣、贵广、南广等铁路建成运营，新增铁路运营里程545公里。",
     {"440200", "360700", "520100", "440100", "450100"}, {"450800"}),
    ("贯穿南北的京九铁路将全线铺通，大西北的兰新复线和宝中铁路将投入运营。",
     {"110000", "620100", "650000", "610300", "640500"}, {"410700", "440306", "442000"}),
    ("新建公路六千六百多公里，其中主要的是康藏公路和青藏公路。", {"630000", "540000"}, set()),
    ("交通方面，加快石武客运专线、焦桐高速建设进度。",
     {"130100", "420100"}, {"640200", "620600"}),
]

# A route joins places that make sense together and where the text is; a soft name
# (惠城) gives no context to the compound it runs into.
PLAUSIBLE = [
    ("加快推进在建轨道交通项目建设，推动深大、深惠、龙大城际加快建设。",
     {"440300", "441300"}, {"441302", "441422", "350800"}),
    ("加快推进许信、上罗高速，G107绕城、S241改建。", {"411000", "411500"}, set()),
    # a count is no compound: 三大 is "three big", not 三门峡 + 大荔
    ("统筹推进三大经济圈融合发展，加快区域合作园区建设。", set(), {"411200", "610523"}),
]

# A short name that runs into the rest of a longer name: a river, a station, a scheme.
INSIDE = [
    ("抓好大清河、永定河等水系治理工程建设。", set(), {"130534", "211204"}),
    ("实施“引黄济津”等应急调水工程，基本保证了城市供水。", set(), set()),
    ("加快开展新丰江引水工程研究。", set(), {"440233"}),
    ("嘉陵江、明月湖实验室加快筹建。", set(), {"511304"}),
    ("西丽高铁站成为全市铁路客运主枢纽，规划线路13台25线。", set(), {"331100"}),
]


@pytest.mark.parametrize(("text", "want", "never"), NAMED, ids=[c[0][:10] for c in NAMED])
def test_named_routes(text, want, never):
    check(text, want, never)


@pytest.mark.parametrize(("text", "want", "never"), PLAUSIBLE, ids=[c[0][:10] for c in PLAUSIBLE])
def test_routes_read_as_a_plausible_whole(text, want, never):
    check(text, want, never)


@pytest.mark.parametrize(("text", "want", "never"), INSIDE, ids=[c[0][:10] for c in INSIDE])
def test_short_names_inside_longer_names(text, want, never):
    check(text, want, never)


def test_named_routes_table_names_units_and_reads_as_itself():
    gaz = load_gazetteer()
    for row in load_table("named_routes.csv"):
        codes = split_list(row["adcodes"])
        assert codes and all(c in gaz for c in codes), row
        assert row["kind"] in {"expressway", "railway"}, row
        text = f"加快{row['route']}{'高速' if row['kind'] == 'expressway' else '铁路'}建设。"
        assert set(codes) <= adcodes(text), row
