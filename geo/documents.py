r"""What a document is: its title, the jurisdiction that issued it, its year and its kind.

:func:`document_metadata` reads them from a :class:`geo.text.Document` and the place
mentions found in it, and says how each was found. It is pure (reads only the document,
the mentions and the gazetteer); metadata given by the user (a mapping passed in) wins
over every guess.

The jurisdiction is the admin unit whose government issued the document (深圳市宝安区
2024年政府工作报告 → 宝安区). It is found, in this order, from

1. the metadata given (``jurisdiction``: an adcode or a unit name such as 湖北省);
2. the title line (``2025年湖北省政府工作报告`` → 湖北省);
3. the file name (the corpus names files ``<region>_<year>_<kind>.txt``:
   ``广东省深圳市宝安区_2024_政府工作报告.txt`` → 宝安区);
4. the issuer a work report speaks for (``我代表宝安区人民政府``);
5. the places the text names most: the most specific unit that, with the units inside
   it, takes at least half of the mentions.

A document of the State Council (全国, 国务院) has the whole country as jurisdiction:
:attr:`Jurisdiction.level` ``"country"`` and no adcode.

Examples
--------
>>> from geo.text import make_document
>>> meta = document_metadata(make_document("湖北省2025年政府工作报告\n各位代表：", name="a.txt"))
>>> meta.jurisdiction.adcode, meta.jurisdiction.found, meta.year, meta.kind
('420000', 'title', '2025', 'work report')
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Protocol

from .gazetteer import Gazetteer, Unit, load_gazetteer
from .text import Document

__all__ = [
    "COUNTRY",
    "KINDS_OF_DOCUMENT",
    "DocumentMetadata",
    "Jurisdiction",
    "document_metadata",
    "stand_in_title",
    "resolve_jurisdiction",
]

log = logging.getLogger(__name__)


class _MentionLike(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def units(self) -> tuple[Unit, ...]: ...


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """The admin unit that issued a document.

    Attributes
    ----------
    adcode
        6-digit adcode, ``""`` for the whole country.
    name
        Full name (宝安区), 中国 for the country.
    level
        ``"country"``, ``"province"``, ``"prefecture"`` or ``"county"``.
    found
        How it was found: ``"given"``, ``"title"``, ``"file name"``, ``"issuer"`` or
        ``"mentions"``.
    evidence
        The text it was read from (the title, the file name's region, the issuer phrase,
        or the share of mentions).
    """

    adcode: str
    name: str
    level: str
    found: str
    evidence: str = ""


#: The jurisdiction of a national document (State Council): the whole country.
COUNTRY = Jurisdiction("", "中国", "country", "given")


@dataclass(frozen=True, slots=True)
class DocumentMetadata:
    """Title, jurisdiction, year, date and kind of one document.

    ``found`` says, for each field that has a value, how it was found (``"given"``,
    ``"title"``, ``"file name"``, ``"text"``, ``"mentions"``).
    """

    name: str
    title: str = ""
    jurisdiction: Jurisdiction | None = None
    year: str = ""
    date: str = ""
    kind: str = ""
    found: Mapping[str, str] = field(default_factory=dict)


#: Kinds of document, with the words of a title that tell them (the last one in a title
#: wins: 十四五规划…实施方案 is an action plan).
KINDS_OF_DOCUMENT: dict[str, tuple[str, ...]] = {
    "work report": ("政府工作报告", "工作报告", "管委会工作报告"),
    "action plan": ("行动方案", "实施方案", "工作方案", "行动计划", "分工方案", "方案"),
    "plan": ("规划", "纲要", "计划"),
    "news": ("协议", "签约", "会议召开", "报道"),
}
_KIND_RE = re.compile(
    "|".join(
        re.escape(w)
        for w in sorted({w for ws in KINDS_OF_DOCUMENT.values() for w in ws}, key=len, reverse=True)
    )
)
_KIND_OF_WORD = {w: k for k, ws in KINDS_OF_DOCUMENT.items() for w in ws}
# a title names what the document is; a salutation or a navigation line does not
_TITLE_WORDS = re.compile(r"报告|规划|纲要|方案|计划|意见|通知|办法|协议|解读|决定|公报")
_NOT_TITLE = re.compile(r"^(各位代表|同志们|登录|首页|索\s*引|来源|发布|\W*$)")
_TITLE_LABEL = re.compile(r"^\W*标\s*题\s*[:：]\s*\|?")
_YEAR_RE = re.compile(r"(?<!\d)(19[4-9]\d|20[0-4]\d)(?!\d)")
_DATE_RE = re.compile(
    r"(?<!\d)(19[4-9]\d|20[0-4]\d)\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})(?!\d)"
)
# A first line longer than this is text, not a stand-in title.
_FIRST_LINE_CHARS = 80
_NEWS_RE = re.compile(r"记者|日报讯|新华社|通讯员|本报讯")
_ISSUER_RE = re.compile(r"代表([\u4e00-\u9fff]{2,20}?)(?:人民政府|管委会|管理委员会)")
_COUNTRY_RE = re.compile(r"^(全国|国务院|中华人民共和国|中国)")
#: A unit must take this share of the mentions (with the units inside it) to be the
#: jurisdiction read from mentions, and there must be at least this many mentions (a
#: note of a few sentences is no document whose issuer its places tell).
_MENTION_SHARE = 0.5
_MENTION_MIN = 20


def document_metadata(
    doc: Document,
    mentions: Sequence[_MentionLike] = (),
    *,
    gazetteer: Gazetteer | None = None,
    given: Mapping[str, object] | None = None,
) -> DocumentMetadata:
    """Infer a document's title, jurisdiction, year, date and kind.

    Parameters
    ----------
    doc
        The document.
    mentions
        Its place mentions (:func:`geo.mentions.find_mentions`), used to read the title's
        places and, failing everything else, the jurisdiction from the places named most.
    gazetteer
        The default gazetteer when omitted.
    given
        Metadata the user gave: ``title``, ``jurisdiction`` (an adcode or a unit name),
        ``date``, ``year``, ``kind``; each wins over the guess.

    Returns
    -------
    DocumentMetadata
    """
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    given = given or {}
    found: dict[str, str] = {}

    def _given(key: str) -> str:
        value = given.get(key)
        return str(value).strip() if value not in (None, "") else ""

    title = _given("title")
    if title:
        found["title"] = "given"
    else:
        title = _title_line(doc.text)
        if title:
            found["title"] = "title"

    stem = PurePath(doc.name).stem
    region, name_year, name_kind = _name_parts(stem)

    jurisdiction: Jurisdiction | None = None
    wanted = _given("jurisdiction")
    if wanted:
        jurisdiction = resolve_jurisdiction(wanted, gaz, found="given")
        if jurisdiction is None:
            log.warning(
                "document %r: given jurisdiction %r is no admin unit; inferring it", doc.name,
                wanted,
            )
    if jurisdiction is None and title:
        jurisdiction = _leading_jurisdiction(title, gaz, found="title")
    if jurisdiction is None and region:
        jurisdiction = _leading_jurisdiction(region, gaz, found="file name", whole=True)
    if jurisdiction is None:
        jurisdiction = _issuer(doc.text, mentions, gaz)
    if jurisdiction is None:
        jurisdiction = _most_named(mentions, gaz)
    if jurisdiction is not None:
        found["jurisdiction"] = jurisdiction.found

    date = _given("date")
    if date:
        found["date"] = "given"
    else:
        m = _DATE_RE.search(doc.text[:600])
        if m:
            date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            found["date"] = "text"
    year = _given("year")
    if year:
        found["year"] = "given"
    else:
        sources = (("title", title), ("file name", name_year or stem), ("date", date))
        for source, value in sources:
            m = _YEAR_RE.search(value)
            if m:
                year, found["year"] = m.group(1), source
                break
    if not year and date[:4].isdigit():
        year, found["year"] = date[:4], "given"

    kind = _given("kind")
    if kind:
        found["kind"] = "given"
    else:
        for source, value in (("title", title), ("file name", name_kind)):
            words = _KIND_RE.findall(value)
            if words:
                kind, found["kind"] = _KIND_OF_WORD[words[-1]], source
                break
        if not kind and _NEWS_RE.search(doc.text[:800]):
            kind, found["kind"] = "news", "text"
    return DocumentMetadata(doc.name, title, jurisdiction, year, date, kind, found)


def resolve_jurisdiction(
    value: str, gazetteer: Gazetteer, *, found: str = "given"
) -> Jurisdiction | None:
    """Read a jurisdiction from an adcode, a unit name or a chain of names.

    Parameters
    ----------
    value
        ``"440306"``, ``"宝安区"``, ``"广东省深圳市宝安区"``, ``"全国"`` (the country).
    gazetteer
        Where names and adcodes are looked up.
    found
        How the value was found, kept in :attr:`Jurisdiction.found`.

    Returns
    -------
    Jurisdiction or None
        None when the value names no unit, or several units alike (朝阳区).
    """
    value = value.strip()
    if re.fullmatch(r"\d{6}", value):
        if value in gazetteer:
            return _of(gazetteer[value], found, value)
        if value in ("000000", "100000"):
            return Jurisdiction("", COUNTRY.name, "country", found, value)
        return None
    return _leading_jurisdiction(value, gazetteer, found=found, whole=True)


# --------------------------------------------------------------------------- internals


def _of(unit: Unit, found: str, evidence: str) -> Jurisdiction:
    return Jurisdiction(unit.adcode, unit.name, unit.level, found, evidence)


def _title_line(text: str) -> str:
    """Return the first of the first lines that reads like a title (short, with a title word)."""
    lines = [_TITLE_LABEL.sub("", ln).strip(" \t\u3000—-《》|") for ln in text[:2000].splitlines()]
    for line in [ln for ln in lines if ln][:6]:
        if (
            len(line) <= 60
            and not re.search(r"[。，；：:]", line)
            and not _NOT_TITLE.match(line)
            and _TITLE_WORDS.search(line)
        ):
            return line
    return ""


def stand_in_title(text: str, name: str) -> str:
    """Return what to call a document with no title line: a short first line, else its name.

    Examples
    --------
    >>> stand_in_title("襄阳都市圈建设", "a.txt"), stand_in_title("", "plan.docx")
    ('襄阳都市圈建设', 'plan')
    """
    for line in text.splitlines():
        line = line.strip()
        if line:
            if len(line) <= _FIRST_LINE_CHARS:
                return line
            break
    return PurePath(name).stem


def _name_parts(stem: str) -> tuple[str, str, str]:
    """``<region>_<year>_<kind>`` of a corpus file name, else empty strings."""
    parts = stem.split("_")
    if len(parts) == 3 and _YEAR_RE.fullmatch(parts[1]):
        return parts[0], parts[1], parts[2]
    return "", "", ""


def _leading_jurisdiction(
    text: str, gaz: Gazetteer, *, found: str, whole: bool = False
) -> Jurisdiction | None:
    """Return the most specific unit of the chain of names that starts ``text``.

    ``2025年湖北省政府工作报告`` → 湖北省; ``广东省深圳市宝安区`` → 宝安区. A year before the
    names is skipped. Full names (with their suffix) are read anywhere in the chain; a short
    name (襄阳) only at its start and only when it is unambiguous and not an everyday word.
    With ``whole``, the text is a region alone, and a part of it that names no unit
    (大鹏新区 after 深圳市) leaves the chain at the unit before it.
    """
    s = re.sub(r"^[\s《“\"—-]*((19|20)\d\d\s*年(度)?)?", "", text)
    if _COUNTRY_RE.match(s):
        return Jurisdiction("", COUNTRY.name, "country", found, text)
    chain: list[Unit] = []
    i = 0
    while i < len(s):
        unit, size = _unit_at(s, i, gaz, chain, first=not chain)
        if unit is None:
            break
        chain.append(unit)
        i += size
    if not chain:
        return None
    if not whole and i < len(s) and not _ends_chain(s[i:]):
        # 长沙市场 is not 长沙市 followed by 场: the chain must end at a word boundary
        return None
    return _of(chain[-1], found, text)


def _ends_chain(rest: str) -> bool:
    return bool(
        re.match(
            r"[\s\d（(《“\"—-]|人民政府|政府|人大|国民经济|党委|委员会|管委会|关于|第|"
            r"(高新|经济|经开|开发|新)区|都市圈|城市圈|(工作)?(报告|规划|纲要|方案|计划)",
            rest,
        )
    )


def _unit_at(
    s: str, i: int, gaz: Gazetteer, chain: Sequence[Unit], *, first: bool
) -> tuple[Unit | None, int]:
    for size in range(min(12, len(s) - i), 1, -1):
        name = s[i : i + size]
        codes = gaz.names.get(name, ())
        if not codes:
            continue
        units = [gaz[c] for c in codes]
        full = any(u.name == name for u in units)
        if not full and not (first and len(units) == 1 and gaz.ordinary.get(name, 0.0) < 0.6):
            continue
        if chain:
            parent = chain[-1].adcode
            units = [u for u in units if parent in u.ancestors]
        if len(units) == 1:
            return units[0], size
        return None, 0  # the longest name here names several units alike (朝阳区)
    return None, 0


def _issuer(text: str, mentions: Sequence[_MentionLike], gaz: Gazetteer) -> Jurisdiction | None:
    """Return the unit a work report speaks for: 我代表宝安区人民政府."""
    m = _ISSUER_RE.search(text[:3000])
    if m is None:
        return None
    found = _leading_jurisdiction(m.group(1), gaz, found="issuer", whole=True)
    if found is not None and found.level != "country":
        return Jurisdiction(found.adcode, found.name, found.level, "issuer", m.group(0))
    # 我代表朝阳区人民政府: several units share the name; the one the text names most
    codes = gaz.names.get(m.group(1), ())
    if len(codes) > 1 and mentions:
        counts = _aggregate(mentions, gaz)
        best = sorted(codes, key=lambda c: -counts.get(gaz[c].parent or "", 0))
        if counts.get(gaz[best[0]].parent or "", 0) > counts.get(gaz[best[1]].parent or "", 0):
            return _of(gaz[best[0]], "issuer", m.group(0))
    return None


def _aggregate(mentions: Iterable[_MentionLike], gaz: Gazetteer) -> Counter[str]:
    """Mentions of each unit, counting those of the units inside it."""
    counts: Counter[str] = Counter()
    for m in mentions:
        codes: set[str] = set()
        for u in m.units:
            codes.add(u.adcode)
            codes.update(gaz.ancestors(u.adcode))
        counts.update(codes)
    return counts


def _most_named(mentions: Sequence[_MentionLike], gaz: Gazetteer) -> Jurisdiction | None:
    """Return the most specific unit holding half of the mentions (its own units' too)."""
    total = len(mentions)
    if total < _MENTION_MIN:
        return None
    counts = _aggregate(mentions, gaz)
    rank = {"province": 0, "prefecture": 1, "county": 2}
    held = [c for c, n in counts.items() if c in gaz and n / total >= _MENTION_SHARE]
    if not held:
        return None
    best = max(held, key=lambda c: (rank.get(gaz[c].level, 0), counts[c]))
    share = counts[best] / total
    return _of(gaz[best], "mentions", f"{counts[best]} of {total} mentions ({share:.0%})")
