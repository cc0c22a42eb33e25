"""A street named after a far place names no place (sentences from ../shared/corpus)."""

from __future__ import annotations

import pytest

from geo.mentions import find_mentions


def places_of(text: str) -> set[str]:
    return {u.adcode for m in find_mentions(text) for u in m.units}


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        # 驻马店's streets named after 乐山 and 中山
        ("驻马店市抓好铜山大道、汝河大道延伸和解放大道、乐山大道改造等在建项目。",
         {"411700"}, {"511100"}),
        ("驻马店市启动实施天中山大道、练江大道等5条道路升级改造。", {"411700"}, {"442000"}),
        # 深圳's 长春路 and 南昌路
        ("深圳市龙岗区对根玉路、长春路、塘明路等道路进行改造。", {"440300", "440307"},
         {"220100"}),
        ("深圳市完成南昌路等127个项目续建。", {"440300"}, {"360100"}),
        # a street of its own city, and a street word that is a sub-district's office
        ("驻马店市推进驿城大道、文明大道等快速通道改造。", {"411700", "411702"}, set()),
        ("襄阳市加快建设襄阳大道。", {"420600"}, set()),
    ],
)
def test_a_street_named_after_a_far_place_names_no_place(text, kept, dropped):
    found = places_of(text)
    assert kept <= found
    assert not dropped & found


def test_a_street_word_after_a_place_with_no_other_place_around_keeps_it():
    # nothing says where the street is: the name stays a reading of the place
    assert "110000" in places_of("改造北京路步行街。")
