"""Pass 4, the compound reader: runs of one-character abbreviations.

Runs of single characters before a cue (都市圈, 城市群, 一体化, 高速, 客专, …), or inside
quotes, are read as one-character abbreviations (襄十随神, 长株潭, 湘鄂渝黔, 汉十高速).
Every character's candidates come from the whole country: province 简称, conventional
city names (榕 = 福州, 邕 = 南宁), the first character of every prefecture, and the first
character of counties, weighted by where the text is (the provinces and prefectures
named around the run).  The reading that is compact on the ground, joins larger places
before smaller ones and is supported by the context wins.  One cue serves a list of
runs (雄商、津潍等高铁).
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from dataclasses import dataclass

from .._data import load_table, split_list
from ..gazetteer import CITY_ABBREVIATIONS, PROVINCE_ABBREVIATIONS, Gazetteer, Unit
from ..mention_weights import MentionWeights
from ._common import (
    COMPASS,
    COMPOUND_DASHES,
    COUNT_WORDS,
    CUE_RE,
    CUE_WORDS,
    DIRECTIONS,
    FACILITY_TAIL,
    LIST_JOINERS,
    LIST_TAIL,
    NUMERALS,
    OPEN_QUOTE,
    QUOTES,
    ROUTE_CUE_SET,
    ROUTE_JOIN,
    STRONG_CUE_SET,
    WEAK_ROUTE_CUE_SET,
    Sentences,
    Span,
    km,
)
from .checks import NameChecks

__all__ = ["CompoundReader"]

#: A section of a line named by its two ends right after the line's name (渝昆高铁渝宜段,
#: 青藏铁路格拉段, 隆黄铁路隆叙段): the two characters before 段 are a route of their own.
_SECTION = re.compile(
    r"(?:铁路|高铁|高速公路|高速|城际铁路|城际|客专|公路)([\u4e00-\u9fff]{2})段"
)
#: Words between a compound and its cue: a part (港深西部铁路), a phase (一期), the river a
#: bridge crosses (宁扬长江大桥) or a joint development (深赣港产城一体化合作区).
_BETWEEN_CUE = re.compile(
    r"(?:[东西南北中]部|[一二三四五]期|[\u4e00-\u9fff][江河]|产城|市域(?:[（(]郊[）)])?)$"
)
#: The longest of those words, in characters (市域（郊）).
_BETWEEN_CUE_LENGTH = 5
#: A route word and 站 after a run: the run names a station (雄安高铁站), not the ends of
#: a route.
_STATION = re.compile(r"(?:高铁|铁路|城际|客专)站")
#: A chain of route ends at most this much shorter than another is no clearer reading
#: (重庆—武胜 91 km and 重庆—武隆 109 km are a tie; 重庆—万州 226 km beats 重庆—万源 314 km).
_GROUND_CLOSE = 0.75
#: The route cue a section is read with: the line it is a section of is a route.
_SECTION_CUE = "铁路"

_first = operator.itemgetter(0)
_second = operator.itemgetter(1)
_adcode = operator.attrgetter("adcode")

#: One reading of an abbreviation character: (score in context, unit, intrinsic score,
#: prior of the name alone: the intrinsic score without the bonus of a capital on a route).
_Reading = tuple[float, Unit, float, float]


@dataclass(frozen=True, slots=True)
class _Context:
    """The places around a run: named in its sentence, named nearby, and what they imply."""

    sent: dict[str, Unit]
    near: dict[str, Unit]
    prefectures: frozenset[str]  # prefectures of the places in context
    counties: tuple[str, ...]  # counties named nearby
    provinces: frozenset[str]  # the region: provinces of the places in context


def _pair_before(src: str, last: Span, ends: dict[int, Span]) -> int | None:
    """Return where ``A至B`` starts when ``last`` is its B (日照至五莲), else None."""
    k = last.start - 1
    if k < 1 or src[k] not in "至到":
        return None
    first = ends.get(k)
    return first.start if first is not None else None


class CompoundReader:
    """Reads runs of abbreviation characters as compounds of places."""

    def __init__(self, gazetteer: Gazetteer, weights: MentionWeights, checks: NameChecks) -> None:
        self.gaz = gazetteer
        self.checks = checks
        self.units = gazetteer.units
        self.weights = weights
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
        # first character -> province -> its counties: a run read in a text about a
        # province may name any of its counties (京蔚 = 北京 + 蔚县 in a text on 河北)
        self._counties_by_province: dict[str, dict[str, list[str]]] = {}
        for u in self.units.values():
            if u.level == "county" and not u.city_like:
                by_province = self._counties_by_province.setdefault(u.short[0], {})
                by_province.setdefault(u.province, []).append(u.adcode)
        # county-level cities, now or before (集宁区 was 集宁市): the larger places a
        # route joins when a character names no prefecture (集二线 = 集宁 + 二连浩特)
        self._towns = frozenset(
            u.adcode
            for u in self.units.values()
            if u.level == "county" and (u.name.endswith("市") or u.short + "市" in u.aliases)
        )
        # first character -> every county it starts: a route may end at a county beside
        # the one city its other character names (本桓 = 本溪 + 桓仁)
        self._counties_by_char: dict[str, list[Unit]] = {}
        for u in self.units.values():
            if u.level == "county":
                self._counties_by_char.setdefault(u.short[0], []).append(u)
        self._capitals = self._find_capitals()
        self._ground_ends = self._index_ground_ends()
        # a run may start after any word of general text (帮扶|深汕, 共建|苏锡常)
        self._known = gazetteer.common | gazetteer.known
        # how many cities (prefecture-level or above) each character starts: a character
        # that starts one is no guess at a county of the region (珠 of 南珠 is not 珠山区)
        self._cities_started: dict[str, int] = {}
        for u in self.units.values():
            if u.city_like or u.level == "prefecture":
                self._cities_started[u.short[0]] = self._cities_started.get(u.short[0], 0) + 1
        # the beginnings of longer names: 特克 of 特克斯 is a piece of a transliteration
        # (多斯特克), not two places
        self._name_heads = frozenset(
            form[:k] for form in gazetteer.names for k in range(2, len(form)) if len(form) > 2
        ) - frozenset(gazetteer.names)
        # named national routes (兰海 = 兰州—海口, 贵广 = 贵阳—广州): read from the table
        self._routes = {
            row["route"]: tuple(self.units[c] for c in split_list(row["adcodes"]))
            for row in load_table("named_routes.csv")
        }
        self._route_lengths = sorted({len(r) for r in self._routes}, reverse=True)
        self._prefecture_of = {code: u.prefecture for code, u in self.units.items()}
        self._provinces = frozenset(c for c, u in self.units.items() if u.level == "province")
        # three or more province 简称 in a row need no cue: 鄂豫皖, 云贵川
        province_chars = "".join(c for cs in PROVINCE_ABBREVIATIONS.values() for c in cs)
        self._province_run = re.compile(
            f"[{re.escape(province_chars)}]"
            f"{{{weights.min_province_run},{weights.max_compound_length}}}"
        )

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

    def _index_ground_ends(self) -> dict[str, tuple[list[Unit], list[tuple[Unit, bool]]]]:
        """Character -> (cities, counties) a route's end may be, for :meth:`_ground_route`.

        Cities: the prefectures and province-level cities the character starts or names by
        convention (渝 = 重庆, 厦 = 厦门).  Counties: every county-level unit the
        character starts except a district that was never a county or a county-level
        city (南山区 is a part of 深圳, no route end; 万州区 was 万县, 鄠邑区 户县);
        the flag marks those former counties, which come after the counties of today.
        """
        out: dict[str, tuple[list[Unit], list[tuple[Unit, bool]]]] = {}

        def slot(c: str) -> tuple[list[Unit], list[tuple[Unit, bool]]]:
            return out.setdefault(c, ([], []))

        for code, chars in (*PROVINCE_ABBREVIATIONS.items(), *CITY_ABBREVIATIONS.items()):
            u = self.units[code]
            if u.city_like:
                for c in chars:
                    if u not in slot(c)[0]:
                        slot(c)[0].append(u)
        for u in self.units.values():
            if u.level == "prefecture" or (u.level == "province" and u.city_like):
                # a forest area of prefecture rank (太子山天然林保护区) is no route's end
                if u.name.endswith("区") and not u.name.endswith(("地区", "行政区")):
                    continue
                if u not in slot(u.short[0])[0]:
                    slot(u.short[0])[0].append(u)
            elif u.level == "county":
                district = u.name.endswith("区")
                if district and not any(a.endswith(("县", "市")) for a in u.aliases):
                    continue
                slot(u.short[0])[1].append((u, district))
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
                out.add(min(cities, key=lambda u: km(u, p)).adcode)
            elif p.city_like:
                out.add(p.adcode)  # 北京, 重庆: the province is the city
        return frozenset(out)

    def read(self, src: str, accepted: list[Span], bounds: Sentences) -> list[Span]:
        """Return ``accepted`` with the compounds found around it added (unsorted)."""
        window = self.weights.window
        # a short name that is no anchor and runs into a cue gives way to a compound
        # (惠城 in 深惠城际, 渝中 in 成渝中线): its characters stay free
        soft = {id(s) for s in accepted if not s.anchor and self.checks.runs_into_cue(src, s)}
        taken = bytearray(len(src))
        for s in accepted:
            if id(s) not in soft:
                taken[s.start : s.end] = b"\x01" * (s.end - s.start)
        starts = [s.start for s in accepted]
        out: list[Span] = []
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
                # a soft name is no context: 惠城 of 深惠城际 does not make 惠 惠城区
                sent = {
                    u.adcode: u for a in accepted[j0:j1] if id(a) not in soft for u in a.units
                }
                near = {
                    u.adcode: u for a in accepted[w0:w1] if id(a) not in soft for u in a.units
                }
                prefectures = frozenset(
                    p for code in (*near, *sent) if (p := prefecture_of[code]) is not None
                )
                counties = tuple(u.adcode for u in near.values() if u.level == "county")
                provinces = frozenset(u.province for u in (*near.values(), *sent.values()))
                context = contexts[key] = _Context(sent, near, prefectures, counties, provinces)
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
        ends = {s.end: s for s in accepted}
        common = self.gaz.common
        known = self._known

        def named_route(end: int) -> Span | None:
            """Return the named national route ending at ``end`` (兰海高速, 青藏铁路), if any."""
            for n in self._route_lengths:
                s0 = end - n
                form = src[max(0, s0) : end]
                units = self._routes.get(form)
                if units is None or s0 < 0 or any(taken[s0:end]):
                    continue
                lead = src[s0 - 2 : s0]
                if (
                    s0 == 0
                    or taken[s0 - 1]
                    or src[s0 - 1] not in char_candidates
                    or src[s0 - 1] in LIST_JOINERS
                    or lead in common
                    or lead in CUE_WORDS
                ):
                    return Span(s0, end, form, tuple(u.adcode for u in units), units, "route", True)
            return None

        def with_items(context: _Context, items: dict[str, Unit]) -> _Context:
            """Return the context of a section with the places of the line it is part of."""
            if not items:
                return context
            sent = {**context.sent, **items}
            prefectures = context.prefectures | frozenset(
                p for code in items if (p := prefecture_of[code]) is not None
            )
            provinces = context.provinces | frozenset(u.province for u in items.values())
            return _Context(sent, context.near, prefectures, context.counties, provinces)

        def compound_before(
            end: int, cue: str, items: dict[str, Unit] | None = None, section: bool = False
        ) -> Span | None:
            """Return the longest run ending at ``end`` that reads as a compound."""
            route = cue in ROUTE_CUE_SET
            weak = cue in WEAK_ROUTE_CUE_SET
            # a section is a part of its line, never a national route of its own (渝宜段
            # of 渝昆高铁 ends at 宜宾, not at the 宜昌 of the 渝宜 corridor)
            if route and not section:
                span = named_route(end)
                if span is not None:
                    return span
            start = run_before(end)
            # 和宁淮城际, 一体化和湘赣边: 和 joins a list, it is no place (but 和若铁路 is
            # 和田 to 若羌): a run starts after its last joiner
            for k in range(end - 3, start - 1, -1):
                if src[k] in LIST_JOINERS:
                    start = k + 1
                    break
            context = None
            for s0 in range(start, end - 1):
                if (s0, end) in seen:
                    return None
                if self._never_compound(src[s0:end]):
                    continue
                before = src[s0 - 1 : s0 + 1]
                if before in common or before in CUE_WORDS:
                    continue  # 创新|大走廊, 共建|苏锡常: the run starts inside a word
                lead = src[s0 - 2 : s0]
                if s0 > start and lead not in known and lead not in CUE_WORDS:
                    # 荣乌新线: a shorter run cut out of a longer one that does not read
                    # is a guess, unless an everyday word ends right before it (实施|汉十)
                    continue
                if src[end - 1] in COMPASS and src[s0 : end - 1] in self.gaz.names:
                    continue  # 保定南高速出口: the south of a place written in full
                named = ends.get(s0)
                if named is not None and not all(u.level == "province" for u in named.units):
                    # 湘潭九华示范区: right after a city, a run names a part of it
                    continue
                if context is None:
                    # one sentence: the same for every s0; a section's line names places
                    # of its sentence (渝 of 渝宜段 is the 重庆 of 渝昆高铁)
                    context = with_items(context_for(end - 1), items or {})
                span = self._read_compound(
                    src, s0, end, context, route=route, quoted=cue in STRONG_CUE_SET, weak=weak
                )
                if span is not None:
                    seen.add((s0, end))
                    return span
            return None

        # cue words after the run; one cue serves a list (雄商、津潍、济滨等6个高铁)
        for m in CUE_RE.finditer(src):
            cue = m.group(0)
            end = m.start()
            tail = LIST_TAIL.search(src, max(0, end - 6), end)
            # 等6个 between the last item and the cue; a count alone only after a list
            # (本桓、凌绥、台黑4条高速公路, but not 新开通2个高速公路)
            if tail is not None and (
                tail.group(0)[0] == "等" or "、" in src[max(0, tail.start() - 5) : tail.start()]
            ):
                end = tail.start()
            # 港深西部铁路, 宁扬长江大桥, 深赣港产城一体化: a part, a phase or the river
            # crossed between the compound and its cue; the run before it is read first
            gap = _BETWEEN_CUE.search(src, max(0, end - _BETWEEN_CUE_LENGTH), end)
            if gap is not None and gap.group(0) not in self.gaz.names:
                span = compound_before(gap.start(), cue)
                if span is not None:
                    out.append(span)
                    taken[span.start : span.end] = b"\x01" * (span.end - span.start)
                    continue
            first = True
            while end > 0:
                prev = ends.get(end)
                pair = _pair_before(src, prev, ends) if prev is not None else None
                if pair is not None and src[pair - 1 : pair] in LIST_JOINERS:
                    # 莱临、日照至五莲高铁: a route written out (日照至五莲) is an item too
                    end = pair
                elif prev is not None and (
                    not first or (prev.start > 0 and src[prev.start - 1] in LIST_JOINERS)
                ):
                    # 长株潭、合肥都市圈: a named place is an item of the list
                    end = prev.start
                else:
                    span = compound_before(end, cue)
                    if span is not None:
                        out.append(span)
                        taken[span.start : span.end] = b"\x01" * (span.end - span.start)
                        end = span.start
                    else:
                        # an item that does not read is passed over when the list goes on
                        # before it (大广、保阜等高速: 大广 is read though 保阜 is not)
                        item = run_before(end)
                        if item == end or end - item > 3 or item == 0:
                            break
                        end = item
                first = False
                if end == 0 or src[end - 1] not in LIST_JOINERS:
                    break
                end -= 1
        # sections of a line named by their ends: 渝昆高铁渝宜段; the line's own places
        # are places of the section's sentence (渝 of 渝宜 is the 重庆 of 渝昆)
        line_ends = {span.end: span for span in out}
        for m in _SECTION.finditer(src):
            i, j = m.span(1)
            if any(taken[i:j]) or (i, j) in seen:
                continue
            line = line_ends.get(m.start())
            items = {u.adcode: u for u in line.units} if line is not None else {}
            span = compound_before(j, _SECTION_CUE, items, section=True)
            if span is not None and span.start == i:
                out.append(span)
                taken[i:j] = b"\x01" * (j - i)
        # quoted runs: “襄十随神”
        for q in OPEN_QUOTE.finditer(src):
            i = q.start()
            close = QUOTES[q.group(0)]
            j = src.find(close, i + 1, i + self.weights.max_quote_span)
            if j < 0 or j - i - 1 < 2 or (i + 1, j) in seen:
                continue
            inner = src[i + 1 : j]
            letters = None
            # “乌—昌—石”: dashes between the characters of a quoted compound
            if len(inner) >= 3 and COMPOUND_DASHES.issuperset(inner[1::2]):
                letters = inner[0::2]
            if any(taken[i + 1 : j]) or any(
                c not in self._char_candidates for c in (letters or inner)
            ):
                continue
            span = self._read_compound(
                src, i + 1, j, context_for(i), route=False, quoted=True, letters=letters
            )
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
        if soft:
            # a soft name gives way to the compound it runs into, and stays unread when
            # that compound does not read (滨城 of 京滨城际 is no 滨城区)
            accepted = [
                s
                for s in accepted
                if id(s) not in soft
                or not (
                    any(taken[s.start : s.end])
                    or (s.start > 0 and src[s.start - 1] in char_candidates)
                )
            ]
        return accepted + out

    def _never_compound(self, word: str) -> bool:
        """Whether ``word`` cannot be a compound whatever the context says."""
        return (
            len(word) > self.weights.max_compound_length
            or DIRECTIONS.issuperset(word)
            # 长江, 东北, 江南: a word, not a compound of places
            or self.gaz.words.get(word, 0.0) > 0.0
            # 三大高速公路, 四横五纵: a count, not places
            or (word[0] in NUMERALS and word[1] in COUNT_WORDS)
            # 多斯特克: the run is the beginning of a longer name, a piece of another word
            or word in self._name_heads
        )

    def _sure(self, reading: _Reading, options: list[_Reading], region: frozenset[str]) -> bool:
        """Whether a character's reading is beyond doubt, so a long route may end there.

        Beyond doubt: the only strong reading of the character by name (a province 简称 or
        a conventional name; a province and its own capital count as one: 贵 in 贵广 is 贵州
        or 贵阳, never 贵港), the only city the character can start (厦 = 厦门), a province
        of the text's region, or the only city of that region the character can start
        (南 of 深南 in a text naming 江西 and 广西 may be 南昌 or 南宁).  Being a capital
        alone is no proof: 武 of 梅武 may be 武汉 or 武威, and in a text on 广东 it is
        neither.
        """
        unit, beyond = reading[1], self.weights.beyond_doubt
        if reading[3] >= beyond:
            return len({x[1].province for x in options if x[2] >= beyond}) == 1
        cities = [x for x in options if x[1].city_like or x[1].level == "province"]
        if unit.city_like and len(cities) == 1:
            return True
        # a city of the region, when no other city of the region starts with the
        # character (南 of 深南 in a text naming 江西 and 广西 may be 南昌 or 南宁)
        if unit.province not in region:
            return False
        if unit.level == "province" and not unit.city_like:
            return True
        in_region = [x for x in cities if x[1].city_like and x[1].province in region]
        return unit.city_like and len(in_region) == 1

    def _certain_part(
        self,
        start: int,
        end: int,
        word: str,
        per_char: list[list[_Reading]],
        context: _Context,
        region: frozenset[str],
    ) -> Span | None:
        """Return the one end of a two-character route that is certain, if only one is.

        深大城际 runs from 深圳 to 大亚湾, which is no admin unit: 深 is read, 大 is not.
        An end is certain when its best reading is beyond doubt by name alone (not by the
        region: 南 of 南延 is no 南宁) and is named around the run or lies in the province
        of a place its sentence names; when both ends or neither are, nothing is read.
        """
        certain = []
        for opts in per_char:
            top = opts[0]
            u = top[1]
            named = u.adcode in context.sent or u.adcode in context.near
            if (named or (bool(context.sent) and u.province in region)) and self._sure(
                top, opts, frozenset()
            ):
                certain.append(u)
        if len(certain) != 1:
            return None
        unit = certain[0]
        return Span(start, end, word, (unit.adcode,), (unit,), "route", True)

    def _beside_cities(
        self, word: str, per_char: list[list[_Reading]], region: frozenset[str]
    ) -> frozenset[str]:
        """Add to ``per_char`` the counties beside the sure cities of the other characters.

        A route from a city to a county names the county by its first character: 本桓 is
        本溪 to 桓仁, 合湛 is 合浦 to 湛江.  A character may read as a county when another
        character names exactly one city, in the country or in the text's region (本 =
        本溪, 湛 = 湛江; 保 = 保定 in a text on 河北), the county is the only
        county or district the character starts within a county's reach of that city, it
        is no district (a part of a city), and the city or the county lies in the text's
        region (龙大 in a text on 深圳 is no 龙岩—大埔: 大田 is as close).  Returns the
        adcodes of those cities and counties, or nothing when no character reads so.
        """
        w = self.weights
        sure_cities: list[tuple[int, Unit]] = []
        for pos, c in enumerate(word):
            cities = [o[1] for o in per_char[pos] if o[1].level == "prefecture"]
            if self._cities_started.get(c) != 1:
                # the only city of the region the character starts (保 = 保定 in 河北)
                cities = [u for u in cities if u.province in region]
            if len(cities) == 1:
                sure_cities.append((pos, cities[0]))
        if not sure_cities:
            return frozenset()
        out: set[str] = set()
        for pos, c in enumerate(word):
            near = {
                u.adcode: (u, city)
                for u in self._counties_by_char.get(c, ())
                for p, city in sure_cities
                if p != pos and km(u, city) <= w.county_reach_km
            }
            if len(near) != 1:
                continue  # two counties beside it (凌海, 凌源; 平泉, 平谷区): read nothing
            ((unit, city),) = near.values()
            if (
                unit.name.endswith("区")  # a district is part of a city, no route end
                or (unit.province not in region and city.province not in region)
                or any(o[1].adcode == unit.adcode for o in per_char[pos])
            ):
                continue
            guess = w.prior_county_in_region
            per_char[pos] = [*per_char[pos], (guess, unit, guess, guess)]
            out.add(unit.adcode)
            out.update(city.adcode for p, city in sure_cities if p != pos)
        return frozenset(out)

    def _chain_towns(
        self, word: str, per_char: list[list[_Reading]], region: frozenset[str]
    ) -> None:
        """Add to ``per_char`` the county-level city that ends a chain beside its neighbour.

        A route of three or more stops may end at a county-level city (盐泰锡常宜 ends at
        宜兴, beside 常州): the last or first character may read as the only county or
        district it starts within a county's reach of a city of the text's region that
        the next character names, when that county is a city (市, not a former one now a
        district: 新 of 新深汕 is no 新会区) of the region.
        """
        reach = self.weights.county_reach_km
        for pos, nxt in ((0, 1), (len(word) - 1, len(word) - 2)):
            cities = [
                o[1]
                for o in per_char[nxt]
                if o[1].level == "prefecture" and o[1].province in region
            ]
            near = {
                u.adcode: u
                for u in self._counties_by_char.get(word[pos], ())
                if any(km(u, city) <= reach for city in cities)
            }
            if len(near) != 1:
                continue
            (unit,) = near.values()
            if (
                unit.adcode not in self._towns
                or unit.name.endswith("区")  # 新会区 of 新深汕: now a part of a city
                or unit.province not in region
                or any(o[1].adcode == unit.adcode for o in per_char[pos])
            ):
                continue
            guess = self.weights.prior_county_in_region
            per_char[pos] = [*per_char[pos], (guess, unit, guess, guess)]

    def _county_pair(
        self, word: str, region: frozenset[str], prefectures: frozenset[str]
    ) -> tuple[Unit, Unit] | None:
        """Return the two neighbouring counties of the region a two-character route joins.

        When no city reads (台黑 in a text on 辽宁: 台州 and 黑河 are far apart), a route
        between two counties is read if they are the only pair of counties or districts of
        the text's region, one starting with each character, within a county's reach of
        each other, and neither is a district (台安—黑山, 沈丘—遂平).  Neither character
        may start a city of the region (承平 is 承德 to 平谷, not 承德县 to 平泉), the run
        must not be a name of its own (平陆运河), and one county lies in a prefecture named
        around the run.
        """
        # 平陆 (运河) is a name of its own, 承平 starts with a city (承德) of the region
        units = self.units
        if (
            not region
            or word in self.gaz.names
            or any(
                how == "first" and units[code].province in region
                for c in word
                for code, _, how in self._city_candidates.get(c, ())
            )
        ):
            return None
        reach = self.weights.county_reach_km
        firsts, seconds = (
            [u for u in self._counties_by_char.get(c, ()) if u.province in region] for c in word
        )
        pairs = [(a, b) for a in firsts for b in seconds if km(a, b) <= reach]
        if len(pairs) != 1 or any(u.name.endswith("区") for u in pairs[0]):
            return None
        # one end in a prefecture named around the run (龙大 in a text on 深圳 is no road
        # from 龙南 to 大余)
        if not any(u.prefecture in prefectures for u in pairs[0]):
            return None
        return pairs[0]

    @staticmethod
    def _groundable(src: str, start: int, end: int) -> bool:
        """Whether the run ``src[start:end]`` may be read by :meth:`_ground_route`.

        Not the name of a station (雄安高铁站), nor the far end of a route written out
        (张北-雄安特高压: 雄安 is a name in full, not two characters of two places).
        """
        return not _STATION.match(src, end) and not (
            start > 0 and ROUTE_JOIN.match(src, start - 1)
        )

    def _ground_route(
        self, word: str, context: _Context, region: frozenset[str], *, weak: bool
    ) -> tuple[Unit, ...] | None:
        """Return the places of a route run no reading by cities explains, read on the ground.

        Routes are named by the first character of their ends, and an end may be a
        county (隆叙 = 隆昌—叙永, 梁开 = 梁平—开江, 集大原 = 集宁—大同—原平).  Such a run
        is read only when the whole country leaves one choice: the shortest chain of ends,
        one per character, each a county's reach from the next (further where a city is
        one of the two), clearly shorter than any other (渝万 = 重庆—万州区, not
        万源); among chains about as short, the one of today's counties (叙永县) before
        former counties now districts (渝武 = 重庆—武胜县, not 武隆区).  The choice must
        then make sense where the text is: a place of the text's region among its ends
        when the text names one; a pair of counties only beside a city named around the
        run; out of context, a pair only with a city its character names beyond doubt
        (渝, 太 = 太原); on a weak route word (大桥, 通道) an end named in the sentence
        (厦金大桥 beside 厦门段).

        A district that was never a county (南山区) is no end; a run with a province's
        简称 (湘, 鄂), a direction (渝西 is western 重庆) or a list joiner first (和土铁路)
        is left to the other readings.
        """
        w = self.weights
        if (
            not 2 <= len(word) <= 3
            or len(set(word)) < len(word)
            or word in self.gaz.names
            or word[0] in LIST_JOINERS
            or self._holds_word(word)
            or any(c in DIRECTIONS for c in word)
        ):
            return None
        cities: list[list[Unit]] = []
        options: list[list[tuple[Unit, bool, bool]]] = []
        for c in word:
            strong = [
                self.units[code]
                for code, _, how in self._char_candidates.get(c, ())
                if how in ("province", "conventional")
            ]
            if any(not u.city_like for u in strong):
                return None  # 湘, 鄂: a province, read by the reader of cities or not at all
            found, towns = self._ground_ends.get(c, ([], []))
            # 渝 is 重庆 and nothing else; 京 of 京密 is no 京山
            found = strong or found
            cities.append(found)
            options.append(
                [(u, False, False) for u in found]
                + ([] if strong else [(u, True, former) for u, former in towns])
            )
        # a step from a city to a county: halfway between a county's and a city's reach
        # (太原—绥德 205 km, 重庆—万州 226 km; not 深圳—武平 352 km for 武深 = 武汉—深圳)
        county_reach = w.county_reach_km
        city_reach = (w.county_reach_km + w.city_reach_km) / 2
        chains: list[tuple[float, int, tuple[tuple[Unit, bool, bool], ...]]] = []
        for combo in itertools.product(*options):
            if not any(is_county for _, is_county, _ in combo):
                continue  # cities alone are the other reader's
            if len({u.adcode for u, _, _ in combo}) < len(combo):
                continue
            steps = [
                (km(a, b), county_reach if ca and cb else city_reach)
                for (a, ca, _), (b, cb, _) in itertools.pairwise(combo)
            ]
            if any(d > limit for d, limit in steps):
                continue
            chains.append((sum(d for d, _ in steps), sum(f for _, _, f in combo), combo))
        if not chains:
            return None
        # the shortest chain and those about as short; of them the one of today's counties
        shortest = min(length for length, _, _ in chains)
        close = [c for c in chains if c[0] * _GROUND_CLOSE <= shortest]
        fewest = min(n for _, n, _ in close)
        best = [combo for _, n, combo in close if n == fewest]
        if len(best) != 1:
            return None
        combo = best[0]
        units = tuple(u for u, _, _ in combo)
        in_region = any(u.province in region for u in units)
        if region and not in_region:
            return None
        if len(word) == 2 and not in_region:
            # out of context, a pair only on a city beyond doubt (清平 of 深圳's 清平高速
            # is no 清镇—平坝)
            if all(is_county for _, is_county, _ in combo) or not all(
                is_county or len(found) == 1
                for (_, is_county, _), found in zip(combo, cities, strict=True)
            ):
                return None
        if len(word) == 2 and all(is_county for _, is_county, _ in combo):
            # two counties: one of them in a city named around the run (清平 of 深圳's 清平
            # 高速 is no 清镇—平坝, though a sentence nearby names 贵州)
            around = {*context.sent, *context.near, *context.prefectures}
            if not any(u.prefecture in around or u.parent in around for u in units):
                return None
        if weak and not any(u.adcode in context.sent for u in units):
            return None
        return units

    def _holds_word(self, word: str) -> bool:
        """Whether ``word`` holds an everyday two-character word (长江, 中游, 双城)."""
        gaz = self.gaz
        for i in range(len(word) - 1):
            pair = word[i : i + 2]
            if pair in gaz.common or pair in CUE_WORDS or gaz.words.get(pair, 0.0) > 0.0:
                return True
        return False

    def _read_compound(
        self,
        src: str,
        start: int,
        end: int,
        context: _Context,
        *,
        route: bool,
        quoted: bool,
        weak: bool = False,
        letters: str | None = None,
        compass: bool = True,
    ) -> Span | None:
        # the characters read: the run itself, or its letters without dashes (乌—昌—石)
        word = src[start:end] if letters is None else letters
        if self._never_compound(word):
            return None
        w = self.weights
        if route and compass and len(word) >= 3 and word[-1] in COMPASS:
            # 广韶北: the section north of 韶关 on 广州—韶关, not 北海; but 周驻南 runs
            # 周口—驻马店—南阳: the full reading first, the section when it does not read
            span = self._read_compound(
                src, start, end, context, route=route, quoted=quoted, weak=weak,
                letters=word, compass=False,
            )
            # the compass end must be the next stop, close by (北 of 广韶北 is no 北海)
            if span is not None and km(span.units[-2], span.units[-1]) <= w.city_reach_km / 2:
                return span
            word = word[:-1]
        sent, near = context.sent, context.near
        units_by_code, capitals = self.units, self._capitals
        per_char: list[list[_Reading]] = []
        # counties of the region only on a route, and never in a run holding an everyday
        # word (长江中游, 县县双): such a run is prose unless its cities say otherwise
        region_counties = route and not weak and not self._holds_word(word)
        guess = w.prior_county_in_region
        # the text's region: the provinces of the places its sentence names, else of the
        # places nearby (a plan on 陕西 may mention 甘肃 in the paragraph before)
        region = frozenset(u.province for u in sent.values()) or context.provinces
        for pos, c in enumerate(word):
            candidates = list(self._city_candidates.get(c, ()))
            # a county named in the sentence by either character (新阳 = 新蔡 + 泌阳 in
            # 新阳高速（新蔡至泌阳）), as a city is (州 of 鄂州)
            for code, u in sent.items():
                if u.level == "county" and len(u.short) == 2 and u.short[1] == c:
                    candidates.append((code, w.prior_second, "second"))
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
            # counties of the provinces the text is about, weaker than the cities
            # (only for a character that starts no city: 蔚 of 京蔚 is 蔚县, but 珠 of 南珠
            # is 珠海, not 珠山区, and 大 of 深大 is no guess at 大埔)
            in_region = self._counties_by_province.get(c) if region_counties else None
            if in_region and c not in self._cities_started:
                listed = {o[0] for o in candidates}
                for province in region:
                    for code in in_region.get(province, ()):
                        if code not in listed:
                            candidates.append((code, guess, "region"))
            skip_province = pos > 0 and c in DIRECTIONS  # 鄂西: 西 is no province here
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
                unit = units_by_code[code]
                if code in sent:
                    score += w.in_sentence_bonus
                elif code in near and how not in ("county", "region"):
                    score += w.nearby_bonus  # a county needs to be named in the sentence itself
                elif how not in ("county", "region") and unit.province in region:
                    score += w.region_bonus  # the text's own region comes first
                options.append((score, unit, intrinsic, prior))
            # a character with one reading beyond doubt (京 = 北京, 湘 = 湖南) is not a
            # county's first character (京山): a trunk route 京九 stays between its cities
            sure = [o for o in options if o[2] >= w.beyond_doubt]
            if len(sure) == 1:
                options = [o for o in options if o[1].city_like or o[1].level != "county"]
            if not options and not route:
                return None
            options.sort(key=_first, reverse=True)  # stable: ties keep candidate order
            per_char.append(options[: w.options_per_char])
        beside = (
            self._beside_cities(word, per_char, region) if route and not weak else frozenset()
        )
        if route and not weak and len(word) >= 3:
            self._chain_towns(word, per_char, region)
        if not all(per_char):
            ground = (
                self._ground_route(word, context, region, weak=weak)
                if route and letters is None and self._groundable(src, start, end)
                else None
            )
            if ground is None:
                return None
            return Span(
                start, end, src[start:end], tuple(u.adcode for u in ground), ground, "route", True
            )
        # [province 简称][direction]: 鄂西, 湘南 name a part of a province
        if len(word) == 2 and word[1] in DIRECTIONS and per_char[0][0][1].level == "province":
            return None
        # the weights the loop below reads, as locals (it runs up to 6^n times)
        min_char_score = w.min_char_score
        max_spread, max_spread_provinces = w.max_spread_km, w.max_spread_provinces_km
        max_spread_route, compact_per_point = w.max_spread_route_km, w.compact_per_point_km
        mixed_levels_penalty = w.mixed_levels_penalty
        route_compact_per_point = w.route_compact_per_point_km
        chain_step = w.chain_step_km
        province_codes = self._provinces
        is_sure = self._sure
        guessed = frozenset(
            o[1].adcode
            for opts in per_char
            for o in opts
            if o[2] == guess and o[1].adcode not in self._towns
        )
        best: tuple[float, tuple[Unit, ...]] | None = None
        # a combination with a character read below the minimum is never tried
        usable = [[o for o in opts if o[0] >= min_char_score] for opts in per_char]
        # a route is read only as a whole that makes sense where the text is: one end
        # at least is anchored (named around it, or in the text's region), and every other
        # end is anchored, beyond doubt, or within a city's reach of an anchored place
        # (长太 in a text on 吉林 is not 长治 + 太原; 上武 in one on 河南 not 上饶 + 武汉)
        reach = w.city_reach_km
        anchored: dict[str, bool] = {}
        regional: dict[str, bool] = {}
        free: dict[str, bool] = {}  # anchored or beyond doubt
        if route:
            for opts in usable:
                for o in opts:
                    u = o[1]
                    # a county guessed from the region anchors only ends beyond doubt
                    # (雄忻 = 雄县 + 忻州; 阜溧 in a text on 江苏 is no route from 阜阳 to
                    # 溧水); a city or province a city's reach from a place of the
                    # sentence anchors itself (京 of 京蔚 in a sentence naming 天津)
                    regional[u.adcode] = u.province in region
                    a = (
                        u.adcode in sent
                        or u.adcode in near
                        or (u.province in region and u.adcode not in guessed)
                        or (
                            u.level != "county"
                            # with no place around at all, ends beyond doubt stand alone
                            and (not region or any(km(u, v) <= reach for v in sent.values()))
                            and is_sure(o, opts, frozenset())
                        )
                    )
                    anchored[u.adcode] = a
                    free[u.adcode] = a or is_sure(o, opts, region)
        context_places = list(sent.values())
        for combo in itertools.product(*usable):
            units = tuple(map(_second, combo))
            if len(set(map(_adcode, units))) < len(units):
                continue
            # a route between the one city a character names and a county beside it
            # (本桓, 合湛) stands on its own: the pair is its own anchor
            if route and region and not (beside and beside.issuperset(map(_adcode, units))):
                anchors = [u for u in units if anchored[u.adcode]]
                if not anchors:
                    anchors = [u for u in units if regional[u.adcode]]
                    if not anchors or not all(
                        regional[u.adcode] or free[u.adcode] for u in units
                    ):
                        continue
                if not all(
                    free[u.adcode]
                    or any(km(u, v) <= reach for v in (*anchors, *context_places))
                    for u in units
                ):
                    continue
            # a route joins larger places: at most half its ends are counties read only
            # from the region (京蔚 yes, 平盐 = 平乡 + 盐山 no)
            # and a county guessed from the region needs a city or province beside it
            # (京蔚 yes; 平盐 = 平远 + 盐田区 no)
            if region_counties:
                n_guessed = sum(o[1].adcode in guessed for o in combo)
                if 2 * n_guessed > len(combo) or (
                    n_guessed and all(u.level == "county" for u in units)
                ):
                    continue
            provinces = province_codes.issuperset(map(_adcode, units))
            limit = max_spread_provinces if provinces else max_spread
            # no combination spreads beyond this: stop measuring at the first pair past it
            cap = max(limit, max_spread_route) if route else limit
            spread = 0.0
            for a, b in itertools.combinations(units, 2):
                d = km(a, b)
                if d > spread:
                    spread = d
                    if d > cap:
                        break
            if route and spread > limit:
                # a long route (渝昆) only between places each character names beyond
                # doubt: a province 简称, a conventional name or a capital; a corridor
                # such as 呼南 (南宁? 南昌? 南京?) is read only from the table of named
                # routes.  A long route joins cities (隆黄 is no route from 隆昌 to 黄南)
                if (
                    spread > max_spread_route
                    or any(u.level == "county" for u in units)
                    or not all(map(is_sure, combo, per_char, itertools.repeat(region)))
                ):
                    continue
            elif spread > limit:
                # a corridor of cities (哈长沈大): three or more cities, each a step within
                # a city's reach of the next, may run as far as a long route
                if (
                    len(units) < 3
                    or spread > max_spread_route
                    or provinces
                    or any(u.level == "county" for u in units)
                    or any(km(a, b) > chain_step for a, b in itertools.pairwise(units))
                ):
                    continue
                # (its spread is still weighed as a cluster's: a compact reading wins)
            # provinces and cities rarely share a compound (湘赣 is two provinces); a
            # province-level city joins either (渝湘 = 重庆 + 湖南, 京雄 = 北京 + 雄安)
            levels = {
                u.level == "province" for u in units if u.level != "province" or not u.city_like
            }
            if route:
                # a route names its stops in order: 昌景黄 runs 南昌→景德镇→黄山; trunk
                # lines are long, so length costs less than a cluster's spread
                compact = sum(km(a, b) for a, b in itertools.pairwise(units)) / (len(units) - 1)
                per_point = route_compact_per_point
            else:
                pairs = list(itertools.combinations(units, 2))
                compact = sum(km(a, b) for a, b in pairs) / len(pairs)
                per_point = compact_per_point
            score = (
                sum(o[0] for o in combo) / len(combo)
                - compact / per_point
                - mixed_levels_penalty * max(0, len(levels) - 1)
            )
            if best is None or score > best[0]:
                best = (score, units)
        if best is None and route and letters is None and self._groundable(src, start, end):
            ground = self._ground_route(word, context, region, weak=weak)
            if ground is not None:
                return Span(
                    start, end, src[start:end], tuple(u.adcode for u in ground), ground,
                    "route", True,
                )
        if best is None:
            if route and not weak and len(word) == 2:
                pair = self._county_pair(word, region, context.prefectures)
                if pair is not None:
                    return Span(
                        start, end, src[start:end], tuple(u.adcode for u in pair), pair,
                        "route", True,
                    )
                return self._certain_part(start, end, src[start:end], per_char, context, region)
            return None
        units = best[1]
        # 深赣港产城一体化: a last 港 after a place far from 香港 is that place's port (the
        # 赣州 port of 深圳 and 赣州), not 香港; 广深港 ends in 香港 beside 深圳
        last = units[-1]
        if (
            len(units) >= 3
            and word[-1] in FACILITY_TAIL
            and last.adcode not in sent
            and km(units[-2], last) > w.county_reach_km
        ):
            units = units[:-1]
            best = (best[0], units)
        support = any(u.adcode in sent or u.adcode in near for u in best[1])
        # a two-character run needs a strong cue, quotes, a route word or context
        needed = w.quoted_pair_min_score if quoted else w.bare_pair_min_score
        if len(word) == 2 and not ((route and not weak) or support) and best[0] < needed:
            return None
        return Span(
            start,
            end,
            src[start:end],
            tuple(u.adcode for u in best[1]),
            best[1],
            "route" if route else "abbreviation",
            True,
        )
