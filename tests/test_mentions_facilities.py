"""A county name right before a facility or route word names the unit (corpus sentences)."""

import pytest

from geo.mentions import find_mentions


def names(text: str) -> set[str]:
    return {u.name for m in find_mentions(text) for u in m.units}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("加快轨道交通平谷线建设。", "平谷区"),
        ("与怀柔国家实验室达成战略合作。", "怀柔区"),
        ("开工建设波密至然乌段铁路，实施青藏铁路格拉段电气化改造。", "波密县"),
        ("推动中广核工程陆丰核电项目6号机组开工。", "陆丰市"),
        ("加快建设崇明线、嘉闵线、12号线西延。", "崇明区"),
        ("确保黄骅港一期、天威大型变压器等项目建成。", "黄骅市"),
        (
            "古贤水利枢纽和山阳、佛坪抽水蓄能项目开工建设，西安地铁运营，镇安抽水蓄能电站全面投产。",
            "镇安县",
        ),
    ],
)
def test_county_before_facility_word(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("建成聚龙路、马峦北路南段等70条市政路。", "路南区"),  # a section of a road
        ("五年内全国新建铁路铺轨二千公里。", "新建区"),  # an everyday word
        ("挂牌建设嘉陵江、明月湖实验室。", "月湖区"),  # ends a longer name
        # not in the province of 深圳
        ("配置工程深圳段，加快推进罗田水库－铁岗水库输水隧洞工程。", "罗田县"),
        ("全面完成泰岭东段洛河流域保护和修复工程。", "岭东区"),
    ],
)
def test_no_county_before_facility_word(text: str, wrong: str) -> None:
    assert wrong not in names(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "沈白高铁和京哈高速改扩建、本桓、凌绥、台黑4条高速公路提前建成通车。",
            {"沈阳市", "本溪市", "桓仁满族自治县", "凌源市", "绥中县", "台安县", "黑山县"},
        ),
        ("阜溧高速公路建湖至兴化段建成通车。", {"阜宁县", "溧阳市"}),
        ("新阳高速(新蔡至泌阳)等9个交通项目。", {"新蔡县", "泌阳县"}),
    ],
)
def test_named_routes_of_counties(text: str, expected: set[str]) -> None:
    found = names(text)
    assert expected <= found
    assert not found & {"白山市", "阜阳市", "新乡市"}
