"""Curated tables: named facilities, named areas and landmarks that are not admin units.

Three small tables, each row a fact written here with its source kind in a comment:

* :data:`FACILITIES` — ports, airports, parks the plans name, with the county (or city)
  they lie in and, where the site is known with confidence, a WGS-84 point (``lon`` is x,
  ``lat`` is y).  ``tests/test_geocode.py`` checks every point against the boundary of the
  unit it names.  A facility without a point is placed at the seat of its unit.
* :data:`AREAS` — metropolitan circles, city clusters and corridors whose members a plan
  defines (武汉城市圈 = nine cities); members are adcodes, in order along the corridor for
  linear areas.
* :data:`LANDMARKS` — names that locate a project but are not admin units: rivers
  (汉江, in order downstream), districts known by a nickname (光谷), scenic places (隆中).

The tables are data, not rules: they make known names precise, while
:mod:`geo.projects` reads every other name from the admin units the text mentions.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "AREAS",
    "FACILITIES",
    "LANDMARKS",
    "Facility",
    "Landmark",
    "NamedArea",
    "NameMatch",
    "find_names",
]

Shape = Literal["point", "line"]


@dataclass(frozen=True, slots=True)
class Facility:
    """A named facility with the admin unit it lies in.

    Attributes
    ----------
    key
        Canonical name, used to merge the same facility named in several ways.
    names
        Surface forms matched in text (鄂州花湖机场, 花湖机场, 鄂州机场).
    kind
        Project kind (``port``, ``airport``, ...).
    adcode
        The county (or city) the site lies in.
    lon, lat
        WGS-84 site, or None when only the unit is known.
    precision
        IATI code of the point: 1 exact site, 2 near (within 25 km).
    source
        Where the fact comes from.
    """

    key: str
    names: tuple[str, ...]
    kind: str
    adcode: str
    lon: float | None = None
    lat: float | None = None
    precision: int = 2
    source: str = ""


@dataclass(frozen=True, slots=True)
class NamedArea:
    """An area (circle, cluster, corridor) whose members a plan defines."""

    key: str
    names: tuple[str, ...]
    kind: str
    members: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Landmark:
    """A name that locates a project without being an admin unit.

    ``adcodes`` are in order along the feature when ``shape`` is ``"line"`` (a river,
    downstream).
    """

    name: str
    adcodes: tuple[str, ...]
    shape: Shape = "point"
    note: str = ""


# --------------------------------------------------------------------------- facilities

FACILITIES: tuple[Facility, ...] = (
    # Airports: runway-centre coordinates from the OurAirports data (airportsdata package,
    # ICAO codes in the comments), which are WGS-84.
    Facility("鄂州花湖机场", ("鄂州花湖机场", "花湖机场", "鄂州机场", "鄂州专业性货运枢纽机场"),
             "airport", "420704", 115.02961, 30.34286, 1, "OurAirports ZHEC; 鄂城区"),
    Facility("武汉天河机场", ("武汉天河国际机场", "武汉天河机场", "天河国际机场", "天河机场"),
             "airport", "420116", 114.208, 30.7838, 1, "OurAirports ZHHH; 黄陂区"),
    Facility("襄阳刘集机场", ("襄阳刘集机场", "刘集机场", "襄阳机场"),
             "airport", "420607", 112.291, 32.1506, 1, "OurAirports ZHXF; 襄州区"),
    # Ports: the port area, within a few km (precision 2 = near).
    Facility("阳逻港", ("武汉阳逻港", "阳逻港"), "port", "420117", 114.55, 30.65, 2,
             "阳逻 port area on the Yangtze north bank, 新洲区 (general knowledge, ±10 km)"),
    Facility("盐田港", ("深圳盐田港", "盐田港"), "port", "440308", 114.27, 22.58, 2,
             "Yantian container terminals, 盐田区 (general knowledge, ±5 km)"),
    Facility("黄埔港", ("广州黄埔港", "黄埔港"), "port", "440112", 113.45, 23.09, 2,
             "Huangpu port on the Pearl River, 黄埔区 (general knowledge, ±10 km)"),
    # Ports known only by their county: placed at its seat.
    Facility("茅坪港", ("宜昌茅坪港", "茅坪港"), "port", "420527",
             source="茅坪 is the seat of 秭归县"),
    Facility("小河港区", ("襄阳小河港区", "小河港区", "小河港"), "port", "420684",
             source="小河镇, 宜城市"),
    Facility("东湖科学城", ("东湖科学城",), "science", "420100", source="武汉 东湖高新区"),
)

# --------------------------------------------------------------------------- areas

_WUHAN_CIRCLE = ("420100", "420200", "420700", "420900", "421100", "421200",
                 "429004", "429006", "429005")

AREAS: tuple[NamedArea, ...] = (
    NamedArea("武汉城市圈", ("武汉城市圈", "武汉都市圈"), "metro_circle", _WUHAN_CIRCLE,
              "武汉、黄石、鄂州、孝感、黄冈、咸宁、仙桃、天门、潜江 (the nine cities of the "
              "2021 同城化 agreement; seed 004)"),
    NamedArea("襄阳都市圈", ("襄阳都市圈",), "metro_circle", ("420600",),
              "襄阳市全域: the seed names only its own counties (宜城, 南漳, 老河口, 谷城, 枣阳)"),
    NamedArea("宜荆荆都市圈", ("宜荆荆都市圈", "宜荆荆城市群"), "metro_circle",
              ("420500", "421000", "420800"), "宜昌、荆州、荆门"),
    NamedArea("宜荆荆恩城市群", ("宜荆荆恩城市群", "宜荆荆恩都市圈"), "metro_circle",
              ("420500", "421000", "420800", "422800"), "宜昌、荆州、荆门、恩施州"),
    NamedArea("襄十随神城市群", ("襄十随神城市群", "襄十随神都市圈"), "metro_circle",
              ("420600", "420300", "421300", "429021"), "襄阳、十堰、随州、神农架林区"),
    NamedArea("长株潭都市圈", ("长株潭都市圈", "长株潭城市群"), "metro_circle",
              ("430100", "430200", "430300"), "长沙、株洲、湘潭"),
    NamedArea("成渝双城经济圈", ("成渝地区双城经济圈", "成渝双城经济圈"), "metro_circle",
              ("510100", "500000"), "成都、重庆"),
    NamedArea("长江中游城市群", ("长江中游城市群",), "metro_circle",
              ("420100", "420200", "420700", "421100", "420900", "421200", "429004",
               "429005", "429006", "420600", "420500", "421000", "420800",
               "430100", "430200", "430300", "430600", "430900", "430700", "430400", "431300",
               "360100", "360400", "360200", "360600", "360500", "360900", "360300", "361100",
               "361000", "360800"),
              "2015 plan (国函〔2015〕62号): 13 Hubei cities (as seed 003 lists), 8 Hunan, "
              "10 Jiangxi; 抚州 and 吉安 only in part, drawn whole"),
    NamedArea("粤港澳大湾区", ("粤港澳大湾区",), "metro_circle",
              ("440100", "440300", "440400", "440600", "441900", "442000", "440700",
               "441300", "441200", "810000", "820000"), "9 Guangdong cities, 香港, 澳门"),
    NamedArea("洞庭湖生态经济区", ("洞庭湖生态经济区",), "ecology",
              ("430600", "430700", "430900", "430112", "421000"),
              "岳阳、常德、益阳, 长沙市望城区, 荆州 (2014 plan)"),
    NamedArea("长江经济带", ("长江经济带",), "corridor",
              ("530000", "520000", "510000", "500000", "420000", "430000", "360000",
               "340000", "330000", "320000", "310000"),
              "the 11 provinces of the Yangtze River Economic Belt, upstream to downstream"),
    NamedArea("光谷科技创新大走廊", ("光谷科技创新大走廊", "光谷科创大走廊"), "corridor",
              ("420100", "420700", "421100", "420200", "421200"),
              "武汉东湖高新区 with 鄂州、黄冈、黄石、咸宁 (武鄂黄黄咸)"),
)

# --------------------------------------------------------------------------- landmarks

_HAN_RIVER = ("610700", "610900", "420300", "420600", "420800", "429005", "429006",
              "429004", "420900", "420100")

LANDMARKS: tuple[Landmark, ...] = (
    Landmark("汉江", _HAN_RIVER, "line", "Han river downstream: 汉中, 安康, 十堰, 襄阳, 荆门, "
             "潜江, 天门, 仙桃, 孝感 (汉川), 武汉"),
    Landmark("汉水", _HAN_RIVER, "line", "= 汉江"),
    Landmark("唐白河", ("411300", "420600"), "line", "唐河 and 白河 from 南阳 join in 襄阳"),
    Landmark("光谷", ("420100",), "point", "武汉东湖新技术开发区"),
    Landmark("隆中", ("420602",), "point", "古隆中, 襄城区"),
    Landmark("珞珈", ("420106",), "point", "珞珈山, 武昌区"),
    Landmark("阳逻", ("420117",), "point", "阳逻街道, 新洲区"),
    Landmark("花湖", ("420704",), "point", "花湖镇, 鄂城区"),
)


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True, slots=True)
class NameMatch:
    """Where a curated name occurs in a text; ``entry`` is the table row."""

    start: int
    end: int
    entry: Facility | NamedArea | Landmark


@functools.lru_cache(maxsize=1)
def _index() -> tuple[re.Pattern[str], dict[str, Facility | NamedArea | Landmark]]:
    by_name: dict[str, Facility | NamedArea | Landmark] = {}
    # areas and facilities before landmarks: 光谷科技创新大走廊 is an area, not 光谷
    entries: tuple[NamedArea | Facility, ...] = (*AREAS, *FACILITIES)
    for entry in entries:
        for name in entry.names:
            by_name.setdefault(name, entry)
    for mark in LANDMARKS:
        by_name.setdefault(mark.name, mark)
    pattern = re.compile("|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True)))
    return pattern, by_name


def find_names(text: str) -> list[NameMatch]:
    """Find the curated names in ``text``, longest first where they overlap.

    Parameters
    ----------
    text
        Any text; offsets index it.

    Returns
    -------
    list of NameMatch
        Sorted by start, non-overlapping.

    Examples
    --------
    >>> [(m.start, m.entry.key) for m in find_names("推动武汉天河机场、鄂州花湖机场联动发展")]
    [(2, '武汉天河机场'), (9, '鄂州花湖机场')]
    """
    pattern, by_name = _index()
    return [NameMatch(m.start(), m.end(), by_name[m.group()]) for m in pattern.finditer(text)]
