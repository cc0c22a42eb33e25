"""A networkx graph of the places plans name and the typed, evidenced ties between them.

Nodes are the admin units the documents mention (key: 6-digit adcode). An edge joins two
units that the plans tie together, with every sentence that says so. Kinds of tie:

``cooperation``
    An explicit joint verb (合作, 共建, 共同, 联动, 对接, 携手, 协同, 一体化, 同城化,
    联手, 互动, 共享, 衔接, 毗邻, …) in one clause (a stretch of a sentence between
    commas, semicolons or colons) with the places it joins: the places on either side of
    a partner word (黄石、鄂州、黄冈等地 **与** 九江跨江合作; 武汉 **联手** 宜昌、鄂州),
    or, with no partner word, every place of the clause (推动武汉、长株潭都市圈协同发展),
    including the members of one compound mention (襄南共同推动: 襄阳—南阳).
``co_partner``
    Weaker: two places named on the *same* side of such a clause (黄石—鄂州 above).
    With no place before the partner word (加强与重庆、广西对接: the partner is the
    unnamed issuer), the places after it are not tied to each other.
``joint_project``
    Both are places of one project row (an expressway 襄阳至南漳 ties 襄阳—南漳).
``co_membership``
    Both are members of one ``metro_circle``, ``corridor`` or ``city_cluster`` row.
``co_mention``
    Named in one sentence with no joint verb tying them there. Weak and noisy, so kept
    apart (in ``G.graph["co_mention"]``) and left out of edges unless asked for.

Hierarchy is not a tie. A unit is never tied to its province (襄阳—湖北), and a place
written right before one of its own units only qualifies it (湖北随州, 武汉市江汉区). A
city and one of its own counties are tied only when named as peers: in one compound
(襄宜南一体: 襄阳, 宜城, 南漳), as the ends of one line project (襄阳至南漳高速) or as
members of one area; named apart (怀化市推进鹤中一体化) the city is the county's parent,
not its partner. Counties stay nodes of their own (鹤城区—中方县).

Nodes are the units the documents mention, plus any place of a project row that no
mention names (with ``mentions`` 0). Weights: see :data:`WEIGHT_FORMULA`; a project of
many places (a river, a circle of ten cities) adds many ties, each a small share.
Evidence spans are sentences of the documents, so
``document.text[e["start"]:e["end"]] == e["sentence"]``.

Coordinates on nodes are the seats of the units in WGS-84 (``lon`` is x, ``lat`` is y).
"""

from __future__ import annotations

import bisect
import itertools
import json
import logging
import math
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

import networkx as nx

from ._errors import ExportError

if TYPE_CHECKING:
    import geopandas as gpd

    from .gazetteer import Gazetteer, Unit
    from .mentions import Mention
    from .text import Document, Sentence

__all__ = [
    "KIND_WEIGHTS",
    "LINE_KINDS",
    "MEMBERSHIP_KINDS",
    "TIE_KINDS",
    "WEIGHT_FORMULA",
    "add_metrics",
    "build_graph",
    "graph_to_graphml_bytes",
    "read_graphml",
    "ties_of",
    "ties_to_gdf",
    "with_co_mention",
    "write_ties",
]

log = logging.getLogger(__name__)

#: Weight of one supporting sentence (or area), per kind of tie.
KIND_WEIGHTS: dict[str, float] = {
    "cooperation": 3.0,
    "joint_project": 2.0,
    "co_partner": 1.5,
    "co_membership": 1.0,
    "co_mention": 0.25,
}
#: Every kind of tie, strongest first.
TIE_KINDS: tuple[str, ...] = tuple(KIND_WEIGHTS)

#: How an edge's ``weight`` is computed; stored in ``G.graph["weight_formula"]``.
WEIGHT_FORMULA = (
    "weight = sum over kinds k of w[k] * n[k]; n[k] counts the distinct (doc, sentence) spans "
    "that support the tie as kind k (a sentence counts once per kind), each 1, except that a "
    "project of p places counts 1/(p-1) (its evidence 'share'), and co_membership counts "
    "each distinct member list once, not once per sentence naming the area; "
    "w = " + ", ".join(f"{k} {w:g}" for k, w in KIND_WEIGHTS.items())
)

#: Project kinds whose places are members of an area rather than ends of a project.
MEMBERSHIP_KINDS = frozenset({"metro_circle", "corridor", "city_cluster"})
#: Project kinds that join the places they name, as the ends of a line (襄阳至南漳高速);
#: a project with a line geometry counts too.
LINE_KINDS = frozenset(
    {"expressway", "railway", "road", "bridge", "waterway", "power", "pipeline", "tourism"}
)

# Verbs (and set phrases) that say places act together. A longer form comes before its
# prefix, so that 一体化 wins over 一体.
# Negative lookaheads drop the noun senses (农民合作社, 共享单车).
_JOINT_VERBS = (
    "互联互通", "跨江合作", "一体化", "同城化", "合作(?!社)", "共建", "共同(?!富裕)", "联动",
    "对接", "携手", "牵手", "联手", "协同", "协作", "一体", "同城", "双城", "互动",
    "共享(?!单车)", "衔接", "毗邻", "联合", "合力", "共治", "共保", "共育", "共推", "共商",
    "共促", "共筑", "共创", "共赢", "互补", "融合", "融入", "结对", "对口", "联防", "联控",
    "抱团", "联建",
)
_JOINT_VERB = re.compile("|".join(_JOINT_VERBS))
# Words between places that put the places after them on the other side of the tie.
# 与 is left out where it is part of a word (参与, 给与, 与会).
_PARTNER = re.compile(r"(?<![参给赋])与(?!会)|联手|携手|牵手|对接|融入|会同|联合|对口|结对")
_PARTNER_AFTER = re.compile(r"(?<![参给赋])与(?!会)")  # 武汉、鄂州与周边城市合作
# Clauses end at commas, colons, semicolons and brackets (a bracketed aside, such as a list
# of the offices in charge, is a clause of its own), and before a list number (4.提升).
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?\n（）()【】]|(?<!\d)(?=\d{1,2}[.、．](?!\d))")

_LINES = frozenset({"LineString", "MultiLineString"})


# --------------------------------------------------------------------------- helpers


def _contains(outer: Unit, inner: Unit) -> bool:
    """Whether `outer` is the province of `inner` (and not a city such as 重庆 itself)."""
    return (
        outer.level == "province"
        and not outer.city_like
        and outer.adcode != inner.adcode
        and outer.adcode == inner.province
    )


def _related(a: Unit, b: Unit, *, peers: bool = False) -> bool:
    """Whether two units are one, or one contains the other: hierarchy, not a tie.

    Places named apart are hierarchy when one is an ancestor of the other (怀化市 and
    鹤城区 in 怀化市推进鹤中一体化). Places named as `peers` (in one compound such as
    襄宜南, or as the ends of one line such as 襄阳至南漳高速) can be a city and its own
    county: there the city's name stands for its central city, a place apart from the
    county; only a province and its units stay hierarchy.
    """
    if a.adcode == b.adcode:
        return True
    if peers:
        return _contains(a, b) or _contains(b, a)
    return a.adcode in b.ancestors or b.adcode in a.ancestors


def _drop_qualifiers(clean: str, mentions: Sequence[Mention]) -> list[Mention]:
    """Drop a place written right before one of its own units (湖北随州, 武汉市江汉区)."""
    kept: list[Mention] = []
    for i, m in enumerate(mentions):
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if (
            nxt is not None
            and not clean[m.end : nxt.start].strip()
            and all(any(u.adcode in v.ancestors for v in nxt.units) for u in m.units)
        ):
            continue
        kept.append(m)
    return kept


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _key(kind: str, item: Mapping[str, Any]) -> tuple[str, ...]:
    """Return what one evidence item counts once: its sentence, or an area's member list."""
    if kind == "co_membership" and item.get("members"):
        # an area's member list is one fact, however many sentences name the area
        return ("members", str(item["members"]))
    return (str(item["doc"]), str(item["start"]), str(item["end"]))


class _Ties:
    """Evidence per pair and kind: one item per sentence, or per member list of an area."""

    def __init__(self) -> None:
        self.evidence: dict[tuple[str, str], dict[str, dict[tuple[str, ...], dict]]] = (
            defaultdict(lambda: defaultdict(dict))
        )

    def add(
        self, a: Unit, b: Unit, kind: str, item: dict[str, Any], *, peers: bool = False
    ) -> bool:
        if _related(a, b, peers=peers):
            return False
        key = _key(kind, item)
        slot = self.evidence[_pair(a.adcode, b.adcode)][kind]
        # one sentence counts once per kind: keep its first reading, or the larger share
        if key not in slot or _share(item) > _share(slot[key]):
            slot[key] = {**item, "kind": kind}
        return True

    def has(self, a: str, b: str, kinds: Iterable[str], key: tuple[str, ...]) -> bool:
        found = self.evidence.get(_pair(a, b))
        if not found:
            return False
        return any(key in found.get(k, {}) for k in kinds)


def _share(item: Mapping[str, Any]) -> float:
    return float(item.get("share", 1.0))


def _edge_data(by_kind: Mapping[str, Mapping[Any, dict]]) -> dict[str, Any]:
    kinds = sorted(k for k, items in by_kind.items() if items)
    weight = sum(KIND_WEIGHTS[k] * sum(_share(e) for e in by_kind[k].values()) for k in kinds)
    # strongest kind first, then in document order: the first item is the best quote
    evidence = sorted(
        (item for k in kinds for item in by_kind[k].values()),
        key=lambda e: (TIE_KINDS.index(e["kind"]), -_share(e), str(e["doc"]), int(e["start"])),
    )
    return {"kinds": kinds, "weight": round(float(weight), 9), "evidence": evidence}


# --------------------------------------------------------------------------- reading text


def _joint_pairs(
    clean: str, start: int, end: int, mentions: Sequence[Mention]
) -> tuple[str | None, list[tuple[Unit, Unit, str, bool]]]:
    """Ties that one clause states: ``(cue, [(unit, unit, kind, peers), ...])``.

    ``peers`` is true for two members of one compound mention (see :func:`_related`).

    `mentions` are the mentions starting in ``clean[start:end]``, in order.
    """
    if not mentions:
        return None, []
    covered = [(m.start, m.end) for m in mentions]
    cue = None
    for match in _JOINT_VERB.finditer(clean, start, end):
        if not any(s < match.end() and match.start() < e for s, e in covered):
            cue = match.group()
            break
    if cue is None:
        return None, []

    kept = _drop_qualifiers(clean, mentions)

    pairs: list[tuple[Unit, Unit, str, bool]] = []
    # The members of one compound (襄南, 鹤中, 长株潭) act together.
    for m in kept:
        for a, b in itertools.combinations(m.units, 2):
            pairs.append((a, b, "cooperation", True))

    split = None  # kept[:split] on one side of the partner word, kept[split:] on the other
    for k, m in enumerate(kept):
        gap_start = kept[k - 1].end if k else start
        if _PARTNER.search(clean, gap_start, m.start):
            split = k
            break
    if split is None and _PARTNER_AFTER.search(clean, kept[-1].end, end):
        split = len(kept)

    def cross(left: Sequence[Mention], right: Sequence[Mention], kind: str) -> None:
        for ma in left:
            for mb in right:
                for a in ma.units:
                    for b in mb.units:
                        pairs.append((a, b, kind, False))

    def among(side: Sequence[Mention], kind: str) -> None:
        for i, ma in enumerate(side):
            cross([ma], side[i + 1 :], kind)

    if split is None:
        among(kept, "cooperation")  # 推动武汉、长株潭都市圈协同发展
    else:
        left, right = kept[:split], kept[split:]
        cross(left, right, "cooperation")
        among(left, "co_partner")
        if left:  # with no one named before 与, the places after it are separate partners
            among(right, "co_partner")
    return cue, pairs


def _clauses(
    clean: str, sentence: Sentence, mentions: Sequence[Mention]
) -> list[tuple[int, int]]:
    out, start = [], sentence.start
    for match in _CLAUSE_BREAK.finditer(clean, sentence.start, sentence.end):
        cut = match.end()
        if any(m.start < cut < m.end for m in mentions):
            continue  # a bracket inside 宜(昌)来(凤)
        if cut > start:
            out.append((start, cut))
        start = cut
    if start < sentence.end:
        out.append((start, sentence.end))
    return out


def _read_document(
    doc: Document, mentions: Sequence[Mention], ties: _Ties, co_mention: _Ties
) -> None:
    """Add the cooperation, co_partner and co_mention ties stated in one document."""
    starts = [s.start for s in doc.sentences]
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        k = bisect.bisect_right(starts, m.start) - 1
        if k >= 0 and m.start < doc.sentences[k].end:
            by_sentence[k].append(m)

    for k, found in sorted(by_sentence.items()):
        sentence = doc.sentences[k]
        item = {
            "doc": doc.name,
            "start": sentence.start,
            "end": sentence.end,
            "sentence": doc.sentence_text(sentence),
        }
        key = (doc.name, str(sentence.start), str(sentence.end))
        if len({u.adcode for m in found for u in m.units}) < 2:
            continue
        for c_start, c_end in _clauses(doc.clean, sentence, found):
            in_clause = [m for m in found if c_start <= m.start < c_end]
            cue, pairs = _joint_pairs(doc.clean, c_start, c_end, in_clause)
            for a, b, kind, peers in pairs:
                ties.add(a, b, kind, {**item, "cue": cue}, peers=peers)
        named = _drop_qualifiers(doc.clean, found)
        units = list({u.adcode: u for m in named for u in m.units}.values())
        for a, b in itertools.combinations(units, 2):
            if not ties.has(a.adcode, b.adcode, ("cooperation", "co_partner"), key):
                co_mention.add(a, b, "co_mention", item)


# --------------------------------------------------------------------------- projects


def _split_places(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        parts: Iterable[Any] = value.split(";")
    else:
        parts = value
    return list(dict.fromkeys(str(p).strip() for p in parts if str(p).strip()))


def _project_sources(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    raw = row.get("sources")
    sources: list[dict[str, Any]] = []
    if isinstance(raw, str) and raw.strip():
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError:
            log.warning("project %r: sources is not JSON; using doc/start/end", row.get("id"))
            parsed = []
        sources = [s for s in parsed if isinstance(s, dict)] if isinstance(parsed, list) else []
    elif isinstance(raw, list):
        sources = [s for s in raw if isinstance(s, dict)]
    if not sources and row.get("doc") is not None:
        sources = [{k: row.get(k) for k in ("doc", "start", "end", "sentence")}]
    return sources


def _sentence_item(source: Mapping[str, Any], docs: Mapping[str, Document]) -> dict | None:
    """Evidence for a project source: the sentence around its start, when the doc is here."""
    name = source.get("doc")
    if not isinstance(name, str) or not name:
        return None
    try:
        start = int(source["start"])
        end = int(source["end"])
    except (KeyError, TypeError, ValueError):
        return None
    doc = docs.get(name)
    if doc is not None and doc.sentences and 0 <= start < len(doc.text):
        s = doc.sentence_at(start)
        return {"doc": doc.name, "start": s.start, "end": s.end, "sentence": doc.sentence_text(s)}
    sentence = str(source.get("sentence", ""))
    return {"doc": name, "start": start, "end": end, "sentence": sentence}


def _read_projects(
    projects: gpd.GeoDataFrame,
    docs: Mapping[str, Document],
    unit_of: Callable[[str], Unit | None],
    ties: _Ties,
) -> int:
    used = 0
    try:
        geometry_column = projects.geometry.name
    except AttributeError:  # a plain DataFrame, or no active geometry column
        geometry_column = "geometry"
    for row in projects.to_dict("records"):
        codes = _split_places(row.get("places"))
        units = [u for u in (unit_of(c) for c in codes) if u is not None]
        if len(units) < 2:
            continue
        kind = "co_membership" if row.get("kind") in MEMBERSHIP_KINDS else "joint_project"
        # Members of one area, and the ends of a line (襄阳至南漳高速), are named as peers;
        # a site in 南漳 listed as lying in 襄阳 too is not a tie between them.
        geometry = row.get(geometry_column)
        peers = (
            kind == "co_membership"
            or row.get("kind") in LINE_KINDS
            or getattr(geometry, "geom_type", "") in _LINES
        )
        tagged = {
            "project": str(row.get("id", "")),
            "project_name": str(row.get("name", "")),
            # a project of n places adds n - 1 ties per place, each 1 / (n - 1) of its
            # weight, so a river or a circle of ten cities does not swamp a link of two
            "share": 1.0 / (len(units) - 1),
        }
        if kind == "co_membership":
            tagged["members"] = ";".join(sorted(u.adcode for u in units))
        for source in _project_sources(row):
            item = _sentence_item(source, docs)
            if item is None:
                continue
            for a, b in itertools.combinations(units, 2):
                ties.add(a, b, kind, {**item, **tagged}, peers=peers)
        used += 1
    return used


# --------------------------------------------------------------------------- the graph


class _Parts(Protocol):
    """What :func:`geo.atlas.build` read: documents, their mentions and project rows."""

    documents: Sequence[Document]
    mentions: Mapping[str, Sequence[Mention]]
    projects: gpd.GeoDataFrame | None


def build_graph(
    documents: Sequence[Document] | _Parts,
    mentions: Mapping[str, Sequence[Mention]] | None = None,
    projects: gpd.GeoDataFrame | None = None,
    *,
    gazetteer: Gazetteer | None = None,
    include_co_mention: bool = False,
) -> nx.Graph:
    """Build the graph of places and the ties the plans state between them.

    Parameters
    ----------
    documents
        The documents read, each with a distinct ``name``; or, with `mentions` left
        out, an object with ``documents``, ``mentions`` and ``projects`` attributes
        (the ``AtlasParts`` that :mod:`geo.atlas` passes).
    mentions
        The place mentions of each document, keyed by document name (from
        :func:`geo.mentions.find_mentions`). A document missing here has none.
    projects
        Optional project rows with at least ``places`` (';'-joined adcodes) and
        ``kind``, and ``sources`` (JSON list of ``{doc, start, end, sentence}``) or
        ``doc``/``start``/``end``/``sentence``: they add ``joint_project`` and
        ``co_membership`` ties. The frame is not modified.
    gazetteer
        Looks up project places that no mention names; loaded only when needed.
    include_co_mention
        Merge the weak ``co_mention`` ties into the edges. By default they are kept
        apart in ``G.graph["co_mention"]`` (see :func:`with_co_mention`).

    Returns
    -------
    networkx.Graph
        Nodes keyed by adcode with ``adcode``, ``name``, ``level``, ``lon``, ``lat``
        (WGS-84 seat), ``mentions`` (count), ``docs`` (sorted list) and the metrics of
        :func:`add_metrics`; edges with ``kinds`` (sorted list), ``weight``
        (:data:`WEIGHT_FORMULA`) and ``evidence`` (list of ``{doc, start, end,
        sentence, kind}``, plus ``cue`` or ``project``). ``G.graph`` holds
        ``documents``, ``built`` (ISO time, UTC), ``crs``, ``weight_formula``,
        ``include_co_mention`` and ``co_mention``.

    Raises
    ------
    TypeError
        If `mentions` is left out and `documents` does not carry them.
    ValueError
        If two documents share a name, or a mention lies outside its document.

    Examples
    --------
    >>> from geo.text import document_from_text
    >>> from geo.mentions import find_mentions
    >>> doc = document_from_text("武汉联手宜昌、鄂州加快发展生物医药产业。", name="plan")
    >>> G = build_graph([doc], {"plan": find_mentions(doc.text, clean=doc.clean)})
    >>> sorted(G["420100"])
    ['420500', '420700']
    >>> G.edges["420100", "420500"]["kinds"], G.edges["420100", "420500"]["weight"]
    (['cooperation'], 3.0)
    """
    if mentions is None:
        if not (hasattr(documents, "documents") and hasattr(documents, "mentions")):
            msg = (
                "build_graph() needs the mentions of each document: pass "
                "build_graph(documents, mentions, projects), or one object with "
                "documents, mentions and projects attributes"
            )
            raise TypeError(msg)
        parts = cast(_Parts, documents)
        documents, mentions = parts.documents, parts.mentions
        if projects is None:
            projects = getattr(parts, "projects", None)
    docs: dict[str, Document] = {}
    for doc in cast("Sequence[Document]", documents):
        if doc.name in docs:
            msg = (
                f"two documents are named {doc.name!r}; mentions are keyed by document "
                "name, so give each document a distinct name"
            )
            raise ValueError(msg)
        docs[doc.name] = doc

    units: dict[str, Unit] = {}
    counts: dict[str, int] = defaultdict(int)
    seen_in: dict[str, set[str]] = defaultdict(set)
    ties, co_mention = _Ties(), _Ties()
    for name, doc in docs.items():
        found = list(mentions.get(name, ()))
        if name not in mentions:
            log.warning("no mentions given for document %r; it adds no places", name)
        for m in found:
            if not 0 <= m.start < m.end <= len(doc.text) or doc.text[m.start : m.end] != m.text:
                msg = (
                    f"mention {m.text!r} at {m.start}:{m.end} is not in document {name!r} "
                    f"({len(doc.text)} characters); pass the mentions found in that "
                    "document's own text"
                )
                raise ValueError(msg)
            for u in m.units:
                units.setdefault(u.adcode, u)
                counts[u.adcode] += 1
                seen_in[u.adcode].add(name)
        _read_document(doc, sorted(found, key=lambda m: (m.start, m.end)), ties, co_mention)

    n_projects = 0
    if projects is not None and len(projects):

        def unit_of(code: str) -> Unit | None:
            nonlocal gazetteer
            if code in units:
                return units[code]
            if gazetteer is None:  # only for places no mention names
                from .gazetteer import load_gazetteer

                gazetteer = load_gazetteer()
            unit = gazetteer.units.get(code)
            if unit is None:
                log.warning("project place %r is not in the gazetteer; left out", code)
                return None
            units[code] = unit
            return unit

        n_projects = _read_projects(projects, docs, unit_of, ties)

    G = nx.Graph()
    G.graph.update(
        {
            "documents": list(docs),
            "built": datetime.now(UTC).isoformat(timespec="seconds"),
            "crs": "EPSG:4326",
            "weight_formula": WEIGHT_FORMULA,
            "projects": n_projects,
            "include_co_mention": False,
            "co_mention": [],
        }
    )
    for code in sorted(units):
        u = units[code]
        G.add_node(
            code,
            adcode=code,
            name=u.name,
            level=u.level,
            lon=float(u.lon),  # WGS-84, x
            lat=float(u.lat),  # WGS-84, y
            mentions=counts.get(code, 0),
            docs=sorted(seen_in.get(code, ())),
        )
    for (a, b), by_kind in sorted(ties.evidence.items()):
        G.add_edge(a, b, **_edge_data(by_kind))
    G.graph["co_mention"] = [
        {"u": a, "v": b, **_edge_data(by_kind)}
        for (a, b), by_kind in sorted(co_mention.evidence.items())
    ]
    log.info(
        "tie graph: %d places, %d ties, %d co-mention pairs kept apart, from %d documents "
        "and %d projects",
        G.number_of_nodes(),
        G.number_of_edges(),
        len(G.graph["co_mention"]),
        len(docs),
        n_projects,
    )
    if include_co_mention:
        return with_co_mention(G)
    _annotate(G)
    return G


def with_co_mention(G: nx.Graph) -> nx.Graph:
    """Return a copy of `G` with its kept-apart ``co_mention`` ties merged into the edges.

    Metrics are computed again on the merged graph. A graph with nothing kept apart
    (already merged, or read back from GraphML) comes back as an annotated copy.

    Parameters
    ----------
    G
        A graph from :func:`build_graph`; not modified.

    Returns
    -------
    networkx.Graph
        ``G.graph["include_co_mention"]`` is True and ``G.graph["co_mention"]`` empty.
    """
    H = G.copy()
    H.graph = dict(G.graph)
    side = H.graph.pop("co_mention", None) or []
    for tie in side:
        u, v = tie["u"], tie["v"]
        if u not in H or v not in H:
            continue
        by_kind: dict[str, dict[tuple[str, ...], dict]] = defaultdict(dict)
        if H.has_edge(u, v):
            for e in H.edges[u, v]["evidence"]:
                by_kind[e["kind"]][_key(e["kind"], e)] = e
        for e in tie["evidence"]:
            by_kind[e["kind"]].setdefault(_key(e["kind"], e), e)
        H.add_edge(u, v, **_edge_data(by_kind))
    H.graph["co_mention"] = []
    H.graph["include_co_mention"] = bool(side) or bool(G.graph.get("include_co_mention"))
    _annotate(H)
    return H


# --------------------------------------------------------------------------- metrics


def _annotate(G: nx.Graph) -> None:
    """Compute the metrics of :func:`add_metrics` on `G` itself (a graph we own)."""
    degree = dict(G.degree(weight="weight"))
    # shortest paths run over distance = 1 / weight: a strong tie is a short hop
    D = nx.Graph()
    D.add_nodes_from(G)
    D.add_edges_from((u, v, {"distance": 1.0 / w}) for u, v, w in G.edges(data="weight") if w > 0)
    betweenness = nx.betweenness_centrality(D, weight="distance", normalized=True)
    communities = nx.community.louvain_communities(G, weight="weight", seed=42)
    ordered = sorted(communities, key=lambda c: (-len(c), min(c)))
    community = {node: i for i, members in enumerate(ordered) for node in members}
    for node, data in G.nodes(data=True):
        data["weighted_degree"] = round(float(degree.get(node, 0.0)), 6)
        data["betweenness"] = float(betweenness.get(node, 0.0))
        data["community"] = int(community.get(node, -1))


def add_metrics(G: nx.Graph) -> nx.Graph:
    """Return a copy of `G` with node metrics.

    ``weighted_degree`` is the sum of the weights of a node's ties; ``betweenness`` is
    normalised betweenness centrality over shortest paths with distance ``1 / weight``;
    ``community`` numbers the Louvain communities (``seed=42``, weight ``weight``),
    largest first.

    Parameters
    ----------
    G
        A tie graph; not modified.

    Returns
    -------
    networkx.Graph
        A copy with the three node attributes set.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", weight=3.0)
    >>> G.add_edge("b", "c", weight=1.0)
    >>> H = add_metrics(G)
    >>> H.nodes["b"]["weighted_degree"], H.nodes["b"]["betweenness"]
    (4.0, 1.0)
    """
    H = G.copy()
    _annotate(H)
    return H


def _resolve(G: nx.Graph, place: str) -> str:
    if place in G:
        return place
    exact = [n for n, name in G.nodes(data="name") if name == place]
    found = exact or [n for n, name in G.nodes(data="name") if str(name).startswith(place)]
    if len(found) == 1:
        return found[0]
    if not found:
        msg = (
            f"no place {place!r} in the graph; pass an adcode such as '420600' or a "
            "name of one of its nodes such as '襄阳市' or '襄阳'"
        )
    else:
        names = ", ".join(f"{n} {G.nodes[n]['name']}" for n in sorted(found))
        msg = f"{place!r} names several places in the graph ({names}); pass the adcode"
    raise ValueError(msg)


def ties_of(G: nx.Graph, place: str, *, with_co_mention: bool = False) -> list[dict[str, Any]]:
    """List the ties of one place, strongest first, with their evidence.

    Parameters
    ----------
    G
        A graph from :func:`build_graph`.
    place
        An adcode, a node's name (襄阳市) or the start of exactly one name (襄阳).
    with_co_mention
        Also list the kept-apart ``co_mention`` ties.

    Returns
    -------
    list of dict
        One per tie: ``adcode`` and ``name`` of the other place, ``kinds``, ``weight``,
        ``evidence``; sorted by weight (descending), then adcode.

    Raises
    ------
    ValueError
        If `place` names no node, or several.
    """
    G = _prepared(G, with_co_mention)
    node = _resolve(G, place)
    out = [
        {
            "adcode": other,
            "name": G.nodes[other].get("name", other),
            "kinds": list(data["kinds"]),
            "weight": float(data["weight"]),
            "evidence": list(data["evidence"]),
        }
        for other, data in G[node].items()
    ]
    return sorted(out, key=lambda t: (-t["weight"], t["adcode"]))


# --------------------------------------------------------------------------- export


def _prepared(G: nx.Graph, merge: bool) -> nx.Graph:
    # the public functions call this: their keyword with_co_mention shadows the function
    if merge and G.graph.get("co_mention"):
        return with_co_mention(G)
    return G


def graph_to_graphml_bytes(G: nx.Graph, *, with_co_mention: bool = False) -> bytes:
    """GraphML of a tie graph, UTF-8.

    GraphML holds no lists: edge ``kinds`` and node ``docs`` (and the graph's
    ``documents``) are ';'-joined, edge ``evidence`` is a JSON string.
    :func:`read_graphml` reads them back. The kept-apart co-mention ties are written
    only as edges, when `with_co_mention` is true.

    Parameters
    ----------
    G
        A graph from :func:`build_graph`; not modified.
    with_co_mention
        Merge the kept-apart ``co_mention`` ties first (see :func:`with_co_mention`).

    Returns
    -------
    bytes
        A GraphML document.
    """
    G = _prepared(G, with_co_mention)
    out = nx.Graph()
    for key, value in G.graph.items():
        if key == "co_mention" or value is None:
            continue
        if key == "documents":
            value = ";".join(value)
        elif isinstance(value, (list, dict, tuple)):
            value = json.dumps(value, ensure_ascii=False)
        out.graph[key] = value
    for node, data in G.nodes(data=True):
        attrs = {k: v for k, v in data.items() if v is not None}
        attrs["docs"] = ";".join(data.get("docs") or ())
        out.add_node(node, **attrs)
    for u, v, data in G.edges(data=True):
        attrs = {k: w for k, w in data.items() if w is not None}
        attrs["kinds"] = ";".join(data.get("kinds") or ())
        attrs["evidence"] = json.dumps(data.get("evidence") or [], ensure_ascii=False)
        out.add_edge(u, v, **attrs)
    return "\n".join(nx.generate_graphml(out, encoding="utf-8")).encode("utf-8") + b"\n"


def read_graphml(path: str | os.PathLike[str]) -> nx.Graph:
    """Read a GraphML file written by :func:`write_ties`, lists and evidence parsed back.

    Parameters
    ----------
    path
        A ``.graphml`` file.

    Returns
    -------
    networkx.Graph
        Edge ``kinds`` and node ``docs`` as lists, edge ``evidence`` as a list of dicts,
        ``G.graph["documents"]`` as a list.
    """
    G = nx.read_graphml(path)
    for key in ("node_default", "edge_default"):  # added by the reader, not ours
        if not G.graph.get(key):
            G.graph.pop(key, None)
    G.graph["documents"] = _list(G.graph.get("documents"))
    for _, data in G.nodes(data=True):
        data["docs"] = _list(data.get("docs"))
    for _, _, data in G.edges(data=True):
        data["kinds"] = _list(data.get("kinds"))
        data["evidence"] = json.loads(data.get("evidence") or "[]")
    return G


def _list(value: Any) -> list[str]:
    """Split a ';'-joined string into a list; read a JSON list (another writer's) too."""
    if not isinstance(value, str) or not value:
        return []
    if value.startswith("["):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            parsed = None
        if isinstance(parsed, list):
            return [str(v) for v in parsed]
    return value.split(";")


def _tie_records(G: nx.Graph) -> list[dict[str, Any]]:
    rows = []
    for u, v, data in G.edges(data=True):
        a, b = G.nodes[u], G.nodes[v]
        if None in (a.get("lon"), a.get("lat"), b.get("lon"), b.get("lat")):
            continue  # a place without a seat cannot be drawn
        evidence = data.get("evidence") or []
        rows.append(
            {
                "u": str(u),
                "v": str(v),
                "u_name": str(a.get("name", u)),
                "v_name": str(b.get("name", v)),
                "kinds": ";".join(data.get("kinds") or ()),
                "weight": float(data.get("weight", 0.0)),
                "docs": ";".join(dict.fromkeys(str(e["doc"]) for e in evidence)),
                # ids of the projects the evidence comes from
                "projects": ";".join(
                    dict.fromkeys(str(e["project"]) for e in evidence if e.get("project"))
                ),
                "evidence": json.dumps(evidence, ensure_ascii=False, default=str),
                # (x, y) = (lon, lat), WGS-84
                "coords": [(float(a["lon"]), float(a["lat"])), (float(b["lon"]), float(b["lat"]))],
            }
        )
    return sorted(rows, key=lambda r: (-r["weight"], r["u"], r["v"]))


def ties_to_gdf(G: nx.Graph, *, with_co_mention: bool = False) -> gpd.GeoDataFrame:
    """Return the ties of `G` as straight lines between the seats of their places.

    Parameters
    ----------
    G
        A graph from :func:`build_graph`; not modified.
    with_co_mention
        Merge the kept-apart ``co_mention`` ties first.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, strongest first, columns ``u``, ``v``, ``u_name``, ``v_name``,
        ``kinds`` (';'-joined), ``weight``, ``docs`` and ``projects`` (ids of the
        projects behind the evidence; both ';'-joined), ``evidence`` (JSON string) and
        ``geometry`` (LineString, lon/lat).
    """
    import geopandas as gpd
    from shapely.geometry import LineString

    rows = _tie_records(_prepared(G, with_co_mention))
    geometry = [LineString(r.pop("coords")) for r in rows]
    columns = ["u", "v", "u_name", "v_name", "kinds", "weight", "docs", "projects", "evidence"]
    return gpd.GeoDataFrame(rows, columns=columns, geometry=geometry, crs="EPSG:4326")


def _geojson_bytes(G: nx.Graph) -> bytes:
    features = []
    for row in _tie_records(G):
        coords = [[round(x, 6), round(y, 6)] for x, y in row.pop("coords")]  # lon, lat
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": row,
            }
        )
    # RFC 7946: WGS-84 lon/lat, no "crs" member
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


_FORMATS = ("graphml", "geojson")


def write_ties(
    G: nx.Graph,
    path: str | os.PathLike[str],
    *,
    format: str = "graphml",
    with_co_mention: bool = False,
) -> Path:
    """Write the ties of `G` as GraphML or as GeoJSON lines between seats.

    Parameters
    ----------
    G
        A graph from :func:`build_graph`; not modified.
    path
        The file to write; its folder must exist.
    format
        ``"graphml"`` (:func:`graph_to_graphml_bytes`) or ``"geojson"`` (an RFC 7946
        FeatureCollection of LineStrings with the columns of :func:`ties_to_gdf`).
    with_co_mention
        Merge the kept-apart ``co_mention`` ties first.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ExportError
        If `format` is unknown or the folder of `path` does not exist.
    """
    if format not in _FORMATS:
        msg = f"format={format!r} is not a tie format; pass one of {', '.join(map(repr, _FORMATS))}"
        raise ExportError(msg)
    target = Path(path)
    if not target.parent.is_dir():
        msg = f"cannot write {str(target)!r}: folder {str(target.parent)!r} does not exist"
        raise ExportError(msg)
    H = _prepared(G, with_co_mention)
    data = graph_to_graphml_bytes(H) if format == "graphml" else _geojson_bytes(H)
    try:
        target.write_bytes(data)
    except OSError as exc:
        msg = f"cannot write {str(target)!r}: {exc.strerror}"
        raise ExportError(msg) from exc
    log.info("%d ties of %d places -> %s", H.number_of_edges(), H.number_of_nodes(), target)
    return target
