"""Items that name nothing, and the words of industrial-transfer parks.

- A list item of generic words only (工程, 二期) or of one stray character does not take
  the type word after it, named or not: 1、4号线续建工程和3号线 is no 工程3号线.
- 产业转移 (industrial transfer), 省会 and 全年 say nothing specific before a type word;
  产业转移园 is a park's type word.

Sentences from ../shared/corpus/texts (none from an evaluation set), read end to end.
"""

from __future__ import annotations

import pytest

from geo.projects import extract_projects
from geo.text import document_from_text


def records(text: str) -> list[tuple[str, str]]:
    return [(p.kind, p.name) for p in extract_projects(document_from_text(text))]


@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        (  # 广东省深圳市 2006: 工程 ends the item before 和
            "抓紧轨道交通1、4号线续建工程和3号线工程建设，2号线年内动工，积极做好5号线前期工作。",
            "工程3号线",
            "3号线",
        ),
        (  # 广东省深圳市南山区 2025: 二期 is a phase of 13号线, not a name for 15号线
            "加快13号线一期及二期、15号线、20号线二期、27号线一期、29号线一期等项目建设。",
            "二期15号线",
            "15号线",
        ),
        (  # 广东省深圳市坪山区 2023: 器 is what is left of 加速器 after the split
            "生物医药产业加速器、新能源汽车产业园一期等项目投入使用。",
            "器产业园一期",
            "新能源汽车产业园一期",
        ),
    ],
)
def test_generic_item_takes_no_type_word(text, absent, present):
    names = [name for _, name in records(text)]
    assert absent not in names
    assert present in names


def test_one_character_beside_generic_words_is_still_a_name():
    # 江苏省 2025: 北沿江 is 北 + 沿江 (generic), a line's name all the same
    text = "加快北沿江、盐泰锡常宜、通苏嘉甬高铁和宁淮城际铁路等重大项目建设。"
    assert ("railway", "北沿江高铁") in records(text)


@pytest.mark.parametrize(
    "text",
    [
        "搞好环京津和环省会城市圈、沿海城镇带、重点城镇群的规划调整。",  # 河北省 2004
        "全年铁路旅客发送量、民航旅客吞吐量分别增长8.7%、16.5%。",  # 宁夏 2025
        "全年产业集聚区完成投资311.9亿元，实现主营业务收入629亿元。",  # 驻马店 2011
        "发挥“飞地经济”在对口帮扶协作中的积极作用，支持共建产业转移合作园区。",  # 龙华区 2023
    ],
)
def test_generic_words_name_no_project(text):
    assert records(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # 广东省深圳市 2009
            "深汕鹅埠产业转移园进入实质合作阶段，省外各深圳工业园建设加快推进。",
            ("industrial_park", "深汕鹅埠产业转移园"),
        ),
        (  # 广东省 2025
            "完善深汕特别合作区、广清经济特别合作区管理体制，加快广梅、莞韶等省产业转移园建设。",
            ("industrial_park", "莞韶产业转移园"),
        ),
    ],
)
def test_industrial_transfer_park_is_a_park(text, expected):
    assert expected in records(text)
