"""A section after a shared type word (…铁路甘肃段) belongs to the items that cross out of
the section's unit; a line lying wholly in that unit keeps its own ends.

Sentences from ../shared/corpus/texts (none from an evaluation set), read end to end.
"""

from __future__ import annotations

from geo.projects import extract_projects
from geo.text import document_from_text

# 甘肃省 2025
GANSU = (
    "加快建设兰合、平庆、天陇、西成铁路甘肃段、兰张高铁武张段、宝中铁路中卫至平凉段扩能改造"
    "工程，推进定平铁路、兰州铁路枢纽优化提升工程等前期工作。"
)


def test_a_line_inside_the_section_keeps_its_ends():
    got = {p.name: p.places for p in extract_projects(document_from_text(GANSU))}
    assert got["兰合铁路"] == ("620100", "623001")  # 兰州, 合作: both in 甘肃
    assert got["平庆铁路"] == ("620800", "621000")  # 平凉, 庆阳
    assert "兰合铁路甘肃段" not in got


def test_a_line_crossing_out_keeps_the_section():
    got = {p.name: p.places for p in extract_projects(document_from_text(GANSU))}
    assert got["西成铁路甘肃段"] == ("620000",)  # 西安—成都 crosses 甘肃
