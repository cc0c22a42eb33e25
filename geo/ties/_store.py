"""Evidence per pair of places and kind of tie, and the weight it adds up to.

The readers (:mod:`geo.ties.text`, :mod:`geo.ties.projects`) add evidence items to a
:class:`TieStore`; :mod:`geo.ties.graph` turns the store into edges.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..kinds import TIE_KINDS

if TYPE_CHECKING:
    from ..gazetteer import Unit

__all__ = ["KIND_WEIGHTS", "WEIGHT_FORMULA", "TieStore", "edge_data", "evidence_key", "related"]

#: Weight of one supporting sentence (or area), per kind of tie (:data:`geo.kinds.TIE_KINDS`).
KIND_WEIGHTS: dict[str, float] = {
    "cooperation": 3.0,
    "joint_project": 2.0,
    "co_partner": 1.5,
    "co_membership": 1.0,
    "co_mention": 0.25,
}
if tuple(KIND_WEIGHTS) != tuple(TIE_KINDS):  # one vocabulary: geo.kinds
    raise RuntimeError(f"KIND_WEIGHTS and geo.kinds.TIE_KINDS differ: {list(KIND_WEIGHTS)}")
_ORDER = {kind: i for i, kind in enumerate(TIE_KINDS)}

#: How an edge's ``weight`` is computed; stored in ``G.graph["weight_formula"]``.
WEIGHT_FORMULA = (
    "weight = sum over kinds k of w[k] * n[k]; n[k] counts the distinct (doc, sentence) spans "
    "that support the tie as kind k (a sentence counts once per kind), each 1, except that a "
    "project of p places counts 1/(p-1) (its evidence 'share'), and co_membership counts "
    "each distinct member list once, not once per sentence naming the area; "
    "w = " + ", ".join(f"{k} {w:g}" for k, w in KIND_WEIGHTS.items())
)

Pair = tuple[str, str]
Evidence = dict[str, Any]
#: A store's evidence as plain dicts: pair -> kind -> key -> item.
Evidences = dict[Pair, dict[str, dict[tuple[str, ...], Evidence]]]


def _contains(outer: Unit, inner: Unit) -> bool:
    """Whether `outer` is the province of `inner` (and not a city such as 重庆 itself)."""
    return (
        outer.level == "province"
        and not outer.city_like
        and outer.adcode != inner.adcode
        and outer.adcode == inner.province
    )


def related(a: Unit, b: Unit, *, peers: bool = False) -> bool:
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


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def evidence_key(kind: str, item: Mapping[str, Any]) -> tuple[str, ...]:
    """Return what one evidence item counts once: its sentence, or an area's member list."""
    if kind == "co_membership" and item.get("members"):
        # an area's member list is one fact, however many sentences name the area
        return ("members", str(item["members"]))
    return (str(item["doc"]), str(item["start"]), str(item["end"]))


def _share(item: Mapping[str, Any]) -> float:
    return float(item.get("share", 1.0))


class TieStore:
    """Evidence per pair and kind: one item per sentence, or per member list of an area."""

    def __init__(self) -> None:
        self.evidence: dict[Pair, dict[str, dict[tuple[str, ...], Evidence]]] = defaultdict(
            lambda: defaultdict(dict)
        )

    def add(self, a: Unit, b: Unit, kind: str, item: Evidence, *, peers: bool = False) -> bool:
        """Add one item of evidence for a tie of `kind`; False when `a`, `b` are hierarchy."""
        if related(a, b, peers=peers):
            return False
        key = evidence_key(kind, item)
        slot = self.evidence[_pair(a.adcode, b.adcode)][kind]
        # one sentence counts once per kind: keep its first reading, or the larger share
        if key not in slot or _share(item) > _share(slot[key]):
            slot[key] = {**item, "kind": kind}
        return True

    def plain(self) -> Evidences:
        """Return the evidence as plain nested dicts (picklable, to store or send)."""
        return {pair: {k: dict(items) for k, items in by_kind.items()}
                for pair, by_kind in self.evidence.items()}

    def update(self, evidence: Evidences) -> None:
        """Add the evidence of another store whose items have keys of their own.

        For the ties of one document (:func:`geo.ties.text.document_ties`): their keys
        name that document, so no item of another is replaced.
        """
        for pair, by_kind in evidence.items():
            mine = self.evidence[pair]
            for kind, items in by_kind.items():
                mine[kind].update(items)

    def has(self, a: str, b: str, kinds: Iterable[str], key: tuple[str, ...]) -> bool:
        """Whether the pair already has evidence of one of `kinds` from `key`."""
        found = self.evidence.get(_pair(a, b))
        if not found:
            return False
        return any(key in found.get(k, {}) for k in kinds)


def edge_data(by_kind: Mapping[str, Mapping[Any, Evidence]]) -> dict[str, Any]:
    """Edge attributes of one pair: ``kinds`` (sorted), ``weight`` and ``evidence``."""
    kinds = sorted(k for k, items in by_kind.items() if items)
    weight = sum(KIND_WEIGHTS[k] * sum(_share(e) for e in by_kind[k].values()) for k in kinds)
    # strongest kind first, then in document order: the first item is the best quote
    evidence = sorted(
        (item for k in kinds for item in by_kind[k].values()),
        key=lambda e: (_ORDER[e["kind"]], -_share(e), str(e["doc"]), int(e["start"])),
    )
    return {"kinds": kinds, "weight": round(float(weight), 9), "evidence": evidence}
