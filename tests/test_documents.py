"""Document metadata: title, jurisdiction (and how it was found), year, date and kind."""

from __future__ import annotations

import pytest

from geo.documents import COUNTRY, document_metadata, resolve_jurisdiction
from geo.gazetteer import load_gazetteer
from geo.mentions import find_mentions
from geo.text import make_document

GAZ = load_gazetteer()


def meta(text: str, name: str = "plan.txt", given=None, with_mentions: bool = True):
    doc = make_document(text, name=name)
    mentions = (
        find_mentions(doc.text, clean=doc.clean, sentences=doc.sentences, gazetteer=GAZ)
        if with_mentions
        else []
    )
    return document_metadata(doc, mentions, gazetteer=GAZ, given=given)


@pytest.mark.parametrize(
    ("title", "adcode"),
    [
        ("深圳市宝安区2024年政府工作报告", "440306"),
        ("2025年湖北省政府工作报告", "420000"),
        ("湖北省人民政府关于印发某某方案的通知", "420000"),
        ("襄阳高新区国民经济和社会发展第十四个五年规划纲要", "420600"),
        ("河北省保定市高阳县2023年政府工作报告", "130628"),
    ],
)
def test_jurisdiction_from_the_title(title, adcode):
    m = meta(f"{title}\n各位代表：\n现在，我向大会报告工作。", with_mentions=False)
    assert m.title == title
    assert m.jurisdiction is not None
    assert (m.jurisdiction.adcode, m.jurisdiction.found) == (adcode, "title")


def test_a_title_whose_first_unit_runs_into_a_word_names_no_jurisdiction():
    # 长沙市场 is no 长沙市 followed by 场
    m = meta("长沙市场监管工作方案\n各位代表：", with_mentions=False)
    assert m.jurisdiction is None


@pytest.mark.parametrize(
    ("name", "adcode", "level"),
    [
        ("广东省深圳市宝安区_2024_政府工作报告.txt", "440306", "county"),
        ("河南省驻马店市_2020_政府工作报告.txt", "411700", "prefecture"),
        # 大鹏新区 is a functional area, no admin unit: the chain stops at 深圳市
        ("广东省深圳市大鹏新区_2024_管委会工作报告.txt", "440300", "prefecture"),
        ("全国（国务院）_2001_政府工作报告.txt", "", "country"),
    ],
)
def test_jurisdiction_year_and_kind_from_the_corpus_file_name(name, adcode, level):
    m = meta("各位代表：\n现在，我代表政府向大会报告工作。", name=name, with_mentions=False)
    j = m.jurisdiction
    assert j is not None
    assert (j.adcode, j.level, j.found) == (adcode, level, "file name")
    assert m.year == name.split("_")[1]
    assert m.kind == "work report"
    assert m.found["year"] == "file name"


def test_jurisdiction_from_the_issuer_a_report_speaks_for():
    m = meta("各位代表：\n现在，我代表宝安区人民政府，向大会报告政府工作。", with_mentions=False)
    assert m.jurisdiction is not None
    assert (m.jurisdiction.adcode, m.jurisdiction.found) == ("440306", "issuer")


def test_jurisdiction_from_the_places_named_most():
    body = "".join(
        f"推进{c}高质量发展。" for c in ["驿城区", "确山县", "泌阳县", "汝南县", "平舆县"] * 4
    )
    m = meta("各位代表：\n" + body + "加强与郑州、武汉合作。")
    j = m.jurisdiction
    assert j is not None
    assert (j.adcode, j.found) == ("411700", "mentions")  # 驻马店市 holds the counties
    assert "mentions" in j.evidence


def test_few_mentions_tell_no_jurisdiction():
    # a note of a few sentences: its places do not tell who issued it
    m = meta("加快建设襄阳至南漳高速公路。推进鄂州花湖机场建设。")
    assert m.jurisdiction is None


def test_places_spread_over_provinces_tell_no_jurisdiction():
    cities = ["武汉", "长沙", "南昌", "合肥", "郑州", "太原"] * 4
    m = meta("".join(f"支持{c}建设国家中心城市。" for c in cities))
    assert m.jurisdiction is None


def test_given_metadata_wins():
    given = {"title": "我的规划", "jurisdiction": "怀化市", "date": "2023-05-01", "kind": "plan"}
    m = meta("深圳市宝安区2024年政府工作报告\n各位代表：", given=given, with_mentions=False)
    assert m.title == "我的规划"
    assert m.jurisdiction is not None
    assert (m.jurisdiction.adcode, m.jurisdiction.found) == ("431200", "given")
    assert (m.date, m.year, m.kind) == ("2023-05-01", "2023", "plan")
    assert m.found["jurisdiction"] == m.found["title"] == m.found["kind"] == "given"


def test_given_jurisdiction_that_is_no_unit_is_inferred_instead(caplog):
    m = meta("2025年湖北省政府工作报告\n", given={"jurisdiction": "火星"}, with_mentions=False)
    assert m.jurisdiction is not None and m.jurisdiction.adcode == "420000"
    assert "火星" in caplog.text


@pytest.mark.parametrize(
    ("value", "adcode"),
    [("440306", "440306"), ("宝安区", "440306"), ("广东省深圳市宝安区", "440306"),
     ("湖北省", "420000"), ("全国", ""), ("100000", ""), ("朝阳区", None), ("999999", None)],
)
def test_resolve_jurisdiction(value, adcode):
    j = resolve_jurisdiction(value, GAZ)
    assert (j.adcode if j is not None else None) == adcode
    if adcode == "":
        assert j is not None and j.level == COUNTRY.level


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("2025年湖北省政府工作报告", "work report"),
        ("襄阳都市圈发展规划", "plan"),
        ("湖北省国民经济和社会发展第十四个五年规划纲要实施方案", "action plan"),
        ("武汉城市圈首次达成同城化发展协议", "news"),
    ],
)
def test_kind_from_the_last_kind_word_of_the_title(title, kind):
    assert meta(f"{title}\n正文。", with_mentions=False).kind == kind


def test_date_from_the_opening_lines():
    m = meta("某某方案\n发文日期: 2022-11-08\n正文。", with_mentions=False)
    assert (m.date, m.year, m.found["date"]) == ("2022-11-08", "2022", "text")


def test_salutation_and_sentences_are_no_title():
    m = meta("各位代表：\n从今年开始，我国将实施新的五年计划。\n", with_mentions=False)
    assert m.title == ""
