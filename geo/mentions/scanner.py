"""Pass 1, the scanner: every span of the text that is a name of the gazetteer.

An Aho-Corasick automaton over every full name, short name and former name finds
candidate spans; overlaps go to the leftmost, then longest span, so 襄阳 wins over 阳高
in 襄阳高新区 and 宜昌 over 昌都 in 宜昌都市圈.  Parenthesised expansions 宜(昌) are
spans of their own.
"""

from __future__ import annotations

import ahocorasick_rs

from ..gazetteer import Gazetteer
from ._common import EXPANSION, Span

__all__ = ["Scanner"]

#: Lengths of city names that may start inside a county's short name (湘江永州).
_CITY_FORM_LENGTHS = (4, 3, 2)


class Scanner:
    """Candidate name spans of a text, over one gazetteer's name table."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.units = gazetteer.units
        self.forms = list(gazetteer.names.items())
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
        forms = self.forms
        matches = self._automaton.find_matches_as_indexes(src)
        spans = [Span(start, end, *forms[i]) for i, start, end in matches]
        # leftmost-longest can let a county's short name hide a city that starts inside
        # it (湘江永州: 江永 hides 永州): the city wins when it ends before the next span
        county_only = self._county_only
        names, units = self.gaz.names, self.units
        for k, (form_index, _, _) in enumerate(matches):
            if not county_only[form_index]:
                continue
            s = spans[k]
            limit = spans[k + 1].start if k + 1 < len(spans) else len(src)
            for j in range(s.start + 1, s.end):
                for n in _CITY_FORM_LENGTHS:
                    form = src[j : j + n]
                    codes = names.get(form) if j + n > s.end and j + n <= limit else None
                    if codes and any(
                        units[c].city_like or units[c].level == "province" for c in codes
                    ):
                        spans[k] = Span(j, j + n, form, codes)
                        break
                else:
                    continue
                break
        return self._expansions(src, spans)

    def _expansions(self, src: str, spans: list[Span]) -> list[Span]:
        """宜(昌)来(凤): a character followed by the rest of a name in brackets."""
        found = []
        for m in EXPANSION.finditer(src):
            form = m.group(1) + m.group(2)
            codes = self.gaz.names.get(form)
            if not codes:
                continue
            found.append(Span(m.start(), m.end(), form, codes, kind="expansion"))
        if not found:
            return spans
        covered = bytearray(len(src))
        for f in found:
            covered[f.start : f.end] = b"\x01" * (f.end - f.start)
        kept = [s for s in spans if not any(covered[s.start : s.end])]
        return sorted(kept + found, key=lambda s: s.start)
