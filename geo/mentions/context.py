"""Pass 3, the context: which unit a span names, from the places around it.

Spans that name exactly one province or city-level unit, or a county by a distinctive
name, and that are not everyday words, are anchors, accepted outright.  Every other span
(a county's short name, a name shared by several units, a name that is also an ordinary
word such as 合作 or 公安) needs evidence from the anchors around it: its parent right
before it (荆州公安, 湖南平江), its parent or a sibling in the sentence or nearby, or a
partner in a pair or list (监利至华容).  A county name right after another place that is
not its parent is part of a facility name (武汉天河机场) and is dropped.  Same-named
units are told apart by distance to the places around them (华容县 next to 监利).
"""

from __future__ import annotations

import bisect
from collections import Counter

from ..gazetteer import Gazetteer, Unit
from ..mention_weights import MentionWeights
from ._common import (
    COMPASS,
    CONNECTORS,
    CUE_WORDS,
    FACILITY_AFTER,
    FACILITY_TAIL,
    GENERIC_ENDINGS,
    NAMED_FACILITY,
    ROUTE_JOIN,
    STREET_AFTER,
    Sentences,
    Span,
    km,
)
from .checks import NameChecks

__all__ = ["ContextReader"]


class ContextReader:
    """Anchors and the reading of every other name span from its context."""

    def __init__(self, gazetteer: Gazetteer, weights: MentionWeights, checks: NameChecks) -> None:
        self.gaz = gazetteer
        self.units = gazetteer.units
        self.weights = weights
        self.checks = checks
        units = self.units
        former = gazetteer.former
        self._full_form = {
            form: any(form == units[c].name or form in units[c].aliases for c in codes)
            and (form not in former or form.endswith(GENERIC_ENDINGS))
            for form, codes in gazetteer.names.items()
        }
        self._ancestors = {code: frozenset(u.ancestors) for code, u in units.items()}

    def resolve(self, src: str, spans: list[Span], bounds: Sentences) -> list[Span]:
        """Decide the unit of every span: anchors first, then the rest by their context."""
        w = self.weights
        for s in spans:
            units = [self.units[c] for c in s.codes]
            full = self._full_form.get(s.form)
            if full is None:  # not a form of the gazetteer's name table (never, so far)
                full = any(s.form == u.name or s.form in u.aliases for u in units)
            if s.kind != "expansion":
                s.kind = "name" if full else "short"
            if self.checks.not_a_name(src, s):
                s.codes = ()
                continue
            if len(units) == 1:
                u = units[0]
                if s.kind == "expansion":
                    s.units, s.anchor = (u,), True  # the brackets spell the name out
                    continue
                if (u.city_like or u.level == "province") and not self.checks.is_ordinary(
                    s.form, u
                ):
                    s.units, s.anchor = (u,), True
                elif (
                    u.level == "county"
                    and (
                        len(s.form) >= w.anchor_name_length
                        or (len(s.form) >= w.anchor_short_length and not s.form.endswith("区"))
                        or (s.kind == "short" and len(s.form) >= w.anchor_short_length)
                        # 户县, 沛县: a one-character county written in full
                        or (s.kind == "name" and s.form.endswith("县"))
                    )
                    and not self.checks.is_ordinary(s.form, u)
                ):
                    # 沅陵县, 邓州市, 黄石港区: distinctive enough alone; a short district
                    # name (江汉区, 老城区) still needs its city nearby
                    s.units, s.anchor = (u,), True
            else:
                # one name, several units: a province or city beats a county named after
                # it (南昌 is 南昌市, not 南昌县; 吉林 is the province)
                top = [u for u in units if u.level != "county" or u.city_like]
                if len(top) == 1 and not self.checks.is_ordinary(s.form, top[0]):
                    s.units, s.anchor = (top[0],), True

        anchors = [s for s in spans if s.anchor]
        starts = [s.start for s in anchors]
        # the provinces the whole text names: a facility named after a county in a
        # paragraph that names no place is read only there
        doc_codes = frozenset(u.adcode for a in anchors for u in a.units)
        form_counts = Counter(s.form for s in spans if s.codes)
        # units the text writes in full somewhere (盐田区): their short name may be the
        # text's own subject
        full_named = frozenset(
            s.codes[0] for s in spans if s.kind == "name" and len(s.codes) == 1
        )
        doc_region = frozenset(self.units[c].province for c in doc_codes)
        span_starts = [s.start for s in spans]
        for i, s in enumerate(spans):
            if s.anchor or not s.codes:
                continue
            choice = self._with_context(
                src, s, i, spans, span_starts, anchors, starts, bounds,
                doc_codes, doc_region, form_counts, full_named,
            )
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
                    and s.form[-1] in FACILITY_TAIL
                ):
                    s.units = (parent,)
        self._drop_far_streets(src, spans, bounds)
        return [s for s in spans if s.units]

    def _drop_far_streets(self, src: str, spans: list[Span], bounds: Sentences) -> None:
        """Unread a street named after a far place (中山大道 in 驻马店, 北京路 in 广州).

        Chinese cities name streets after other cities and provinces; such a name speaks of
        the street, not the place, unless a place around it (its paragraph, else its
        text), not itself a street's name, lies within
        :attr:`~geo.mention_weights.MentionWeights.street_reach_km` or in its province.
        """
        placed = [(s, s.units[0]) for s in spans if len(s.units) == 1]
        streets = {id(s) for s, _ in placed if STREET_AFTER.match(src, s.end) is not None}
        if not streets:
            return
        plain = [(s, u) for s, u in placed if id(s) not in streets]
        reach = self.weights.window
        dropped: list[Span] = []
        for s, u in placed:
            if id(s) not in streets:
                continue
            around = [
                o for p, o in plain
                if o.adcode != u.adcode and s.start - reach <= p.start <= s.end + reach
            ]
            context = around or [o for _, o in plain if o.adcode != u.adcode]
            if context and not any(
                o.province == u.province or km(u, o) <= self.weights.street_reach_km
                for o in context
            ):
                dropped.append(s)
        for s in dropped:
            s.units = ()

    def _near_enough(
        self, u: Unit, src: str, s: Span, nearby: list[Span], doc_region: frozenset[str]
    ) -> bool:
        """Whether ``u`` fits the places named around a sentence that names none itself.

        A facility named after a county (平湖枢纽, 罗田水库) is read only in the provinces
        of the places its paragraph names or within a province's reach of one of them
        (昌平国家实验室 beside 保定); when the paragraph names none, in the provinces the
        whole text names; in a text that names no place at all, the name stands alone.
        """
        lo = src.rfind("\n", 0, s.start) + 1
        hi = src.find("\n", s.end)
        hi = len(src) if hi < 0 else hi
        paragraph = [v for a in nearby if lo <= a.start < hi for v in a.units]
        if paragraph:
            reach = self.weights.rare_name_reach_km
            return any(o.province == u.province or km(u, o) <= reach for o in paragraph)
        return not doc_region or u.province in doc_region

    def _named_among_kin(
        self,
        src: str,
        s: Span,
        u: Unit,
        sent_units: dict[str, Unit],
        near_units: dict[str, Unit],
        sentence_counties: list[Unit],
    ) -> bool:
        """Whether an everyday-word name (来宾, 光明, 东方) is read among its kin.

        Its siblings list it (桂林、玉林……来宾; 三亚……东方机场): two siblings in its
        sentence, or its parent named nearby with a sibling in the sentence (深圳……坪山站、
        光明城站) or with a facility word right after it (东方机场, 盐田港).  Never bare.
        """
        w = self.weights
        city = u.city_like or u.level == "prefecture"

        def kin(o: Unit) -> bool:
            if o.adcode == u.adcode:
                return False
            if city:  # 来宾 and 桂林, 东方 and 三亚: cities of one province
                return (o.city_like or o.level == "prefecture") and o.province == u.province
            return o.level == "county" and o.parent == u.parent and not o.city_like

        siblings = {o.adcode for o in (*sent_units.values(), *sentence_counties) if kin(o)}
        if len(siblings) >= w.kin_siblings:
            return True
        parent = u.parent or ""
        if parent not in sent_units and parent not in near_units:
            return False
        return bool(siblings) or FACILITY_AFTER.match(src, s.end) is not None

    def _with_context(
        self,
        src: str,
        s: Span,
        i: int,
        spans: list[Span],
        span_starts: list[int],
        anchors: list[Span],
        starts: list[int],
        bounds: Sentences,
        doc_codes: frozenset[str],
        doc_region: frozenset[str],
        form_counts: Counter[str],
        full_named: frozenset[str],
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
                if lo <= o.start < hi and len(gap) <= w.partner_gap and CONNECTORS.match(gap):
                    partners.extend(o.units or (self.units[c] for c in o.codes))
                    ends_of_route = ends_of_route or bool(ROUTE_JOIN.search(gap))
        k0 = bisect.bisect_left(span_starts, lo)
        k1 = bisect.bisect_left(span_starts, hi)
        # counties named together in one sentence support each other when they are
        # siblings or neighbours (宜城、南漳; 随县……枣阳)
        sentence_counties = [
            self.units[c]
            for o in spans[k0:k1]
            if o is not s and o.form not in CUE_WORDS
            for c in o.codes
            if self.units[c].level == "county"
            and not self.checks.is_ordinary(o.form, self.units[c])
        ]
        # a parent -> the counties of it named in the sentence; a name written twice is
        # no sibling of itself (罗田水库……罗田水厂)
        sibling_parents: dict[str | None, set[str]] = {}
        for sibling in sentence_counties:
            sibling_parents.setdefault(sibling.parent, set()).add(sibling.adcode)
        # 平谷线, 镇安抽水蓄能电站, 波密至然乌段铁路: a county name right before a facility
        # or route word names the unit the facility lies in or starts from, unless it
        # ends a longer word; an everyday-word name (镇安 is also a town) only in the
        # provinces of the places around it
        tail = NAMED_FACILITY.match(src, s.end) if s.kind == "short" else None
        facility = (
            tail is not None
            # 明|月湖实验室: the name ends a longer word
            and src[s.start - 1 : s.start + 1] not in self.gaz.common
            and self.gaz.words.get(src[s.start - 1 : s.start + 1], 0.0) == 0.0
            and src[s.end - 1 : s.end + 1] not in self.gaz.common  # 新干|线 is 干线
            # 路南段, 秦岭东段: a compass character before 段 names a section
            and not (tail.group() == "段" and s.form[-1] in COMPASS)
        )
        # the sentence's region: the provinces of the places it names; an everyday-word
        # name (镇安 is also a town) needs its province there, any other name too when
        # the sentence names places (罗田水库 in a sentence on 深圳 is no 罗田县)
        sent_region = {o.province for o in sent_units.values()}

        best: tuple[float, Unit] | None = None
        for u in candidates:
            ancestors = self._ancestors[u.adcode]
            if prev_units and not any(p.adcode in ancestors for p in prev_units):
                continue  # 武汉天河机场: a county of another city is part of a name
            county = u.level == "county" and not u.city_like
            reach = w.county_reach_km if county else w.city_reach_km
            if ends_of_route and not self.checks.is_ordinary(s.form, u):
                reach = w.route_end_reach_km
            strong = bool(prev_units) or any(km(u, p) <= reach for p in partners if p is not u)
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
                # a county of a prefecture the text names anywhere, written in full or
                # named again and again: the text's own subject (坪山 in a report on
                # 深圳's 坪山区 that names 深圳 pages before)
                or (
                    u.level == "county"
                    and u.parent != u.province
                    and u.parent in doc_codes
                    and (
                        s.kind == "name"
                        or (u.adcode in full_named and form_counts[s.form] >= w.subject_mentions)
                    )
                )
                or (
                    u.level == "county"
                    and bool(sibling_parents.get(u.parent, set()) - {u.adcode})
                    and u.parent != u.province
                )
                or any(
                    km(u, o) <= w.sentence_neighbour_km
                    for o in sentence_counties
                    if o.adcode != u.adcode
                )
            )
            if u.city_like or u.level == "province":
                weak = weak or u.province in sent_units or bool(sent_units)
            ordinary = self.checks.is_ordinary(s.form, u)
            named = (
                facility
                and u.level == "county"
                and (
                    u.province in sent_region
                    or (
                        not ordinary
                        and not sent_region
                        and self._near_enough(u, src, s, nearby, doc_region)
                    )
                )
            )
            if (
                ordinary
                and not strong
                and not named
                and not self._named_among_kin(src, s, u, sent_units, near_units, sentence_counties)
            ):
                continue
            if not weak and not named:
                # a rare name with a place close by in the same sentence
                if (
                    ordinary
                    or not sent_units
                    or min(km(u, o) for o in sent_units.values()) > w.rare_name_reach_km
                ):
                    continue
            context = list(sent_units.values()) or list(near_units.values()) or partners
            dist = min((km(u, o) for o in context), default=0.0)
            base = w.strong_score if strong else w.weak_score
            score = base - dist / w.distance_per_point_km
            if best is None or score > best[0]:
                best = (score, u)
        if best is None:
            return None
        if len(candidates) > 1 and not (sent_units or near_units or partners or prev_units):
            return None  # same name, several places, nothing to tell them apart
        return best[1]
