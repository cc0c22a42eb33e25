"""A small hand-made atlas for the app and layer tests.

It has the shape of ``geo.atlas.Atlas`` (see DESIGN.md) so the app and the layer builders
can be tested without building the real gazetteer: a few projects around 襄阳
(112.14, 32.04) and 武汉 (114.30, 30.59), two metropolitan-circle areas, a small tie
graph, one unplaced project, and one project whose document text tries to inject
script (``<img src=x onerror=alert(1)>`` and ``${alert(1)}``).

:func:`save_fixture_atlas` writes it, with rough boundaries, to a file the app opens when
``PLANATLAS_ATLAS`` names it (:mod:`geo.saved`); the app never imports this module.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
from shapely.geometry import LineString, Point, Polygon

from geo.atlas import Atlas
from geo.saved import save_atlas

__all__ = [
    "DOCUMENTS",
    "XSS_IMG",
    "XSS_TEMPLATE",
    "fixture_atlas",
    "fixture_boundaries",
    "save_fixture_atlas",
]

DOCUMENTS = ("xiangyang.txt", "wuhan.txt")

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_TEMPLATE = "${alert(1)}"

PRECISION_LABELS = {
    1: "exact site",
    2: "near (≤25 km)",
    3: "second-order admin unit",
    4: "first-order admin unit",
    5: "estimated (schematic)",
    6: "country",
    8: "seat of an admin unit",
}

# adcode, name, level, parent, lon, lat, mentions, docs
_PLACES = [
    ("420000", "湖北省", "province", "", 114.342, 30.546, 6, "xiangyang.txt;wuhan.txt"),
    ("420600", "襄阳市", "prefecture", "420000", 112.144, 32.042, 9, "xiangyang.txt;wuhan.txt"),
    ("420300", "十堰市", "prefecture", "420000", 110.798, 32.629, 4, "xiangyang.txt"),
    ("421300", "随州市", "prefecture", "420000", 113.383, 31.690, 3, "xiangyang.txt;wuhan.txt"),
    ("429021", "神农架林区", "prefecture", "420000", 110.676, 31.745, 2, "xiangyang.txt"),
    ("420100", "武汉市", "prefecture", "420000", 114.305, 30.593, 8, "wuhan.txt;xiangyang.txt"),
    ("420900", "孝感市", "prefecture", "420000", 113.916, 30.925, 3, "wuhan.txt"),
    ("420700", "鄂州市", "prefecture", "420000", 114.895, 30.391, 2, "wuhan.txt"),
    ("421100", "黄冈市", "prefecture", "420000", 114.872, 30.453, 2, "wuhan.txt"),
    ("420683", "枣阳市", "county", "420600", 112.772, 32.129, 2, "xiangyang.txt"),
    ("420624", "南漳县", "county", "420600", 111.839, 31.774, 1, "xiangyang.txt"),
]

_XY_SENTENCE = "加快建设襄阳至南漳高速公路，2025年建成通车。"
_XSS_SENTENCE = f"推进{XSS_IMG}襄阳{XSS_TEMPLATE}产业园建设，`一期`\\工程于2024年开工。"
_XSS_NAME = f"襄阳{XSS_TEMPLATE}产业园"


def _project(
    pid: str,
    name: str,
    kind: str,
    status: str,
    geometry: Any,
    *,
    places: list[str],
    doc: str,
    sentence: str,
    sent_start: int = 0,
    target_year: str = "",
    precision: int = 8,
    schematic: bool = False,
    other_docs: tuple[tuple[str, str], ...] = (),
    reason: str = "",
    verb: str = "建设",
) -> dict[str, Any]:
    offset = sentence.find(name)
    if offset < 0:
        offset = 0
    start = sent_start + offset
    end = start + len(name)
    names = {row[0]: row[1] for row in _PLACES}
    sources = [{"doc": doc, "start": start, "end": end, "sentence": sentence}]
    for other_doc, other_sentence in other_docs:
        at = max(other_sentence.find(name), 0)
        sources.append(
            {"doc": other_doc, "start": at, "end": at + len(name), "sentence": other_sentence}
        )
    return {
        "id": pid,
        "name": name,
        "kind": kind,
        "status": status,
        "verb": verb,
        "target_year": target_year,
        "places": ";".join(places),
        "place_names": ";".join(names.get(code, code) for code in places),
        "doc": doc,
        "start": start,
        "end": end,
        "sentence": sentence,
        "sent_start": sent_start,
        "docs": ";".join(dict.fromkeys([doc, *(d for d, _ in other_docs)])),
        "sources": json.dumps(sources, ensure_ascii=False),
        "precision": precision,
        "precision_label": PRECISION_LABELS[precision],
        "schematic": schematic,
        "reason": reason,
        "geometry": geometry,
    }


def _seat(adcode: str) -> tuple[float, float]:
    for row in _PLACES:
        if row[0] == adcode:
            return row[4], row[5]  # (lon, lat)
    raise KeyError(adcode)


def _line(*adcodes: str) -> LineString:
    return LineString([_seat(code) for code in adcodes])


# Rough member hulls (lon, lat), counter-clockwise, for the two circles.
_XIANGYANG_CIRCLE = Polygon(
    [(110.3, 31.5), (113.8, 31.5), (113.8, 32.5), (112.6, 32.7), (110.9, 33.0), (110.2, 32.6)]
)
_WUHAN_CIRCLE = Polygon(
    [(113.4, 29.9), (115.6, 29.8), (115.7, 31.0), (114.6, 31.5), (113.6, 31.4), (113.3, 30.7)]
)


def _projects() -> gpd.GeoDataFrame:
    rows = [
        _project(
            "p-xy-circle",
            "襄阳都市圈",
            "metro_circle",
            "planned",
            _XIANGYANG_CIRCLE,
            places=["420600", "420300", "421300", "429021"],
            doc="xiangyang.txt",
            sentence="加快推进襄阳都市圈高质量发展，带动襄十随神城市群协同发展。",
            sent_start=0,
            target_year="2023–2025",
            precision=3,
        ),
        _project(
            "p-wh-circle",
            "武汉都市圈",
            "metro_circle",
            "planned",
            _WUHAN_CIRCLE,
            places=["420100", "420900", "420700", "421100"],
            doc="wuhan.txt",
            sentence="全面提升武汉都市圈同城化水平。",
            precision=3,
        ),
        _project(
            "p-hanshi-hsr",
            "汉十高铁",
            "railway",
            "completed",
            _line("420100", "420900", "421300", "420600", "420300"),
            places=["420100", "420900", "421300", "420600", "420300"],
            doc="xiangyang.txt",
            sentence="依托汉十高铁，强化襄阳与武汉的快速联系。",
            sent_start=40,
            precision=5,
            schematic=True,
            other_docs=(("wuhan.txt", "汉十高铁串联武汉、孝感、随州、襄阳、十堰。"),),
            verb="依托",
        ),
        _project(
            "p-xiang-nanzhang",
            "襄阳至南漳高速公路",
            "expressway",
            "planned",
            _line("420600", "420624"),
            places=["420600", "420624"],
            doc="xiangyang.txt",
            sentence=_XY_SENTENCE,
            sent_start=80,
            target_year="2025",
            precision=5,
            schematic=True,
        ),
        _project(
            "p-liuji-airport",
            "襄阳刘集机场",
            "airport",
            "construction",
            Point(112.291, 32.150),
            places=["420600"],
            doc="xiangyang.txt",
            sentence="推进襄阳刘集机场改扩建工程。",
            sent_start=120,
            target_year="2025",
            precision=1,
        ),
        _project(
            "p-xiaohe-port",
            "小河港",
            "port",
            "construction",
            Point(112.335, 32.183),
            places=["420600"],
            doc="xiangyang.txt",
            sentence="建设小河港多式联运枢纽。",
            sent_start=150,
            precision=2,
        ),
        _project(
            "p-tianhe-airport",
            "天河机场",
            "airport",
            "completed",
            Point(114.208, 30.784),
            places=["420100"],
            doc="wuhan.txt",
            sentence="提升天河机场国际航空枢纽功能。",
            sent_start=30,
            precision=1,
        ),
        _project(
            "p-optics-lab",
            "光谷实验室",
            "science",
            "planned",
            Point(114.410, 30.480),
            places=["420100"],
            doc="wuhan.txt",
            sentence="高标准建设光谷实验室。",
            sent_start=60,
            target_year="2021–2025",
            precision=2,
        ),
        _project(
            "p-hanxiaosui-belt",
            "汉孝随襄十制造业高质量发展带",
            "corridor",
            "planned",
            _line("420100", "420900", "421300", "420600", "420300"),
            places=["420100", "420900", "421300", "420600", "420300"],
            doc="wuhan.txt",
            sentence="共建汉孝随襄十制造业高质量发展带。",
            sent_start=90,
            precision=5,
            schematic=True,
            other_docs=(
                ("xiangyang.txt", "共建汉孝随襄十制造业高质量发展带，打造万亿级产业走廊。"),
            ),
            verb="共建",
        ),
        _project(
            "p-xss-park",
            _XSS_NAME,
            "industrial_park",
            "construction",
            Point(112.20, 32.02),
            places=["420600"],
            doc="xiangyang.txt",
            sentence=_XSS_SENTENCE,
            sent_start=200,
            target_year="2024",
            precision=8,
        ),
        _project(
            "p-ezhou-airport",
            "鄂州花湖机场",
            "airport",
            "completed",
            Point(114.966, 30.346),
            places=["420700"],
            doc="wuhan.txt",
            sentence="发挥鄂州花湖机场航空货运枢纽作用。",
            sent_start=120,
            precision=1,
        ),
        _project(
            "p-unplaced-wetland",
            "某湿地公园",
            "ecology",
            "study",
            Point(),
            places=[],
            doc="wuhan.txt",
            sentence="研究建设某湿地公园。",
            sent_start=150,
            precision=6,
            reason="no place named in the sentence",
        ),
    ]
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    # An empty Point stands for "unplaced"; the contract says empty geometry.
    return frame


def _places() -> gpd.GeoDataFrame:
    rows = [
        {
            "adcode": code,
            "name": name,
            "level": level,
            "parent": parent,
            "mentions": mentions,
            "docs": docs,
            "geometry": Point(lon, lat),  # shapely is (x=lon, y=lat)
        }
        for code, name, level, parent, lon, lat, mentions, docs in _PLACES
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def _graph(places: gpd.GeoDataFrame) -> nx.Graph:
    graph = nx.Graph(crs="EPSG:4326")
    for row in places.itertuples():
        if row.level == "province":
            continue
        graph.add_node(
            row.adcode,
            name=row.name,
            level=row.level,
            lon=row.geometry.x,
            lat=row.geometry.y,
            mentions=int(row.mentions),
            docs=row.docs,
            weighted_degree=0.0,
            betweenness=0.0,
            community=0 if row.adcode in {"420600", "420300", "421300", "429021"} else 1,
        )

    def evidence(doc: str, sentence: str, kind: str, project: str = "") -> dict[str, Any]:
        item = {"doc": doc, "start": 0, "end": len(sentence), "sentence": sentence, "kind": kind}
        if project:
            item["project"] = project  # the project whose sentence ties the two places
        return item

    hsr = "依托汉十高铁，强化襄阳与武汉的快速联系。"
    belt = "共建汉孝随襄十制造业高质量发展带。"
    circle = "带动襄十随神城市群协同发展。"
    # Kinds of tie, as geo.ties makes them: joint_project, cooperation, co_membership...
    edges = [
        ("420600", "420300", ["joint_project", "co_membership"], 3.0, [
            evidence("xiangyang.txt", hsr, "joint_project", "p-hanshi-hsr"),
            evidence("xiangyang.txt", circle, "co_membership", "p-xy-circle"),
        ]),
        ("420600", "421300", ["joint_project"], 2.0, [
            evidence("xiangyang.txt", hsr, "joint_project", "p-hanshi-hsr"),
        ]),
        ("420600", "420100", ["joint_project", "cooperation"], 4.0, [
            evidence("xiangyang.txt", hsr, "joint_project", "p-hanshi-hsr"),
            evidence("wuhan.txt", belt, "cooperation", "p-hanxiaosui-belt"),
        ]),
        ("420100", "420900", ["joint_project"], 1.5, [
            evidence("wuhan.txt", belt, "joint_project", "p-hanxiaosui-belt"),
        ]),
        ("420100", "420700", ["cooperation"], 2.5, [
            evidence("wuhan.txt", "武鄂同城，天河机场与花湖机场双枢纽联动。", "cooperation"),
        ]),
        ("420600", "420683", ["joint_project"], 1.0, [
            evidence("xiangyang.txt", _XSS_SENTENCE, "joint_project", "p-xss-park"),
        ]),
        ("420600", "429021", ["cooperation"], 1.0, [
            evidence("xiangyang.txt", "共建襄阳—神农架旅游线路。", "cooperation"),
        ]),
    ]  # fmt: skip
    for u, v, kinds, weight, ev in edges:
        graph.add_edge(u, v, kinds=kinds, weight=weight, evidence=ev)
    for node, degree in graph.degree(weight="weight"):
        graph.nodes[node]["weighted_degree"] = float(degree)
    for node, value in nx.betweenness_centrality(graph).items():
        graph.nodes[node]["betweenness"] = float(value)
    return graph


def fixture_atlas() -> Atlas:
    """Build the fixture atlas (fresh objects on every call)."""
    places = _places()
    projects = _projects()
    unplaced = projects[projects.geometry.is_empty]
    report = {
        "documents": len(DOCUMENTS),
        "projects": len(projects),
        "unplaced": len(unplaced),
        "unplaced_items": [
            {"name": row.name, "doc": row.doc, "reason": row.reason}
            for row in unplaced.itertuples()
        ],
    }
    return Atlas(
        places=places,
        projects=projects,
        graph=_graph(places),
        documents=DOCUMENTS,
        report=report,
    )


def save_fixture_atlas(path: str | os.PathLike[str]) -> Path:
    """Write the fixture atlas and its rough boundaries for the app (``PLANATLAS_ATLAS``)."""
    levels = {level: fixture_boundaries(level) for level in ("province", "county")}
    return save_atlas(fixture_atlas(), path, boundaries=levels)


def fixture_boundaries(level: str) -> gpd.GeoDataFrame:
    """Very rough boundaries for the 'none' basemap when the gazetteer is absent."""
    hubei = Polygon(
        [
            (108.4, 29.1),
            (116.1, 29.0),
            (116.1, 31.4),
            (114.6, 32.0),
            (112.6, 33.2),
            (110.6, 33.3),
            (109.1, 32.5),
            (108.4, 30.4),
        ]
    )
    if level == "province":
        rows = [{"adcode": "420000", "name": "湖北省", "level": "province", "geometry": hubei}]
    else:
        rows = [
            {
                "adcode": "420600",
                "name": "襄阳市",
                "level": level,
                "geometry": Polygon([(110.9, 31.2), (113.1, 31.2), (113.1, 32.6), (110.9, 32.6)]),
            },
            {
                "adcode": "420100",
                "name": "武汉市",
                "level": level,
                "geometry": Polygon(
                    [(113.7, 29.97), (115.08, 29.97), (115.08, 31.36), (113.7, 31.36)]
                ),
            },
        ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
