"""Ties that the text states: a joint verb and the places it joins in one clause.

``cooperation``
    An explicit joint verb (合作, 共建, 共同, 联动, 对接, 携手, 协同, 一体化, 同城化,
    联手, 互动, 共享, 衔接, 毗邻, …) in one clause (:func:`geo.text.split_clauses`) with
    the places it joins: the places on either side of a partner word (黄石、鄂州、黄冈等地
    **与** 九江跨江合作; 武汉 **联手** 宜昌、鄂州), or, with no partner word, every place of
    the clause (推动武汉、长株潭都市圈协同发展), including the members of one compound
    mention (襄南共同推动: 襄阳—南阳).
``co_partner``
    Weaker: two places named on the *same* side of such a clause (黄石—鄂州 above).
    With no place before the partner word (加强与重庆、广西对接: the partner is the
    unnamed issuer), the places after it are not tied to each other.
``co_mention``
    Named in one sentence with no joint verb tying them there: kept apart by the graph.

A place written right before one of its own units only qualifies it (湖北随州, 武汉市江汉区).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..text import split_clauses
from ._store import Evidences, TieStore

if TYPE_CHECKING:
    from ..gazetteer import Unit
    from ..mentions import Mention
    from ..text import Document

__all__ = ["StatedTies", "document_ties", "read_text_ties"]

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

PairOf = tuple["Unit", "Unit", str, bool]


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


def _joint_pairs(
    clean: str, start: int, end: int, mentions: Sequence[Mention]
) -> tuple[str | None, list[PairOf]]:
    """Ties that one clause states: ``(cue, [(unit, unit, kind, peers), ...])``.

    ``peers`` is true for two members of one compound mention (see
    :func:`geo.ties._store.related`). `mentions` are the mentions starting in
    ``clean[start:end]``, in order.
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

    pairs: list[PairOf] = []
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


#: The ties one document states: (stated ties, co-mentions kept apart), as plain evidence.
StatedTies = tuple[Evidences, Evidences]


def document_ties(doc: Document, mentions: Sequence[Mention]) -> StatedTies:
    """Return the ties one document states, to store with its records.

    They depend on the document alone, so the library computes them with the document's
    records (in the worker that extracts it) and a build only adds them up
    (:func:`geo.ties.build_graph`'s ``stated``): what was a third of assembling a corpus.
    """
    ties, co_mention = TieStore(), TieStore()
    read_text_ties(doc, sorted(mentions, key=lambda m: (m.start, m.end)), ties, co_mention)
    return ties.plain(), co_mention.plain()


def read_text_ties(
    doc: Document, mentions: Sequence[Mention], ties: TieStore, co_mention: TieStore
) -> None:
    """Add the cooperation, co_partner and co_mention ties stated in one document.

    Parameters
    ----------
    doc
        The document.
    mentions
        Its place mentions, in text order.
    ties, co_mention
        Where the evidence goes: stated ties, and the weak co-mentions kept apart.
    """
    starts = [s.start for s in doc.sentences]
    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        k = bisect.bisect_right(starts, m.start) - 1
        if k >= 0 and m.start < doc.sentences[k].end:
            by_sentence[k].append(m)

    for k, found in sorted(by_sentence.items()):
        sentence = doc.sentences[k]
        item: dict[str, object] = {
            "doc": doc.name,
            "start": sentence.start,
            "end": sentence.end,
            "sentence": doc.sentence_text(sentence),
        }
        if doc.pages:  # a PDF: the page the sentence starts on
            item["page"] = doc.page_at(sentence.start)
        key = (doc.name, str(sentence.start), str(sentence.end))
        if len({u.adcode for m in found for u in m.units}) < 2:
            continue
        spans = [(m.start, m.end) for m in found]
        for c_start, c_end in split_clauses(doc.clean, sentence.start, sentence.end, keep=spans):
            in_clause = [m for m in found if c_start <= m.start < c_end]
            cue, pairs = _joint_pairs(doc.clean, c_start, c_end, in_clause)
            for a, b, kind, peers in pairs:
                ties.add(a, b, kind, {**item, "cue": cue}, peers=peers)
        named = _drop_qualifiers(doc.clean, found)
        units = list({u.adcode: u for m in named for u in m.units}.values())
        for a, b in itertools.combinations(units, 2):
            if not ties.has(a.adcode, b.adcode, ("cooperation", "co_partner"), key):
                co_mention.add(a, b, "co_mention", item)
