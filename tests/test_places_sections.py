"""A section of a line named by its two ends right after the line (corpus sentences).

渝昆高铁渝宜段, 兰张高铁兰武段, 深茂铁路深江段: the two characters before 段 are a route of
their own, read with the line's places as context, and never as a national corridor of
the same letters (渝宜段 of 渝昆高铁 ends at 宜宾, not at the 宜昌 of 渝宜高铁).
"""

import pytest

from tests.places import check


@pytest.mark.parametrize(
    ("text", "want", "never"),
    [
        ("兰张高铁兰武段开通运营、武张段开工建设。", {"620100", "620600"}, set()),
        ("开工建设深茂铁路深江段、深南高铁江肇段、汕头疏港铁路。", {"440700", "441200"}, set()),
        ("京沈客专京承段开通运营，京雄、京德高速公路建成通车。", {"110000", "130800"}, set()),
        ("铁路、宝成铁路和陇海铁路宝天段遭到洪水和泥石流袭击。", {"610300", "620500"}, set()),
        ("驻马店市建设化新高速和京港澳高速漯驻段加宽项目。", {"411100", "411700"}, set()),
        (
            "新增铁路运营里程322公里，渝昆高铁渝宜段、巴中至南充高铁开通运营。",
            {"511500"}, {"420500"},
        ),
        ("南珠高铁南玉段建成通车，完成湘桂铁路柳州枢纽扩能改造。", {"450900"}, set()),
        ("实施青藏铁路格拉段电气化改造。", {"540100"}, set()),
    ],
)
def test_section_named_by_its_ends(text: str, want: set[str], never: set[str]) -> None:
    check(text, want, never)


@pytest.mark.parametrize(
    ("text", "never"),
    [
        ("地铁6号线车辆段上盖物业开发。", {"441300"}),  # 车辆 is a word, not 车 + 辆
        ("推进深汕高铁区间段、环仓南路西段建设。", {"440400"}),
        ("加快地铁11号线东延段、4号线北延段建设。", {"610600", "222400"}),  # directions
    ],
)
def test_section_words_are_no_places(text: str, never: set[str]) -> None:
    check(text, set(), never)
