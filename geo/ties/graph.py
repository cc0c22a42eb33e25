"""Assemble the tie graph from the documents, their mentions and their projects; metrics.

Nodes are the admin units the documents mention (key: 6-digit adcode), plus any place of a
project that no mention names (with ``mentions`` 0). An edge joins two units that the
plans tie together, with every sentence that says so (:mod:`geo.ties.text`,
:mod:`geo.ties.projects`); weights follow :data:`geo.ties.WEIGHT_FORMULA`. Evidence spans
are sentences of the documents, so ``document.text[e["start"]:e["end"]] == e["sentence"]``.

Hierarchy is not a tie: a unit is never tied to its province (襄阳—湖北). Counties stay
nodes of their own (鹤城区—中方县). Coordinates on nodes are the seats of the units in
WGS-84 (``lon`` is x, ``lat`` is y).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import networkx as nx

from ..crs import CRS
from ._store import WEIGHT_FORMULA, Evidence, TieStore, edge_data, evidence_key
from .projects import as_groups, read_project_ties
from .text import StatedTies, read_text_ties

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer, Unit
    from ..mentions import Mention
    from ..projects import Project
    from ..text import Document

__all__ = ["add_metrics", "build_graph", "edges_of", "with_co_mention"]

log = logging.getLogger(__name__)

# Betweenness is exact for graphs of up to this many places, estimated from as many
# sampled sources above: a corpus of hundreds of documents has ~900 places.
_EXACT_BETWEENNESS = 250


def _check_mentions(doc: Document, found: Sequence[Mention]) -> None:
    for m in found:
        if not 0 <= m.start < m.end <= len(doc.text) or doc.text[m.start : m.end] != m.text:
            msg = (
                f"mention {m.text!r} at {m.start}:{m.end} is not in document {doc.name!r} "
                f"({len(doc.text)} characters); pass the mentions found in that "
                "document's own text"
            )
            raise ValueError(msg)


def build_graph(
    documents: Sequence[Document],
    mentions: Mapping[str, Sequence[Mention]],
    projects: Iterable[Project | Sequence[Project]] = (),
    *,
    gazetteer: Gazetteer | None = None,
    include_co_mention: bool = False,
    stated: Mapping[str, StatedTies] | None = None,
) -> nx.Graph:
    """Build the graph of places and the ties the plans state between them.

    Parameters
    ----------
    documents
        The documents read, each with a distinct ``name``.
    mentions
        The place mentions of each document, keyed by document name (from
        :func:`geo.mentions.find_mentions`). A document missing here has none.
    projects
        Typed project records (:func:`geo.projects.extract_projects`), or groups of
        records naming one project (:func:`geo.projects.merge_projects`): they add
        ``joint_project`` and ``co_membership`` ties whose evidence names the group's id
        (:func:`geo.projects.group_id`).
    gazetteer
        Looks up project places that no mention names; loaded only when needed.
    include_co_mention
        Merge the weak ``co_mention`` ties into the edges. By default they are kept
        apart in ``G.graph["co_mention"]`` (see :func:`with_co_mention`).
    stated
        The ties each document states, by name, as :func:`geo.ties.text.document_ties`
        found them (stored with the document's records); a document missing here is read.

    Returns
    -------
    networkx.Graph
        Nodes keyed by adcode with ``adcode``, ``name``, ``level``, ``lon``, ``lat``
        (WGS-84 seat), ``mentions`` (count), ``docs`` (sorted list) and the metrics of
        :func:`add_metrics`; edges with ``kinds`` (sorted list), ``weight``
        (:data:`geo.ties.WEIGHT_FORMULA`) and ``evidence`` (list of ``{doc, start, end,
        sentence, kind}``, plus ``cue`` or ``project``). ``G.graph`` holds
        ``documents``, ``built`` (ISO time, UTC), ``crs``, ``weight_formula``,
        ``projects``, ``include_co_mention`` and ``co_mention``.

    Raises
    ------
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
    docs: dict[str, Document] = {}
    for doc in documents:
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
    ties, co_mention = TieStore(), TieStore()
    for name, doc in docs.items():
        if name not in mentions:
            log.warning("no mentions given for document %r; it adds no places", name)
        found = sorted(mentions.get(name, ()), key=lambda m: (m.start, m.end))
        _check_mentions(doc, found)
        for m in found:
            for u in m.units:
                units.setdefault(u.adcode, u)
                counts[u.adcode] += 1
                seen_in[u.adcode].add(name)
        if stated is not None and name in stated:
            stated_ties, stated_co = stated[name]
            ties.update(stated_ties)
            co_mention.update(stated_co)
        else:
            read_text_ties(doc, found, ties, co_mention)

    def unit_of(code: str) -> Unit | None:
        nonlocal gazetteer
        if code in units:
            return units[code]
        if gazetteer is None:  # only for places no mention names
            from ..gazetteer import load_gazetteer

            gazetteer = load_gazetteer()
        unit = gazetteer.units.get(code)
        if unit is None:
            log.warning("project place %r is not in the gazetteer; left out", code)
            return None
        units[code] = unit
        return unit

    n_projects = read_project_ties(as_groups(projects), unit_of, ties, docs)

    G = nx.Graph()
    G.graph.update(
        {
            "documents": list(docs),
            "built": datetime.now(UTC).isoformat(timespec="seconds"),
            "crs": CRS,
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
        G.add_edge(a, b, **edge_data(by_kind))
    G.graph["co_mention"] = [
        {"u": a, "v": b, **edge_data(by_kind)}
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
        by_kind: dict[str, dict[tuple[str, ...], Evidence]] = defaultdict(dict)
        if H.has_edge(u, v):
            for e in H.edges[u, v]["evidence"]:
                by_kind[e["kind"]][evidence_key(e["kind"], e)] = e
        for e in tie["evidence"]:
            by_kind[e["kind"]].setdefault(evidence_key(e["kind"], e), e)
        H.add_edge(u, v, **edge_data(by_kind))
    H.graph["co_mention"] = []
    H.graph["include_co_mention"] = bool(side) or bool(G.graph.get("include_co_mention"))
    _annotate(H)
    return H


def edges_of(G: nx.Graph, *, co_mention: bool = False) -> nx.Graph:
    """Return the graph whose edges a reader or writer takes.

    That is `G` itself, or `G` with its kept-apart co-mention ties merged
    (:func:`with_co_mention`) when asked and any are kept.
    """
    return with_co_mention(G) if co_mention and G.graph.get("co_mention") else G


def _annotate(G: nx.Graph) -> None:
    """Compute the metrics of :func:`add_metrics` on `G` itself (a graph we own)."""
    degree = dict(G.degree(weight="weight"))
    # shortest paths run over distance = 1 / weight: a strong tie is a short hop
    D = nx.Graph()
    D.add_nodes_from(G)
    D.add_edges_from((u, v, {"distance": 1.0 / w}) for u, v, w in G.edges(data="weight") if w > 0)
    # exact up to _EXACT_BETWEENNESS places; above, estimated from that many sources
    # (seeded, so the same graph gives the same figures): exact costs O(places x ties)
    k = None if len(D) <= _EXACT_BETWEENNESS else _EXACT_BETWEENNESS
    betweenness = nx.betweenness_centrality(D, k=k, weight="distance", normalized=True, seed=42)
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
    normalised betweenness centrality over shortest paths with distance ``1 / weight``
    (exact up to 250 places, estimated from 250 sampled sources, seed 42, above);
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
