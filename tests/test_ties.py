"""Tests of geo.ties: ties read from sentences and projects, metrics, export round trips."""

from __future__ import annotations

import doctest
import json
import logging
import math
from collections.abc import Sequence
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geo.ties.graph
import geo.ties.query
from geo._errors import ExportError
from geo.atlas import build
from geo.export import graph_to_graphml_bytes, read_graphml, write_ties
from geo.kinds import TIE_KINDS
from geo.mentions import find_mentions
from geo.projects import Project, extract_projects, group_id, merge_projects
from geo.readers import read_document
from geo.text import Document, document_from_text
from geo.ties import (
    KIND_WEIGHTS,
    WEIGHT_FORMULA,
    add_metrics,
    build_graph,
    ties_of,
    ties_to_gdf,
    with_co_mention,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

XIANGYANG, NANYANG, NANZHANG, YICHENG = "420600", "411300", "420624", "420684"
WUHAN, EZHOU, YICHANG, HUANGSHI, HUANGGANG = "420100", "420700", "420500", "420200", "421100"
JIUJIANG, HUAIHUA, QINZHOU, HECHENG, ZHONGFANG = "360400", "431200", "450700", "431202", "431221"
SHIYAN, HUBEI = "420300", "420000"


def graph_of(*texts: str, **kwargs) -> nx.Graph:
    docs = [document_from_text(t, name=f"doc{i}") for i, t in enumerate(texts)]
    return build_graph(docs, mentions_of(docs), **kwargs)


def mentions_of(docs: Sequence[Document]) -> dict:
    return {d.name: find_mentions(d.text, clean=d.clean) for d in docs}


def edge(G: nx.Graph, u: str, v: str) -> dict:
    assert G.has_edge(u, v), f"no tie {u}-{v}; ties: {sorted(G.edges)}"
    return G.edges[u, v]


def assert_evidence_points_into(G: nx.Graph, docs: Sequence[Document]) -> None:
    by_name = {d.name: d for d in docs}
    items = [e for _, _, d in G.edges(data=True) for e in d["evidence"]]
    items += [e for tie in G.graph.get("co_mention", []) for e in tie["evidence"]]
    for e in items:
        assert e["kind"] in TIE_KINDS
        assert by_name[e["doc"]].text[e["start"] : e["end"]] == e["sentence"]


# --------------------------------------------------------------------------- cooperation


@pytest.mark.parametrize(
    ("text", "strong", "weak"),
    [
        # the places on either side of 与 cooperate; those on one side, more weakly
        (
            "深化黄石、鄂州、黄冈等地与九江跨江合作与融合发展。",
            {(HUANGSHI, JIUJIANG), (EZHOU, JIUJIANG), (HUANGGANG, JIUJIANG)},
            {(HUANGSHI, EZHOU), (HUANGSHI, HUANGGANG), (EZHOU, HUANGGANG)},
        ),
        # a joint verb between the places is a partner word too
        (
            "武汉联手宜昌、鄂州加快发展现代生物医药产业。",
            {(WUHAN, YICHANG), (WUHAN, EZHOU)},
            {(YICHANG, EZHOU)},
        ),
        # the members of one compound act together
        ("襄阳：襄南共同推动装备制造业创新。", {(XIANGYANG, NANYANG)}, set()),
        ("怀化：发挥鹤中一体化核心增长极作用。", {(HECHENG, ZHONGFANG)}, set()),
        # a city and its own counties, named as peers in one compound
        (
            "强化襄宜南一体统筹地区产业核心引领作用,推动宜城作为先进制造业基地,谋划南漳作为"
            "有机及循环产业基地。",
            {(XIANGYANG, YICHENG), (XIANGYANG, NANZHANG), (YICHENG, NANZHANG)},
            set(),
        ),
        # no partner word: every place of the clause
        (
            "打造“怀化—南宁—钦州港—越南”铁公一体化转关试点。",
            {(HUAIHUA, QINZHOU), (HUAIHUA, "450100"), ("450100", QINZHOU)},
            set(),
        ),
        # a province right before one of its units only qualifies it
        ("促进湖北随州炎帝故里与湖南炎陵县炎帝陵合作。", {("421300", "430225")}, set()),
    ],
)
def test_cooperation(text: str, strong: set, weak: set) -> None:
    G = graph_of(text)
    expected = {tuple(sorted(p)) for p in strong | weak}
    assert {tuple(sorted(e)) for e in G.edges} == expected
    for u, v in strong:
        assert edge(G, u, v)["kinds"] == ["cooperation"]
        assert edge(G, u, v)["weight"] == KIND_WEIGHTS["cooperation"]
    for u, v in weak:
        assert edge(G, u, v)["kinds"] == ["co_partner"]
        assert edge(G, u, v)["weight"] == KIND_WEIGHTS["co_partner"]


def test_cooperation_evidence_is_the_sentence_with_its_cue() -> None:
    text = "坚持规划引领。武汉联手宜昌、鄂州加快发展现代生物医药产业，仙桃打造医用非织造布基地。"
    G = graph_of(text)
    (item,) = edge(G, WUHAN, YICHANG)["evidence"]
    assert item == {
        "doc": "doc0",
        "start": 7,
        "end": len(text),
        "sentence": text[7:],
        "kind": "cooperation",
        "cue": "联手",
    }


@pytest.mark.parametrize(
    "text",
    [
        "湖北与襄阳合作。",  # a unit and its province: hierarchy
        "怀化市与鹤城区合作。",  # a city and its own county, named apart: hierarchy
        "加强与重庆、广西、云南对接。",  # the partner before 与 is the unnamed issuer
        "襄阳、十堰都有机场。",  # no joint verb
        "支持襄阳、十堰发展农民合作社。",  # 合作社 is a noun
    ],
)
def test_no_cooperation(text: str) -> None:
    G = graph_of(text)
    assert "cooperation" not in {k for _, _, d in G.edges(data=True) for k in d["kinds"]}
    assert G.number_of_nodes() >= 2


def test_a_city_is_not_the_partner_of_its_own_compound() -> None:
    G = graph_of("怀化市高水平推进鹤中一体化发展。")
    assert [tuple(sorted(e)) for e in G.edges] == [(HECHENG, ZHONGFANG)]


def test_named_subjects_before_an_unnamed_partner_are_co_partners() -> None:
    G = graph_of("武汉、鄂州与周边城市合作。")
    assert edge(G, WUHAN, EZHOU)["kinds"] == ["co_partner"]


def test_clauses_keep_places_apart() -> None:
    # 襄阳 and 南阳 share the sentence but not the clause of 合作
    G = graph_of("襄阳建设机场，十堰与随州合作，南阳建设港口。")
    assert [tuple(sorted(e)) for e in G.edges] == [("420300", "421300")]
    assert {(t["u"], t["v"]) for t in G.graph["co_mention"]} >= {(NANYANG, XIANGYANG)}


def test_one_sentence_counts_once_per_kind() -> None:
    once = graph_of("襄阳与十堰合作，襄阳与十堰共建产业园。")
    twice = graph_of("襄阳与十堰合作。襄阳与十堰共建产业园。")
    assert edge(once, XIANGYANG, SHIYAN)["weight"] == 3.0
    assert len(edge(once, XIANGYANG, SHIYAN)["evidence"]) == 1
    assert edge(twice, XIANGYANG, SHIYAN)["weight"] == 6.0
    across = graph_of("襄阳与十堰合作。", "襄阳与十堰合作。")
    assert edge(across, XIANGYANG, SHIYAN)["weight"] == 6.0
    assert [e["doc"] for e in edge(across, XIANGYANG, SHIYAN)["evidence"]] == ["doc0", "doc1"]


# --------------------------------------------------------------------------- co-mention


def test_co_mention_is_kept_apart_by_default() -> None:
    G = graph_of("襄阳、十堰都有机场。")
    assert G.number_of_edges() == 0
    (tie,) = G.graph["co_mention"]
    assert (tie["u"], tie["v"], tie["kinds"], tie["weight"]) == (
        SHIYAN, XIANGYANG, ["co_mention"], 0.25,
    )
    H = graph_of("襄阳、十堰都有机场。", include_co_mention=True)
    assert edge(H, XIANGYANG, SHIYAN)["kinds"] == ["co_mention"]
    assert H.graph["include_co_mention"] is True
    assert H.graph["co_mention"] == []
    assert H.nodes[XIANGYANG]["weighted_degree"] == 0.25


def test_with_co_mention_merges_into_existing_ties_and_leaves_the_input() -> None:
    G = graph_of("襄阳与十堰合作。襄阳、十堰都有机场。")
    before = json.dumps(nx.node_link_data(G, edges="links"), sort_keys=True, default=str)
    H = with_co_mention(G)
    assert json.dumps(nx.node_link_data(G, edges="links"), sort_keys=True, default=str) == before
    assert edge(G, XIANGYANG, SHIYAN)["kinds"] == ["cooperation"]
    assert edge(H, XIANGYANG, SHIYAN)["kinds"] == ["co_mention", "cooperation"]
    assert edge(H, XIANGYANG, SHIYAN)["weight"] == 3.25
    assert with_co_mention(H).edges[XIANGYANG, SHIYAN]["weight"] == 3.25  # idempotent


def test_a_cooperation_sentence_is_not_also_a_co_mention() -> None:
    G = graph_of("襄阳与十堰合作。")
    assert G.graph["co_mention"] == []


# --------------------------------------------------------------------------- projects


def record(
    pid: str, kind: str, places: tuple[str, ...], sentence: str, sent_start: int, doc: str = "doc0"
) -> Project:
    """A project record as :func:`geo.projects.extract_projects` makes it."""
    return Project(
        id=pid, name=pid, kind=kind, places=places, doc=doc, start=sent_start,
        end=sent_start + 2, sentence=sentence, sent_start=sent_start, status="planned",
        verb="", target_year="",
    )


def project_records() -> tuple[list[Project], str]:
    text = "加快建设襄阳至南漳等高速公路。推进襄阳都市圈建设，南漳、宜城、十堰同步推进。"
    first, second = text[:15], text[15:]
    records = [
        record("p1", "expressway", (XIANGYANG, NANZHANG), first, 0),
        record("p2", "metro_circle", (XIANGYANG, NANZHANG, YICHENG, SHIYAN), second, 15),
        # a site in 南漳, which lies in 襄阳: not a tie
        record("p3", "logistics", (XIANGYANG, NANZHANG, HUBEI), first, 0),
        # a place no mention names comes from the gazetteer
        record("p4", "expressway", (SHIYAN, NANYANG), "十堰至南阳", 0, doc="other.txt"),
    ]
    return records, text


def test_projects_add_joint_project_and_co_membership() -> None:
    records, text = project_records()
    doc = document_from_text(text, name="doc0")
    G = build_graph([doc], mentions_of([doc]), records)
    assert G.graph["projects"] == 4

    tie = edge(G, XIANGYANG, NANZHANG)
    assert tie["kinds"] == ["co_membership", "joint_project"]
    # a line of two places counts whole; a circle of four places counts 1/3 per pair
    assert tie["weight"] == pytest.approx(2.0 + 1.0 / 3, abs=1e-6)
    project = next(e for e in tie["evidence"] if e["kind"] == "joint_project")
    # the evidence is the record's sentence, and names the project's id in Atlas.projects
    assert (project["start"], project["end"], project["sentence"]) == (0, 15, text[:15])
    assert project["project"] == group_id([records[0]])
    assert edge(G, YICHENG, SHIYAN)["kinds"] == ["co_membership"]
    assert not G.has_edge(XIANGYANG, HUBEI)

    # from a document not given: the record's sentence; the node from the gazetteer
    far = edge(G, SHIYAN, NANYANG)
    assert far["evidence"][0]["doc"] == "other.txt"
    assert far["evidence"][0]["sentence"] == "十堰至南阳"
    assert G.nodes[NANYANG]["mentions"] == 0
    assert G.nodes[NANYANG]["name"] == "南阳市"


def test_a_merged_project_gives_the_evidence_of_each_record() -> None:
    records, text = project_records()
    doc = document_from_text(text, name="doc0")
    again = record("p1b", "expressway", (NANZHANG, XIANGYANG), "襄阳至南漳", 0, doc="other.txt")
    G = build_graph([doc], mentions_of([doc]), [[records[0], again]])
    items = edge(G, XIANGYANG, NANZHANG)["evidence"]
    assert [(e["doc"], e["sentence"]) for e in items] == [
        ("doc0", text[:15]), ("other.txt", "襄阳至南漳"),
    ]
    assert {e["project"] for e in items} == {group_id([records[0], again])}
    assert edge(G, XIANGYANG, NANZHANG)["weight"] == 4.0  # two sentences, share 1 each


def test_an_area_counts_once_however_often_it_is_named() -> None:
    text = "推进襄阳都市圈建设。襄阳都市圈加快发展。"
    doc = document_from_text(text, name="doc0")
    members = (XIANGYANG, SHIYAN, "421300")
    records = [
        record("c0", "metro_circle", members, text[:10], 0),
        record("c1", "metro_circle", members, text[10:], 10),
    ]
    G = build_graph([doc], mentions_of([doc]), records)
    tie = edge(G, XIANGYANG, SHIYAN)
    assert tie["weight"] == 0.5  # co_membership 1 * share 1/2, once
    (item,) = tie["evidence"]
    assert (item["sentence"], item["members"], item["share"]) == (
        "推进襄阳都市圈建设。", f"{SHIYAN};{XIANGYANG};421300", 0.5,
    )


def test_project_places_that_are_one_place_or_unknown_add_nothing(caplog) -> None:
    doc = document_from_text("襄阳建设机场。", name="doc0")
    records = [
        record("a", "airport", (XIANGYANG,), "襄阳建设机场。", 0),
        record("b", "railway", ("999999", XIANGYANG), "襄阳建设机场。", 0),
    ]
    with caplog.at_level(logging.WARNING, logger="geo.ties"):
        G = build_graph([doc], mentions_of([doc]), records)
    assert G.number_of_edges() == 0
    assert G.graph["projects"] == 0
    assert "'999999' is not in the gazetteer" in caplog.text


# --------------------------------------------------------------------------- small graphs


def test_one_place_no_edges() -> None:
    G = graph_of("襄阳建设机场。襄阳建设港口。")
    assert list(G.nodes) == [XIANGYANG]
    assert G.number_of_edges() == 0
    node = G.nodes[XIANGYANG]
    assert (node["name"], node["level"], node["mentions"], node["docs"]) == (
        "襄阳市", "prefecture", 2, ["doc0"],
    )
    assert (node["weighted_degree"], node["betweenness"], node["community"]) == (0.0, 0.0, 0)
    assert 111 < node["lon"] < 113 and 31 < node["lat"] < 33  # lon is x, lat is y


def test_no_places_empty_graph() -> None:
    G = graph_of("加快建设。推进改革。")
    assert G.number_of_nodes() == G.number_of_edges() == 0
    assert G.graph["documents"] == ["doc0"]
    assert build_graph([], {}).number_of_nodes() == 0


def test_graph_remembers_where_it_came_from() -> None:
    G = graph_of("襄阳与十堰合作。", "武汉建设机场。")
    assert G.graph["documents"] == ["doc0", "doc1"]
    assert G.graph["crs"] == "EPSG:4326"
    assert G.graph["weight_formula"] == WEIGHT_FORMULA
    assert "cooperation 3" in WEIGHT_FORMULA and "co_mention 0.25" in WEIGHT_FORMULA
    assert G.graph["built"].endswith("+00:00")
    assert sorted(G.nodes[XIANGYANG]) == sorted(
        ["adcode", "name", "level", "lon", "lat", "mentions", "docs",
         "weighted_degree", "betweenness", "community"]
    )


def test_duplicate_document_names_are_refused() -> None:
    doc = document_from_text("襄阳与十堰合作。", name="plan.txt")
    with pytest.raises(ValueError, match="two documents are named 'plan.txt'"):
        build_graph([doc, doc], mentions_of([doc]))


def test_mentions_of_another_text_are_refused() -> None:
    long = document_from_text("加快建设。" * 5 + "襄阳与十堰合作。", name="a")
    short = document_from_text("襄阳。", name="a")
    with pytest.raises(ValueError, match="is not in document 'a'"):
        build_graph([short], mentions_of([long]))
    other = document_from_text("十堰与襄阳合作。", name="a")  # same length, other places
    with pytest.raises(ValueError, match="mention '十堰' at 0:2 is not in document 'a'"):
        build_graph([document_from_text("襄阳与十堰合作。", name="a")], mentions_of([other]))


def test_missing_mentions_are_logged_not_printed(caplog, capsys) -> None:
    doc = document_from_text("襄阳与十堰合作。", name="plan")
    with caplog.at_level(logging.WARNING, logger="geo.ties"):
        G = build_graph([doc], {})
    assert G.number_of_nodes() == 0
    assert "no mentions given for document 'plan'" in caplog.text
    assert capsys.readouterr() == ("", "")


# --------------------------------------------------------------------------- metrics


def two_triangles() -> nx.Graph:
    G = nx.Graph()
    for u, v in [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f")]:
        G.add_edge(u, v, weight=3.0)
    G.add_edge("c", "d", weight=0.5)
    G.add_node("z")
    return G


def test_metrics_on_a_hand_built_graph() -> None:
    G = two_triangles()
    H = add_metrics(G)
    assert "community" not in G.nodes["a"]  # the input is not modified
    assert H.nodes["c"]["weighted_degree"] == 6.5
    assert H.nodes["z"]["weighted_degree"] == 0.0
    # c and d carry every path between the triangles
    assert H.nodes["c"]["betweenness"] == H.nodes["d"]["betweenness"] > 0
    assert H.nodes["a"]["betweenness"] == 0.0
    communities = {n: d["community"] for n, d in H.nodes(data=True)}
    assert communities["a"] == communities["b"] == communities["c"]
    assert communities["d"] == communities["e"] == communities["f"] != communities["a"]
    assert communities["z"] == 2  # largest first, then by smallest member
    assert add_metrics(G).nodes(data=True) == H.nodes(data=True)  # seed=42: stable


def test_betweenness_uses_distance_one_over_weight() -> None:
    # a-b-c strong (3 each) beats the direct weak a-c (0.25): paths go through b
    G = nx.Graph()
    G.add_edge("a", "b", weight=3.0)
    G.add_edge("b", "c", weight=3.0)
    G.add_edge("a", "c", weight=0.25)
    assert add_metrics(G).nodes["b"]["betweenness"] == 1.0


@pytest.mark.parametrize("G", [nx.Graph(), nx.empty_graph(["x"])])
def test_metrics_on_empty_and_one_node(G: nx.Graph) -> None:
    H = add_metrics(G)
    assert all(d["weighted_degree"] == 0.0 and d["community"] == 0 for _, d in H.nodes(data=True))


def test_ties_of_sorted_by_weight_by_adcode_or_name() -> None:
    G = graph_of("襄阳与十堰合作。襄阳与十堰共建产业园。襄阳与随州合作。", "襄阳、南阳都有机场。")
    ties = ties_of(G, "襄阳")
    assert [(t["adcode"], t["weight"]) for t in ties] == [(SHIYAN, 6.0), ("421300", 3.0)]
    assert ties[0]["name"] == "十堰市"
    assert ties[0]["evidence"][0]["sentence"] == "襄阳与十堰合作。"
    assert ties_of(G, XIANGYANG) == ties == ties_of(G, "襄阳市")
    assert [t["adcode"] for t in ties_of(G, "襄阳", with_co_mention=True)] == [
        SHIYAN, "421300", NANYANG,
    ]


@pytest.mark.parametrize(
    ("place", "message"),
    [("北京", "no place '北京' in the graph"), ("", "names several places")],
)
def test_ties_of_unknown_or_ambiguous(place: str, message: str) -> None:
    G = graph_of("襄阳与十堰合作。")
    with pytest.raises(ValueError, match=message):
        ties_of(G, place)


# --------------------------------------------------------------------------- export


@pytest.fixture(scope="module")
def small() -> nx.Graph:
    return graph_of(
        "深化黄石、鄂州、黄冈等地与九江跨江合作。襄阳、十堰都有机场。",
        "武汉联手宜昌、鄂州加快发展“现代”<生物医药>产业。",
    )


def test_graphml_round_trip(small: nx.Graph, tmp_path: Path) -> None:
    path = write_ties(small, tmp_path / "ties.graphml")
    back = read_graphml(path)
    assert sorted(back.nodes(data=True)) == sorted(small.nodes(data=True))
    assert {tuple(sorted(e)) for e in back.edges} == {tuple(sorted(e)) for e in small.edges}
    for u, v, data in small.edges(data=True):
        assert back.edges[u, v] == data
    expected = {k: v for k, v in small.graph.items() if k != "co_mention"}
    assert back.graph == expected
    assert graph_to_graphml_bytes(small) == path.read_bytes()


def test_read_graphml_reads_json_lists_too(small: nx.Graph, tmp_path: Path) -> None:
    # another writer may store lists as JSON instead of ';'-joined strings
    G = nx.Graph(documents=json.dumps(["a.txt", "b.txt"]))
    G.add_node("1", docs=json.dumps(["a.txt"]))
    G.add_node("2", docs="")
    G.add_edge("1", "2", kinds=json.dumps(["cooperation"]), evidence="[]", weight=3.0)
    nx.write_graphml(G, tmp_path / "other.graphml")
    back = read_graphml(tmp_path / "other.graphml")
    assert back.graph["documents"] == ["a.txt", "b.txt"]
    assert (back.nodes["1"]["docs"], back.nodes["2"]["docs"]) == (["a.txt"], [])
    assert back.edges["1", "2"]["kinds"] == ["cooperation"]


def test_graphml_holds_no_lists(small: nx.Graph) -> None:
    data = graph_to_graphml_bytes(small).decode("utf-8")
    assert "<graphml" in data
    G = nx.parse_graphml(data)
    u, v, attrs = next(iter(G.edges(data=True)))
    assert isinstance(attrs["kinds"], str) and isinstance(attrs["evidence"], str)
    assert json.loads(attrs["evidence"])[0]["doc"] in {"doc0", "doc1"}
    assert G.nodes[EZHOU]["docs"] == "doc0;doc1"


def test_graphml_with_co_mention(small: nx.Graph, tmp_path: Path) -> None:
    path = write_ties(small, tmp_path / "all.graphml", with_co_mention=True)
    back = read_graphml(path)
    assert back.has_edge(XIANGYANG, SHIYAN)
    assert back.edges[XIANGYANG, SHIYAN]["kinds"] == ["co_mention"]
    assert not small.has_edge(XIANGYANG, SHIYAN)
    assert back.graph["include_co_mention"] is True


def test_geojson_is_rfc7946_lines_between_seats(small: nx.Graph, tmp_path: Path) -> None:
    path = write_ties(small, tmp_path / "ties.geojson", format="geojson")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert len(data["features"]) == small.number_of_edges()
    for feature in data["features"]:
        props = feature["properties"]
        assert feature["geometry"]["type"] == "LineString"
        (x0, y0), (x1, y1) = feature["geometry"]["coordinates"]
        a, b = small.nodes[props["u"]], small.nodes[props["v"]]
        assert (x0, y0) == (round(a["lon"], 7), round(a["lat"], 7))  # lon, lat
        assert (x1, y1) == (round(b["lon"], 7), round(b["lat"], 7))
        assert props["kinds"] == small.edges[props["u"], props["v"]]["kinds"]
        assert props["evidence"] == small.edges[props["u"], props["v"]]["evidence"]
    weights = [f["properties"]["weight"] for f in data["features"]]
    assert weights == sorted(weights, reverse=True)
    with_weak = write_ties(small, tmp_path / "w.geojson", format="geojson", with_co_mention=True)
    assert len(json.loads(with_weak.read_text(encoding="utf-8"))["features"]) > len(weights)


def test_ties_to_gdf(small: nx.Graph) -> None:
    gdf = ties_to_gdf(small)
    assert gdf.crs == "EPSG:4326"
    assert list(gdf.columns) == [
        "u", "v", "u_name", "v_name", "kinds", "weight", "docs", "projects", "evidence",
        "geometry",
    ]
    assert len(gdf) == small.number_of_edges()
    row = gdf.loc[(gdf["u"] == WUHAN) & (gdf["v"] == YICHANG)].iloc[0]
    assert (row["u_name"], row["v_name"], row["kinds"], row["docs"]) == (
        "武汉市", "宜昌市", "cooperation", "doc1",
    )
    assert row.geometry.coords[0] == (small.nodes[WUHAN]["lon"], small.nodes[WUHAN]["lat"])
    assert len(ties_to_gdf(small, with_co_mention=True)) > len(gdf)
    empty = ties_to_gdf(graph_of("加快建设。"))
    assert len(empty) == 0 and empty.crs == "EPSG:4326"


@pytest.mark.parametrize(
    ("kwargs", "name", "message"),
    [
        ({"format": "gpkg"}, "ties.gpkg", "format='gpkg' is not a tie format"),
        ({}, "missing/ties.graphml", "folder .* does not exist"),
    ],
)
def test_write_ties_errors(small, tmp_path: Path, kwargs: dict, name: str, message: str) -> None:
    with pytest.raises(ExportError, match=message):
        write_ties(small, tmp_path / name, **kwargs)


@pytest.mark.parametrize("module", [geo.ties.graph, geo.ties.query])
def test_docstring_examples(module) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


# --------------------------------------------------------------------------- any text

_PIECES = [
    "襄阳", "十堰", "湖北", "南漳", "九江", "黄石", "襄南", "鹤中", "武汉", "怀化", "合作",
    "与", "、", "，", "。", "至", "共建", "联手", "一体化", "发展", "建设", "高速", "（", "）",
    "\n", " ", "等地", "市", "合作市", "资源",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30))
def test_any_text_gives_a_valid_graph(pieces: list[str]) -> None:
    text = "".join(pieces)
    if not text.strip():
        return
    doc = document_from_text(text, name="t")
    G = build_graph([doc], mentions_of([doc]), include_co_mention=True)
    assert_evidence_points_into(G, [doc])
    for u, v, data in G.edges(data=True):
        assert u != v
        assert data["kinds"] == sorted(set(data["kinds"]))
        expected = sum(KIND_WEIGHTS[e["kind"]] * e.get("share", 1.0) for e in data["evidence"])
        assert math.isclose(data["weight"], expected, abs_tol=1e-6)
        if HUBEI in (u, v):  # a province is never tied to its own units
            other = v if u == HUBEI else u
            assert not G.nodes[other]["adcode"].startswith("42")


# --------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seed_docs() -> list[Document]:
    return [read_document(p) for p in sorted(SEEDS.glob("*.txt"))]


@pytest.fixture(scope="module")
def seeds(seed_docs) -> nx.Graph:
    return build_graph(seed_docs, mentions_of(seed_docs))


SEED_TIES = [
    (XIANGYANG, NANYANG),
    (HUANGSHI, JIUJIANG),
    (EZHOU, JIUJIANG),
    (HUANGGANG, JIUJIANG),
    (HUAIHUA, QINZHOU),
    (HECHENG, ZHONGFANG),
    (WUHAN, EZHOU),
    (XIANGYANG, NANZHANG),
]
NOT_PLACES = ["623001", "450329", "445321", "140221", "540300"]  # 合作 资源 新兴 阳高 昌都


def check_seed_graph(G: nx.Graph, docs: Sequence[Document]) -> None:
    for u, v in SEED_TIES:
        assert edge(G, u, v)["weight"] > 0
        assert edge(G, u, v)["evidence"]
    assert_evidence_points_into(G, docs)
    assert not set(NOT_PLACES) & set(G.nodes)
    top = sorted(G.nodes, key=lambda n: -G.nodes[n]["weighted_degree"])[:3]
    assert {WUHAN, XIANGYANG} <= set(top), [G.nodes[n]["name"] for n in top]


def test_seed_ties_from_text(seeds: nx.Graph, seed_docs) -> None:
    check_seed_graph(seeds, seed_docs)
    assert G_has_no_hierarchy(seeds)
    assert edge(seeds, HUANGSHI, JIUJIANG)["kinds"] == ["cooperation"]
    assert any("跨江合作" in e["sentence"] for e in edge(seeds, HUANGSHI, JIUJIANG)["evidence"])
    assert any("襄南" in e["sentence"] for e in edge(seeds, XIANGYANG, NANYANG)["evidence"])


def G_has_no_hierarchy(G: nx.Graph) -> bool:
    # no unit is tied to its own province
    return not any(
        G.nodes[a]["level"] == "province" and b[:2] == a[:2] and a not in {"110000", "500000"}
        for u, v in G.edges
        for a, b in ((u, v), (v, u))
    )


def test_seed_ties_with_atlas_projects(seed_docs) -> None:
    atlas = build()
    mentions = mentions_of(seed_docs)
    records = [
        r for doc in seed_docs for r in extract_projects(doc, mentions=mentions[doc.name])
    ]
    G = build_graph(seed_docs, mentions, merge_projects(records))
    check_seed_graph(G, seed_docs)
    assert "joint_project" in edge(G, XIANGYANG, NANZHANG)["kinds"]
    assert G.graph["projects"] > 0
    # the atlas builds its graph with this module, from the same parts
    check_seed_graph(atlas.graph, seed_docs)
    assert sorted(atlas.graph.edges) == sorted(G.edges)


def test_ties_stored_per_document_give_the_graph_read_from_the_texts() -> None:
    """The library stores each document's stated ties; adding them up is reading them."""
    from geo.seeds import seed_paths
    from geo.ties.text import document_ties

    docs = [read_document(p) for p in seed_paths()]
    mentions = mentions_of(docs)
    records = [r for d in docs for r in extract_projects(d, mentions=mentions[d.name])]
    groups = merge_projects(records)
    read = build_graph(docs, mentions, groups)
    stated = {d.name: document_ties(d, mentions[d.name]) for d in docs[1:]}  # one read
    added = build_graph(docs, mentions, groups, stated=stated)
    assert read.number_of_edges() > 100
    assert sorted(read.edges(data=True)) == sorted(added.edges(data=True))
    assert dict(read.nodes(data=True)) == dict(added.nodes(data=True))
    assert read.graph["co_mention"] == added.graph["co_mention"]
