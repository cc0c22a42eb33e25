"""Pass 1, the scanner: every span of the text that is a name of the gazetteer.

An Aho-Corasick automaton over every full name, short name and former name finds
candidate spans; overlaps go to the leftmost, then longest span, so 襄阳 wins over 阳高
in 襄阳高新区 and 宜昌 over 昌都 in 宜昌都市圈.  Parenthesised expansions 宜(昌) are
spans of their own.
"""

from __future__ import annotations

import bisect
import math
from typing import NamedTuple

import ahocorasick_rs

from .._data import load_table
from ..gazetteer import Gazetteer, Unit
from ..mention_weights import MentionWeights
from ._common import EXPANSION, Sentences, Span, km

__all__ = ["Hidden", "Scanner"]


class Hidden(NamedTuple):
    """The other reading of an overlap: ``span`` in place of the scan's span ``at``."""

    at: int
    span: Span
    reading: str  # "city" (a city or province) or "county"
    overlaps: bool  # it takes the first character of the next span (通江|西和 → 江西)

#: Lengths of names that may start inside a county's short name (湘江永州, 和平远).
_HIDDEN_FORM_LENGTHS = (4, 3, 2)


def _with_short_names(gazetteer: Gazetteer) -> dict[str, tuple[str, ...]]:
    """Return the gazetteer's name table with ``geo/data/prefecture_short_names.csv``.

    The table holds conventional short names of prefectures and border cities that the
    division's own data do not carry (博州 = 博尔塔拉蒙古自治州, 二连 = 二连浩特市).
    """
    names = dict(gazetteer.names)
    for row in load_table("prefecture_short_names.csv"):
        code = row["adcode"]
        if code not in gazetteer.units:
            continue  # a unit of another division's data: nothing to name
        codes = names.get(row["form"], ())
        if code not in codes:
            names[row["form"]] = (*codes, code)
    return names


class Scanner:
    """Candidate name spans of a text, over one gazetteer's name table."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.units = gazetteer.units
        # the gazetteer's names, with the conventional short names it lacks (博州, 二连)
        self.names = _with_short_names(gazetteer)
        self.forms = list(self.names.items())
        # leftmost-longest, non-overlapping: 襄阳 in 襄阳高新区 hides 阳高
        self._automaton = ahocorasick_rs.AhoCorasick(
            [form for form, _ in self.forms], matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        units = self.units
        self._county_only = [
            all(units[c].level == "county" and not units[c].city_like for c in codes)
            for _, codes in self.forms
        ]

    def scan(self, src: str) -> list[Span]:
        """Return the name spans of ``src``, sorted, non-overlapping."""
        return self.scan_with_hidden(src)[0]

    def scan_with_hidden(self, src: str) -> tuple[list[Span], list[Hidden]]:
        """Return the name spans of ``src`` and the names their overlaps hide.

        Leftmost-longest can let a county's short name hide a name that starts inside it
        and ends after it: a city or province (湘江永州: 江永 hides 永州; 贯通江西: 通江
        hides 江西) or another county (和平远: 和平 hides 平远).  A hidden city or province
        that ends before the next span is read at once (the county stays the other
        reading); every other hidden name is only an alternative, which
        :meth:`settle` weighs against the places of its sentence.
        """
        forms = self.forms
        matches = self._automaton.find_matches_as_indexes(src)
        spans = [Span(start, end, *forms[i]) for i, start, end in matches]
        county_only = self._county_only
        names, units = self.names, self.units
        hidden: list[Hidden] = []
        for k, (form_index, _, _) in enumerate(matches):
            if not county_only[form_index]:
                continue
            s = spans[k]
            nxt = spans[k + 1] if k + 1 < len(spans) else None
            limit = nxt.start if nxt is not None else len(src)
            found = None
            for j in range(s.start + 1, s.end):
                for n in _HIDDEN_FORM_LENGTHS:
                    end = j + n
                    codes = names.get(src[j:end]) if end > s.end else None
                    if not codes:
                        continue
                    city = any(units[c].city_like or units[c].level == "province" for c in codes)
                    # a hidden county may not run into the next name; a city may take its
                    # first character only (通江|西和 → 江西, 罗湖|北站 → 湖北)
                    if end > limit and (not city or nxt is None or end >= nxt.end):
                        continue
                    found = Span(j, end, src[j:end], codes), city, end > limit
                    break
                if found is not None:
                    break
            if found is None:
                continue
            alt, city, overlaps = found
            if city and not overlaps:
                spans[k] = alt  # the city wins unless its sentence says otherwise
                hidden.append(Hidden(k, s, "county", False))
            else:
                hidden.append(Hidden(k, alt, "city" if city else "county", overlaps))
        return self._expansions(src, spans, hidden)

    def settle(
        self,
        spans: list[Span],
        hidden: list[Hidden],
        accepted: list[Span],
        bounds: Sentences,
        weights: MentionWeights,
    ) -> tuple[list[Span], list[tuple[int, int]]] | None:
        """Return the spans with the hidden names their sentences support, or None.

        ``spans`` are fresh copies of the scan; ``accepted`` the names the context read in
        the scan's own reading.  Returns the spans with the hidden names read and the
        bounds of the sentences where one is, or None when the scan's reading stands.

        The evidence is the accepted names of the sentence other than the two contested
        ones.  A hidden city or province is read when it lies
        closer to that evidence than the county (贯通江西和福建的鹰潭: 江西 holds 鹰潭, 通江
        is far); a county read in place of a city comes back when it is supported and the
        city is not (龙湖南至汕头: 龙湖 lies in 汕头, 湖南 is far from every place); a
        hidden county is read when it is within a county's reach of the evidence and
        closer than the county hiding it (和平远至武平: 平远; 正阳和平舆: 平舆).
        """
        swaps: dict[int, Hidden] = {}
        starts = [a.start for a in accepted]  # sorted: the context keeps the scan's order
        for h in hidden:
            current = spans[h.at]
            lo, hi = bounds.around(current.start)
            a_lo, a_hi = min(current.start, h.span.start), max(current.end, h.span.end)
            evidence = [
                u
                for a in accepted[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]
                if not (a.start < a_hi and a.end > a_lo)
                for u in a.units
            ]
            if not evidence:
                continue
            here = self._distance(current.codes, evidence)
            there = self._distance(h.span.codes, evidence)
            if h.reading == "county" and not h.overlaps and any(
                self.units[c].city_like or self.units[c].level == "province"
                for c in current.codes
            ):
                swap = there <= weights.county_reach_km and here > weights.city_reach_km
            elif h.reading == "city":
                swap = there < here and there <= weights.city_reach_km
            else:
                swap = there <= weights.county_reach_km and there < here
            if swap:
                swaps[h.at] = h
        if not swaps:
            return None
        out = []
        skip = {h.at + 1 for h in swaps.values() if h.overlaps}
        for k, s in enumerate(spans):
            if k in skip:
                continue
            hit = swaps.get(k)
            alt = hit.span if hit is not None else None
            out.append(s if alt is None else Span(alt.start, alt.end, alt.form, alt.codes))
        where = sorted({bounds.around(spans[k].start) for k in swaps})
        return out, where

    def _distance(self, codes: tuple[str, ...], others: list[Unit]) -> float:
        """Km from the nearest reading of ``codes`` to a place of ``others`` (0 inside)."""
        best = math.inf
        for c in codes:
            u = self.units[c]
            for v in others:
                if v.adcode == c:
                    continue
                if c in v.ancestors or v.adcode in u.ancestors:
                    return 0.0
                best = min(best, km(u, v))
        return best

    def _expansions(
        self, src: str, spans: list[Span], hidden: list[Hidden]
    ) -> tuple[list[Span], list[Hidden]]:
        """宜(昌)来(凤): a character followed by the rest of a name in brackets."""
        found = []
        for m in EXPANSION.finditer(src):
            form = m.group(1) + m.group(2)
            codes = self.names.get(form)
            if not codes:
                continue
            found.append(Span(m.start(), m.end(), form, codes, kind="expansion"))
        if not found:
            return spans, hidden
        covered = bytearray(len(src))
        for f in found:
            covered[f.start : f.end] = b"\x01" * (f.end - f.start)
        kept = [s for s in spans if not any(covered[s.start : s.end])]
        out = sorted(kept + found, key=lambda s: s.start)
        # the other readings follow their spans to their new places (none under brackets)
        where = {id(s): k for k, s in enumerate(out)}
        moved = [
            h._replace(at=where[id(spans[h.at])])
            for h in hidden
            if id(spans[h.at]) in where
            and not any(covered[h.span.start : h.span.end])
            and (not h.overlaps or id(spans[h.at + 1]) in where)
        ]
        return out, moved
