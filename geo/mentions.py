"""Find the admin units a Chinese plan text names.

The recogniser works in four passes over one text:

1. **Names.**  An Aho-Corasick automaton over every full name, short name and former
   name of the gazetteer finds candidate spans; overlaps go to the leftmost, then longest
   span, so 襄阳 wins over 阳高 in 襄阳高新区 and 宜昌 over 昌都 in 宜昌都市圈.
2. **Anchors.**  Spans that name exactly one province or city-level unit, or a county by
   its full name, and that are not everyday words, are accepted outright.
3. **Context.**  Every other span (a county's short name, a name shared by several units,
   a name that is also an ordinary word such as 合作 or 公安) needs evidence from the
   anchors around it: its parent right before it (荆州公安, 湖南平江), its parent or a
   sibling in the sentence or nearby, or a partner in a pair or list (监利至华容).  A
   county name right after another place that is not its parent is part of a facility
   name (武汉天河机场, 武汉东湖高新区) and is dropped.  Same-named units are told
   apart by distance to the places around them (华容县 next to 监利, not 华容区).
4. **Abbreviations.**  Runs of single characters before a cue (都市圈, 城市群, 一体化,
   高速, 共同, …) or inside quotes are read as one-character abbreviations (襄十随神,
   长株潭, 湘鄂渝黔, 汉十高速): each character has candidate units (province 简称,
   the first character of a city, conventional city abbreviations, counties of places in
   context), and the combination that is compact on the ground and supported by the
   context wins.  Parenthesised expansions 宜(昌)来(凤) are read the same way.

"Sentence" is a sentence of :func:`geo.text.split_sentences` (the project's one splitter:
clauses after ； are sentences of their own), or of the ``sentences`` a caller passes
(:attr:`geo.text.Document.sentences`, which saves splitting again).  The word lists the
passes use (cue words, homographs, landform and institution words) are data files of
``geo/data/``; every weight and threshold is a named field of
:class:`geo.mention_weights.MentionWeights`.

Offsets are ``str`` indices of the text given, so ``text[m.start:m.end] == m.text``.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import math
import operator
import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick_rs

from ._data import load_table
from .gazetteer import (
    CITY_ABBREVIATIONS,
    PROVINCE_ABBREVIATIONS,
    Gazetteer,
    Unit,
    load_gazetteer,
)
from .mention_weights import WEIGHTS, MentionWeights
from .text import Sentence, split_sentences

__all__ = ["Mention", "Recogniser", "find_mentions", "get_recogniser"]

log = logging.getLogger(__name__)

#: City-level short names that are far more often ordinary words in plan prose (东方,
#: 安康); from ``geo/data/city_homographs.csv``.
CITY_HOMOGRAPHS = frozenset(r["short_name"] for r in load_table("city_homographs.csv"))


def _cue_words(*strengths: str) -> tuple[str, ...]:
    return tuple(r["word"] for r in load_table("cue_words.csv") if r["strength"] in strengths)


def _words(name: str, column: str = "word") -> tuple[str, ...]:
    return tuple(r[column] for r in load_table(name))


def _alternation(words: tuple[str, ...]) -> str:
    """Regex alternation of ``words``, longest first so a longer word wins."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Words of ``geo/data/cue_words.csv`` right after a run of abbreviation characters:
#: strong cues mark the run as a compound of places (都市圈, 一体化) ...
_STRONG_CUES = _cue_words("strong")
#: ... every cue makes it one with some support (合作, 共建) ...
_CUES = _cue_words("strong", "weak")
#: ... and route cues make it a route named by its ends (汉十高速).
_ROUTE_CUES = _cue_words("route")
_CUE_WORDS = frozenset(_CUES + _ROUTE_CUES)
_STRONG_CUE_SET = frozenset(_STRONG_CUES)
_ROUTE_CUE_SET = frozenset(_ROUTE_CUES)
_CUE_RE = re.compile(_alternation(_CUES + _ROUTE_CUES))
#: Direction characters (方位词): 鄂西 names part of a province, 东北 is no compound.
_DIRECTIONS = frozenset(_words("direction_chars.csv", "char"))
#: Facility words after a city's short name: 黄石港 is the city's port.
_FACILITY_TAIL = frozenset(_words("facility_tails.csv", "char"))
#: A school or university after a place name (中山大学, 长春外国语学校).
_INSTITUTION = re.compile(
    r"[\u4e00-\u9fff]{0,6}?(?:" + _alternation(_words("institution_words.csv")) + ")"
)
#: A landform word after a short name: the name is part of a region's (江汉平原).
_LANDFORM = re.compile(_alternation(_words("landform_words.csv")))

# Grammar of plan prose (punctuation and connectors, not facts).
_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"', "《": "》"}
_OPEN_QUOTE = re.compile("[" + re.escape("".join(_QUOTES)) + "]")
_CONNECTORS = re.compile(r"^(?:至|到|—+|－|-|~|～|、|和|与|及|、|，|,|\s)*$")
_ROUTE_JOIN = re.compile(r"至|到|—|－|-|~|～")
_LIST_JOINERS = frozenset("、和与及")  # one cue serves a list: 长株潭、合肥都市圈
_EXPANSION = re.compile(r"([\u4e00-\u9fff])[（(]([\u4e00-\u9fff]{1,3})[)）]")
#: Lengths of city names that may start inside a county's short name (湘江永州).
_CITY_FORM_LENGTHS = (4, 3, 2)
#: Lengths of names looked for inside idioms (长治 in 长治久安).
_IDIOM_NAME_LENGTHS = (2, 3)
_EARTH_RADIUS_KM = 6371.0
_first = operator.itemgetter(0)
_second = operator.itemgetter(1)
_adcode = operator.attrgetter("adcode")


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that names one or more admin units.

    ``units`` are in text order; a compound such as 襄十随神 names four.
    ``kind`` is ``"name"`` (full or former name), ``"short"``, ``"abbreviation"``,
    ``"expansion"`` (宜(昌)) or ``"route"`` (汉十 in 汉十高速).
    """

    start: int
    end: int
    text: str
    units: tuple[Unit, ...]
    kind: str

    def to_dict(self, doc: str) -> dict[str, object]:
        """Return the JSON Lines record of the ``mentions`` command."""
        return {
            "doc": doc,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "places": [u.to_dict() for u in self.units],
        }


#: One reading of an abbreviation character: (score in context, unit, intrinsic score).
_Reading = tuple[float, Unit, float]


@dataclass(frozen=True, slots=True)
class _Context:
    """The places around a run: named in its sentence, named nearby, and what they imply."""

    sent: dict[str, Unit]
    near: dict[str, Unit]
    prefectures: frozenset[str]  # prefectures of the places in context
    counties: tuple[str, ...]  # counties named nearby


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    form: str
    codes: tuple[str, ...]
    units: tuple[Unit, ...] = ()
    kind: str = "short"
    anchor: bool = False


class _Sentences:
    """Sentence bounds of one text (from :func:`geo.text.split_sentences`), by position."""

    __slots__ = ("_starts", "_ends")

    def __init__(self, sentences: Sequence[Sentence]) -> None:
        self._starts = [s.start for s in sentences]
        self._ends = [s.end for s in sentences]

    def around(self, pos: int) -> tuple[int, int]:
        """Return ``(start, end)`` of the sentence holding ``pos`` (empty between two)."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and pos < self._ends[i]:
            return self._starts[i], self._ends[i]
        return pos, pos


# Distances by pair of adcodes: compounds weigh the same pairs often, and a key of two
# interned strings hashes far faster than two Unit dataclasses (every field hashed).
_KM_CACHE: dict[tuple[str, str], float] = {}
_KM_CACHE_SIZE = 1 << 18  # pairs kept before the cache starts afresh (a few MB)


def _km(a: Unit, b: Unit) -> float:
    """Distance in km between two seats, memoised."""
    key = (a.adcode, b.adcode)
    km = _KM_CACHE.get(key)
    if km is None:
        # equirectangular distance on a sphere: plenty for "is it 50 or 500 km away"
        x = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
        y = math.radians(b.lat - a.lat)
        km = _EARTH_RADIUS_KM * math.hypot(x, y)
        if len(_KM_CACHE) >= _KM_CACHE_SIZE:
            _KM_CACHE.clear()
        _KM_CACHE[key] = km
    return km


class Recogniser:
    """Place-mention recogniser over one gazetteer (build once, call many times)."""

    def __init__(self, gazetteer: Gazetteer, *, weights: MentionWeights = WEIGHTS) -> None:
        self.gaz = gazetteer
        self.weights = weights
        self.units = gazetteer.units
        self._forms = list(gazetteer.names.items())
        # leftmost-longest, non-overlapping: 襄阳 in 襄阳高新区 hides 阳高
        self._automaton = ahocorasick_rs.AhoCorasick(
            [form for form, _ in self._forms], matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        # idioms that contain a name: form -> [(idiom, offset of the form inside it)]
        self._idioms: dict[str, list[tuple[str, int]]] = {}
        for idiom in gazetteer.idioms:
            for n in _IDIOM_NAME_LENGTHS:
                for i in range(len(idiom) - n + 1):
                    if idiom[i : i + n] in gazetteer.names:
                        self._idioms.setdefault(idiom[i : i + n], []).append((idiom, i))
        self._char_candidates = self._index_characters()
        self._city_candidates = {
            c: [o for o in options if o[2] != "county"]
            for c, options in self._char_candidates.items()
        }
        self._county_candidates = self._index_counties()
        self._county_set = {
            c: frozenset(o[0] for o in options if o[2] == "county")
            for c, options in self._char_candidates.items()
        }
        self._capitals = self._find_capitals()
        # per-form and per-unit facts the passes ask for every span, computed once
        units = self.units
        self._county_only = [
            all(units[c].level == "county" and not units[c].city_like for c in codes)
            for _, codes in self._forms
        ]
        self._full_form = {
            form: any(form == units[c].name or form in units[c].aliases for c in codes)
            for form, codes in self._forms
        }
        self._prefecture_of = {code: u.prefecture for code, u in units.items()}
        self._ancestors = {code: frozenset(u.ancestors) for code, u in units.items()}
        self._provinces = frozenset(c for c, u in units.items() if u.level == "province")
        # three or more province 简称 in a row need no cue: 鄂豫皖, 云贵川
        province_chars = "".join(c for cs in PROVINCE_ABBREVIATIONS.values() for c in cs)
        self._province_run = re.compile(
            f"[{re.escape(province_chars)}]"
            f"{{{weights.min_province_run},{weights.max_compound_length}}}"
        )

    # ------------------------------------------------------------------ indexes

    def _index_characters(self) -> dict[str, list[tuple[str, float, str]]]:
        """Character -> [(adcode, prior, how)] for one-character abbreviations."""
        out: dict[str, dict[str, tuple[float, str]]] = {}
        w = self.weights

        def add(char: str, code: str, prior: float, how: str) -> None:
            slot = out.setdefault(char, {})
            if code not in slot or slot[code][0] < prior:
                slot[code] = (prior, how)

        for code, chars in PROVINCE_ABBREVIATIONS.items():
            for c in chars:
                add(c, code, w.prior_province, "province")
        for code, chars in CITY_ABBREVIATIONS.items():
            for c in chars:
                add(c, code, w.prior_conventional, "conventional")
        for u in self.units.values():
            if u.city_like:  # 开 of 开封 in 郑开 even though 开封 alone is a verb
                add(u.short[0], u.adcode, w.prior_first, "first")
                if len(u.short) == 2:
                    add(u.short[1], u.adcode, w.prior_second, "second")
            elif u.level == "county":
                add(u.short[0], u.adcode, w.prior_county, "county")
        return {c: [(code, p, how) for code, (p, how) in d.items()] for c, d in out.items()}

    def _index_counties(self) -> dict[str, dict[str, list[str]]]:
        """Return first character -> parent adcode -> counties.

        Only counties of places in context are candidates, so they are looked up by
        parent rather than scanned.
        """
        out: dict[str, dict[str, list[str]]] = {}
        for c, options in self._char_candidates.items():
            for code, _, how in options:
                if how == "county":
                    parent = self.units[code].parent or ""
                    out.setdefault(c, {}).setdefault(parent, []).append(code)
        return out

    def _find_capitals(self) -> frozenset[str]:
        """Return the prefecture nearest each province's seat: its capital."""
        out = set()
        for p in self.units.values():
            if p.level != "province":
                continue
            cities = [
                u for u in self.units.values() if u.level == "prefecture" and u.province == p.adcode
            ]
            if cities:
                out.add(min(cities, key=lambda u: _km(u, p)).adcode)
            elif p.city_like:
                out.add(p.adcode)  # 北京, 重庆: the province is the city
        return frozenset(out)

    # ------------------------------------------------------------------ helpers

    def _is_ordinary(self, form: str, unit: Unit) -> bool:
        if unit.city_like or unit.level == "province":
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

    # ------------------------------------------------------------------ main

    def find(
        self,
        text: str,
        *,
        clean: str | None = None,
        sentences: Sequence[Sentence] | None = None,
    ) -> list[Mention]:
        """Return the place mentions of ``text`` sorted by start.

        Parameters
        ----------
        text
            The decoded document text; offsets index it.
        clean
            The same text with markup and mojibake masked by spaces (same length); the
            recogniser reads this one when given.
        sentences
            The sentences of the text read (:attr:`geo.text.Document.sentences`), which
            bound the context of a name; split with :func:`geo.text.split_sentences`
            when not given.

        Returns
        -------
        list of Mention
            Sorted by start, non-overlapping.

        Raises
        ------
        ValueError
            If ``clean`` is not as long as ``text``.
        """
        src = text if clean is None else clean
        if len(src) != len(text):
            raise ValueError(
                f"clean text has length {len(src)} but text has {len(text)}: "
                "pass the masked text produced by geo.text.clean_text"
            )
        if not src:
            return []
        bounds = _Sentences(split_sentences(src) if sentences is None else sentences)
        spans = self._scan(src)
        spans = self._expansions(src, spans)
        accepted = self._resolve(src, spans, bounds)
        accepted += self._compounds(src, accepted, bounds)
        accepted.sort(key=lambda s: s.start)
        accepted = self._drop_far_institutions(src, accepted)
        return [
            Mention(s.start, s.end, text[s.start : s.end], s.units, s.kind)
            for s in accepted
            if s.units
        ]

    # pass 1 ----------------------------------------------------------------

    def _scan(self, src: str) -> list[_Span]:
        forms = self._forms
        matches = self._automaton.find_matches_as_indexes(src)
        spans = [_Span(start, end, *forms[i]) for i, start, end in matches]
        # leftmost-longest can let a county's short name hide a city that starts inside
        # it (湘江永州: 江永 hides 永州): the city wins when it ends before the next span
        county_only = self._county_only
        for k, (form_index, _, _) in enumerate(matches):
            if not county_only[form_index]:
                continue
            s = spans[k]
            limit = spans[k + 1].start if k + 1 < len(spans) else len(src)
            for j in range(s.start + 1, s.end):
                for n in _CITY_FORM_LENGTHS:
                    form = src[j : j + n]
                    codes = self.gaz.names.get(form) if j + n > s.end and j + n <= limit else None
                    if codes and any(
                        self.units[c].city_like or self.units[c].level == "province" for c in codes
                    ):
                        spans[k] = _Span(j, j + n, form, codes)
                        break
                else:
                    continue
                break
        return spans

    def _expansions(self, src: str, spans: list[_Span]) -> list[_Span]:
        """宜(昌)来(凤): a character followed by the rest of a name in brackets."""
        found = []
        for m in _EXPANSION.finditer(src):
            form = m.group(1) + m.group(2)
            codes = self.gaz.names.get(form)
            if not codes:
                continue
            found.append(_Span(m.start(), m.end(), form, codes, kind="expansion"))
        if not found:
            return spans
        covered = bytearray(len(src))
        for f in found:
            covered[f.start : f.end] = b"\x01" * (f.end - f.start)
        kept = [s for s in spans if not any(covered[s.start : s.end])]
        return sorted(kept + found, key=lambda s: s.start)

    # passes 2 and 3 ----------------------------------------------------------

    def _resolve(self, src: str, spans: list[_Span], bounds: _Sentences) -> list[_Span]:
        w = self.weights
        for s in spans:
            units = [self.units[c] for c in s.codes]
            full = self._full_form.get(s.form)
            if full is None:  # not a form of the gazetteer's name table (never, so far)
                full = any(s.form == u.name or s.form in u.aliases for u in units)
            if s.kind != "expansion":
                s.kind = "name" if full else "short"
            if s.kind != "expansion" and self._not_a_name(src, s):
                s.codes = ()
                continue
            if len(units) == 1:
                u = units[0]
                if s.kind == "expansion":
                    s.units, s.anchor = (u,), True  # the brackets spell the name out
                    continue
                if (u.city_like or u.level == "province") and not self._is_ordinary(s.form, u):
                    s.units, s.anchor = (u,), True
                elif (
                    u.level == "county"
                    and (
                        len(s.form) >= w.anchor_name_length
                        or (len(s.form) >= w.anchor_short_length and not s.form.endswith("区"))
                        or (s.kind == "short" and len(s.form) >= w.anchor_short_length)
                    )
                    and not self._is_ordinary(s.form, u)
                ):
                    # 沅陵县, 邓州市, 黄石港区: distinctive enough alone; a short district
                    # name (江汉区, 老城区) still needs its city nearby
                    s.units, s.anchor = (u,), True
            else:
                # one name, several units: a province or city beats a county named after
                # it (南昌 is 南昌市, not 南昌县; 吉林 is the province)
                top = [u for u in units if u.level != "county" or u.city_like]
                if len(top) == 1 and not self._is_ordinary(s.form, top[0]):
                    s.units, s.anchor = (top[0],), True

        anchors = [s for s in spans if s.anchor]
        starts = [s.start for s in anchors]
        span_starts = [s.start for s in spans]
        for i, s in enumerate(spans):
            if s.anchor or not s.codes:
                continue
            choice = self._with_context(src, s, i, spans, span_starts, anchors, starts, bounds)
            if choice is not None:
                s.units = (choice,)
        # a county name that only repeats its prefecture plus 港/站 (黄石港) names the city
        for s in spans:
            if len(s.units) == 1 and s.kind == "short":
                u = s.units[0]
                parent = self.units.get(u.parent or "")
                if (
                    parent is not None
                    and parent.level == "prefecture"
                    and s.form[:-1] == parent.short
                    and s.form[-1] in _FACILITY_TAIL
                ):
                    s.units = (parent,)
        return [s for s in spans if s.units]

    def _not_a_name(self, src: str, s: _Span) -> bool:
        """Whether the text around a candidate span shows it is not a place name."""
        return (
            self._in_idiom(src, s.start, s.form)  # 长治久安
            or (s.kind == "short" and s.form in _CUE_WORDS)  # 双城 in 双城经济圈
            or (len(s.form) == 2 and self._straddles(src, s.start, s.end))  # 制定|安全
            or (s.kind == "short" and _LANDFORM.match(src, s.end) is not None)  # 江汉平原
        )

    def _with_context(
        self,
        src: str,
        s: _Span,
        i: int,
        spans: list[_Span],
        span_starts: list[int],
        anchors: list[_Span],
        starts: list[int],
        bounds: _Sentences,
    ) -> Unit | None:
        w = self.weights
        candidates = [self.units[c] for c in s.codes]
        lo, hi = bounds.around(s.start)
        j0 = bisect.bisect_left(starts, lo)
        j1 = bisect.bisect_left(starts, hi)
        in_sentence = [a for a in anchors[j0:j1] if a is not s]
        w0 = bisect.bisect_left(starts, s.start - w.window)
        w1 = bisect.bisect_left(starts, s.end + w.window)
        nearby = [a for a in anchors[w0:w1] if a is not s]
        sent_units = {u.adcode: u for a in in_sentence for u in a.units}
        near_units = {u.adcode: u for a in nearby for u in a.units}
        nearby_units = near_units.values()

        # the place written right before this one
        prev = spans[i - 1] if i > 0 else None
        prev_units: tuple[Unit, ...] = ()
        if prev is not None and prev.end == s.start and prev.units:
            prev_units = prev.units
        # a partner in a pair or list: 监利至华容, 石首、公安
        # (a partner still unresolved counts with all its candidates: 监利至华容)
        partners: list[Unit] = []
        ends_of_route = False  # 合肥至新沂: the two ends of a route may lie far apart
        for k in (i - 1, i + 1):
            if 0 <= k < len(spans) and spans[k].codes:
                o = spans[k]
                gap = src[o.end : s.start] if k < i else src[s.end : o.start]
                if lo <= o.start < hi and len(gap) <= w.partner_gap and _CONNECTORS.match(gap):
                    partners.extend(o.units or (self.units[c] for c in o.codes))
                    ends_of_route = ends_of_route or bool(_ROUTE_JOIN.search(gap))
        k0 = bisect.bisect_left(span_starts, lo)
        k1 = bisect.bisect_left(span_starts, hi)
        # counties named together in one sentence support each other when they are
        # siblings or neighbours (宜城、南漳; 随县……枣阳)
        sentence_counties = [
            self.units[c]
            for o in spans[k0:k1]
            if o is not s and o.form not in _CUE_WORDS
            for c in o.codes
            if self.units[c].level == "county" and not self._is_ordinary(o.form, self.units[c])
        ]
        sibling_parents = {o.parent for o in sentence_counties}

        best: tuple[float, Unit] | None = None
        for u in candidates:
            ancestors = self._ancestors[u.adcode]
            if prev_units and not any(p.adcode in ancestors for p in prev_units):
                continue  # 武汉天河机场: a county of another city is part of a name
            county = u.level == "county" and not u.city_like
            reach = w.county_reach_km if county else w.city_reach_km
            if ends_of_route and not self._is_ordinary(s.form, u):
                reach = w.route_end_reach_km
            strong = bool(prev_units) or any(_km(u, p) <= reach for p in partners if p is not u)
            weak = (
                strong
                or any(a in sent_units or a in near_units for a in ancestors if a != u.province)
                or any(o.parent == u.parent and o.level == u.level for o in sent_units.values())
                # a sibling county named nearby, maybe in the clause before a ； (老河口……;
                # 推动谷城): counties of one prefecture are written together
                or (
                    u.level == "county"
                    and u.parent != u.province
                    and any(o.parent == u.parent and o.level == "county" for o in nearby_units)
                )
                or u.adcode in near_units
                or (u.level == "county" and u.parent in sibling_parents and u.parent != u.province)
                or any(
                    _km(u, o) <= w.sentence_neighbour_km
                    for o in sentence_counties
                    if o.adcode != u.adcode
                )
            )
            if u.city_like or u.level == "province":
                weak = weak or u.province in sent_units or bool(sent_units)
            ordinary = self._is_ordinary(s.form, u)
            if ordinary and not strong:
                continue
            if not weak:
                # a rare name with a place close by in the same sentence
                if (
                    ordinary
                    or not sent_units
                    or min(_km(u, o) for o in sent_units.values()) > w.rare_name_reach_km
                ):
                    continue
            context = list(sent_units.values()) or list(near_units.values()) or partners
            dist = min((_km(u, o) for o in context), default=0.0)
            base = w.strong_score if strong else w.weak_score
            score = base - dist / w.distance_per_point_km
            if best is None or score > best[0]:
                best = (score, u)
        if best is None:
            return None
        if len(candidates) > 1 and not (sent_units or near_units or partners or prev_units):
            return None  # same name, several places, nothing to tell them apart
        return best[1]

    def _drop_far_institutions(self, src: str, spans: list[_Span]) -> list[_Span]:
        """中山大学 or 长春外国语学校 in a plan about 襄阳 name a school, not the city.

        A single-unit mention right before an institution word is dropped when the unit
        is named nowhere else nearby and lies far from every other place nearby.
        """
        w = self.weights
        out = []
        starts = [s.start for s in spans]
        for s in spans:
            if len(s.units) == 1 and _INSTITUTION.match(src, s.end):
                u = s.units[0]
                lo = bisect.bisect_left(starts, s.start - w.window)
                hi = bisect.bisect_right(starts, s.start + w.window)
                near = [o for o in spans[lo:hi] if o is not s]
                others = [v for o in near for v in o.units]
                if (
                    others
                    and all(v.adcode != u.adcode for v in others)
                    and min(_km(u, v) for v in others) > w.institution_far_km
                ):
                    continue
            out.append(s)
        return out

    # pass 4 ----------------------------------------------------------------

    def _compounds(self, src: str, accepted: list[_Span], bounds: _Sentences) -> list[_Span]:
        window = self.weights.window
        taken = bytearray(len(src))
        for s in accepted:
            taken[s.start : s.end] = b"\x01" * (s.end - s.start)
        starts = [s.start for s in accepted]
        out: list[_Span] = []
        prefecture_of = self._prefecture_of
        # a context depends only on which accepted spans it covers: runs and quotes of
        # one passage share it
        contexts: dict[tuple[int, int, int, int], _Context] = {}

        def context_for(pos: int) -> _Context:
            lo, hi = bounds.around(pos)
            j0, j1 = bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)
            w0 = bisect.bisect_left(starts, pos - window)
            w1 = bisect.bisect_left(starts, pos + window)
            key = (j0, j1, w0, w1)
            context = contexts.get(key)
            if context is None:
                sent = {u.adcode: u for a in accepted[j0:j1] for u in a.units}
                near = {u.adcode: u for a in accepted[w0:w1] for u in a.units}
                prefectures = frozenset(
                    p for code in (*near, *sent) if (p := prefecture_of[code]) is not None
                )
                counties = tuple(u.adcode for u in near.values() if u.level == "county")
                context = contexts[key] = _Context(sent, near, prefectures, counties)
            return context

        max_length = self.weights.max_compound_length
        char_candidates = self._char_candidates

        def run_before(end: int) -> int:
            # no longer run can be a compound (see _never_compound): stop looking there
            limit = max(0, end - max_length)
            start = end
            while start > limit and not taken[start - 1] and src[start - 1] in char_candidates:
                start -= 1
            return start

        seen: set[tuple[int, int]] = set()
        # cue words after the run
        ends = {s.end: s for s in accepted}
        for m in _CUE_RE.finditer(src):
            end = m.start()
            cue = m.group(0)
            route = cue in _ROUTE_CUE_SET
            strong = cue in _STRONG_CUE_SET
            # one cue can serve a list: 长株潭、合肥都市圈
            prev = ends.get(end)
            if prev is not None and prev.start > 0 and src[prev.start - 1] in _LIST_JOINERS:
                end = prev.start - 1
            start = run_before(end)
            if end - start < 2:
                continue
            # the longest suffix of the run that reads as a compound
            context = None
            for s0 in range(start, end - 1):
                if (s0, end) in seen:
                    break
                if self._never_compound(src[s0:end]):
                    continue
                before = src[s0 - 1 : s0 + 1]
                if before in self.gaz.common or before in _CUE_WORDS:
                    continue  # 创新|大走廊, 共建|苏锡常: the run starts inside a word
                named = ends.get(s0)
                if named is not None and not all(u.level == "province" for u in named.units):
                    # 湘潭九华示范区: right after a city, a run names a part of it
                    continue
                if context is None:
                    context = context_for(end - 1)  # one sentence: the same for every s0
                span = self._read_compound(src, s0, end, context, route=route, quoted=strong)
                if span is not None:
                    seen.add((s0, end))
                    out.append(span)
                    taken[s0:end] = b"\x01" * (end - s0)
                    break
        # quoted runs: “襄十随神”
        for q in _OPEN_QUOTE.finditer(src):
            i = q.start()
            close = _QUOTES[q.group(0)]
            j = src.find(close, i + 1, i + self.weights.max_quote_span)
            if j < 0 or j - i - 1 < 2 or (i + 1, j) in seen:
                continue
            if any(taken[i + 1 : j]) or any(c not in self._char_candidates for c in src[i + 1 : j]):
                continue
            span = self._read_compound(src, i + 1, j, context_for(i), route=False, quoted=True)
            # quotes mark a name, not a word: 长江 in quotes is still a river
            if span is not None:
                out.append(span)
                taken[i + 1 : j] = b"\x01" * (j - i - 1)
        # three or more province 简称 in a row need no cue: 鄂豫皖红色旅游, 云贵川
        for m in self._province_run.finditer(src):
            i, j = m.span()
            if any(taken[i:j]) or len(set(m.group())) < j - i:
                continue
            span = self._read_compound(src, i, j, context_for(i), route=False, quoted=True)
            if span is not None and all(u.level == "province" for u in span.units):
                out.append(span)
                taken[i:j] = b"\x01" * (j - i)
        return out

    def _never_compound(self, word: str) -> bool:
        """Whether ``word`` cannot be a compound whatever the context says."""
        return (
            len(word) > self.weights.max_compound_length
            or _DIRECTIONS.issuperset(word)
            # 长江, 东北, 江南: a word, not a compound of places
            or self.gaz.words.get(word, 0.0) > 0.0
        )

    def _read_compound(
        self,
        src: str,
        start: int,
        end: int,
        context: _Context,
        *,
        route: bool,
        quoted: bool,
    ) -> _Span | None:
        word = src[start:end]
        if self._never_compound(word):
            return None
        w = self.weights
        sent, near = context.sent, context.near
        units_by_code, capitals = self.units, self._capitals
        per_char: list[list[_Reading]] = []
        for pos, c in enumerate(word):
            candidates = list(self._city_candidates.get(c, ()))
            # counties only of places in context (鹤中 = 鹤城区 + 中方县 in a text on 怀化),
            # and in a route only when the county itself is named
            by_parent = self._county_candidates.get(c)
            if by_parent:
                for parent in context.prefectures:
                    for code in by_parent.get(parent, ()):
                        if not route or code in sent:
                            candidates.append((code, w.prior_county_in_context, "county"))
            county_set = self._county_set.get(c, frozenset())
            for code in context.counties:
                if code in county_set and (not route or code in sent):
                    if all(o[0] != code for o in candidates):
                        candidates.append((code, w.prior_county_in_context, "county"))
            skip_province = pos > 0 and c in _DIRECTIONS  # 鄂西: 西 is no province here
            options: list[_Reading] = []
            for code, prior, how in candidates:
                if how == "second":
                    if code not in sent:
                        continue  # 州 of 鄂州 only when 鄂州 is named in the sentence
                elif how == "province" and skip_province:
                    continue
                score = prior
                if route and how != "second" and code in capitals:
                    score += w.capital_route_bonus
                intrinsic = score
                if code in sent:
                    score += w.in_sentence_bonus
                elif code in near and how != "county":
                    score += w.nearby_bonus  # a county needs to be named in the sentence itself
                options.append((score, units_by_code[code], intrinsic))
            if not options:
                return None
            options.sort(key=_first, reverse=True)  # stable: ties keep candidate order
            per_char.append(options[: w.options_per_char])
        # [province 简称][direction]: 鄂西, 湘南 name a part of a province
        if len(word) == 2 and word[1] in _DIRECTIONS and per_char[0][0][1].level == "province":
            return None
        # the weights the loop below reads, as locals (it runs up to 6^n times)
        min_char_score, beyond_doubt = w.min_char_score, w.beyond_doubt
        max_spread, max_spread_provinces = w.max_spread_km, w.max_spread_provinces_km
        max_spread_route, compact_per_point = w.max_spread_route_km, w.compact_per_point_km
        mixed_levels_penalty = w.mixed_levels_penalty
        province_codes = self._provinces
        best: tuple[float, tuple[Unit, ...]] | None = None
        # a combination with a character read below the minimum is never tried
        usable = [[o for o in opts if o[0] >= min_char_score] for opts in per_char]
        for combo in itertools.product(*usable):
            units = tuple(map(_second, combo))
            if len(set(map(_adcode, units))) < len(units):
                continue
            provinces = province_codes.issuperset(map(_adcode, units))
            limit = max_spread_provinces if provinces else max_spread
            # no combination spreads beyond this: stop measuring at the first pair past it
            cap = max(limit, max_spread_route) if route else limit
            spread = 0.0
            for a, b in itertools.combinations(units, 2):
                km = _km(a, b)
                if km > spread:
                    spread = km
                    if km > cap:
                        break
            if route and spread > limit:
                # a long route (渝昆) only between places each character names beyond
                # doubt: a province 简称, a conventional name or a capital; 呼南 (南宁?
                # 南昌? 南京?) stays unread, and so do national corridors (京广, 京港澳)
                if spread > max_spread_route or not all(
                    o[2] >= beyond_doubt and sum(1 for x in opts if x[2] >= beyond_doubt) == 1
                    for o, opts in zip(combo, per_char, strict=True)
                ):
                    continue
            elif spread > limit:
                continue
            # provinces and cities rarely share a compound (湘赣 is two provinces)
            levels = {u.level == "province" and not u.city_like for u in units}
            if route:
                # a route names its stops in order: 昌景黄 runs 南昌→景德镇→黄山
                compact = sum(_km(a, b) for a, b in itertools.pairwise(units)) / (len(units) - 1)
            else:
                pairs = list(itertools.combinations(units, 2))
                compact = sum(_km(a, b) for a, b in pairs) / len(pairs)
            score = (
                sum(o[0] for o in combo) / len(combo)
                - compact / compact_per_point
                - mixed_levels_penalty * (len(levels) - 1)
            )
            if best is None or score > best[0]:
                best = (score, units)
        if best is None:
            return None
        support = any(u.adcode in sent or u.adcode in near for u in best[1])
        # a two-character run needs a strong cue, quotes, a route word or context
        needed = w.quoted_pair_min_score if quoted else w.bare_pair_min_score
        if len(word) == 2 and not (route or support) and best[0] < needed:
            return None
        return _Span(
            start,
            end,
            word,
            tuple(u.adcode for u in best[1]),
            best[1],
            "route" if route else "abbreviation",
            True,
        )


_RECOGNISERS: weakref.WeakKeyDictionary[Gazetteer, Recogniser] = weakref.WeakKeyDictionary()


def get_recogniser(gazetteer: Gazetteer | None = None) -> Recogniser:
    """Return the recogniser over ``gazetteer`` (default: the cached one), built once."""
    gaz = load_gazetteer() if gazetteer is None else gazetteer
    rec = _RECOGNISERS.get(gaz)
    if rec is None:
        rec = _RECOGNISERS[gaz] = Recogniser(gaz)
    return rec


def find_mentions(
    text: str,
    *,
    clean: str | None = None,
    gazetteer: Gazetteer | None = None,
    sentences: Sequence[Sentence] | None = None,
) -> list[Mention]:
    """Find the admin units ``text`` names.

    Parameters
    ----------
    text
        Decoded text; returned offsets index it.
    clean
        Optional same-length masked text (see :func:`geo.text.clean_text`).
    gazetteer
        A gazetteer other than the default one.
    sentences
        The sentences of the text (:attr:`geo.text.Document.sentences`); split with
        :func:`geo.text.split_sentences` when not given.

    Returns
    -------
    list of Mention
        Sorted by start, non-overlapping.

    Examples
    --------
    >>> [u.name for m in find_mentions("加快建设襄阳至南漳高速公路") for u in m.units]
    ['襄阳市', '南漳县']
    """
    return get_recogniser(gazetteer).find(text, clean=clean, sentences=sentences)
