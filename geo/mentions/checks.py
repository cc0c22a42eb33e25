"""Pass 2, the not-a-name checks: when the text around a span shows it is no place.

A name inside an idiom (长治久安), a name straddling two everyday words (制定|安全), a
short name that is a cue word (双城 in 双城经济圈), a short name before a landform or
river word (江汉平原, 北江航道), a short name that runs into the cue of a compound
(惠城 in 深惠城际), and a place before a school word far from every other place nearby
(中山大学 in a plan about 襄阳).
"""

from __future__ import annotations

import bisect

from ..gazetteer import Gazetteer, Unit
from ..mention_weights import MentionWeights
from ._common import (
    CITY_HOMOGRAPHS,
    CUE_RE,
    CUE_WORDS,
    FEATURE_SUFFIXES,
    GENERIC_ENDINGS,
    INSTITUTION,
    LANDFORM,
    LANDFORM_ENDINGS,
    LANDFORM_PREFIXES,
    WATER_SCHEME,
    Span,
    km,
)

__all__ = ["NameChecks"]

#: Lengths of names looked for inside idioms (长治 in 长治久安).
_IDIOM_NAME_LENGTHS = (2, 3)


class NameChecks:
    """Checks that a candidate span is not a place name, whatever its context says."""

    def __init__(self, gazetteer: Gazetteer, weights: MentionWeights) -> None:
        self.gaz = gazetteer
        self.weights = weights
        # idioms that contain a name: form -> [(idiom, offset of the form inside it)]
        self._idioms: dict[str, list[tuple[str, int]]] = {}
        for idiom in gazetteer.idioms:
            for n in _IDIOM_NAME_LENGTHS:
                for i in range(len(idiom) - n + 1):
                    if idiom[i : i + n] in gazetteer.names:
                        self._idioms.setdefault(idiom[i : i + n], []).append((idiom, i))

    def is_ordinary(self, form: str, unit: Unit) -> bool:
        """Whether ``form`` is more often an everyday word than ``unit``'s name.

        A city's or province's current name is ordinary only when listed as a homograph
        (东方, 安康); any other name (a county's, a former name such as 渡口) when the
        word tables say it is frequent in general text.
        """
        if form in self.gaz.former:
            # 襄樊市, 户县: a former name with its generic part is a name; a bare one is
            # ordinary when frequent in general text (渡口 "ferry")
            if form.endswith(GENERIC_ENDINGS):
                return False
        elif unit.city_like or unit.level == "province":
            return form in CITY_HOMOGRAPHS
        return self.gaz.ordinary.get(form, 0.0) > 0.0

    def _in_idiom(self, text: str, start: int, form: str) -> bool:
        for idiom, offset in self._idioms.get(form, ()):
            s = start - offset
            if s >= 0 and text[s : s + len(idiom)] == idiom:
                return True
        return False

    def _straddles(self, src: str, start: int, end: int) -> bool:
        common = self.gaz.common
        return src[start - 1 : start + 1] in common and src[end - 1 : end + 1] in common

    def not_a_name(self, src: str, s: Span) -> bool:
        """Whether the text around a candidate span shows it is not a place name."""
        if s.kind == "expansion":
            return False
        short = s.kind == "short"
        return (
            self._in_idiom(src, s.start, s.form)  # 长治久安
            # 双城 in 双城经济圈; but 合作 is a place as an item of a list (临潭、合作)
            or (short and s.form in CUE_WORDS and src[s.start - 1 : s.start] != "、")
            or (len(s.form) == 2 and self._straddles(src, s.start, s.end))  # 制定|安全
            or (short and LANDFORM.match(src, s.end) is not None)  # 江汉平原, 北江航道
            or (short and self._inside_longer_name(src, s))
        )

    def _inside_longer_name(self, src: str, s: Span) -> bool:
        """Whether a short name runs into the rest of a longer name (镇江关, 大青山, 引黄济宁)."""
        gaz = self.gaz
        end = s.end
        if src[end : end + 1] in FEATURE_SUFFIXES:
            after = src[end : end + 2]
            # 深圳关爱, 武汉江岸, 深圳关区: the 通名 character starts a word, another name
            # or a district's name instead
            if not (
                after in gaz.known
                or src[end + 1 : end + 2] in GENERIC_ENDINGS
                or gaz.words.get(after, 0.0) > 0.0
                or after in gaz.names
                or src[end : end + 3] in gaz.names
            ):
                return True
        if (
            src[s.start - 1 : s.start] in LANDFORM_PREFIXES
            and s.form[-1] in LANDFORM_ENDINGS
            and all(gaz.units[c].level == "county" for c in s.codes)
        ):
            return True  # 大青山 is a mountain, not 青山区
        # 引黄济宁: the 济 of a water-transfer scheme starts the name
        scheme = WATER_SCHEME.search(src, max(0, s.start - 3), s.start)
        return s.form[0] == "济" and scheme is not None

    def runs_into_cue(self, src: str, s: Span) -> bool:
        """Whether a short name's last character starts a cue word (惠城 in 深惠城际)."""
        if s.kind != "short" or len(s.form) < 2:
            return False
        m = CUE_RE.match(src, s.end - 1)
        return m is not None and m.end() > s.end

    def drop_far_institutions(self, src: str, spans: list[Span]) -> list[Span]:
        """中山大学 or 长春外国语学校 in a plan about 襄阳 name a school, not the city.

        A single-unit mention right before an institution word is dropped when the unit
        is named nowhere else nearby and lies far from every other place nearby.
        """
        w = self.weights
        out = []
        starts = [s.start for s in spans]
        for s in spans:
            if len(s.units) == 1 and INSTITUTION.match(src, s.end):
                u = s.units[0]
                lo = bisect.bisect_left(starts, s.start - w.window)
                hi = bisect.bisect_right(starts, s.start + w.window)
                near = [o for o in spans[lo:hi] if o is not s]
                others = [v for o in near for v in o.units]
                if (
                    others
                    and all(v.adcode != u.adcode for v in others)
                    and min(km(u, v) for v in others) > w.institution_far_km
                ):
                    continue
            out.append(s)
        return out
