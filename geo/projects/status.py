"""Status and target year of a project, from the verbs and the year of its own clause.

A plan says what it does to a project with the verbs that govern the project in its clause
(GUIDELINES.md, "Status and year of a project"):

- the verbs before the list the project stands in (*加快建设* A、B), the verbs before and
  after the project's own item (*推进* A *扩容*、B *除险加固*), and the verbs after the
  whole list (A、B等项目 *开工建设*);
- each verb gives a phase (:data:`STATUS_OF_VERB`): planned (规划, 获批, 纳入), study
  (前期工作, 论证), construction (建设, 开工, 治理), upgrade (改扩建, 扩容, 迁建) or
  completed (建成, 通车, 投运); where several govern one project the phase wins in the
  order completed > planned > study > upgrade > construction;
- driving and modal verbs (:data:`DRIVERS`: 推进, 加快, 争取, 力争, 确保…) take the phase of
  the verb they govern (争取X开工 → construction, 力争X建成 → completed) and give their
  own only when they govern none (加快X → construction); so does an approval (获批设立 →
  planned, 获批对外开放 → upgrade, 获批 alone → planned);
- a project that no phase verb governs is ``other`` (支持, 发挥, 融入, a cooperation
  partner, a name in a list of facts).

The target year is the calendar year of the project's clause (到2025年建成 → 2025, 2023年开工
→ 2023), never the plan period (十四五, 2021—2025年), which :func:`plan_period_of` reads
for the record's ``plan_period``. Relative years (今年, 年内) are not resolved, and a date
(2023年5月) or a base year (比2020年) is no target.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..text import split_at, split_clauses

__all__ = [
    "DRIVERS",
    "STATUS_OF_VERB",
    "TITLE_CHARS",
    "Reading",
    "plan_period_of",
    "read_status",
    "study_after",
    "target_year_of",
]

#: The status each verb gives a project it governs (a driver: when it governs no other).
STATUS_OF_VERB: dict[str, str] = {
    # completed: reported done, or to be done by the target year
    **dict.fromkeys(
        "建成 通车 投运 投产 竣工 完工 开通 运营 运行 投用 投入使用 贯通 通航 启用 交付 落成"
        " 并网 完成 建成投运 建成通车 投入运营 投入运行 开航 通水 挂牌 揭牌 成立 新增".split(),
        "completed",
    ),
    # planned: planned, approved, designated
    **dict.fromkeys(
        "规划 规划建设 谋划 筹建 拟建 预留 储备 获批 列入 纳入 设立 立项 选址 申建 编制"
        " 布局建设 入选 获评 认定 命名 创建 争创 申报".split(),
        "planned",
    ),
    # study: being studied (scored as planned)
    **dict.fromkeys("前期 前期工作 前期论证 研究论证 论证 研究 可行性研究 预研".split(), "study"),
    # upgrade: work on an existing thing
    **dict.fromkeys(
        "改造 改扩建 扩建 扩容 扩能 提升 提质 提档 升级 复线 迁建 增建 除险加固 加固"
        " 改建 拓宽 扩大开放 对外开放 增效 转型 转型发展 融合发展 高质量发展 一体化发展"
        " 创新发展".split(),
        "upgrade",
    ),
    # construction: building a new thing
    **dict.fromkeys(
        "建设 新建 开工 开工建设 续建 在建 实施 开建 兴建 修建 施工 治理 整治 打造 共建"
        " 北延 南延 东延 西延 动工 铺设 新修 打通".split(),
        "construction",
    ),
    # drivers, alone
    **dict.fromkeys(
        "推进 推动 加快 加速 加强 抓好 力争 确保 提速 启动 促进 加快推进 加快推动"
        " 加速推进".split(),
        "construction",
    ),
    **dict.fromkeys("争取 计划".split(), "planned"),
    **dict.fromkeys("强化 增强 完善".split(), "upgrade"),
    **dict.fromkeys("支持 鼓励 做好 做实 深化 开展 协调 落实 着力".split(), "other"),
    # no phase: the project is a partner, a resource or a frame
    **dict.fromkeys(
        "合作 发挥 融入 对接 依托 承接 利用 借助 参与 加入 联动 对标 围绕 面向 服务 共享"
        " 共建共享 协作 交流 达成 承担 协同发展 联动发展 互动发展".split(),
        "other",
    ),
}

#: Driving and modal verbs: they take the status of the verb they govern.
DRIVERS: frozenset[str] = frozenset(
    "推进 推动 加快 加速 加强 抓好 力争 确保 提速 启动 促进 加快推进 加快推动 加速推进"
    " 争取 计划 强化 增强 完善 支持 鼓励 做好 做实 深化 开展 协调 落实 着力 获批".split()
)
# Verbs whose object is the project as a thing used or joined, not built (依托X建设Y).
_OBJECT_VERBS = frozenset(
    "发挥 融入 对接 依托 承接 利用 借助 参与 加入 对标 围绕 面向 服务".split()
)
_PHASES = ("completed", "planned", "study", "upgrade", "construction")  # who wins, first
# Phases that, right after the last item of a list, are that item's: A、B改扩建 says
# nothing of A (A、B等高速公路扩容 does).
_OWN = frozenset({"upgrade"})

# Where a verb form is a noun or part of another word, it is no verb.
_NOT_BEFORE: dict[str, str] = {
    "建成": "区", "研究": "院|所|中心|设施|型|生|会|室|基地|平台", "实施": "方案|意见|细则|办法",
    "运营": "里程|商|管理|模式|主体|公司|中心|服务|效率|能力|权|期",
    "运行": "机制|效率|质量|情况|管理|监测|调度", "通车": "里程", "通航": "[城机点产低飞水航]",
    "完成": "投资|率|年度|任务数", "治理": "体系|能力|机制|水平|结构", "规划": "区",
    "成立": "以来|之初|后", "新增": "长|量", "创建": "者",
    "服务": "业|区|中心|平台|体系|功能|能力|水平|型",
    "开通": "航线|国际航线", "编制": "内", "合作": "区|园|示范区|平台|基地|机制|框架",
    "交流": "电|特高压|基地|中心|活动",
}
_NOT_AFTER: dict[str, str] = {"服务": "公共|政务", "交流": "直", "二线": "[一二三]", "运行": "试"}


def _verb_pattern(verb: str) -> str:
    out = re.escape(verb)
    if verb in _NOT_AFTER:
        out = f"(?<!{_NOT_AFTER[verb]})" + out
    if _NOT_BEFORE.get(verb):
        out += f"(?!{_NOT_BEFORE[verb]})"
    return out


_VERB_RE = re.compile(
    "|".join(_verb_pattern(v) for v in sorted(STATUS_OF_VERB, key=len, reverse=True))
)
_STUDY_AFTER_RE = re.compile(r"前期工作|前期论证|研究论证|论证|可行性研究")

# Words that may stand between the verbs of one chain and between a project and the
# verbs after it: adverbs, aspect, the 等/项目/工程 that close a list, phases, years.
_ADVERB = (
    r"积极|全力|大力|持续|有序|稳妥|稳步|协同|提前|尽早|全面|进一步|继续|深入|扎实|重点|同步"
    r"|顺利|基本|如期|正式|率先|已经|已|将|了|均|陆续|相继|先后|成功|正在|新|再|全线|主体"
    r"|年内|年底|上半年|下半年|当年|今年|明年|[前底内末]|期间|开始|实现|全部|全速|要"
    r"|按期|高质量|高标准|即将|共同|联合|首开段|全天|一期|二期|三期"
)
_NOUN_STOP = r"等|项目|工程"
_YEAR_TEXT = (
    r"(?:到|至|于|在|截至|截止)?\s*(?:(?:19|20)\d\d|[一二][〇○0零一二三四五六七八九]{3})\s*年"
)
_FILLER_RE = re.compile(rf"(?:{_YEAR_TEXT}|{_ADVERB}|[\s“”‘’\"·\-—\d])+")
_STOP_RE = re.compile(_NOUN_STOP)
_MAX_GAP = 4  # characters of other words a chain of verbs may skip (全天运能提升)
_MAX_LEAD = 6  # characters before the verb that governs a whole list (站城一体化推进)

# List separators inside a clause, and the conjunctions that continue the clause before.
_SEP_RE = re.compile(r"、|以及|及|和|与|/")
_CONTINUES_RE = re.compile(r"\s*(?:以及|及|和|并|同时|还有)")
_TITLE_RE = re.compile(r"《[^》]*》")
_PARTNER_RE = re.compile(r"[与同]$")
_COOPERATION_RE = re.compile(r"合作|协同|联动|对接|交流|互动|协作")
_BRACKET_RE = re.compile(r"[（(][^（()）]*[)）]")

# Years -------------------------------------------------------------------------------

_FIVE_YEAR = {"十一五": "2006–2010", "十二五": "2011–2015", "十三五": "2016–2020",
              "十四五": "2021–2025", "十五五": "2026–2030", "十六五": "2031–2035"}
_CN_DIGIT = {"〇": "0", "○": "0", "0": "0", "零": "0", "一": "1", "二": "2", "三": "3",
             "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_YEAR_RANGE_RE = re.compile(
    r"((?:19|20)\d\d)\s*年?\s*[—\-－~～至到–]+\s*((?:19|20)\d\d)\s*年?(?!\s*\d{1,2}\s*月)"
)
_FIVE_YEAR_RE = re.compile(r"(十[一二三四五六])五|第(十[一二三四五六])个五年")
# A calendar year, not a date (2023年5月), a decade, a base (比2020年, 2019年以来, 由…年的)
# or the subject of a sentence about the year itself (2014年是…提速年)
_YEAR_RE = re.compile(
    r"(?<![比较自从由\d—\-－~～–])(?<!同比)"
    r"((?:19|20)\d\d|[一二][〇○0零一二三四五六七八九]{3})\s*年"
    r"(?!\s*\d{1,2}\s*月|\s*[一二三四五六七八九十]{1,2}月|以来|度|代|的|是|远景|[—\-－~～至到–]\s*(?:19|20)\d\d)"
)
TITLE_CHARS = 600


class Reading(NamedTuple):
    """What the clause of a project says about it."""

    verb: str
    """The verb that decided the status (``""`` when none governs the project)."""
    status: str
    """One of :data:`geo.kinds.STATUSES`."""
    year: str
    """The calendar year the clause gives for the project, ``""`` if none."""


def plan_period_of(text: str) -> str:
    """Return the plan period a text names, ``""`` if none.

    Parameters
    ----------
    text
        A sentence or a document title.

    Returns
    -------
    str
        ``"2021–2025"`` (a five-year plan or a range of years) or ``""``.

    Examples
    --------
    >>> plan_period_of("长江中游城市群发展“十四五”实施方案")
    '2021–2025'
    >>> plan_period_of("三年行动方案(2023—2025年)")
    '2023–2025'
    >>> plan_period_of("到2025年建成武汉至宜昌铁路")
    ''
    """
    found: list[tuple[int, str]] = []
    m = _YEAR_RANGE_RE.search(text)
    if m:
        found.append((m.start(), f"{m.group(1)}–{m.group(2)}"))
    m = _FIVE_YEAR_RE.search(text)
    if m:
        found.append((m.start(), _FIVE_YEAR[(m.group(1) or m.group(2)) + "五"]))
    return min(found)[1] if found else ""


def target_year_of(text: str) -> str:
    """Return the first calendar year a text gives, ``""`` if none.

    Dates (2023年5月), base years (比2020年, 2019年以来), horizons (二〇三五年远景目标),
    ranges and plan periods are not years a text gives for something.

    Examples
    --------
    >>> target_year_of("到2025年,襄阳都市圈建设取得重要突破")
    '2025'
    >>> target_year_of("到二〇三五年基本建成"), target_year_of("“十四五”期间")
    ('2035', '')
    >>> target_year_of("2023年5月开工"), target_year_of("比2020年翻番")
    ('', '')
    >>> target_year_of("2014年是国际生物谷建设全面提速年")
    ''

    """
    m = _YEAR_RE.search(text)
    return _year(m) if m else ""


def study_after(clean: str, start: int, end: int) -> re.Match[str] | None:
    """Return the study phrase (前期工作, 论证) of a clause, if any."""
    return _STUDY_AFTER_RE.search(clean, start, end)


def read_status(
    clean: str,
    sent: tuple[int, int],
    name: tuple[int, int],
    study: re.Match[str] | None = None,
) -> Reading:
    """Read the status, its verb and the target year of the project named at `name`.

    Parameters
    ----------
    clean
        The document text.
    sent
        ``(start, end)`` of the sentence.
    name
        ``(start, end)`` of the project's name in it.
    study
        Unused: the clause's study phrase is read with the other verbs.

    Returns
    -------
    Reading
        ``(verb, status, year)``.

    Examples
    --------
    >>> s = "力争武汉至宜昌铁路2025年建成通车。"
    >>> read_status(s, (0, len(s)), (2, 9))
    Reading(verb='建成通车', status='completed', year='2025')
    >>> s = "开工建设武汉至宜昌铁路、襄阳机场改扩建等项目。"
    >>> read_status(s, (0, len(s)), (4, 11)), read_status(s, (0, len(s)), (12, 16))
    (Reading(verb='开工建设', status='construction', year=''), \
Reading(verb='改扩建', status='upgrade', year=''))
    """
    del study
    s0, s1 = sent
    a, b = name
    clauses = split_clauses(clean, s0, s1, keep=[(a, b)])
    i = next((k for k, (c0, c1) in enumerate(clauses) if c0 <= a < c1), None)
    if i is None:
        return Reading("", "other", "")
    c0, c1 = clauses[i]
    title = next((t for t in _TITLE_RE.finditer(clean, c0, c1) if t.start() <= a < t.end()), None)
    if title is not None:
        return Reading("", "other", "")  # a project in a document's title: 《…规划》
    if _PARTNER_RE.search(clean, max(c0, a - 1), a) and _COOPERATION_RE.search(clean, c0, c1):
        # 推动与宜荆荆都市圈现代农业协同发展: a partner of the cooperation
        return Reading("", "other", "")
    verbs, years = _governing(clean, c0, c1, a, b)
    if i + 1 < len(clauses) and not any(_is_phase(v) for v, _ in verbs):
        # 确保A、B等45个重点项目，建成投产: a clause of verbs alone closes the one before
        n0, n1 = clauses[i + 1]
        found = _verbs(clean, n0, n1)
        if found and _residue(_VERB_RE.sub("", clean[n0:n1])) == 0:
            verbs += [(m.group(), "list") for m in found]
    if not verbs and i > 0 and _CONTINUES_RE.match(clean, c0):
        # 提速实施A、B等项目，以及C、D等项目: the clause continues the one before
        p0, p1 = clauses[i - 1]
        verbs = [(m.group(), "list") for m in _lead_run(clean, p0, p1)]
    verb, status = _decide(verbs)
    if status == "other":
        return Reading(verb, status, "")  # no phase, no year of one (2019年,X排名跃升)
    year = next((y for y in years), "") or _time_clause_year(clean, clauses[:i])
    return Reading(verb, status, year)


# --------------------------------------------------------------------------- internals


def _year(m: re.Match[str]) -> str:
    digits = m.group(1)
    return "".join(_CN_DIGIT.get(ch, ch) for ch in digits)


def _verbs(clean: str, lo: int, hi: int) -> list[re.Match[str]]:
    """Verbs of ``clean[lo:hi]`` outside document titles (《…》)."""
    titles = [t.span() for t in _TITLE_RE.finditer(clean, lo, hi)]
    return [
        m for m in _VERB_RE.finditer(clean, lo, hi)
        if not any(t0 <= m.start() < t1 for t0, t1 in titles)
    ]


def _residue(text: str) -> int:
    """How many characters of `text` are neither fillers nor punctuation."""
    return len(_FILLER_RE.sub("", text))


def _run_after(clean: str, b: int, hi: int) -> list[re.Match[str]]:
    """Return the chain of verbs right after a project (A改扩建工程开工, A等项目加快建设)."""
    out: list[re.Match[str]] = []
    cur = b
    for m in _verbs(clean, b, hi):
        gap = _STOP_RE.sub("", clean[cur : m.start()])
        if _residue(gap) > _MAX_GAP:
            break
        out.append(m)
        cur = m.end()
    return out


def _run_before(clean: str, lo: int, a: int) -> list[re.Match[str]]:
    """Return the chain of verbs nearest before a project (积极争取, 提速实施, 开工建设)."""
    found = _verbs(clean, lo, a)
    out: list[re.Match[str]] = []
    for m in reversed(found):
        if out and _residue(clean[m.end() : out[-1].start()]) > 0:
            break
        out.append(m)
    return out[::-1]


def _lead_run(clean: str, lo: int, hi: int) -> list[re.Match[str]]:
    """Return the chain of verbs that opens a clause and governs the list after it."""
    found = _verbs(clean, lo, hi)
    if not found or _residue(clean[lo : found[0].start()]) > _MAX_LEAD:
        return []
    out = [found[0]]
    for m in found[1:]:
        if _residue(clean[out[-1].end() : m.start()]) > 0:
            break
        out.append(m)
    if _residue(_STOP_RE.sub("", clean[out[-1].end() : hi])) == 0:
        return []  # nothing follows: the verbs are an item's (长沙机场改扩建工程、…)
    return out


def _tail_run(clean: str, lo: int, hi: int) -> tuple[list[re.Match[str]], bool]:
    """Return the chain of verbs that closes a list, and whether the list shares it.

    A、B等项目前期工作 and A、B建成通车 close with their verbs; in A、B改扩建等项目 the verb
    is B's, and the chain stops at the 等, 项目 or 工程 that closes an item (A、B改扩建项目
    开工建设: 改扩建 is B's).  An upgrade verb right after the last item is that item's
    (A、B改扩建投入运营); after a shared type word it is the list's (A、B等高速公路扩容).
    """
    found = _verbs(clean, lo, hi)
    out: list[re.Match[str]] = []
    cur = hi
    for m in reversed(found):
        gap = clean[m.end() : cur]
        if out and (_STOP_RE.search(gap) or _residue(gap) > 0):
            break
        if not out and (_STOP_RE.search(gap) or _residue(gap) > 2):
            break
        out.append(m)
        cur = m.start()
    if not out:
        # 在A、B等十五个港口建设一百三十二个深水泊位: the list, closed by 等 and its type
        # word, is where the verb after it builds
        close = clean.rfind("等", lo, hi)
        after = [m for m in found if m.start() > close]
        if close < 0 or not after or _residue(clean[close + 1 : after[0].start()]) > 8:
            return [], False
        return [after[0]], True
    before = [m for m in found if m.end() <= cur]
    shared = "等" in clean[before[-1].end() if before else lo : cur]
    return out[::-1], shared


def _governing(
    clean: str, c0: int, c1: int, a: int, b: int
) -> tuple[list[tuple[str, str]], list[str]]:
    """Return the verbs (tagged where they stand) and years governing ``clean[a:b]``.

    Verbs come tagged ``"pre"`` (before the project), ``"post"`` (after it) or ``"list"``
    (governing the whole list), nearest first.
    """
    segs = split_at(clean, _SEP_RE, c0, c1, keep=[(a, b), *_brackets(clean, c0, c1)])
    if not segs:
        return [], []
    k = next((j for j, (g0, g1) in enumerate(segs) if g0 <= a < g1), 0)
    g0, g1 = segs[k]
    last = k == len(segs) - 1
    pre = _run_before(clean, g0, a)
    lead_in = _VERB_RE.match(clean, a, b)
    if lead_in is not None and lead_in.end() < b:
        pre.append(lead_in)  # a name that took in its verb: 投入使用X产业园二期
    post = _run_after(clean, b, c1 if last else g1)
    verbs = [(m.group(), "pre") for m in reversed(pre)] + [(m.group(), "post") for m in post]
    years = _years(clean, g0, c1 if last else g1)
    if k > 0 and not any(_is_phase(m.group()) for m in pre):
        lead = _lead_run(clean, segs[0][0], segs[0][1])
        verbs += [(m.group(), "list") for m in reversed(lead)]
        if lead:
            years += _years(clean, segs[0][0], lead[-1].end())
    if not any(_is_phase(m.group()) and STATUS_OF_VERB[m.group()] != "upgrade" for m in post):
        # the verbs that close the list: at the end of the first conjunct after the item
        # that ends with some (A、B等铁路项目和C、D等城际项目建设; A、B等建设及C改扩建),
        # unless the item has a predicate of its own (A被列入…、B项目竣工); an upgrade verb
        # after an item is more often its name (A改扩建、B建成通车)
        for t0, t1 in segs[k + 1 :]:
            if clean[t1 : t1 + 1] == "、":
                continue
            tail, shared = _tail_run(clean, t0, t1)
            kept = [m for m in tail if shared or STATUS_OF_VERB[m.group()] not in _OWN]
            if kept:
                verbs += [(m.group(), "list") for m in kept]
                years += _years(clean, t0, t1)
                break
    return verbs, years


def _years(clean: str, lo: int, hi: int) -> list[str]:
    titles = [t.span() for t in _TITLE_RE.finditer(clean, lo, hi)]
    return [
        _year(m) for m in _YEAR_RE.finditer(clean, lo, hi)
        if not any(t0 <= m.start() < t1 for t0, t1 in titles)
    ]


def _is_phase(verb: str) -> bool:
    return verb not in DRIVERS and STATUS_OF_VERB[verb] in _PHASES


def _brackets(clean: str, c0: int, c1: int) -> list[tuple[int, int]]:
    """Bracketed parts of a clause, where no list separator cuts (立沙岛－深圳机场)."""
    return [m.span() for m in _BRACKET_RE.finditer(clean, c0, c1)]


def _decide(verbs: list[tuple[str, str]]) -> tuple[str, str]:
    """``(verb, status)`` from the verbs that govern a project, nearest first."""
    if verbs and verbs[0][1] == "pre" and verbs[0][0] in _OBJECT_VERBS:
        return verbs[0][0], "other"  # 融入长株潭城市群, 发挥深中通道…效应
    phases = [(v, STATUS_OF_VERB[v]) for v, _ in verbs if v not in DRIVERS]
    phases = [(v, s) for v, s in phases if s in _PHASES]
    if any(s in ("planned", "study") for _, s in phases):
        # 完成X前期工作: the study is what is done, the project is still planned
        phases = [(v, s) for v, s in phases if v != "完成"]
    for phase in _PHASES:
        for v, s in phases:
            if s == phase:
                return v, s
    others = [v for v, _ in verbs if v not in DRIVERS and STATUS_OF_VERB[v] == "other"]
    if others:
        return others[0], "other"
    drivers = [v for v, _ in verbs if v in DRIVERS]
    for phase in (*_PHASES, "other"):
        for v in drivers:
            if STATUS_OF_VERB[v] == phase:
                return v, phase
    return "", "other"


def _time_clause_year(clean: str, before: list[tuple[int, int]]) -> str:
    """Return the year of an earlier clause that holds only a time (到2025年，…)."""
    for c0, c1 in reversed(before):
        text = clean[c0:c1]
        m = _YEAR_RE.search(text)
        if m and _residue(re.sub(r"截至|截止|到|至|在|以前|前|底|末|期间", "", text)) == 0:
            return _year(m)
    return ""
