"""Status and target year of a project, one rule at a time (GUIDELINES.md, "Status and year").

Sentences come from the corpus of government work reports (file named beside each group),
trimmed at most to the clauses that matter. :func:`read_status` is given the project's
name span directly, so the rules are tested whatever the project grammar makes of the
sentence; a last group runs the whole extraction into records and frames.
"""

from __future__ import annotations

import pytest

from geo import kinds
from geo.gazetteer import load_gazetteer
from geo.geocode import PROJECT_COLUMNS, to_frame
from geo.projects import extract_projects
from geo.projects.status import (
    DRIVERS,
    STATUS_OF_VERB,
    Reading,
    plan_period_of,
    read_status,
    target_year_of,
)
from geo.text import document_from_text

GAZ = load_gazetteer()


def read(sentence: str, name: str, nth: int = 0) -> Reading:
    """Read the project named `name` (its `nth` occurrence) in `sentence`."""
    at = -1
    for _ in range(nth + 1):
        at = sentence.index(name, at + 1)
    return read_status(sentence, (0, len(sentence)), (at, at + len(name)))


def status(sentence: str, name: str) -> str:
    return read(sentence, name).status


# ------------------------------------------------------------------ the verb's phase

# 内蒙古自治区_2025: four verbs, four clauses, four phases
NEIMENG = "建成包银高铁，加快建设太锡铁路，扩能改造临哈线、集二线，争取包鄂榆高铁开工；"
# 广东省深圳市_2025
SHENZHEN = (
    "高水平规划建设西丽高铁枢纽、机场东枢纽和东部交通枢纽等项目，建成通车春风隧道，抓好轨道五期、"
    "机荷高速改扩建、侨城东路北延、罗沙路改扩建、深南高铁等项目建设，开工广深高速深圳段改扩建、"
    "望海路快速化改造等项目。"
)


@pytest.mark.parametrize(
    ("sentence", "name", "expected"),
    [
        (NEIMENG, "包银高铁", ("completed", "建成")),
        (NEIMENG, "太锡铁路", ("construction", "建设")),
        (NEIMENG, "临哈线", ("upgrade", "改造")),
        (NEIMENG, "集二线", ("upgrade", "改造")),  # the list shares 扩能改造
        (SHENZHEN, "西丽高铁枢纽", ("planned", "规划建设")),
        (SHENZHEN, "东部交通枢纽", ("planned", "规划建设")),  # across 和
        (SHENZHEN, "春风隧道", ("completed", "建成通车")),
        (SHENZHEN, "深南高铁", ("construction", "建设")),
        (SHENZHEN, "罗沙路", ("upgrade", "改扩建")),
        (SHENZHEN, "望海路", ("upgrade", "改造")),
        # 广东省_2022: 实施 and 建成通水
        ("实施粤东水资源优化配置工程二期，确保引韩济饶工程建成通水。", "粤东水资源优化配置",
         ("construction", "实施")),
        # 宁夏回族自治区_2025: the verb after the project
        ("包银高铁银川至惠农段通车，银昆高速全线通车，宝中铁路宁夏段扩能改造工程开工。",
         "银昆高速", ("completed", "通车")),
    ],
)
def test_the_verb_of_the_projects_own_clause(sentence, name, expected):
    reading = read(sentence, name)
    assert (reading.status, reading.verb) == expected


@pytest.mark.parametrize(
    ("sentence", "name", "expected"),
    [
        # 扩建, 迁建, 增建二线, 除险加固 → upgrade (山东省_2025, 贵州省_2025, 河北 reports)
        ("加紧聊城机场新建、威海机场迁建、滨州机场前期工作。", "聊城机场", "construction"),
        ("大力推进潮汕机场扩建、湛江机场迁建、韶关机场军民合用工程。", "湛江机场", "upgrade"),
        ("大力推进潮汕机场扩建、湛江机场迁建、韶关机场军民合用工程。", "潮汕机场", "upgrade"),
        ("开工黔桂铁路增建二线，力争开工叙永大村至遵义等铁路项目。", "黔桂铁路", "upgrade"),
        ("推动小型病险水库除险加固。", "小型病险水库", "upgrade"),
        # 治理, 整治 → construction (广东省深圳市_2001)
        ("加快龙岗河、坪山河、观澜河等河流的治理。", "坪山河", "construction"),
        ("加快中小河流治理、小型水库除险加固和山洪地质灾害综合防治。", "中小河流",
         "construction"),
        # approvals and designations → planned (吉林, 安徽 reports of 2025)
        ("蚌埠综合保税区获批设立。", "蚌埠综合保税区", "planned"),
        ("国网龙潭沟、华电西大峪抽水蓄能电站纳入国家规划。", "西大峪抽水蓄能电站", "planned"),
        # 入选, 获评: designations → planned; 挂牌成立, 新增: reported done → completed
        # (深圳 district reports of 2025, 湖北省_2025)
        ("多彩硅谷入选全市首批低空经济产业园，全区新增低空起降点36个。", "多彩硅谷", "planned"),
        ("北京理工大学深圳汽车研究院获评省级工程研究中心。", "北京理工大学深圳汽车研究院",
         "planned"),
        ("全国首个市容环境产业园挂牌成立。", "全国首个市容环境产业园", "completed"),
        ("新增钟祥明显陵、麻城龟峰山2家5A级景区。", "麻城龟峰山", "completed"),
        # a name that took in the verb before it still has that verb
        ("加快产业空间筹建，投入使用海科兴战略性新兴产业园二期等9个项目。",
         "投入使用海科兴战略性新兴产业园二期", "completed"),
        # 支持, 发挥, 融入 and cooperation partners → other (江苏, 江西, 广东 reports of 2025)
        ("支持紫金山、太湖、钟山、云龙湖实验室承担更多国家重大科技任务。", "云龙湖实验室",
         "other"),
        ("萍乡深度融入长株潭城市群。", "长株潭城市群", "other"),
        ("发挥深中通道、黄茅海通道等跨江跨海通道集群效应。", "深中通道", "other"),
        ("与怀柔国家实验室达成战略合作。", "怀柔国家实验室", "other"),
        ("推动与宜荆荆都市圈现代农业协同发展。", "宜荆荆都市圈", "other"),
        ("推动武汉天河机场、鄂州花湖机场联动发展。", "武汉天河机场", "other"),
        # work on an existing circle or park is an upgrade (江苏, 江西 reports of 2025)
        ("增强苏锡常都市圈综合竞争力，推动扬子江城市群融合发展。", "扬子江城市群", "upgrade"),
        ("加快赣西城市群转型发展。", "赣西城市群", "upgrade"),
        # a name in a list of facts: no verb governs it (全国（国务院）_1958)
        ("重要的有：北京、太原、包头、兰州等地的火电站。", "兰州", "other"),
    ],
)
def test_phase_words(sentence, name, expected):
    assert status(sentence, name) == expected


@pytest.mark.parametrize(
    ("sentence", "name", "expected"),
    [
        # a modal or driving verb takes the status of the verb it governs
        (NEIMENG, "包鄂榆高铁", ("construction", "开工")),  # 争取X开工
        ("内蒙古确保呼和浩特盛乐国际机场建成通航。", "呼和浩特盛乐国际机场",
         ("completed", "建成")),
        ("深圳河治理三期工程争取年内正式开工。", "深圳河治理三期工程", ("construction", "开工")),
        ("争取赣龙厦、昌福厦、衢南三等高铁项目纳入国家铁路规划。", "昌福厦",
         ("planned", "规划")),
        ("加快推进深中通道前期工作。", "深中通道", ("study", "前期工作")),
        ("力争渝湘高铁重庆至黔江段、重庆东站等建成投用。", "重庆东站", ("completed", "建成")),
        # an approval takes the status of what it approves (广东省_2019, 贵州省_2025)
        ("湛江新机场、韶关机场获批建设。", "韶关机场", ("construction", "建设")),
        ("铜仁凤凰机场获批对外开放。", "铜仁凤凰机场", ("upgrade", "对外开放")),
        ("广州新机场获批立项，阳江机场选址获批。", "广州新机场", ("planned", "立项")),
        ("阳江机场选址获批。", "阳江机场", ("planned", "选址")),
        ("延吉－长白重点开发开放试验区获批。", "长白重点开发开放试验区", ("planned", "获批")),
        # alone, a driver gives its own status
        ("加快太平水库等项目。", "太平水库", ("construction", "加快")),
        ("积极争取南驻阜铁路。", "南驻阜铁路", ("planned", "争取")),
    ],
)
def test_drivers_take_the_status_of_what_they_govern(sentence, name, expected):
    reading = read(sentence, name)
    assert (reading.status, reading.verb) == expected


@pytest.mark.parametrize(
    ("sentence", "name", "expected"),
    [
        # completed > planned > upgrade > construction
        ("完成格库铁路青海段扩能改造。", "格库铁路青海段", "completed"),
        ("开工建设青藏铁路格拉段电气化改造。", "青藏铁路格拉段", "upgrade"),
        ("规划研究沿淮高铁、南驻周商城际铁路建设。", "沿淮高铁", "planned"),
        ("加快长春龙嘉国际机场三期扩建工程、延吉机场迁建项目前期工作。", "长春龙嘉国际机场",
         "study"),
        ("池黄高铁、宣绩高铁、池州机场改扩建投入运营。", "池州机场", "completed"),
        # 完成 of a study leaves the project planned
        ("完成玉平大道南延通道前期工作。", "玉平大道南延通道", "study"),
    ],
)
def test_the_phase_order_where_several_verbs_govern(sentence, name, expected):
    assert status(sentence, name) == expected


@pytest.mark.parametrize(
    ("sentence", "name", "expected"),
    [
        # the verbs after a list govern all its items (重庆市_2025, 湖南省_2025)
        ("渝宜高铁重庆段、成渝高速改扩建项目开工建设。", "渝宜高铁重庆段", "construction"),
        ("渝宜高铁重庆段、成渝高速改扩建项目开工建设。", "成渝高速", "upgrade"),
        ("长沙机场改扩建工程、邵永高铁等加快建设。", "邵永高铁", "construction"),
        ("长沙机场改扩建工程、邵永高铁等加快建设。", "长沙机场", "upgrade"),
        # an upgrade right after the last item is that item's; after 等 it is the list's
        ("池黄高铁、宣绩高铁、池州机场改扩建投入运营。", "池黄高铁", "completed"),
        ("提速渝昆高铁、长水机场改扩建。", "渝昆高铁", "construction"),
        ("推进广惠、广深、广韶北等高速公路繁忙路段扩容提质。", "广惠", "upgrade"),
        ("开工建设伊宁至阿克苏铁路、伊宁机场迁建、库尔勒机场改扩建等项目。", "伊宁至阿克苏铁路",
         "construction"),
        # 和 between two lists, each closing with its own verb (广东省_2016, 广东 reports)
        ("抓好汕湛、潮汕环线等高速公路建设及拥堵路段改扩建。", "汕湛", "construction"),
        ("推进深茂铁路江门至茂名段等铁路项目和广佛肇、莞惠等城际轨道项目建设。",
         "深茂铁路江门至茂名段", "construction"),
        ("加快推进湛江机场、梅县机场迁建和韶关机场改扩建前期工作。", "湛江机场", "study"),
        # a clause of verbs alone closes the clause before (河北省_2008)
        ("确保黄骅港一期、朔黄铁路等45个重点项目，建成投产。", "朔黄铁路", "completed"),
        # the sites of what the list's verb builds (全国（国务院）_1982)
        ("在大连、秦皇岛、天津、青岛、石臼所、连云港、上海、黄埔、湛江等十五个港口建设一百三十二个"
         "深水泊位。", "秦皇岛", "construction"),
        # a clause opening with 以及 continues the one before (四川省_2025)
        ("提速实施西宁至成都铁路等重大交通项目，以及孟底沟水电站等电源电网项目。",
         "孟底沟水电站", "construction"),
        # the verb of another clause does not govern (河北省_2008)
        ("唐山机场建成通航，张家口机场即将开航，北戴河机场开工建设。", "北戴河机场",
         "construction"),
        ("唐山机场建成通航，张家口机场即将开航，北戴河机场开工建设。", "唐山机场", "completed"),
    ],
)
def test_the_verbs_of_the_list_and_of_the_item(sentence, name, expected):
    assert status(sentence, name) == expected


def test_a_project_inside_a_document_title_is_other():
    sentence = "印发《襄阳都市圈发展规划》。"
    assert read(sentence, "襄阳都市圈") == Reading("", "other", "")


# ------------------------------------------------------------------ the target year


@pytest.mark.parametrize(
    ("sentence", "name", "year"),
    [
        # the year of the project's own item (广东省深圳市宝安区_2016)
        ("穗莞深城际线2018年建成通车、机场东空铁联运枢纽2019年开工；", "穗莞深城际线", "2018"),
        ("穗莞深城际线2018年建成通车、机场东空铁联运枢纽2019年开工；", "机场东空铁联运枢纽",
         "2019"),
        ("推动20号线2018年建成，6号线2020年通车，12、13、15号线2022年投入运营；", "6号线", "2020"),
        ("推动20号线2018年建成，6号线2020年通车，12、13、15号线2022年投入运营；", "12", "2022"),
        # the year of the list's verbs
        ("推动大外环、沿江高速机场互通、海滨大道会展中心段2019年建成。", "大外环", "2019"),
        ("到2012年建成300公里的珠三角区域绿道。", "珠三角区域绿道", "2012"),
        ("力争武汉至宜昌铁路2025年前建成通车。", "武汉至宜昌铁路", "2025"),
        # a clause of a time alone gives its year to the clauses after it
        ("到2025年，建成武汉至宜昌铁路、襄阳机场改扩建。", "襄阳机场", "2025"),
        # a year in a list of achievements is the year it was done
        ("2022年建成了襄阳至南漳高速公路。", "襄阳至南漳高速公路", "2022"),
        # Chinese numerals
        ("到二〇三五年建成襄阳至南漳高速公路。", "襄阳至南漳高速公路", "2035"),
        # none given: relative years, dates, base years, plan periods, other clauses
        ("力争云轨示范线年内建成通车。", "云轨示范线", ""),
        ("今年建成襄阳至南漳高速公路。", "襄阳至南漳高速公路", ""),
        ("2023年5月开工建设襄阳机场。", "襄阳机场", ""),
        ("北戴河机场开工建设，民航吞吐量534万人次，比2007年翻了两番。", "北戴河机场", ""),
        ("“十四五”期间建成武汉至宜昌铁路。", "武汉至宜昌铁路", ""),
        ("建设北海港口，到一九八五年全国沿海港口吞吐能力将由一九八○年的二亿吨增加到三亿吨。",
         "北海港口", ""),
        ("2019年桃花源三期建成投入使用，全面提升桃花源科技创新园孵化水平。",
         "桃花源科技创新园", ""),
        # no phase, no year: a year of facts, a horizon (seeds: 襄阳高新区 plans)
        ("2019年，襄阳高新区在全国169家国家级高新区综合排名跃升至第31位。", "襄阳高新区", ""),
        ("建设襄阳高新区二○三五年远景目标。", "襄阳高新区", ""),
    ],
)
def test_target_year_of_the_projects_clause(sentence, name, year):
    assert read(sentence, name).year == year


@pytest.mark.parametrize(
    ("text", "period", "year"),
    [
        ("长江中游城市群发展“十四五”实施方案", "2021–2025", ""),
        ("襄阳市国土空间总体规划（2021—2035年）", "2021–2035", ""),
        ("第十四个五年规划和二〇三五年远景目标纲要", "2021–2025", ""),  # a horizon
        ("到二〇三五年基本建成", "", "2035"),
        ("到2025年，襄阳都市圈建设取得重要突破", "", "2025"),
        ("2021年05月21日 湖北日报", "", ""),
        ("", "", ""),
    ],
)
def test_plan_period_and_year_of_a_text(text, period, year):
    assert plan_period_of(text) == period
    assert target_year_of(text) == year


# ------------------------------------------------------------------ records and frames


def test_records_keep_the_plan_period_apart_from_the_target_year():
    text = (
        "长江中游城市群发展“十四五”实施方案\n"
        "加快建设武汉至宜昌铁路，2025年开工襄阳机场改扩建工程。"
    )
    records = extract_projects(document_from_text(text), gazetteer=GAZ)
    got = {r.name: (r.status, r.verb, r.target_year, r.plan_period) for r in records}
    assert got["武汉至宜昌铁路"] == ("construction", "建设", "", "2021–2025")
    assert got["襄阳机场"] == ("upgrade", "改扩建", "2025", "2021–2025")
    frame = to_frame(records, gazetteer=GAZ)
    assert "plan_period" in PROJECT_COLUMNS and tuple(frame.columns) == PROJECT_COLUMNS
    frame = frame.set_index("name")
    rows = frame.loc[["武汉至宜昌铁路", "襄阳机场"], ["status", "target_year", "plan_period"]]
    assert rows.values.tolist() == [
        ["construction", "", "2021–2025"],
        ["upgrade", "2025", "2021–2025"],
    ]


def test_the_vocabulary_is_the_one_of_geo_kinds():
    assert set(STATUS_OF_VERB.values()) <= set(kinds.STATUSES)
    assert DRIVERS <= set(STATUS_OF_VERB)
    assert "upgrade" in kinds.STATUSES
    assert kinds.status_label("upgrade") == "改造 upgrade"
