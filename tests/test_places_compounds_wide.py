"""Abbreviation compounds read country-wide (corpus sentences).

* a compound may start right after any word of general text, not only a frequent one
  (壮大|汕潮揭, 开建|温福, 帮扶|深汕);
* a cross-border cue marks the places it follows (深港跨境, 粤港跨境);
* a place written in full with a compass character after it is that place's part, not a
  compound (保定南高速出口 is no 保定 + 定西).
"""

import pytest

from tests.places import check


@pytest.mark.parametrize(
    ("text", "want", "never"),
    [
        # 广东 2019
        (
            "培育壮大汕潮揭城市群和湛茂阳都市区，与珠三角协同发展。",
            {"440500", "445100", "445200"},
            set(),
        ),
        # 福建 2025
        ("开建温福高铁、厦漳泉R1线、福州地铁6号线东调段。", {"330300", "350100"}, set()),
        # 深圳 龙岗区 2022
        (
            "全面完成海丰对口帮扶任务，结对帮扶深汕特别合作区赤石镇乡村振兴工作。",
            {"440300", "441500"},
            {"440500"},
        ),
    ],
)
def test_compound_after_a_word_of_general_text(
    text: str, want: set[str], never: set[str]
) -> None:
    check(text, want, never)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("加强深港跨境基础设施合作，确保西部通道按期建成。", {"440300", "810000"}),  # 深圳 2007
        ("108项高频政务服务事项实现粤港跨境通办。", {"440000", "810000"}),  # 广东 2024
    ],
)
def test_cross_border_cue(text: str, want: set[str]) -> None:
    check(text, want, set())


def test_place_in_full_with_a_compass_character_is_no_compound() -> None:
    # 保定 2022
    check("改造市政道路21条、桥梁30座，打通保定南高速出口关键堵点。", set(), {"621100"})


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # 江苏 2025: the river a bridge crosses
        (
            "江苏省人民政府工作报告。\n继续推进高速公路关键路段扩容改造，建成常泰长江大桥等过江通道。",
            {"320400", "321200"},
        ),
        # 深圳 2022: a part of the line
        ("优化深圳湾口岸功能，开展前海口岸、港深西部铁路规划研究。", {"440300", "810000"}),
        # 深圳 2014: the line runs along the river
        ("厦深铁路投入运营，广深沿江高速、博深高速建成通车。", {"440100", "440300"}),
        # 深圳 2024: a joint development zone
        (
            "做好与哈尔滨、赣州对口合作，加快深哈产业园、深赣港产城一体化合作区高质量发展。",
            {"360700", "440300"},
        ),
    ],
)
def test_word_between_compound_and_cue(text: str, want: set[str]) -> None:
    check(text, want, set())


def test_corridor_of_cities_beyond_a_clusters_spread() -> None:
    # 辽宁 2025 writes the corridor 哈尔滨—长春—沈阳—大连 (about 900 km, each city within
    # 400 km of the next)
    check("加快哈长沈大制造业走廊建设。", {"230100", "220100", "210100", "210200"}, set())


def test_corridor_needs_neighbouring_steps() -> None:
    # 哈 and 深 are 2,700 km apart: no corridor of neighbours, nothing read
    check("推进哈沈深制造业走廊建设。", set(), {"230100", "440300"})


def test_city_rail_cue_after_the_compound() -> None:
    # 天津 2025: 市域（郊）铁路 is a railway cue with its own brackets
    check(
        "天津市人民政府工作报告。\n推进津静市域（郊）铁路建设，地铁11号线一期西段运营。",
        {"120000", "120118"},
        set(),
    )


@pytest.mark.parametrize(
    ("text", "want", "never"),
    [
        # 深圳 2025: 深赣港 is the 赣州 port zone of 深圳 and 赣州, far from 香港
        (
            "加快建设深哈产业园、深赣港产城一体化合作区、南宁（深圳）东盟产业合作区。",
            {"440300", "360700"},
            {"810000"},
        ),
        # 广深港: 香港 lies beside 深圳, the last stop of the line
        ("推进广深港高铁建设。", {"440100", "440300", "810000"}, set()),
    ],
)
def test_last_port_character_far_from_hong_kong(
    text: str, want: set[str], never: set[str]
) -> None:
    check(text, want, never)
