"""Names hidden by an overlapping county name, read from their sentence (corpus sentences).

Leftmost-longest scanning lets a county's short name hide a name that starts inside it:
和平 hides 平舆 in 正阳和平舆, 和顺 hides 顺平 in 和顺平, 新罗 hides 罗湖 in 新罗湖.  The
scanner keeps the hidden name as an alternative and the places read around it decide: the
hidden name wins when it lies closer to them.  A city or province hidden in a county name
loses when the county is supported and the city is far from every place (罗湖北站 in a
sentence on 深圳 is no 湖北).
"""

import pytest

from tests.places import check

SHENZHEN = "深圳市人民政府工作报告。\n"


@pytest.mark.parametrize(
    ("text", "want", "never"),
    [
        # 驻马店 2014: 和平 (广东, 天津, 沈阳) hides 平舆 beside its sibling 泌阳
        (
            "驻马店市装备产业集聚区和平舆、泌阳产业集聚区在200亿元以上。",
            {"411723", "411726"},
            {"441624", "120101", "210102"},
        ),
        # 保定 2021: 和顺 (山西) hides 顺平 in a list of 保定's counties
        (
            "建成徐水、曲阳城镇污水处理厂和顺平、阜平垃圾焚烧发电厂。",
            {"130636", "130624"},
            {"140723"},
        ),
        # 深圳 2023: 和龙 (吉林) hides 龙华, where the heliport lies
        (
            SHENZHEN + "加快建设深圳机场三跑道和龙华樟坑径直升机场。",
            {"440309"},
            {"222406"},
        ),
    ],
)
def test_hidden_county_read_from_its_sentence(text: str, want: set[str], never: set[str]) -> None:
    check(text, want, never)


@pytest.mark.parametrize(
    ("text", "want", "never"),
    [
        # 深圳 2026: 罗湖北高铁站 is a station of 罗湖, not a mention of 湖北
        (
            SHENZHEN
            + "开工建设机场T2航站区、北货运区及配套站坪、樟坑径直升机场、大铲湾港区二期、"
            "罗湖北高铁站TOD、坪山综合交通枢纽一期等项目。",
            {"440303"},
            {"420000"},
        ),
    ],
)
def test_far_province_inside_a_supported_county(
    text: str, want: set[str], never: set[str]
) -> None:
    check(text, want, never)


def test_hidden_name_with_no_support_stays_unread() -> None:
    # 南山区 2018: 制定南山 holds 定南 (江西) and 南山; nothing around supports 定南
    check("用好深圳市总部经济政策，梳理制定南山配套措施。", set(), {"360728"})


def test_city_hidden_in_a_county_still_wins_alone() -> None:
    # the older reading stays: 湘江永州 names 永州, not 江永
    check("沿湘江永州段推进生态修复。", {"431100"}, {"431125"})
