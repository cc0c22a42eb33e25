"""Project records from sentences: every form of naming a project, with hand-made mentions.

The cases give each sentence its place mentions explicitly, so they test the project rules
whatever the recogniser does; a second set runs the real recogniser end to end.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.facilities import AREAS
from geo.gazetteer import load_gazetteer
from geo.kinds import KINDS, STATUSES
from geo.mentions import Mention
from geo.projects import (
    Project,
    extract_projects,
    group_id,
    merge_projects,
    target_year_of,
)
from geo.text import document_from_text

GAZ = load_gazetteer()
WUHAN_CIRCLE = (
    "420100",
    "420200",
    "420700",
    "420900",
    "421100",
    "421200",
    "429004",
    "429006",
    "429005",
)
HAN_RIVER = (
    "610700",
    "610900",
    "420300",
    "420600",
    "420800",
    "429005",
    "429006",
    "429004",
    "420900",
    "420100",
)
DEV_GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev_gold.jsonl"


def mentions_of(text: str, spec: list[tuple[str, tuple[str, ...]]]) -> list[Mention]:
    """Mentions at the successive occurrences of each surface form, in text order."""
    out, cursor = [], {}
    for surface, codes in spec:
        at = text.index(surface, cursor.get(surface, 0))
        cursor[surface] = at + len(surface)
        units = tuple(GAZ[c] for c in codes)
        out.append(Mention(at, at + len(surface), surface, units, "short"))
    return sorted(out, key=lambda m: m.start)


Spec = list[tuple[str, tuple[str, ...]]]


def records(text: str, spec: Spec, name: str = "t.txt") -> list[Project]:
    doc = document_from_text(text, name=name)
    return extract_projects(doc, mentions=mentions_of(text, spec), gazetteer=GAZ)


def kinds_places(recs: list[Project]) -> list[tuple[str, tuple[str, ...]]]:
    return [(r.kind, r.places) for r in recs if r.places]


XY, NZ, YC, LHK = ("420600",), ("420624",), ("420500",), ("420682",)

# (form, sentence, mentions, expected (kind, places) of the placed records, in text order)
CASES = [
    (
        "list sharing a trailing type word",
        "加快建设襄阳至南漳、襄阳至宜昌、老河口至南漳等高速公路。",
        [("襄阳", XY), ("南漳", NZ), ("襄阳", XY), ("宜昌", YC), ("老河口", LHK), ("南漳", NZ)],
        [
            ("expressway", ("420600", "420624")),
            ("expressway", ("420600", "420500")),
            ("expressway", ("420682", "420624")),
        ],
    ),
    (
        "list sharing the type word of its last item",
        "规划建设武汉至宜昌、荆门至荆州、仙桃至监利铁路等项目。",
        [
            ("武汉", ("420100",)),
            ("宜昌", YC),
            ("荆门", ("420800",)),
            ("荆州", ("421000",)),
            ("仙桃", ("429004",)),
            ("监利", ("421088",)),
        ],
        [
            ("railway", ("420100", "420500")),
            ("railway", ("420800", "421000")),
            ("railway", ("429004", "421088")),
        ],
    ),
    (
        "dash pairs",
        "推动荆门—长沙、南昌—武汉等特高压交流工程建设。",
        [
            ("荆门", ("420800",)),
            ("长沙", ("430100",)),
            ("南昌", ("360100",)),
            ("武汉", ("420100",)),
        ],
        [("power", ("420800", "430100")), ("power", ("360100", "420100"))],
    ),
    (
        "hyphen and tilde pairs",
        "建设洪江-辰溪航道和怀化~芷江高速公路。",
        [
            ("洪江", ("431281",)),
            ("辰溪", ("431223",)),
            ("怀化", ("431200",)),
            ("芷江", ("431228",)),
        ],
        [("waterway", ("431281", "431223")), ("expressway", ("431200", "431228"))],
    ),
    (
        "parenthesised expansions",
        "加快宜(昌)来(凤)高速建设。",
        [("宜(昌)", YC), ("来(凤)", ("422827",))],
        [("expressway", ("420500", "422827"))],
    ),
    (
        "named segment of a route",
        "实施沪渝高速(G50)武汉至黄石段扩容改造工程。",
        [("沪渝", ("310000", "500000")), ("武汉", ("420100",)), ("黄石", ("420200",))],
        [("expressway", ("420100", "420200"))],
    ),
    (
        "paired abbreviation",
        "加快推进汉十高速扩容。",
        [("汉十", ("420100", "420300"))],
        [("expressway", ("420100", "420300"))],
    ),
    (
        "bridges, own and shared type word",
        "规划建设监利至华容公铁两用大桥、九江至黄梅等跨江通道。",
        [
            ("监利", ("421088",)),
            ("华容", ("430623",)),
            ("九江", ("360400",)),
            ("黄梅", ("421127",)),
        ],
        [("bridge", ("421088", "430623")), ("bridge", ("360400", "421127"))],
    ),
    ("curated port with no admin name", "加快推进阳逻港建设。", [], [("port", ("420117",))]),
    (
        "port with a parenthesised alias",
        "加快推进黄石港(棋盘洲新港)整合升级。",
        [("黄石港", ("420200",))],
        [("port", ("420200",))],
    ),
    (
        "ports in a list cut by 以…为",
        "加快推进以鄂州三江港、黄冈港、咸宁港为核心的沿江港口整合升级。",
        [("鄂州", ("420700",)), ("黄冈", ("421100",)), ("咸宁", ("421200",))],
        [("port", ("420700",)), ("port", ("421100",)), ("port", ("421200",))],
    ),
    (
        "a place inside a facility name is not its place",
        "推动武汉天河机场、鄂州花湖机场联动发展。",
        [("武汉", ("420100",)), ("天河", ("440106",)), ("鄂州", ("420700",))],
        [("airport", ("420100", "420116")), ("airport", ("420700", "420704"))],
    ),
    ("station after a city", "引导商务功能围绕襄阳东站集聚。", [("襄阳", XY)], [("station", XY)]),
    (
        "park named with a place",
        "建设光谷黄冈科技产业园。",
        [("黄冈", ("421100",))],
        [("industrial_park", ("421100",))],
    ),
    (
        "port with a district",
        "继续深化与深圳盐田港、广州黄埔港等合作。",
        [
            ("深圳", ("440300",)),
            ("盐田", ("440308",)),
            ("广州", ("440100",)),
            ("黄埔", ("440112",)),
        ],
        [("port", ("440300", "440308")), ("port", ("440100", "440112"))],
    ),
    (
        "water project",
        "协调推进鄂北水资源配置枣阳市分水口配套工程建设。",
        [("枣阳市", ("420683",))],
        [("water", ("420683",))],
    ),
    (
        "defined circle",
        "推动武汉城市圈同城化发展。",
        [("武汉", ("420100",))],
        [("metro_circle", WUHAN_CIRCLE)],
    ),
    (
        "circle named by one city",
        "加快襄阳都市圈高质量发展。",
        [("襄阳", XY)],
        [("metro_circle", XY)],
    ),
    (
        "compound circle",
        "推动与宜荆荆都市圈现代农业协同发展。",
        [("宜荆荆", ("420500", "421000", "420800"))],
        [("metro_circle", ("420500", "421000", "420800"))],
    ),
    (
        "quoted compounds sharing a type word",
        "加强与“襄十随神”“宜荆荆恩”城市群规划衔接。",
        [
            ("襄十随神", ("420600", "420300", "421300", "429021")),
            ("宜荆荆恩", ("420500", "421000", "420800", "422800")),
        ],
        [
            ("metro_circle", ("420600", "420300", "421300", "429021")),
            ("metro_circle", ("420500", "421000", "420800", "422800")),
        ],
    ),
    (
        "a city and a circle sharing 都市圈",
        "推动武汉、长株潭都市圈协同发展。",
        [("武汉", ("420100",)), ("长株潭", ("430100", "430200", "430300"))],
        [("metro_circle", WUHAN_CIRCLE), ("metro_circle", ("430100", "430200", "430300"))],
    ),
    (
        "cluster without an admin name",
        "形成协同推进长江中游城市群发展的强大合力。",
        [],
        [("metro_circle", next(a.members for a in AREAS if a.key == "长江中游城市群"))],
    ),
    (
        "industrial corridor in quotes",
        "携手共建“汉孝随襄十”万亿级汽车产业走廊。",
        [("汉孝随襄十", ("420100", "420900", "421300", "420600", "420300"))],
        [("corridor", ("420100", "420900", "421300", "420600", "420300"))],
    ),
    (
        "innovation corridor",
        "以共建光谷科技创新大走廊为抓手。",
        [],
        [("corridor", ("420100", "420700", "421100", "420200", "421200"))],
    ),
    (
        "ecological corridor along a river",
        "统筹做好水生态修复,共筑汉江生态廊道。",
        [],
        [("corridor", HAN_RIVER)],
    ),
    (
        "river items sharing a type word",
        "实施唐白河、松西河航道提等升级工程。",
        [],
        [("waterway", ("411300", "420600"))],
    ),
]


@pytest.mark.parametrize(("form", "text", "spec", "expected"), CASES, ids=[c[0] for c in CASES])
def test_forms(form, text, spec, expected):
    assert kinds_places(records(text, spec)) == expected


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("有序推进一批通用机场建设。", []),  # generic: no project at all
        ("推动干线铁路、市域高速、港口等建设。", []),
        ("支持防城港市扩大开放。", [("防城港市", ("450600",))]),  # 港 of a city name
        ("加快黄石港区老城改造。", [("黄石港区", ("420202",))]),
        ("发挥襄阳铁路优势。", [("襄阳", XY)]),
        ("推动关务、港务、船务“港港联动”。", []),
        ("强化都市圈带动作用。", []),  # an area with no member
    ],
)
def test_not_projects(text, spec):
    assert records(text, spec) == []


def test_named_type_word_is_not_shared_across_deng():
    # 武汉 does not become a 经济带 (and 长江经济带, a national strategy, is no project)
    recs = records("支持武汉等长江经济带绿色发展示范区深化探索。", [("武汉", ("420100",))])
    assert recs == []
    recs = records("支持武汉等汉江生态经济带建设。", [("武汉", ("420100",))])
    assert [r.name for r in recs] == ["汉江生态经济带"]


def test_items_wait_for_a_plain_type_word():
    text = "推进漳河水库、东风渠、王英水库、颜家台等大型灌区续建配套。"
    recs = records(text, [])
    assert [(r.name, r.kind) for r in recs] == [
        ("漳河水库", "water"),
        ("王英水库", "water"),
        ("东风渠灌区", "water"),
        ("颜家台灌区", "water"),
    ]


@pytest.mark.parametrize(
    "text",
    ["深刻认识高新区发展面临的新形势。", "确保高新区供应链安全稳定。", "设立襄阳工作站。"],
)
def test_a_type_word_talked_about_is_not_a_project(text):
    assert extract_projects(document_from_text(text), gazetteer=GAZ) == []


def test_study_status_from_a_verb_before():
    (rec,) = extract_projects(document_from_text("研究论证南京至淮安城际铁路。"), gazetteer=GAZ)
    assert (rec.status, rec.verb, rec.name) == ("study", "研究论证", "南京至淮安城际铁路")


def test_unplaced_named_project_keeps_a_reason():
    (rec,) = records("支持建设陈埠临港物流园。", [])
    assert rec.kind == "logistics" and rec.places == () and rec.reason
    assert rec.name == "陈埠临港物流园"


def test_spans_and_names_point_into_the_sentence():
    text = "前言。\n加快建设襄阳至南漳、老河口至南漳等高速公路。推进鄂州花湖机场建设。"
    spec = [("襄阳", XY), ("南漳", NZ), ("老河口", LHK), ("南漳", NZ), ("鄂州", ("420700",))]
    recs = records(text, spec)
    assert len(recs) == 3
    for r in recs:
        assert r.sentence == text[r.sent_start : r.sent_start + len(r.sentence)]
        assert r.sent_start <= r.start < r.end <= r.sent_start + len(r.sentence)
    assert [text[r.start : r.end] for r in recs] == ["襄阳至南漳", "老河口至南漳", "鄂州花湖机场"]
    assert [r.name for r in recs] == ["襄阳至南漳高速公路", "老河口至南漳高速公路", "鄂州花湖机场"]
    assert recs[0].id != recs[1].id and recs[0].id.startswith("expressway-")


@pytest.mark.parametrize(
    ("text", "status", "verb"),
    [
        ("规划建设武汉至宜昌铁路。", "planned", "规划建设"),
        ("谋划武汉至宜昌铁路。", "planned", "谋划"),
        ("做好武汉至宜昌铁路等项目前期工作。", "study", "前期工作"),
        ("推进武汉至宜昌铁路前期论证工作。", "study", "前期论证"),
        ("加快建设武汉至宜昌铁路。", "construction", "建设"),
        ("实施武汉至宜昌铁路扩能改造。", "upgrade", "扩能"),
        ("建成武汉至宜昌铁路。", "completed", "建成"),
        ("力争武汉至宜昌铁路建成通车。", "completed", "建成通车"),
        ("发挥武汉至宜昌铁路作用。", "other", "发挥"),
    ],
)
def test_status_from_the_verb(text, status, verb):
    (rec,) = records(text, [("武汉", ("420100",)), ("宜昌", YC)])
    assert (rec.status, rec.verb) == (status, verb)
    assert rec.status in STATUSES and rec.kind in KINDS


@pytest.mark.parametrize(
    ("text", "year", "period"),
    [
        ("到2025年建成武汉至宜昌铁路。", "2025", ""),
        ("2035年前建成武汉至宜昌铁路。", "2035", ""),
        # a plan period is the record's plan_period, never its target year
        ("“十四五”期间建成武汉至宜昌铁路。", "", "2021–2025"),
        ("长江中游城市群发展“十四五”实施方案\n建成武汉至宜昌铁路。", "", "2021–2025"),  # title
        ("三年行动方案(2023—2025年)\n到2025年建成武汉至宜昌铁路。", "2025", "2023–2025"),
        ("2021年05月21日 湖北日报\n建成武汉至宜昌铁路。", "", ""),  # a date is not a target
        ("建成武汉至宜昌铁路，到2025年全省铁路里程翻番。", "", ""),  # another clause's year
        ("建成武汉至宜昌铁路。", "", ""),
    ],
)
def test_target_year_from_the_clause_and_plan_period_apart(text, year, period):
    recs = records(text, [("武汉", ("420100",)), ("宜昌", YC)])
    (rec,) = [r for r in recs if r.kind == "railway"]
    assert (rec.target_year, rec.plan_period) == (year, period)


def test_target_year_of_chinese_numerals_and_not_of_five_year_plans():
    assert target_year_of("到二〇三五年建成") == "2035"
    assert target_year_of("力争二0二五年通车") == "2025"
    assert target_year_of("第十四个五年规划和二0三五年远景目标纲要") == ""  # a horizon
    assert target_year_of("十三五期间") == ""
    assert target_year_of("2016—2020年") == ""


def test_merge_across_documents_by_kind_and_places():
    a = records("加快建设襄阳至南漳高速公路。", [("襄阳", XY), ("南漳", NZ)], name="a.txt")
    b = records("规划南漳至襄阳高速公路。", [("南漳", NZ), ("襄阳", XY)], name="b.txt")
    c = records("建设襄阳至南漳铁路。", [("襄阳", XY), ("南漳", NZ)], name="c.txt")
    groups = merge_projects(a + b + c)
    assert [[r.doc for r in g] for g in groups] == [["a.txt", "b.txt"], ["c.txt"]]
    assert group_id(groups[0]) == group_id(list(reversed(groups[0])))
    assert group_id(groups[0]) != group_id(groups[1])


def test_facilities_of_one_city_merge_only_when_they_are_the_same():
    recs = records(
        "建设襄阳高新区和襄阳自贸片区,推进襄阳高新区发展。",
        [("襄阳", XY), ("襄阳", XY), ("襄阳", XY)],
    )
    assert [len(g) for g in merge_projects(recs)] == [2, 1]


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        # one park under its official and its common name (from ../shared/corpus)
        ("武汉东湖新技术开发区", "武汉东湖高新技术产业开发区", True),
        ("武汉东湖高新区", "武汉东湖新技术开发区", True),
        # with and without the 市 of its city, the province before it
        ("襄阳市检测认证产业园", "襄阳检测认证产业园", True),
        ("湖北省襄阳市检测认证产业园", "襄阳检测认证产业园", True),
        ("襄阳综合保税区", "襄阳综保区", True),
        ("国家级襄阳经济技术开发区", "襄阳经开区", True),
        # two facilities of one city stay two
        ("襄阳高新区", "襄阳自贸片区", False),
        ("襄阳检测认证产业园", "襄阳汽车产业园", False),
    ],
)
def test_one_facility_under_two_names_in_two_documents_is_one_project(first, second, same):
    def record_of(name: str, doc: str):
        text = f"加快建设{name}。"
        spec = [
            (form, (code,))
            for form, code in (("湖北省", "420000"), ("武汉", "420100"), ("襄阳", "420600"))
            if form in text
        ]
        (rec,) = records(text, spec, name=doc)
        return rec

    groups = merge_projects([record_of(first, "a.txt"), record_of(second, "b.txt")])
    assert (len(groups) == 1) is same, [[r.name for r in g] for g in groups]


# --------------------------------------------------------------------------- recogniser


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "加快建设襄阳至南漳、老河口至南漳等高速公路。",
            [("expressway", ("420600", "420624")), ("expressway", ("420682", "420624"))],
        ),
        ("规划建设监利至华容公铁两用大桥。", [("bridge", ("421088", "430623"))]),
        (
            "推动武汉天河机场、鄂州花湖机场联动发展。",
            [("airport", ("420100", "420116")), ("airport", ("420700", "420704"))],
        ),
        ("建成鄂州机场。", [("airport", ("420700", "420704"))]),
    ],
)
def test_with_the_recogniser(text, expected):
    doc = document_from_text(text)
    assert kinds_places(extract_projects(doc)) == expected


# sentences in the style of plans from other regions: the rules are not tuned to the seeds
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "加快推进郑州至济南、郑州至太原高速铁路建设。",
            [("railway", ("410100", "370100")), ("railway", ("410100", "140100"))],
        ),
        (
            "规划建设长沙至赣州、常德至益阳至长沙铁路。",
            [("railway", ("430100", "360700")), ("railway", ("430700", "430900", "430100"))],
        ),
        ("支持宁波舟山港建设。", [("port", ("330200", "330900"))]),
        ("推进沿江高铁武汉至宜昌段建设。", [("railway", ("420100", "420500"))]),
        ("开工建设杭州至温州铁路二期。", [("railway", ("330100", "330300"))]),
        ("推动哈长城市群发展。", [("metro_circle", ("230100", "220100"))]),
        ("建设合肥综合性国家科学中心。", [("science", ("340100",))]),
        ("推进武汉站改造。", [("station", ("420100",))]),
    ],
)
def test_other_regions(text, expected):
    doc = document_from_text(text)
    assert kinds_places(extract_projects(doc)) == expected


def _related(a: str, b: str) -> bool:
    return a == b or a in GAZ.ancestors(b) or b in GAZ.ancestors(a)


def _joins(gold: list[str], pred: tuple[str, ...]) -> bool:
    """Each gold unit pairs with a related predicted one; the rest only add hierarchy."""
    free = list(dict.fromkeys(pred))
    paired = []
    for g in sorted(gold, key=lambda g: g not in pred):
        hit = next((p for p in sorted(free, key=lambda p: p != g) if _related(g, p)), None)
        if hit is None:
            return False
        free.remove(hit)
        paired.append(hit)
    return all(any(_related(x, q) for q in paired) for x in free)


@pytest.mark.skipif(not DEV_GOLD.exists(), reason="the shared dev set is not beside the repo")
def test_dev_set_recall():
    gold = [json.loads(line) for line in DEV_GOLD.read_text(encoding="utf-8").splitlines() if line]
    text = "\n".join(g["text"] for g in gold) + "\n"
    doc = document_from_text(text, name="dev.txt")
    starts = [0]
    for g in gold:
        starts.append(starts[-1] + len(g["text"]) + 1)
    recs = extract_projects(doc)
    found = total = 0
    for i, g in enumerate(gold):
        mine = [r for r in recs if starts[i] <= r.start < starts[i + 1]]
        for want in g["projects"]:
            total += 1
            found += any(r.kind == want["kind"] and _joins(want["places"], r.places) for r in mine)
    assert total and found / total >= 0.9


# --------------------------------------------------------------------------- properties

_ALPHABET = list("襄阳南漳至、等高速公路铁港机场站都市圈走廊,。;“”()—建设规划武汉十堰产业园 \n")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_ALPHABET, min_size=1, max_size=80))
def test_any_text_gives_records_inside_their_sentences(text):
    if not text.strip():
        return
    doc = document_from_text(text)
    for r in extract_projects(doc, gazetteer=GAZ):
        assert r.sent_start <= r.start < r.end <= r.sent_start + len(r.sentence)
        assert r.sentence == text[r.sent_start : r.sent_start + len(r.sentence)]
        assert r.kind in KINDS and r.status in STATUSES
        assert all(c in GAZ for c in r.places)
        assert bool(r.places) != bool(r.reason)


def test_a_clause_does_not_share_its_type_word():
    # 纳入 makes the last item a clause: one circle (宜昌都市圈), not three
    from geo.projects import extract_projects
    from geo.text import document_from_text

    records = extract_projects(document_from_text("宜都、当阳、枝江纳入宜昌都市圈。"))
    assert [(r.name, r.kind, r.places) for r in records] == [
        ("宜昌都市圈", "metro_circle", ("420500",))
    ]


def test_a_verb_after_the_name_gives_the_status():
    from geo.projects import extract_projects
    from geo.text import document_from_text

    records = extract_projects(document_from_text("支持常德桃花源机场提质升级。"))
    assert [(r.kind, r.status, r.verb) for r in records] == [("airport", "upgrade", "提质")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "推进西气东输三线中段、川气东送二线天然气管道建设。",
            [("西气东输三线中段", "pipeline"), ("川气东送二线天然气管道", "pipeline")],
        ),
        ("实施引江济淮工程。", [("引江济淮", "water")]),
    ],
)
def test_named_schemes_are_kept_unplaced(text, expected):
    # schemes named after what they move (西气东输, 引江济淮) name no admin unit but are
    # projects: kept, with an empty geometry and a reason
    from geo.projects import extract_projects
    from geo.text import document_from_text

    records = extract_projects(document_from_text(text))
    assert [(r.name, r.kind) for r in records] == expected
    assert all(not r.places and r.reason for r in records)


def test_pairs_share_a_type_word_whatever_their_ends_are_called():
    from geo.projects import extract_projects
    from geo.text import document_from_text

    records = extract_projects(
        document_from_text("建设白鹤滩—江苏、白鹤滩—浙江特高压直流输电工程。")
    )
    assert [(r.kind, r.places) for r in records] == [("power", ("320000",)), ("power", ("330000",))]
