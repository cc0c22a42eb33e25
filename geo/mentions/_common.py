"""What every pass of the recogniser shares: spans, sentence bounds, distances, word lists.

The word lists are data files of ``geo/data/`` (cue words, directions, landform and
institution words, homographs); the patterns here are the grammar of plan prose
(punctuation and connectors), not facts.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .._data import load_table
from ..gazetteer import Unit
from ..text import Sentence

#: City-level short names that are far more often ordinary words in plan prose (东方,
#: 安康); from ``geo/data/city_homographs.csv``.
CITY_HOMOGRAPHS = frozenset(r["short_name"] for r in load_table("city_homographs.csv"))


def _cue_words(*strengths: str) -> tuple[str, ...]:
    return tuple(r["word"] for r in load_table("cue_words.csv") if r["strength"] in strengths)


def _words(name: str, column: str = "word") -> tuple[str, ...]:
    return tuple(r[column] for r in load_table(name))


def alternation(words: Sequence[str]) -> str:
    """Regex alternation of ``words``, longest first so a longer word wins."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Words of ``geo/data/cue_words.csv`` right after a run of abbreviation characters:
#: strong cues mark the run as a compound of places (都市圈, 一体化) ...
STRONG_CUES = _cue_words("strong")
#: ... every cue makes it one with some support (合作, 共建) ...
CUES = _cue_words("strong", "weak")
#: ... and route cues make it a route named by its ends (汉十高速, 赣深客专).
ROUTE_CUES = _cue_words("route", "weak_route")
#: Route words that also follow ordinary words (出省通道, 陆海新通道): a run before one
#: is a route only with support from the context or readings beyond doubt.
WEAK_ROUTE_CUE_SET = frozenset(_cue_words("weak_route"))
CUE_WORDS = frozenset(CUES + ROUTE_CUES)
STRONG_CUE_SET = frozenset(STRONG_CUES)
ROUTE_CUE_SET = frozenset(ROUTE_CUES)
CUE_RE = re.compile(alternation(CUES + ROUTE_CUES))
#: Direction characters (方位词): 鄂西 names part of a province, 东北 is no compound.
DIRECTIONS = frozenset(_words("direction_chars.csv", "char"))
#: The four compass directions among them: after a route's ends they name a section
#: (广韶北 is the north of 广州—韶关), where 内 of 绵遂内 is 内江.
COMPASS = DIRECTIONS & frozenset("东西南北")
#: Facility words after a city's short name: 黄石港 is the city's port.
FACILITY_TAIL = frozenset(_words("facility_tails.csv", "char"))
#: A facility word right after a name (东方机场, 盐田港, 光明站): the name is the place the
#: facility serves, which backs an everyday-word name whose parent is named nearby.
FACILITY_AFTER = re.compile(alternation(("机场", *_words("facility_tails.csv", "char"))))
#: A facility or route named after the county it lies in or starts from (平谷线, 怀柔国家实验室,
#: 浦东国际机场, 镇安抽水蓄能电站; 波密至然乌段铁路, 新干至瑞昌段高速): the name right before it
#: names that unit; facility words from ``geo/data/facility_words.csv``.
NAMED_FACILITY = re.compile(
    "(?:"
    + alternation(_words("facility_words.csv"))
    + r"|段|(?:至|到)[\u4e00-\u9fff]{1,6}?(?:段|高速|铁路|公路|高铁|城际))"
)
#: A street word after a place name (中山大道, 北京路, 解放大街), not a route or network
#: (路线, 路网) nor a sub-district's office (清水河街道).
STREET_AFTER = re.compile(r"(?:大道|大街|路(?![线网径])|街(?!道))")
#: A school or university after a place name (中山大学, 长春外国语学校).
INSTITUTION = re.compile(
    r"[\u4e00-\u9fff]{0,6}?(?:" + alternation(_words("institution_words.csv")) + ")"
)
#: 通名 of natural features and small places (关, 江, 桥): a short name right before one
#: is part of the feature's name (镇江关, 新安江, 新都桥); from
#: ``geo/data/name_affixes.csv``.
FEATURE_SUFFIXES = frozenset(
    r["affix"] for r in load_table("name_affixes.csv") if r["side"] == "after"
)
#: Size prefixes of landform names (大青山): a county name ending in a landform 通名 right
#: after one is part of the landform's name.
LANDFORM_PREFIXES = frozenset(
    r["affix"] for r in load_table("name_affixes.csv") if r["side"] == "before"
)
LANDFORM_ENDINGS = frozenset(
    r["affix"] for r in load_table("name_affixes.csv") if r["side"] == "ending"
)
#: A water-transfer scheme 引X济Y (引黄济宁, 引汉济渭): the name after 济 is the place
#: the water goes to, written in a scheme's name, not a mention of its own.
WATER_SCHEME = re.compile(r"引[\u4e00-\u9fff]{1,2}$")
#: Chinese numerals (grammar): a numeral and a count word (三大, 四横) open no compound.
NUMERALS = frozenset("一二两三四五六七八九十百千")
#: Count words after a numeral (三大高速公路新通道, 四横五纵); from
#: ``geo/data/count_words.csv``.
COUNT_WORDS = frozenset(_words("count_words.csv", "char"))
#: A landform or river word after a short name: the name is part of a region's or a
#: river's (江汉平原, 北江航道).
LANDFORM = re.compile(alternation(_words("landform_words.csv")))

# Grammar of plan prose (punctuation and connectors, not facts).
QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"', "《": "》"}
OPEN_QUOTE = re.compile("[" + re.escape("".join(QUOTES)) + "]")
CONNECTORS = re.compile(r"^(?:至|到|经|—+|－|-|~|～|、|和|与|及|、|，|,|\s)*$")
ROUTE_JOIN = re.compile(r"至|到|经|—|－|-|~|～")
#: One cue serves a list: 长株潭、合肥都市圈; 雄商、津潍等高铁.
LIST_JOINERS = frozenset("、和与及")
#: Dashes between the characters of a quoted compound (“乌—昌—石”).
COMPOUND_DASHES = frozenset("—－-–·")
#: Between the last item of a list and its cue: 等, 等6条, 等3个, 4条, and a stage after the
#: count (雄商、津潍等6个高铁; 本桓、凌绥、台黑4条高速公路; 鄠周眉等9条在建高速公路).
LIST_TAIL = re.compile(
    r"(?:等(?:[0-9０-９一二两三四五六七八九十百]+[条个项座处])?|[0-9０-９]+[条个项座处])"
    r"(?:在建|新建|续建|拟建)?$"
)
EXPANSION = re.compile(r"([\u4e00-\u9fff])[（(]([\u4e00-\u9fff]{1,3})[)）]")
EARTH_RADIUS_KM = 6371.0
#: Generic parts (通名) that end a name written in full (襄樊市, 户县, 哲里木盟): a former
#: name with one is a name; without one (北江, 渡口) it is read like a short name.
GENERIC_ENDINGS = ("市", "县", "区", "旗", "盟", "州", "地区")


@dataclass(slots=True)
class Span:
    """A candidate or accepted stretch of text and the units it may name."""

    start: int
    end: int
    form: str
    codes: tuple[str, ...]
    units: tuple[Unit, ...] = ()
    kind: str = "short"
    anchor: bool = False


class Sentences:
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


def km(a: Unit, b: Unit) -> float:
    """Distance in km between two seats, memoised."""
    key = (a.adcode, b.adcode)
    d = _KM_CACHE.get(key)
    if d is None:
        # equirectangular distance on a sphere: plenty for "is it 50 or 500 km away"
        x = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
        y = math.radians(b.lat - a.lat)
        d = EARTH_RADIUS_KM * math.hypot(x, y)
        if len(_KM_CACHE) >= _KM_CACHE_SIZE:
            _KM_CACHE.clear()
        _KM_CACHE[key] = d
    return d
