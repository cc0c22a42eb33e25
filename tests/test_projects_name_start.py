"""Where the name of a list's first item begins: after the verb that opens its group, and
before the start of a route (A至B) whatever part of speech jieba gives A.

Sentences from ../shared/corpus/texts (none from an evaluation set), read end to end with
the real place recogniser.
"""

from __future__ import annotations

import pytest

from geo.projects import extract_projects
from geo.text import document_from_text


def names(text: str) -> list[str]:
    return [p.name for p in extract_projects(document_from_text(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the first item shares the type word after it: the verb is not part of its name
        (  # 广东省 2020
            "支持汕头广澳港区三期工程建设，抓好东江、北江上延、韩江航道扩能升级前期工作。",
            "东江航道",
        ),
        (  # 广东省 2022
            "抓好深中、黄茅海、狮子洋等跨江跨海通道和沈海、深岑、长深等高速公路改扩建项目。",
            "深中跨海通道",
        ),
        (  # 河南省驻马店市 2008
            "水利方面，开工建设宿鸭湖水库清淤扩容工程，抓好板桥水库除险加固、中小河流治理、"
            "高效节水灌溉等项目建设。",
            "板桥水库",
        ),
        # a route's start is part of the name, whatever jieba calls it (董家/口, 加定)
        (  # 山东省 2025
            "优化货运铁路网，开工董家口至五莲、胶新铁路扩能改造项目。",
            "董家口至五莲铁路",
        ),
        (  # 青海省 2025
            "公路方面，打通省际快速“大通道”，建成加定至西海等公路，推动同仁至赛尔龙高速公路通车；",
            "同仁至赛尔龙高速公路",
        ),
    ],
)
def test_name_starts_at_the_name(text, expected):
    assert expected in names(text)


@pytest.mark.parametrize(
    ("text", "not_start"),
    [
        # a verb before 至 is no route's start (调压站至前湾电厂: 站 is read as a verb)
        (  # 广东省深圳市 2024
            "实现平湖调压站至前湾电厂高压天然气管线降压运行，提升城市本质安全水平。",
            "站至",
        ),
        # a route inside brackets does not reach back over the bracket
        (  # 广东省深圳市宝安区 2017
            "完成松岗街道路网完善工程—埔边南街（东方大道至东富路北侧）新建工程建设。",
            "埔边",
        ),
        ("抓好东江、北江上延、韩江航道扩能升级前期工作。", "抓好"),
    ],
)
def test_name_does_not_reach_back_too_far(text, not_start):
    assert not any(n.startswith(not_start) or "（" + "东方" in n for n in names(text))
