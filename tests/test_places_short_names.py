"""Conventional short names the division's data lack (geo/data/prefecture_short_names.csv).

博州 (博尔塔拉), 克州 (克孜勒苏), 二连 (二连浩特) are how plans write these units; a
short name still needs its context like any other (十二连增 is no 二连浩特).
"""

import pytest

from tests.places import check


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # 新疆 2025
        ("以阿勒泰、乌鲁木齐、伊犁、博州、昌吉、塔城为重点，打造冬季冰雪旅游。", {"652700"}),
        ("新疆和田学院、新疆天山职业技术大学(克州校区)挂牌招生。", {"653000"}),
        # 国务院 1955
        ("两年中新建铁路铺轨一千四百多公里，其中集宁到二连的铁路已经铺通。", {"152501"}),
    ],
)
def test_conventional_short_name(text: str, want: set[str]) -> None:
    check(text, want, set())


@pytest.mark.parametrize(
    "text",
    [
        "粮食产量实现“十二连增”，居民消费价格涨幅保持较低水平。",  # 国务院 2016
        "实现生态文明建设考核“十二连优”。",  # 深圳 盐田区 2024
    ],
)
def test_short_name_inside_a_count_is_no_place(text: str) -> None:
    check(text, set(), {"152501"})
