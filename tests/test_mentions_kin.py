"""Everyday-word names read among their kin, and routes written out with 经.

Sentences are shortened from plan texts of the corpus (Guangxi, Shenzhen, Guizhou,
Gansu); each case says which units must be found and which readings must not.
"""

from __future__ import annotations

import pytest

from tests.places import adcodes

# 来宾, 光明, 东方 are words as often as places: read only with siblings in the sentence,
# or with the parent nearby and a sibling or a facility word right after them
KIN = [
    (
        "宾阳大庄支线正式通水，来宾下六甲灌区主体工程、桂林长塘水库、玉林龙云灌区、"
        "河池龙江河谷灌区、崇左黑水河灌区开工建设",
        {"451300"},  # 来宾市 among four cities of Guangxi
    ),
    ("推进深圳轨道光明站与高铁光明城站、坪山站建设", {"440311", "440310"}),  # 光明区, 坪山区
    ("金沙经仁怀至桐梓高速公路建成通车", {"520523", "520382", "520322"}),  # 经 joins a route
]


@pytest.mark.parametrize(("text", "want"), KIN)
def test_everyday_names_are_read_among_their_kin(text: str, want: set[str]) -> None:
    got = adcodes(text)
    assert want <= got, f"missed {sorted(want - got)} in {text!r}"


BARE = [
    "光明农场管理体制改革顺利进行",
    "前途光明，东方既白",
    "东方机场前期工作",  # a facility word alone is no proof: its parent is not named
    "建成清水驿至忠和高速公路",  # 清水驿 is a town (驿 ends its name), not 清水县
]


@pytest.mark.parametrize("text", BARE)
def test_everyday_names_stay_words_without_kin(text: str) -> None:
    assert adcodes(text) == set()


# dashes between the characters of a quoted compound (新疆 2025: “乌—昌—石”区域); a
# quoted run of words joined by dashes is no compound (深圳: “港-区-城”联动)
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("“乌—昌—石”区域重污染天数比例控制在5%以内", {"650100", "659001"}),
        ("综保区二期封关运作，全国率先实现“港-区-城”联动", set()),
    ],
)
def test_quoted_compounds_with_dashes(text: str, want: set[str]) -> None:
    got = adcodes(text)
    assert want <= got and (want or not got), f"got {sorted(got)} in {text!r}"
