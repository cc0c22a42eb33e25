"""Evidence from beyond the sentence: the text's own region and subject (corpus sentences).

Three classes, each from the corpus of government work reports:

* a name written twice in one sentence is no evidence for itself (和政 in 和政府 twice);
* a facility named after a county (平湖枢纽, 罗田水库) in a paragraph that names no place is
  read only in the provinces the text names;
* a district's short name that its report writes again and again (盐田, 坪山), beside its
  full name and its city, is the report's subject even in sentences that name no city.
"""

import pytest

from tests.places import adcodes, check


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        # 和政 (和政县, Gansu) inside 和政协 twice
        ("自觉接受人大法律监督和政协民主监督，认真办理人大代表建议和政协委员提案。", "622925"),
        # 安居 (安居区, Sichuan) inside 安居工程 twice
        ("认真落实保障性住房条例和人才安居工程政策，扩大人才安居工程覆盖面。", "510904"),
    ],
)
def test_repeated_word_is_no_evidence(text: str, wrong: str) -> None:
    assert wrong not in adcodes(text)


SHENZHEN = "深圳市龙岗区人民政府工作报告。全面融入粤港澳大湾区建设，服务深圳发展大局。\n"


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        # 平湖 is a 街道 of 龙岗; 平湖市 lies in Zhejiang
        (SHENZHEN + "坚持TOD理念，高标准推进大运枢纽、平湖枢纽开发建设。", "330482"),
        # 罗田水库 lies in 宝安; 罗田县 in Hubei
        (SHENZHEN + "推进罗田水库—铁岗水库输水隧洞工程，开工建设罗田水厂一期工程。", "421123"),
        # 龙胜 is a 片区 of 龙华; 龙胜各族自治县 lies in Guangxi
        (SHENZHEN + "要开展龙胜枢纽片区综合开发研究。", "450328"),
    ],
)
def test_facility_county_outside_the_texts_region(text: str, wrong: str) -> None:
    assert wrong not in adcodes(text)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("与怀柔国家实验室达成战略合作。", "110116"),  # no place anywhere: the name stands
        ("北京市人民政府工作报告。\n推动怀柔国家实验室高质量运行。", "110116"),
    ],
)
def test_facility_county_in_the_texts_region(text: str, want: str) -> None:
    assert want in adcodes(text)


YANTIAN = (
    "深圳市盐田区2018年政府工作报告。\n"
    "盐田河临港产业带成为全市重点开发建设区域，投资完成率138.6%。\n"
    "盐田港赣州、常平、河源国际陆港正式揭牌，中欧班列顺利开通。\n"
    "盐田国际16号泊位投入使用。\n"
)


def test_short_name_of_the_reports_subject() -> None:
    # the third paragraph names no city: 盐田 is read as the report's own district
    check(YANTIAN, {"440308"}, set())


def test_short_name_named_once_is_no_subject() -> None:
    # 杂多 (杂多县, 玉树) spelled once by 复杂多变 in a report on 青海 that names 玉树
    filler = "坚持稳中求进工作总基调，推动经济实现质的有效提升和量的合理增长。\n" * 15
    text = "青海省政府工作报告。玉树州发展提速。\n" + filler + "外部环境复杂多变，不确定性增加。"
    assert "632722" not in adcodes(text)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # 广东 2023: 光明 is an everyday word; before 科学城 it names the district
        (
            "加快建设河套深港科技创新合作区、光明科学城、西丽湖国际科教城、深圳湾实验室。",
            "440311",
        ),
        # 北京 2025
        ("强化中关村科学城创新前沿布局，推动怀柔科学城科技设施开放共享。", "110116"),
    ],
)
def test_science_city_named_after_its_district(text: str, want: str) -> None:
    assert want in adcodes(text)
