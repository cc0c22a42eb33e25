"""Status and target year of a project, from the verbs and years of its sentence.

The status comes from the verb nearest before the project (规划 → planned, 前期工作/论证
after it → study, 推进/实施/加快建设 → construction, 建成 → completed), else from a verb
after it in its clause; the target year from the sentence, else from the document title.
"""

from __future__ import annotations

import re

from ..text import split_clauses

__all__ = ["STATUS_OF_VERB", "TITLE_CHARS", "read_status", "study_after", "target_year_of"]

#: Status of the verb nearest before a project (longest form first at one position).
STATUS_OF_VERB: dict[str, str] = {
    "规划建设": "planned", "规划布局": "planned", "谋划建设": "planned", "谋划": "planned",
    "规划": "planned", "筹建": "planned", "拟建": "planned", "布局建设": "planned",
    "预留": "planned",
    "前期工作": "study", "前期论证": "study", "研究论证": "study", "论证": "study",
    "可行性研究": "study", "开展前期": "study",
    "加快建设": "construction", "加快推进": "construction", "加速推进": "construction",
    "推进": "construction", "推动": "construction", "实施": "construction",
    "建设": "construction", "新建": "construction", "改扩建": "construction",
    "扩建": "construction", "续建": "construction", "开工": "construction",
    "打造": "construction", "共建": "construction", "提升": "construction",
    "改造": "construction", "升级": "construction", "完善": "construction",
    "加快": "construction",
    "建成": "completed", "投运": "completed", "投用": "completed", "通车": "completed",
    "投入使用": "completed", "竣工": "completed",
}
_VERB_RE = re.compile(
    "|".join(
        re.escape(v) + ("(?!区)" if v == "建成" else "")
        for v in sorted(STATUS_OF_VERB, key=len, reverse=True)
    )
)
_STUDY_AFTER_RE = re.compile(r"前期工作|前期论证|研究论证|论证|可行性研究")

_FIVE_YEAR = {"十二五": "2011–2015", "十三五": "2016–2020", "十四五": "2021–2025",
              "十五五": "2026–2030", "十六五": "2031–2035"}
_CN_DIGIT = {"〇": "0", "○": "0", "0": "0", "零": "0", "一": "1", "二": "2", "三": "3",
             "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_YEAR_RANGE_RE = re.compile(r"(20\d\d)\s*年?\s*[—\-－~～至到–]+\s*(20\d\d)\s*年(?!\d{1,2}\s*月)")
_FIVE_YEAR_RE = re.compile(r"(十[二三四五六])五|第(十[二三四五六])个五年")
_YEAR_TARGET_RE = re.compile(
    r"(?:到|至|力争|争取|预计|计划)\s*(20\d\d)\s*年(?!\d{1,2}\s*月)"
    r"|(20\d\d)\s*年(?:前|底前|以前|底|左右)"
)
_CN_YEAR_RE = re.compile(r"二[〇○0零]([一二三四五六七八九〇○0零])([一二三四五六七八九〇○0零])年")
TITLE_CHARS = 600



def target_year_of(text: str, *, dates_ok: bool = False) -> str:
    """Return the target year or period a text gives, ``""`` if none.

    Parameters
    ----------
    text
        A sentence or a document title.
    dates_ok
        Unused cue-less years are never read as targets; kept for symmetry.

    Returns
    -------
    str
        ``"2025"``, ``"2023–2025"`` (a range or a five-year plan) or ``""``.

    Examples
    --------
    >>> target_year_of("到2025年,襄阳都市圈建设取得重要突破")
    '2025'
    >>> target_year_of("长江中游城市群发展“十四五”实施方案")
    '2021–2025'
    >>> target_year_of("二〇三五年远景目标")
    '2035'
    """
    del dates_ok
    found: list[tuple[int, str]] = []
    m = _YEAR_RANGE_RE.search(text)
    if m:
        found.append((m.start(), f"{m.group(1)}–{m.group(2)}"))
    m = _FIVE_YEAR_RE.search(text)
    if m:
        found.append((m.start(), _FIVE_YEAR[(m.group(1) or m.group(2)) + "五"]))
    m = _YEAR_TARGET_RE.search(text)
    if m:
        found.append((m.start(), m.group(1) or m.group(2)))
    m = _CN_YEAR_RE.search(text)
    if m:
        found.append((m.start(), "20" + _CN_DIGIT[m.group(1)] + _CN_DIGIT[m.group(2)]))
    if not found:
        return ""
    return min(found)[1]


def _verb_before(clean: str, s0: int, pos: int) -> str:
    verb = ""
    for m in _VERB_RE.finditer(clean, s0, pos):
        verb = m.group()
    return verb




def study_after(clean: str, start: int, end: int) -> re.Match[str] | None:
    """Return the study phrase (前期工作, 论证) of a clause, which makes its items a study."""
    return _STUDY_AFTER_RE.search(clean, start, end)


def read_status(
    clean: str, sent: tuple[int, int], name: tuple[int, int], study: re.Match[str] | None
) -> tuple[str, str]:
    """Return ``(verb, status)`` of the project named at ``name`` in sentence ``sent``."""
    (s0, s1), (a, b) = sent, name
    verb = _verb_before(clean, s0, a)
    if not verb:
        # 支持常德桃花源机场提质升级: the verb may follow the name in its clause
        clause = split_clauses(clean, b, s1)
        clause_end = clause[0][1] if clause and clause[0][0] == b else b
        after = _VERB_RE.search(clean, b, clause_end)
        verb = after.group() if after else ""
    status = STATUS_OF_VERB.get(verb, "other")
    if study is not None and study.start() >= b:
        verb, status = study.group(), "study"
    return verb, status
