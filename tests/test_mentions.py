"""Place-mention recognition: the traps of plan prose, each as a case with its adcodes."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.gazetteer import load_gazetteer
from geo.mention_weights import WEIGHTS, MentionWeights
from geo.mentions import Recogniser, find_mentions
from geo.text import Sentence, split_sentences
from tests.places import adcodes

# (sentence, exactly the adcodes found, adcodes of the trap that must not be among them)
CASES = [
    # full and short names, former names, autonomous prefectures
    ("加快建设襄阳至南漳、老河口至南漳等高速公路。", {"420600", "420624", "420682"}, set()),
    ("恩施州与神农架林区共建生态旅游区。", {"422800", "429021"}, set()),
    ("原襄樊市的产业基础较好。", {"420600"}, set()),
    ("支持沅陵县、溆浦县等经济大县加快发展。", {"431222", "431224"}, set()),
    # short names that are ordinary words
    ("加强与沿海港口合作,推动资源共享。", set(), {"623001", "450329", "450602"}),
    (
        "培育战略性新兴产业,推进平安建设和乡村振兴。",
        set(),
        {"445321", "230902", "630203", "210603"},
    ),
    ("生活富裕,东风渠灌区续建配套。", set(), {"230227", "230805"}),
    ("省公安厅、省水利厅按职责分工负责。", set(), {"421022"}),
    ("实施武汉天河机场第三跑道建设。", {"420100"}, {"440106"}),
    ("在全省除武汉东湖高新区外率先认定瞪羚企业。", {"420100"}, {"360102"}),
    # names inside other names
    ("加快襄阳高新区建设。", {"420600"}, {"140221"}),
    ("推动与宜昌都市圈协同发展。", {"420500"}, {"540300"}),
    ("探索唐白河流域跨区域协同治理。", set(), {"610929", "411328"}),
    ("推动老河口循环经济产业园提档升级。", {"420682"}, {"532532", "370503"}),
    ("修复丹江口水库生态源地。", {"420381"}, {"520621"}),
    ("分行业制定安全风险感知方案。", set(), {"469021"}),
    ("加快更新改造老城区排水设施。", set(), {"410302"}),
    ("重点发展樊十二号路以南区域。", set(), {"810105"}),
    ("引进北京航空航天大学襄阳研究院,支持襄阳职业技术学院发展。", {"420600"}, {"110000"}),
    ("打造江汉平原流域整治样板。", set(), {"420103"}),
    # same-named units told apart by the places around them
    ("规划建设监利至华容公铁两用大桥。", {"421088", "430623"}, {"420703"}),
    ("鄂州市华容区加快临空经济区建设。", {"420700", "420703"}, {"430623"}),
    # a parent right before a county; foreign places
    (
        "联合推广江西婺源、湖北枝江、湖南平江油菜花主题旅游。",
        {"360000", "361130", "420000", "420583", "430000", "430626"},
        set(),
    ),
    # the ports name their districts too
    ("深化与深圳盐田港、广州黄埔港合作。", {"440300", "440308", "440100", "440112"}, set()),
    ("加强与泰国林查班、印尼雅加达等港口合作。", set(), set()),
    # one-character abbreviations in compounds
    (
        "携手共建“汉孝随襄十”万亿级汽车产业走廊。",
        {"420100", "420900", "421300", "420600", "420300"},
        set(),
    ),
    (
        "加强与“襄十随神”“宜荆荆恩”城市群规划衔接。",
        {"420600", "420300", "421300", "429021", "420500", "421000", "420800", "422800"},
        set(),
    ),
    ("推动武汉、长株潭都市圈协同发展。", {"420100", "430100", "430200", "430300"}, set()),
    ("建立湘鄂渝黔毗邻地区合作机制。", {"430000", "420000", "500000", "520000"}, set()),
    ("积极对接成渝双城经济圈。", {"510100", "500000"}, set()),
    ("推进武鄂黄黄同城化发展。", {"420100", "420700", "420200", "421100"}, set()),
    (
        "主动对接京津冀协同发展和粤港澳大湾区建设。",
        {"110000", "120000", "130000", "440000", "810000", "820000"},
        set(),
    ),
    ("加快苏锡常一体化发展。", {"320500", "320200", "320400"}, set()),
    ("推动宁镇扬同城化。", {"320100", "321100", "321000"}, set()),
    ("建设汉十高速扩容工程。", {"420100", "420300"}, set()),
    ("宜(昌)来(凤)高速公路加快建设。", {"420500", "422827"}, set()),
    ("支持通(城)平(江)修(水)绿色发展先行区建设。", {"421222", "430626", "360424"}, set()),
    ("依托长江经济带,共建长江中游城市群。", set(), {"430100", "440700", "360400"}),
    ("推动东北地区和南北协同。", set(), {"370500", "110000"}),
    ("以共建光谷科技创新大走廊为抓手。", set(), {"420117", "420281"}),
    ("推动鄂西、湘南地区发展。", set(), {"610100", "630100"}),
    # compounds built from the same rules, none of them in the seeds
    ("支持苏州、无锡、常州共建苏锡常都市圈。", {"320500", "320200", "320400"}, {"320105"}),
    (
        "加快深莞惠一体化,推进郑开同城化。",
        {"440300", "441900", "441300", "410100", "410200"},
        set(),
    ),
    (
        "推进昌九一体化和湘赣边区域合作示范区建设。",
        {"360100", "360400", "430000", "360000"},
        {"360313"},
    ),
    ("加快成渝地区双城经济圈建设。", {"510100", "500000"}, {"230113"}),
    ("推动呼包鄂榆城市群协同发展。", {"150100", "150200", "150600", "610800"}, {"420000"}),
    ("推动安康、汉中、商洛陕南三市协同发展。", {"610900", "610700", "611000"}, set()),
    ("加快建设南昌昌北国际机场三期。", {"360100"}, {"360121"}),
    ("加强与长株潭、合肥都市圈合作。", {"430100", "430200", "430300", "340100"}, set()),
    # counties named together support each other; a mountain region is not a district
    ("支持石首、公安、监利等县市建设绿色发展示范。", {"421081", "421022", "421088"}, set()),
    ("建设随县殷店至枣阳公路。", {"421321", "420683"}, set()),
    ("支持来凤、咸丰共建武陵山区协作区。", {"422827", "422826"}, {"430702"}),
    ("加强东湖、南湖水环境治理。", set(), {"360102"}),
    # a city inside a county's short name; routes name their stops in order
    ("推进湘江永州段航道建设。", {"431100"}, {"431125"}),
    ("加快昌景黄高铁建设。", {"360100", "360200", "341000"}, {"420200", "421100"}),
    ("加快渝昆高铁建设。", {"500000", "530100"}, set()),
    # 呼南 is a named corridor of the rail plan (呼和浩特—南宁), read from its table
    ("推进呼南高铁建设。", {"150100", "450100"}, {"360100", "320100"}),
    ("加快建设合肥至新沂高铁。", {"340100", "320381"}, set()),
    # three or more province 简称 need no cue
    ("打造鄂豫皖红色旅游精品线路,对接粤港澳大湾区、京津冀、长三角。",
     {"420000", "410000", "340000", "440000", "810000", "820000", "110000", "120000", "130000"},
     set()),
    ("建设湘鄂渝黔桂五省边际区域性中心城市。",
     {"430000", "420000", "500000", "520000", "450000"}, set()),
    ("支持吉泰走廊建设,推动吉安、泰和一体化,推进长赣高铁和赣深高铁建设。",
     {"360800", "360826", "430100", "360700", "440300"}, set()),
    ("支持株洲云龙示范区与湘潭九华示范区协同发展;推进九江至华容通道。",
     {"430200", "430300", "360400"}, {"430623"}),
    # a sibling county in the clause before a ；still supports a county's short name
    ("推动老河口循环经济产业园提档升级,支持建设陈埠临港物流园;推动谷城高铁新区建设。",
     {"420682", "420625"}, set()),
]


@pytest.mark.parametrize(("text", "want", "never"), CASES, ids=[c[0][:14] for c in CASES])
def test_trap(text, want, never):
    assert not (never & want), "a case cannot both want and forbid an adcode"
    got = adcodes(text)
    assert got == want, f"missed {sorted(want - got)}, false {sorted(got - want)}"


def test_compound_in_document_context():
    # 鹤中 = 鹤城区 + 中方县 only because the text is about 怀化
    text = "怀化市推进中心城区建设。高起点编制鹤中一体化发展规划。"
    assert adcodes(text) == {"431200", "431202", "431221"}
    assert adcodes("高起点编制鹤中一体化发展规划。") == set()


def test_neighbour_decides_abbreviation():
    # 襄南: 南 is 南阳 when 南阳 is about, 南漳 when 宜城 and 南漳 are the subject
    got = adcodes("襄南共同推动装备制造业创新;依托南阳张仲景中医药科创园。")
    assert got == {"420600", "411300"}
    got = adcodes("强化襄宜南一体统筹,推动宜城作为先进制造业基地,谋划南漳作为循环产业基地。")
    assert got == {"420600", "420684", "420624"}


def test_compound_is_one_mention_with_units_in_order():
    (m,) = [m for m in find_mentions("谋划推出“襄十随神”旅游卡。") if len(m.units) > 1]
    assert m.text == "襄十随神"
    assert [u.short for u in m.units] == ["襄阳", "十堰", "随州", "神农架"]


def test_spans_index_the_text():
    text = "<font>襄阳</font>与南阳共建“南襄盆地大粮仓”。"
    for m in find_mentions(text):
        assert text[m.start : m.end] == m.text


ALPHABET = "襄阳十随神宜荆恩武汉鄂黄长株潭南北(昌)“”、至—高速都市圈城市群一体化合作资源新兴 a1\n。"


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list(ALPHABET)),
        max_size=60,
    )
)
def test_any_text_yields_valid_spans(text):
    for m in find_mentions(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert m.units


def test_sentences_given_or_split_give_the_same_mentions():
    text = "推动老河口循环经济产业园提档升级;推动谷城高铁新区建设。加快襄十随神城市群建设。"
    assert find_mentions(text, sentences=split_sentences(text)) == find_mentions(text)


def test_sentences_bound_the_context():
    # 鹤中 reads as 鹤城区 + 中方县 only with 怀化 in its sentence or nearby; with the
    # sentences given, the recogniser uses them rather than splitting again
    text = "怀化市推进中心城区建设。高起点编制鹤中一体化发展规划。"
    split = split_sentences(text)
    assert len(split) == 2
    one_sentence = (Sentence(0, len(text)),)
    rec = Recogniser(load_gazetteer(), weights=dataclasses.replace(WEIGHTS, window=0))
    found = {u.adcode for m in rec.find(text, sentences=one_sentence) for u in m.units}
    assert found == {"431200", "431202", "431221"}
    found = {u.adcode for m in rec.find(text, sentences=split) for u in m.units}
    assert found == {"431200"}  # no window, and 怀化 in another sentence


def test_weights_are_used():
    text = "建立湘鄂渝黔毗邻地区合作机制。"
    gaz = load_gazetteer()
    assert {u.adcode for m in Recogniser(gaz).find(text) for u in m.units} == {
        "430000",
        "420000",
        "500000",
        "520000",
    }
    # with compounds of at most three characters, only the last three are read
    short = Recogniser(gaz, weights=dataclasses.replace(WEIGHTS, max_compound_length=3))
    assert [(m.text, [u.adcode for u in m.units]) for m in short.find(text)] == [
        ("鄂渝黔", ["420000", "500000", "520000"])
    ]


def test_weights_are_frozen_and_named():
    with pytest.raises(dataclasses.FrozenInstanceError):
        WEIGHTS.window = 10  # type: ignore[misc]
    fields = {f.name for f in dataclasses.fields(MentionWeights)}
    assert {"county_reach_km", "city_reach_km", "route_end_reach_km", "window"} <= fields
