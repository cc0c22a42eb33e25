"""Typed project records from sentences and the place mentions in them.

A plan names a project as modifiers + a core + a *type word* that says what it is (高速公路,
铁路, 港, 机场, 产业园, 都市圈, ...): 襄阳至南漳高速公路, 鄂州花湖机场, 汉孝随襄十汽车走廊.
Chinese noun phrases are head-final, so the grammar reads, per sentence:

1. type words (:data:`KIND_TERMS`, one regular expression per kind) and place mentions; a
   type word inside a place name is none (防城港市, 深港), one that a place reading crosses
   wins over that reading (惠城 in 深惠城际);
2. clauses (:func:`geo.text.split_clauses`), groups cut at function words, verbs,
   designations (纳入, 获评, 之一), events and dates (:func:`geo.text.split_at`), and list
   items cut at 、, 和/及, 等 and counts (台黑4条高速公路 reads as 台黑等高速公路);
3. an item's head is its last type word outside brackets (湘桂铁路柳州枢纽 is a station),
   unless that is a role a line plays (高速公路出省通道 is an expressway); items with no
   type word share the next one (襄阳至南漳、……等高速公路; 乌拉哈达、娄里、青山水库) unless a
   plain one after 等 is theirs, never across a quoted slogan, and cities given a rank of
   hub (A、B等区域性综合交通枢纽) take none; a plain shared type word lends its section too
   (济广、包茂等高速公路广东段);
4. a name runs from the item's start (or, for the first item of a group, from its first
   place or the nouns before it) over the head, a code, phase or section (二期, (G50),
   武汉至黄石段); an item made only of generic words, counts and slogans (一批支线机场,
   县县通高速) is no project, while a code, a line number or a phase names one (G331,
   3号线, 机场三期); a national strategy (:class:`geo.facilities.NamedArea` with
   ``strategy``: 长江经济带) is no project;
5. places: the units mentioned in the name in text order (routes 至/经/—, compounds,
   expansions); a section after the type word keeps the section's places only
   (沪渝蓉高铁上海段, 新阳高速(新蔡至泌阳)); parks built with partners take the partners'
   places, one each when they pair (携手陆丰市、潮安区共建A、B产业园); a province opening a
   name places the unplaced items of its kind listed after it (河北潘家口水库、大黑汀水库);
   a facility named after a line is placed by
   what follows the line (京港澳高速驻马店站); curated facilities, areas and landmarks of
   :mod:`geo.facilities` add the site's unit or an area's members; a named item with no
   unit (漳河水库, 扬子江城市群) is kept with no places and a ``reason``;
6. status and target year come from :mod:`geo.projects.status`.

The part-of-speech tags that tell a verb from a name come from jieba's dictionary; a one-character
"verb" of a name jieba does not know (乌拉盖) does not end it.
Nothing here reads files: :func:`extract_projects` takes a :class:`geo.text.Document`.
"""

from __future__ import annotations

import functools
import logging
import re
import re._constants as _sre
import re._parser as _sre_parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import ahocorasick_rs

from .._data import load_table
from ..facilities import Facility, Landmark, NamedArea, NameMatch, find_names
from ..gazetteer import Gazetteer, Unit, load_gazetteer
from ..kinds import AREA_KINDS, KINDS, LINE_KINDS, MEMBER_KINDS, POINT_KINDS
from ..text import split_at, split_clauses
from .records import MentionLike, Project, core_name, record_id
from .status import TITLE_CHARS, plan_period_of, read_status, study_after

if TYPE_CHECKING:
    from ..text import Document

__all__ = ["KIND_TERMS", "extract_projects"]

log = logging.getLogger(__name__)

_CJK = "\u4e00-\u9fff"

#: Type words by kind.  Where two overlap the leftmost, then longest wins
#: (高速公路 over 公路, 疏港铁路 over 港, 生态经济区 over 经济区).
KIND_TERMS: dict[str, str] = {
    "expressway": (
        r"高速(?:[（(]一级[)）])?公路|高速路|(?<!超)高速(?![发增度射铁磁列成运转通])"
        r"|(?<![A-Za-z0-9])[GS](?:\d{1,2}|\d{4})(?![A-Za-z0-9])"
    ),
    "railway": (
        r"(?:高速|城际|市域(?:[（(]郊[)）])?|疏港|货运|干线|重载)?铁路(?:专用线|联络线|支线)?"
        r"(?!优势|局|总里程|运输|部门|运营|口岸|物流|港|枢纽|编组|站|网)"
        r"|高铁(?!新城|新区|站|经济|片区|小镇|时代|商务区|枢纽|通车里程|运营|里程|网)"
        r"|城际(?:轨道|列车|快线|线)?(?!交通|出行|通勤|公交|客运|联系|合作|快速|铁路)"
        r"|客运专线|客专|(?:轻轨|磁浮|地铁|空轨|云轨|有轨电车)(?!运营|里程|通车里程|网)"
        r"|专用线|联络线|外绕线"
        r"|(?<![A-Za-z0-9])[A-Za-z]?\d+号?线"
    ),
    "road": (
        r"国省干线(?:公路)?|国省道|干线公路|(?<![a-zA-Z0-9])国道|省道|快速路|快速通道|一级公路"
        r"|(?<![A-Za-z0-9])[GS]\d{3}(?![A-Za-z0-9])"
        r"|改线工程|公路(?!港|物流|运输|客运|口岸|桥)|大道|干道|隧道"
        r"|(?<![铁公道线思出网马丝一之水航陆山电走探弯门末老退])(?<![走闯开探辟条]新)"
        r"路(?![网线径演况子费桥段灯口标面基])"
        r"|(?<![出物集疏运开放际绿人作大外送输航水新])通道"
    ),
    "bridge": (
        r"(?:公铁两用|长江公路|长江|跨江|过江|特)?大桥(?!小学|中学|街道|镇|乡|村|社区|路)"
        r"|(?:跨|过|越)(?:江|海|河)(?:通道|隧道)|(?:[一二三四五六七八九十]|公路|铁路|人行|通道|公铁两用)桥(?![底下面])"
    ),
    "waterway": r"水系航运通道|(?:航运|水运)新?通道|航道|船闸|运河|航电枢纽|航运枢纽",
    "port": (
        # not 港 for Hong Kong: 港人港税, 港货, 港资, 港股, 港企, 港商, 港币, 港籍, 港大 (HKU)
        r"港区|港口(?!群)|新港|(?<!服务)(?<![香京粤陆空无铁临湘港靠深治])"
        r"港(?![澳务航湾口区城人货资股企商币籍府大税]|集装箱|吞吐|货物)"
        r"|口岸(?!经济|功能|通关|开放|合作|城市|优势|营商)|泊位|码头|作业区"
    ),
    "airport": (
        r"机场(?!群|路|大道|高速|快速)|航站楼|(?<=[场一二三四五六七八九十东西南北])跑道"
        r"|空港(?!物流|经济|新城|产业|新区)"
    ),
    "station": (
        r"(?:高铁|火车|客运|动车|铁路|城际|汽车|综合客运)站(?!点)|(?<=[" + _CJK + r"])[东西南北]站"
        r"|(?<=[城场纽])站(?!点)|编组站"
        r"|(?<!物流|航电|水利|航运|水运|航空|能源|信息|数据|开放|门户|贸易|金融|创新|科技|消费)"
        r"枢纽(?!城市|功能|优势|地位|经济|作用|港|节点)"
    ),
    "logistics": (
        r"物流园区?|物流基地|物流中心|物流枢纽|物流港|国际陆港|陆港|无水港|公路港|铁路港"
        r"|快递园|多式联运中心|保税物流中心"
    ),
    "industrial_park": (
        r"产业园区?|工业园区?|科技园|科技城|科创城|孵化园|创业园|创新园|科创园|经济技术开发区|经开区"
        r"|高新技术产业开发区|开发区(?!域)|高新区|临空经济区|(?<!生态)经济区|自贸片区|自贸区"
        r"|自由贸易试验区|综合保税区|综保区|保税区|产业基地|产业集聚区|合作区|合作园区|产业新城"
        r"|承接产业转移示范区|产业转移园区?|示范园区|(?:合作|共建)示范区"
    ),
    "power": (
        r"特高压|输变电|输电(?:线路|通道|工程)?|变电站|换流站|直流(?:输电)?工程"
        # a DC line named in quotes: “青桂直流”, “陇东至山东”直流
        r"|(?<=[" + _CJK + r"]{2})直流(?=[”’」』])|(?<=[”’」』])直流"
        r"|(?:储能|光伏|水|风|火|核|抽水蓄能)电站|电厂|风电场|电力引入|核电(?:站|基地|项目)?"
        r"|\d+号机组|抽水蓄能(?:项目)?|光伏发电|联网工程|(?:外送|送出|送电)(?:通道|工程)"
        r"|电源(?:工程|线路|项目)|送电[" + _CJK + r"]{2}工程"
    ),
    "pipeline": (
        r"(?:天然气|输气|输油|成品油|油气|原油|煤油)?管道(?!燃气)|输气管线"
        r"|(?:西气东输|川气东送)(?:[一二三四五六七八九十]线)?"
        r"|(?:天然气|油气)输送|储气库"
    ),
    "water": (
        r"水利(?:水电)?枢纽|水库|灌区|调水|引[" + _CJK + r"][济补入][" + _CJK + r"]"
        r"|南水北调|水资源配置|供水工程|堤防|圩堤|蓄滞洪区|泵站|分洪|防洪(?:[一二三四五六七八九十\d]+期)?(?:工程|治理)|输水工程"
        r"|水系连通|水网(?:工程)?|大坝|水坝|引水|灌溉工程|(?<=[河江湖溪])(?:根治|治理|整治)(?:工程)?"
    ),
    "science": (
        r"实验室|科学城|科学中心|大科学装置|科学装置|实验装置|研究设施|实验设施|模拟设施"
        r"|科技基础设施|创新中心|研究院|科创中心|技术创新平台|科技创新中心"
    ),
    "corridor": (
        r"大走廊|走廊|廊道|绿廊|经济带(?!来|动)|产业带(?!来|动)|发展带(?!来|动)|城镇带(?!来|动)"
        r"|(?<![出物集疏运际])大通道"
    ),
    "metro_circle": r"都市圈|城市圈|城市群|经济圈|大湾区|都市区|城市带(?!来|动)",
    "ecology": (
        r"生态经济区|生态区|生态屏障|国家公园|自然保护区|湿地公园|森林公园|地质公园|郊野公园|生态带(?!来|动)"
        r"|生态源地|生态协作圈|绿心|生态保护区"
    ),
    "tourism": (
        r"旅游线路|精品线路|旅游(?:环线|公路|专线|走廊|带)|旅游区|风景区"
        r"|景区|度假区|遗址公园|文化公园|绿道"
    ),
}
_KIND_RES = {kind: re.compile(pattern) for kind, pattern in KIND_TERMS.items()}
if set(KIND_TERMS) != set(KINDS):  # one vocabulary: geo.kinds
    raise RuntimeError(f"KIND_TERMS and geo.kinds.KINDS differ: {set(KIND_TERMS) ^ set(KINDS)}")


def required_keys(pattern: str) -> frozenset[str] | None:
    r"""Return strings one of which every match of `pattern` contains, or None.

    For each alternative of the pattern, its longest run of plain characters (or a small
    class of plain characters, one of which it needs); None when some alternative needs
    no plain character. A text holding none of the keys cannot match, so the type-word
    patterns of a kind run only over sentences that hold one of its keys: most sentences
    of a report name no project, and running ~20 patterns over each was a third of the
    extraction time.

    Examples
    --------
    >>> sorted(required_keys(r"(?<!超)高速(?!铁)|[GS]\d{1,2}"))
    ['G', 'S', '高速']
    >>> sorted(required_keys(r"(?:轻轨|地铁)(?!网)|\d+号?线"))
    ['地铁', '线', '轻轨']
    >>> required_keys(r"\d+") is None
    True
    """
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error:
        return None
    keys = _sequence_keys(list(parsed))
    return None if keys is None else frozenset(keys)


def _sequence_keys(items: list[tuple[object, object]]) -> set[str] | None:
    if len(items) == 1:
        op, av = items[0]
        if op is _sre.BRANCH:
            return _branch_keys(av)
        if op is _sre.SUBPATTERN:
            return _sequence_keys(list(av[-1]))  # type: ignore[index]
    runs, run = [], ""
    for op, av in items:
        if op is _sre.LITERAL:
            run += chr(av)  # type: ignore[arg-type]
            continue
        if run:
            runs.append(run)
        run = ""
    if run:
        runs.append(run)
    if runs:
        return {max(runs, key=len)}
    for op, av in items:  # no plain run: a part the match cannot do without
        found: set[str] | None = None
        if op is _sre.SUBPATTERN:
            found = _sequence_keys(list(av[-1]))  # type: ignore[index]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:  # type: ignore[index]
            found = _sequence_keys(list(av[2]))  # type: ignore[index]
        elif op is _sre.BRANCH:
            found = _branch_keys(av)
        elif op is _sre.IN and all(o is _sre.LITERAL for o, _ in av):  # type: ignore[attr-defined]
            found = {chr(c) for _, c in av}  # type: ignore[attr-defined]
        if found:
            return found
    return None


def _branch_keys(av: object) -> set[str] | None:
    out: set[str] = set()
    for branch in av[1]:  # type: ignore[index]
        keys = _sequence_keys(list(branch))
        if keys is None:
            return None
        out |= keys
    return out


# Which kinds' patterns a sentence can match, found in one pass over it (see required_keys)
_KIND_KEYS = {kind: required_keys(p) for kind, p in KIND_TERMS.items()}
_ALWAYS_RUN = frozenset(kind for kind, keys in _KIND_KEYS.items() if keys is None)
_KEYS = sorted({k for keys in _KIND_KEYS.values() if keys for k in keys})
_KEY_KINDS = [
    frozenset(kind for kind, keys in _KIND_KEYS.items() if keys and key in keys) for key in _KEYS
]
_KEY_AUTOMATON = ahocorasick_rs.AhoCorasick(_KEYS, matchkind=ahocorasick_rs.MatchKind.Standard)


def _kinds_in(text: str) -> frozenset[str]:
    """Return the kinds whose type-word patterns can match somewhere in `text`."""
    hits = {i for i, _, _ in _KEY_AUTOMATON.find_matches_as_indexes(text, overlapping=True)}
    return _ALWAYS_RUN.union(*(_KEY_KINDS[i] for i in hits))

# Function words and verbs that end a name: the 的 of a relative clause, 以…为, 与,
# coordinators, and the verbs that introduce a project.  Never applied inside a place
# mention, a type word or a curated name.
_BREAK_RE = re.compile(
    r"的|以|为|由|与|或|并|依托|围绕|面向|规划建设|规划|谋划|推动|推进|支持"
    r"|加快|加速|建设|建成|实施|打造|共建|加强|深化|提升|完善|促进|对接|承接|联动|合作(?![区园示])"
    r"|新建|扩建|改扩建|开展|启动|做好|争取|积极|大力|持续|继续|协调|协同|着力|力争"
    r"|鼓励|引导|构建|申建|申报|筹建|融入|联手|携手|发挥|发展|在(?!建)|除|确保|拥有|具有|包括|包含"
    r"|引进|培育|组建|设立|形成|结合|利用|统筹|布局|集中|搭建|创建|探索|优化|支撑|了|将|带来"
    r"|开行|共筑|共创|修复|保护|治理|整治|研究论证|论证|开工建设|开工|续建|投运|投用|完成"
    # a clause about the item, not its name: designations, awards, arrivals, events
    r"|连接(?!线)|被|列入|纳入|列为|获评|荣获|获批|入选|成为|之一|落户|达成|举办|承办|指导|挂牌|加入"
    r"|马拉松|锦标赛|联赛|邀请赛|大赛|博览会|交易会|论坛|峰会|事故|事件|火灾|爆炸"
    # an enumerator opens a new point: 二是京南现代产业基地
    r"|(?<![\u4e00-\u9fff])[一二三四五六七八九十]是"
    # a year or a period is a date, not part of a name (2015-2020年襄阳高新区)
    r"|(?:\d{4}|[一二三四五六七八九〇○零]{4})(?:\s*[-—–~～至到]\s*\d{4})?年(?:底|前|以前|内)?"
)
# partners a park is built with: 携手汕尾陆丰市、潮州潮安区共建, 与南澳县共建
_PARTNER_RE = re.compile(r"(?:携手|与|同|联合)$")
# the events a place or a facility names in a report (天津港特别重大火灾爆炸事故)
_EVENT_RE = re.compile(r"事故|事件|火灾|爆炸")
# What may follow an item's type word and still belong to its name: a route code, a
# named segment (沪渝高速(G50)武汉至黄石段), a phase (二期), a line number.
_TAIL_RE = re.compile(
    r"(?:[（(][A-Za-z]*\d+[A-Za-z]*[)）]|[（(][^（）()、，,；;。]{1,14}[)）])?"
    r"(?:[^、，,；;。：:]{0,16}?(?<!路)段|[一二三四五六七八九十\d]+期|[一二三四五六七八九十\d]+号线|复线|延长线)?"
)
# List separators inside a group: 、, 和/及 (A、B和C铁路), 等 (A、B等X), a count or a
# length (台黑4条高速公路, 梅州至平远等15项950公里高速公路: read as 等), and the seam of “A”“B”.
_COUNT = (
    r"(?:[\d.]+|[一二三四五六七八九十两百千万]+)多?"
    r"(?:个|条|座|项|家|所|处|批|件|套|公里|千米|万?千瓦|亿元|万元)(?:多|以上)?"
)
_ITEM_SEP_RE = re.compile(
    rf"等\s*{_COUNT}|等地(?=的)|等|{_COUNT}|、|以及|(?<![至到][\u4e00-\u9fff])和(?![平谐美睦至到])|及(?![时早其])"
    r"|(?<=[”’」』])(?=[“‘「『])|/|／"
)
_DENG_LIKE = re.compile(rf"等.*|{_COUNT}")
_PAIR_RE = re.compile(r"[\u4e00-\u9fff](?:至|到|—+|－|~|～|―|–)[\u4e00-\u9fff]")
# Named transfer schemes: 西气东输, 川气东送, 南水北调, 西电东送, 引江济淮, 引江补汉.
_TRANSFER_RE = re.compile(
    r"[\u4e00-\u9fff][气电水煤油][东西南北中][输送调运]|引[\u4e00-\u9fff][济补入][\u4e00-\u9fff]"
)
_CONNECTOR_IN_RE = re.compile(r"(?<=[\u4e00-\u9fff])(?:[—\-－~～]+|[至到])(?=[\u4e00-\u9fff])")
_CONNECTOR_RE = re.compile(r"^\s*(?:至|到|—+|－|-|~|～|―|–)\s*$")
_EDGE = " \t\u3000“”‘’\"'《》「」『』〈〉【】·•、"
_OPEN_BRACKETS = "（(【["
_CLOSE_FOR = {"（": "）", "(": ")", "【": "】", "[": "]"}

# Words that say nothing specific about a project: an item made only of them (and of its
# type word) is a generic mention (一批支线机场, 市域高速), not a project.
_GENERIC_RE = re.compile(
    "|".join(
        sorted(
            """
            国家级 国家 国际性 国际 省级 市级 县级 区级 区域性 区域 重点 重大 主要 重要 一批 一些
            省市县 省市 市县 县市 区县 县区 市区 各地 各省 各市 各县 各区
            若干 各类 各级 相关 现代化 现代 综合性 综合 大型 中型 小型 通用 支线 干线 城际 市域
            沿江 沿线 沿海 跨境 跨省际 跨省 跨区域 跨流域 跨市 跨江 省际 区外 域外 境外 境内 周边
            示范 试点 先行 专业性 专业 特色 精品 集装箱 城镇 这条 那条 这些 那些 这个 那个
            智慧 智能 绿色 低碳 高水平 高标准 高质量 高品质
            高端 世界级 全国 全省 全市 全区 省内 域内 城市 区内 圈内 群内 园区 产业 工业 企业
            物流 货运 客运 枢纽 公共 配套 基础 设施 工程 项目 新型 传统 骨干 冷链 多式联运 铁水
            公铁 保税 临空 临港 电子商务 电商 数字 一体化 标准化 规模化 集约化 网络化 多中心
            其他 其它 以上 一流 领先 先进 现有 既有 改建 升级 改造 整合 共享 开放 创新 科技
            科创 生态 文化 旅游 文旅 红色 历史 遗存 考古 遗址 民俗 高速 铁路 港口 机场 航空
            航天 国省 地方 农村 城乡 乡村 县域 市政 应急 储备 能源 电力 电网 交通 运输 网络
            体系 平台 载体 中心 基地 直流 交流 技术 研发 研究 设计 检测 检验 认证 计量 标准
            医学 医疗 医药 生物 健康 大健康 卫生 养老 教育 职业 实训 人才 人力资源 双创 孵化
            众创 总部 金融 商贸 会展 经贸 服务 外包 信息 电子 光电子 软件 数据 大数据 人工智能
            云计算 新能源 新材料 材料 装备 制造业 制造 汽车 零部件 机械 电机 储能 光伏 风电
            氢能 节能 环保 循环 食品 纺织 服装 钢铁 建材 石化 化工 精细 冶金 农业 林业 渔业
            矿山 国防 军民 联合 湖泊 河流 支流 干流 流域 水运 航运 多向 立体 国内 海外
            功能 要素 集聚 重要节点 节点 主通道 通道 万亿级 千亿级
            百亿级 世界一流 高科技 化学品 危险 中段 水上 新一轮 病险 在建 新建 拟建 续建 规划
            中远程 近距离 远程 内陆 深水 超大型 大中型 全球 沿边 普通 繁忙 拥堵 路段
            对外 省际 市际 县际 城际 国家级 全天 首开 民用 军用 军民合用 经济 增长点 增长极
            产业转移 省会 全年
            """.split(),
            key=len,
            reverse=True,
        )
    )
    + r"|第[一二三四五六七八九十\d]+|[一二三四五六七八九十两\d]+[个条座家批期线号所项件]"
    # slogans built of counts and shapes: 一环两屏, 三主两辅多点, 四好, 三横三纵
    + r"|[一二三四五六七八九十两多][横纵环屏主辅核带区廊心轴网圈翼点极好]"
    # a count of great ones (三大高速公路新通道, 十大国际航空枢纽, 三大港)
    + r"|[三四五六七八九十]大"
    # every county, every city (县县通高速): a reduplicated unit word
    + r"|([县市区乡镇村])\1"
)
_MIN_NAME_CHARS = 2
# ranks a plan gives a city (区域性综合交通枢纽, 全国性综合交通枢纽城市)
_RANK_RE = re.compile(r"区域性|全国性|国际性|国家级|省级|全国|国际|区域")
# one-character verbs of plan prose (市市通高铁, 扩通道强枢纽): a name does not run over them
_ONE_CHAR_VERBS = frozenset("通建连接促强扩保抓推稳补增提改修造办育拓优作")
_WORKS_END_RE = re.compile(r"(?:工程|项目)$")
# a phase, a line number or a section after a type word (三期, 一期工程, 5号线, 南延段)
_PHASE_RE = re.compile(r"[一二三四五六七八九十\d]+期|(?<!路)段|延长?线|号线|复线")
# jieba tags that may end a name: nouns (n, nr, ns, nt, nz), abbreviations (j), numerals
# and measures (m, q: 二期, 五座), distinguishing words (b: 大型), places and directions
# (s, f), and characters it does not know (x)
_NOMINAL_TAGS = frozenset("nrjmqbfsx")
# a name after a city this long is an enterprise's or a site's, not a facility's (天河机场)
_ENTERPRISE_CHARS = 4
_ONE_CHAR_ROAD = 2  # 官路: a character and 路
_PROPER_TAGS = frozenset({"nr", "ns", "nz"})
_CLASS_AFTER_RE = re.compile(r"国家|国际|全国|省级|市级|区域")
_ORDINAL_FACILITY_RE = re.compile(r"跑道|航站楼")
_ORDINAL_END_RE = re.compile(r"(?:第?[一二三四五六七八九十\d]+号?|[A-Z]\d*)$")
_ROUTE_CODE_RE = re.compile(r"(?<![A-Za-z0-9])[GS]\d{1,4}(?![A-Za-z0-9])")
# A 通道 that crosses water is a bridge or tunnel, not a road: one named after a sea, a
# strait or a bay (黄茅海通道, 狮子洋通道, 妈湾通道), any in a sentence about crossings
# (深中通道等跨江跨海通道, not 妈湾跨海通道、宝鹏通道), and one named by the two cities a
# fixed link joins (深中, 深珠).
_WATER_BEFORE_RE = re.compile(r"(?<![出陆沿入临])海$|[洋湾峡]$")
# a topic heading: a bare type word and a comma opening the sentence (通用机场，)
_HEADING_RE = re.compile(r"[^，,。；;：:、]{2,6}[，,]")
_WORKS_RE = re.compile(r"项目|工程")
_CROSSING_RE = re.compile(r"(?:跨|过|越)[^，。；,;]{0,4}?[江海河湾峡]")



@dataclass(frozen=True, slots=True)
class _Trigger:
    start: int
    end: int
    kind: str
    role: bool = False  # 通道: a role any line may play, not what the item is


@dataclass(frozen=True, slots=True)
class _Piece:
    start: int
    end: int


# --------------------------------------------------------------------------- public


def extract_projects(
    document: Document,
    *,
    mentions: Sequence[MentionLike] | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[Project]:
    """Read the projects a document names.

    Parameters
    ----------
    document
        A decoded document (:func:`geo.text.read_document`, :func:`geo.text.document_from_text`).
    mentions
        Its place mentions; found with :func:`geo.mentions.find_mentions` when omitted.
    gazetteer
        Gazetteer for unit relations; the default one when omitted.

    Returns
    -------
    list of Project
        In text order; each record's ``start`` lies inside its sentence.

    Examples
    --------
    >>> from geo.text import document_from_text
    >>> doc = document_from_text("加快建设襄阳至南漳、老河口至南漳等高速公路。")
    >>> [(p.name, p.places) for p in extract_projects(doc)]  # doctest: +NORMALIZE_WHITESPACE
    [('襄阳至南漳高速公路', ('420600', '420624')),
     ('老河口至南漳高速公路', ('420682', '420624'))]
    """
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    if mentions is None:
        from ..mentions import find_mentions

        mentions = find_mentions(
            document.text, clean=document.clean, sentences=document.sentences, gazetteer=gazetteer
        )
    ordered = sorted(mentions, key=lambda m: m.start)
    title_year = plan_period_of(document.text[:TITLE_CHARS])
    out: list[Project] = []
    k = 0
    for sent in document.sentences:
        while k < len(ordered) and ordered[k].start < sent.start:
            k += 1
        j = k
        while j < len(ordered) and ordered[j].end <= sent.end:
            j += 1
        out.extend(
            _sentence_projects(document, sent.start, sent.end, ordered[k:j], gaz, title_year)
        )
    log.debug("%s: %d project records", document.name, len(out))
    return out


# --------------------------------------------------------------------------- internals


def _forms(unit: Unit) -> set[str]:
    return {unit.name, unit.short, *unit.aliases}


def _find_triggers(
    clean: str, s0: int, s1: int, mentions: Sequence[MentionLike]
) -> list[_Trigger]:
    """Find the type words of ``clean[s0:s1]``, non-overlapping, leftmost-longest."""
    cands: list[_Trigger] = []
    text = clean[s0:s1]
    possible = _kinds_in(text)
    for kind, rx in _KIND_RES.items():
        if kind not in possible:
            continue
        for m in rx.finditer(text):
            if m.end() > m.start():
                role = m.group().endswith("通道") and kind in ("road", "corridor")
                cands.append(_Trigger(s0 + m.start(), s0 + m.end(), kind, role))
    for mention in mentions:  # 武汉站: a station named by its city
        e = mention.end
        if s0 <= e < s1 and clean[e] == "站" and clean[e + 1 : e + 2] != "点":
            cands.append(_Trigger(e, e + 1, "station"))
        if s0 <= e and clean[e : e + 2] == "园区" and e + 2 <= s1:  # 龙华园区
            cands.append(_Trigger(e, e + 2, "industrial_park"))
        # 青豫直流, 藏粤直流: a DC line named by the places it joins
        if s0 <= e and clean[e : e + 2] == "直流" and e + 2 <= s1:
            end = e + 4 if clean[e + 2 : e + 4] == "工程" and e + 4 <= s1 else e + 2
            cands.append(_Trigger(e, end, "power"))
    cands.sort(key=lambda t: (t.start, -(t.end - t.start)))
    chosen: list[_Trigger] = []
    last_end = -1
    for t in cands:
        if t.start < last_end:
            continue
        if _inside_place_name(t, mentions):
            continue
        chosen.append(t)
        last_end = t.end
    # a route code before its own type word in one item (G3033奎屯至库车高速公路) is part
    # of the name, not a type word of its own
    return [
        t for k, t in enumerate(chosen)
        if not (
            k + 1 < len(chosen)
            and chosen[k + 1].kind == t.kind
            and _ROUTE_CODE_RE.fullmatch(clean, t.start, t.end)
            and chosen[k + 1].start - t.end <= _CODE_TO_TYPE_WORD
            and not _ITEM_BREAK_RE.search(clean, t.end, chosen[k + 1].start)
        )
    ]


# how far a route code may stand before its type word (G3033奎屯至独山子至库车高速公路)
_CODE_TO_TYPE_WORD = 20
# what stands between a route code and a type word of another item: punctuation or a
# conjunction (a count or 等 may stand inside one name: S219永定线正阳至大林等7条干线公路)
_ITEM_BREAK_RE = re.compile(r"[、，,；;。：:和及与或]")


def _crossings(
    clean: str, s0: int, s1: int, triggers: list[_Trigger], mentions: Sequence[MentionLike]
) -> list[_Trigger]:
    """Read a 通道 that crosses water as a bridge (see :data:`_WATER_BEFORE_RE`)."""
    # a crossing word that is no item's own type word (妈湾跨海通道) speaks of them all
    about_crossings = any(
        not any(t.start <= c.start() < t.end for t in triggers)
        for c in _CROSSING_RE.finditer(clean, s0, s1)
    )
    out = []
    for t in triggers:
        if t.role and t.kind == "road" and clean[t.start : t.end] == "通道":
            before = clean[max(s0, t.start - 2) : t.start]
            twin_cities = any(
                m.end == t.start
                and len(m.units) == 2
                and all(u.level == "prefecture" for u in m.units)
                for m in mentions
            )
            if about_crossings or twin_cities or _WATER_BEFORE_RE.search(before):
                t = _Trigger(t.start, t.end, "bridge")
        out.append(t)
    return out


def _under_heading(
    clean: str, s0: int, s1: int, triggers: list[_Trigger]
) -> list[_Trigger]:
    """Give the kind of a topic heading to the projects listed after it.

    A sentence that opens with a bare type word and a comma (通用机场，开工德州庆云、泰安仪阳
    项目; 高速公路，建成临沂至滕州等15个项目; 铁路，加快建设京沪二通道) lists projects of
    that kind: its 项目 and 工程 are type words of the heading's kind, and so is a 通道 when
    the heading is a line.
    """
    heading = _HEADING_RE.match(clean, s0, s1)
    if heading is None:
        return triggers
    first = [t for t in triggers if t.start < heading.end()]
    if len(first) != 1 or _is_named(_blank(clean, s0, heading.end() - 1, (), (), first)):
        return triggers
    kind = first[0].kind
    out = [
        _Trigger(t.start, t.end, kind) if t.role and kind in LINE_KINDS else t for t in triggers
    ]
    for m in _WORKS_RE.finditer(clean, heading.end(), s1):
        if not any(t.start < m.end() and m.start() < t.end for t in triggers):
            out.append(_Trigger(m.start(), m.end(), kind))
    return sorted(out, key=lambda t: t.start)


def _inside_place_name(t: _Trigger, mentions: Sequence[MentionLike]) -> bool:
    """Tell whether the type word is part of a place name (防城港市, 黄石港区, 香港).

    A mention that ends with a facility word it does not owe its units to (黄石港 read as
    黄石市) leaves that word a type word.  A place inside a type word (送电江西工程) or
    across its edge (深惠城际: 惠城 read as a district) leaves it a type word too; see
    :func:`_crossing`.
    """
    for m in mentions:
        if m.end <= t.start or m.start >= t.end:
            continue
        if m.start <= t.start and t.end <= m.end:
            # a compound's last character is one of its places (深港: 深圳, 香港)
            compound = len(m.units) > 1
            if t.end == m.end and not compound and not any(m.text in _forms(u) for u in m.units):
                return False
            return True
    return False


def _crossing(m: MentionLike, triggers: Sequence[_Trigger]) -> bool:
    """Whether a place mention crosses the edge of a type word (惠城 in 深惠城际).

    Such a reading cut a type word in two, so the type word wins and the place is no place
    of the project.
    """
    return any(
        m.start < t.end and t.start < m.end
        and not (m.start <= t.start and t.end <= m.end)
        and not (t.start <= m.start and m.end <= t.end)
        for t in triggers
    )


def _protected(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    return sorted(spans)


def _is_protected(pos_start: int, pos_end: int, spans: Sequence[tuple[int, int]]) -> bool:
    for a, b in spans:
        if a >= pos_end:
            break
        if a < pos_end and pos_start < b:
            return True
    return False


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def _close_brackets(text: str, start: int, end: int, limit: int) -> int:
    """Extend ``end`` over closing brackets of brackets opened in ``text[start:end]``."""
    depth = 0
    for ch in text[start:end]:
        if ch in _OPEN_BRACKETS:
            depth += 1
        elif ch in "）)】]":
            depth = max(depth - 1, 0)
    while depth and end < limit and text[end] in "）)】]":
        end += 1
        depth -= 1
    return end


def _related(a: str, b: str, gaz: Gazetteer) -> bool:
    return a == b or a in gaz.ancestors(b) or b in gaz.ancestors(a)


def _verb_ends(text: str) -> list[int]:
    """Offsets in ``text`` right after each verb of two or more characters (纳入, 融入).

    One-character "verbs" are left out: jieba tags 松 of 松西河 as one.
    """
    out, pos = [], 0
    for word, flag in _tagger()(text):
        pos += len(word)
        if flag == "v" and len(word) >= 2:
            out.append(pos)
    return out


# type words that name a piece of work, and so may follow a verb (水资源配置工程)
_WORK_HEADS = frozenset({"工程", "项目"})


def _circle_of_one_city(
    places: Sequence[str], in_names: Sequence[NameMatch], gaz: Gazetteer
) -> bool:
    """Whether a list item lent a circle's type word makes a circle.

    A known one, or cities' (武汉、长株潭都市圈: 武汉都市圈; 汕潮揭、湛茂都市圈); not a
    region's (京津冀、长三角、粤港澳大湾区: no 京津冀大湾区, 长三角大湾区).
    """
    if any(isinstance(n.entry, NamedArea) for n in in_names):
        return True
    units = [gaz[c] for c in places if c in gaz]
    return bool(units) and all(u.level != "province" or u.city_like for u in units)


def _has_own_head(text: str) -> bool:
    """Whether a list item ends in a verb or a head noun of its own (医院, 新城, 乐园).

    The head nouns are ``geo/data/head_nouns.csv``: names of things of other sorts than the
    project kinds, which a type word later in the list does not complete.
    """
    head = _PHASE_END_RE.sub("", text.rstrip())  # 港大深圳医院二期: the hospital
    if _QUANTITY_RE.search(text):  # a figure (灌溉面积113万亩、公路通车里程…): no name
        return True
    return _ends_in_verb(text) or head.endswith(_head_nouns())


# a quantity with its unit: 113万亩, 880公里, 3.9亿元
_QUANTITY_RE = re.compile(
    r"\d+(?:\.\d+)?\s*[万亿]?\s*(?:亩|公里|千米|平方米|米|元|吨|千瓦|人次|人|户|辆|标箱)"
)


# a phase after a name (二期, 3期)
_PHASE_END_RE = re.compile(r"[一二三四五六七八九十\d]+期$")


@functools.cache
def _head_nouns() -> tuple[str, ...]:
    return tuple(row["word"] for row in load_table("head_nouns.csv"))


def _ends_in_verb(text: str) -> bool:
    """Whether ``text`` ends with a verb of two or more characters (整体改造, 扩建).

    Place names are blanked first (jieba tags 包头 as a verb): blank is no verb.
    """
    tags = _tagger()(text)
    return bool(tags) and tags[-1][1] == "v" and len(tags[-1][0]) >= 2


def _has_verb(text: str) -> bool:
    """Whether a verb of two or more characters stands in ``text``."""
    return bool(_verb_ends(text))


def _is_named(text: str) -> bool:
    """Whether a modifier names something specific (漳河, 西气东输) or is generic (一批支线)."""
    if _ROUTE_CODE_RE.search(text):  # G60科创走廊, G209改线工程
        return True
    if _TRANSFER_RE.search(text):  # 川气东送二线: jieba splits the name at 送
        return True
    rest = _GENERIC_RE.sub("", text)
    return len(re.findall(f"[{_CJK}]", rest)) >= _MIN_NAME_CHARS


def _proper_before_generic(modifier: str) -> bool:
    """Whether a proper name stands fused to a generic word (昭平台水库: 昭 + 平台).

    Generic words are removed as substrings, so a name that ends in one (昭平台) keeps one
    character only; jieba's name tags (nr, ns, nz) tell such a character from 各, 新.
    """
    words = modifier.split()
    if not words or len(words[-1]) < 3:
        return False
    rest = _GENERIC_RE.sub("", words[-1])
    if len(rest) != 1 or not words[-1].startswith(rest) or _CLASS_AFTER_RE.match(words[-1], 1):
        return False  # 在京国家实验室: a rank after a place is a class, not a name
    return any(w == rest and f[:2] in _PROPER_TAGS for w, f in _tagger()(words[-1]))


def _blank(
    clean: str,
    start: int,
    end: int,
    mentions: Sequence[MentionLike],
    names: Sequence[NameMatch],
    triggers: Sequence[_Trigger],
) -> str:
    """``clean[start:end]`` with place mentions, curated names and type words blanked."""
    chars = list(clean[start:end])
    spans = [(m.start, m.end) for m in mentions] + [(n.start, n.end) for n in names]
    spans += [(t.start, t.end) for t in triggers]
    for a, b in spans:
        for i in range(max(a, start), min(b, end)):
            chars[i - start] = " "
    return "".join(chars)


def _items(
    clean: str, start: int, end: int, protected: Sequence[tuple[int, int]]
) -> list[tuple[_Piece, str]]:
    """List items of a group with the separator before each (``""``, ``"、"``, ``"等"``)."""
    out: list[tuple[_Piece, str]] = []
    sep = ""
    cur = start
    for m in _ITEM_SEP_RE.finditer(clean, start, end):
        a, b = m.start(), m.end()
        if a < b and _is_protected(a, b, protected):
            continue
        found = "等" if _DENG_LIKE.fullmatch(m.group()) else m.group()
        piece = _trim(clean, cur, a)
        if piece[1] > piece[0]:
            out.append((_Piece(*piece), sep))
            sep = found
        elif found == "等":
            sep = "等"
        cur = b
    piece = _trim(clean, cur, end)
    if piece[1] > piece[0]:
        out.append((_Piece(*piece), sep))
    return out


# a run of Latin letters and digits: jieba's dictionary tags it "eng" (rjieba says "m")
_ASCII_WORD_RE = re.compile(r"[A-Za-z0-9]+\Z")


@functools.lru_cache(maxsize=1)
def _tagger() -> Callable[[str], list[tuple[str, str]]]:
    """Part-of-speech tagger: jieba's dictionary and tags, through rjieba (jieba-rs).

    The dictionary's tags only (no HMM guessing of unknown words, which cost 40% of the
    extraction time and changed 1 of 150 dev2 sentences' projects). rjieba segments as
    jieba does with the same dictionary, loads in a tenth of the time (its dictionary is
    compiled in) and tags six times faster; two of its conventions differ from jieba's
    and are mapped back, so the tags are jieba's (checked on 53,783 phrases of
    ../shared/corpus: all equal): a run of Latin letters and digits is "eng", and a word
    the dictionary does not hold is "x".
    """
    import rjieba

    def tag(text: str) -> list[tuple[str, str]]:
        return [
            (w, "eng" if _ASCII_WORD_RE.match(w) else f if rjieba.has_word(w) else "x")
            for w, f in rjieba.tag(text, False)
        ]

    return tag


def _noun_tail(text: str) -> str:
    """Return the noun phrase that ends ``text``: 深刻认识 → "", 推进漳河 → 漳河.

    An item with no admin unit is kept only when the words right before its type word
    name something; a verb there (满足高新区, 确保高新区) means the type word is talked
    about, not named.
    """
    tag = _tagger()
    words = text.split()
    if not words:
        return text
    out: list[str] = []
    for word, flag in reversed(tag(words[-1])):
        # jieba splits names it does not know into characters it may call verbs (乌拉盖)
        one_char = len(word) < 2 and word not in _ONE_CHAR_VERBS
        if not (flag[:1] in _NOMINAL_TAGS or flag == "eng" or one_char):
            break
        out.append(word)
    if len(out) == len(tag(words[-1])):
        # the whole last chunk is nominal: earlier chunks (split by a place) may add to it
        return " ".join(words[:-1] + ["".join(reversed(out))])
    return "".join(reversed(out))


def _name_start(sent: _Sentence, start: int, limit: int) -> int:
    """Where a name begins: at its first place, or earlier over the nouns before it.

    The words between a list item's start and its first place are part of the name only
    when they are nominal (中国(湖北)自由贸易试验区, 西门子襄阳智能制造创新中心), not when
    they are a verb or a particle (努力把襄阳自贸片区, 全面增强武汉…枢纽).
    """
    anchors = [m.start for m in sent.mentions if start <= m.start < limit]
    anchors += [n.start for n in sent.names if start <= n.start < limit]
    # a named scheme (川气东送) is kept whole: jieba reads its 送 as a verb
    anchors += [m.start() for m in _TRANSFER_RE.finditer(sent.doc.clean, start, limit)]
    first = min(anchors, default=limit)
    tag = _tagger()
    if first <= start:
        return start
    keep = 0
    crossed = False  # a 至 of a route is in the name
    words = list(reversed(tag(sent.doc.clean[start:first])))
    for i, (word, flag) in enumerate(words):
        nominal = bool(
            flag[:1] in _NOMINAL_TAGS or flag == "eng" or _GENERIC_RE.fullmatch(word)
        )
        if word in _ROUTE_WORDS and (keep > 0 or first < limit) and i + 1 < len(words):
            # a route's start, whatever jieba calls it (富裕至加格达奇铁路), but no verb
            # (站至前湾电厂) and nothing outside the words (（东方大道至东富路)
            before, before_flag = words[i + 1]
            nominal = before_flag[:1] != "v" and re.fullmatch(f"[{_CJK}]+", before) is not None
            if nominal:
                words[i + 1] = (before, "n")
        if not (nominal or (len(word) < 2 and flag != "p")) or word.isspace():
            break
        # a route inside brackets ends at the bracket (埔边南街（东方大道至东富路)
        if word in _OPEN_BRACKETS and crossed:
            break
        crossed = crossed or word in _ROUTE_WORDS
        keep += len(word)
    return first - keep


# the words that join a route's ends (临淄至临沂高速, 宝鸡到成都铁路)
_ROUTE_WORDS = frozenset({"至", "到"})


@dataclass(frozen=True)
class _Sentence:
    """One sentence with what the rules read in it (offsets index the document)."""

    doc: Document
    start: int
    end: int
    mentions: Sequence[MentionLike]
    names: Sequence[NameMatch]
    triggers: Sequence[_Trigger]
    gaz: Gazetteer
    year: str
    partnered: bool = False  # the group names parks built with partners (与南澳县共建)

    @property
    def text(self) -> str:
        return self.doc.text[self.start : self.end]


def _sentence_projects(
    doc: Document,
    s0: int,
    s1: int,
    mentions: Sequence[MentionLike],
    gaz: Gazetteer,
    title_year: str,
) -> list[Project]:
    clean = doc.clean
    triggers = _find_triggers(clean, s0, s1, mentions)
    if not triggers:
        return []
    triggers = _crossings(clean, s0, s1, triggers, mentions)
    triggers = _under_heading(clean, s0, s1, triggers)
    names = [NameMatch(s0 + n.start, s0 + n.end, n.entry) for n in find_names(clean[s0:s1])]
    owners = _owners(clean, s0, s1, mentions, triggers)
    protected = _protected(
        [(m.start, m.end) for m in mentions]
        + [(t.start, t.end) for t in triggers]
        + [(n.start, n.end) for n in names]
        + [(a, b) for a, (b, _) in owners.items()]
        + [(s0 + m.end() - 1, s0 + m.end()) for m in re.finditer("等地的", clean[s0:s1])]
        + _route_of(clean, mentions, triggers)
    )
    mentions = [m for m in mentions if not _crossing(m, triggers)]
    year = plan_period_of(doc.text[s0:s1]) or title_year  # the plan period, not a target
    sent = _Sentence(doc, s0, s1, mentions, names, triggers, gaz, year)
    out: list[Project] = []
    for c0, c1 in split_clauses(clean, s0, s1, keep=protected):
        if not any(c0 <= t.start and t.end <= c1 for t in triggers):
            continue
        study = study_after(clean, c0, c1)
        partners: list[list[MentionLike]] | None = None
        for g0, g1 in split_at(clean, _BREAK_RE, c0, c1, keep=protected):
            if _EVENT_RE.match(clean, g1):  # 天津港特别重大火灾爆炸等事故: an accident
                continue
            if partners is not None and clean[g0 - 2 : g0] == "共建":
                found = _group_projects(replace(sent, partnered=True), g0, g1, protected, study)
                out.extend(_with_partners(found, partners))
                partners = None
                continue
            with_partner = _PARTNER_RE.search(clean, max(0, g0 - 2), g0)
            partners = _partners(sent, g0, g1) if with_partner else None
            out.extend(_group_projects(sent, g0, g1, protected, study, owners))
    return out


def _partners(sent: _Sentence, g0: int, g1: int) -> list[list[MentionLike]] | None:
    """Return the places of a group made of places only, by item (汕尾陆丰市、潮州潮安区)."""
    clean = sent.doc.clean
    out: list[list[MentionLike]] = []
    for piece, _sep in _items(clean, g0, g1, ()):
        ms = [m for m in sent.mentions if piece.start <= m.start and m.end <= piece.end]
        rest = _blank(clean, piece.start, piece.end, ms, (), ())
        if not ms or rest.strip():
            return None
        out.append(ms)
    return out or None


def _with_partners(records: list[Project], partners: list[list[MentionLike]]) -> list[Project]:
    """Place the parks built with partners: one partner each when they pair, else all.

    携手陆丰市、潮安区共建临港产业园、康佳半导体产业园: 临港 with 陆丰, 康佳 with 潮安.
    """
    parks = [r for r in records if r.kind == "industrial_park"]
    out = []
    for r in records:
        if r.kind != "industrial_park":
            out.append(r)
            continue
        ms = partners[parks.index(r)] if len(parks) == len(partners) else sum(partners, [])
        codes = tuple(dict.fromkeys([u.adcode for m in ms for u in m.units] + list(r.places)))
        out.append(replace(r, places=codes, reason="" if codes else r.reason))
    return out


def _route_of(
    clean: str, mentions: Sequence[MentionLike], triggers: Sequence[_Trigger]
) -> list[tuple[int, int]]:
    """Find the 的 between a route and its type word (宝鸡到成都的铁路): it ends no name."""
    starts = {t.start for t in triggers}
    out = []
    for m, n in zip(mentions, mentions[1:], strict=False):
        if (
            _CONNECTOR_RE.match(clean[m.end : n.start])
            and clean[n.end : n.end + 1] == "的"
            and n.end + 1 in starts
        ):
            out.append((n.end, n.end + 1))
    return out


def _owners(
    clean: str, s0: int, s1: int, mentions: Sequence[MentionLike], triggers: Sequence[_Trigger]
) -> dict[int, tuple[int, list[MentionLike]]]:
    """Find the 的 of places that own the list items after them, with those places.

    Older plans list facilities by where they lie: 浙江的新安江和百丈祭、四川灌县的紫坪铺等
    水电站.  A 的 right after the places that open a list item, followed by a name before the
    item ends, joins them to the item instead of ending a name; the places are those of the
    item and of the items joined to it by 和 (百丈祭 lies in 浙江 too).  No function word
    cuts the name after the 的 (以礼河).
    """
    out: dict[int, tuple[int, list[MentionLike]]] = {}  # 的 → (end of its name, places)
    at = {m.end: m for m in mentions}
    for d in re.finditer("的", clean[s0:s1]):
        pos = s0 + d.start()
        owned: list[MentionLike] = []
        cur = pos
        while cur in at and at[cur].start < cur:
            owned.insert(0, at[cur])
            cur = at[cur].start
        if not owned or (cur > s0 and clean[cur - 1] not in "、，,：:；;和及"):
            continue
        # a name follows before the item ends (not 湖北的港口建设: a type word talked about)
        nxt = _ITEM_SEP_RE.search(clean, pos + 1, s1)
        item_end = nxt.start() if nxt else s1
        stop = re.search("[，,。；;：:]", clean[pos + 1 : item_end])
        name = clean[pos + 1 : pos + 1 + stop.start() if stop else item_end]
        # the name is a list item sharing a type word after it (not 新疆的兰新铁路)
        if any(pos < t.start < pos + 1 + len(name) for t in triggers):
            continue
        verb = _BREAK_RE.match(name)
        if _is_named(_GENERIC_RE.sub("", name)) and not (verb and len(verb.group()) > 1):
            out[pos] = (pos + 1 + len(name), owned)
    return out


def _placed_enterprise(sent: _Sentence, piece: _Piece) -> bool:
    """Whether a list item is a place and a long name of its own (台州清陶锂电池)."""
    starts = [m for m in sent.mentions if m.start == piece.start]
    if not starts:
        return False
    first = max(starts, key=lambda m: m.end)
    rest = _blank(sent.doc.clean, first.end, piece.end, sent.mentions, sent.names, sent.triggers)
    return len(re.findall(f"[{_CJK}]", rest)) >= _ENTERPRISE_CHARS


def _group_projects(
    sent: _Sentence,
    g0: int,
    g1: int,
    protected: Sequence[tuple[int, int]],
    study: re.Match[str] | None,
    owners: dict[int, tuple[int, list[MentionLike]]] | None = None,
) -> list[Project]:
    """Read the records of one group: list items with their own or a shared type word.

    Items with no type word of their own share the next one (襄阳至南漳、……等高速公路,
    乌拉哈达、娄里、青山水库, 武汉、长株潭都市圈), unless a plain type word after 等
    comes later for them (漳河水库、东风渠、王英水库、颜家台等大型灌区: 东风渠 is a 灌区).
    A named type word is not shared across 等 (武汉等长江经济带).
    """
    clean, triggers = sent.doc.clean, sent.triggers
    items = []
    for piece, sep in _items(clean, g0, g1, protected):
        heads = [t for t in triggers if piece.start <= t.start and t.end <= piece.end]
        items.append((piece, sep, _head_of(heads, clean, piece.start) if heads else None))
    for i, (piece, sep, head) in enumerate(items):
        # 上海港-洛杉矶港、……等绿色航运走廊: two facilities joined by a dash are the ends
        # of a route that takes the type word after them
        heads = [t for t in triggers if piece.start <= t.start and t.end <= piece.end]
        if (
            head is not None
            and len(heads) >= 2
            and heads[-2].kind == head.kind
            and _CONNECTOR_IN_RE.search(clean, heads[-2].end, head.start)
            and any(h is not None for _, _, h in items[i + 1 :])
        ):
            items[i] = (piece, sep, None)
        # 官路、双堠水库: one character and 路 is a name, not a road, in a list of others
        elif (
            head is not None
            and clean[head.start : head.end] == "路"
            and piece.end - piece.start == _ONE_CHAR_ROAD
            and head.end == piece.end
            and any(h is not None for _, _, h in items[i + 1 :])
        ):
            items[i] = (piece, sep, None)
        # 地铁14号、16号线: a number after a type word waits for the line word after it
        elif (
            head is not None
            and re.fullmatch(r"[A-Za-z]?\d+号?", clean[head.end : piece.end])
            and any(h is not None for _, _, h in items[i + 1 :])
        ):
            items[i] = (piece, sep, None)

    def plain(piece: _Piece, head: _Trigger) -> bool:
        modifier = _blank(clean, piece.start, head.start, sent.mentions, (), ())
        return not _is_named(modifier)

    out: list[Project | None] = []
    pending: list[_Piece] = []
    for i, (piece, sep, head) in enumerate(items):
        if head is None:
            pending.append(piece)
            continue
        lent = False
        if pending:
            later_plain = any(
                h is not None and s == "等" and plain(p, h) for p, s, h in items[i + 1 :]
            )
            bare = all(
                not _is_named(_blank(clean, q.start, q.end, sent.mentions, sent.names, triggers))
                for q in pending
            )
            if sep == "等":
                share = plain(piece, head)
            else:
                share = bare or plain(piece, head) or not later_plain
            # cities given a rank of hub (A、B、C等区域性综合交通枢纽) are not five stations
            if head.kind == "station" and bare and _RANK_RE.search(clean, piece.start, head.start):
                share = False
            # a type word inside a quoted phrase belongs to a slogan (“港港联动”)
            share = share and not _in_quotes(clean, piece.start, head.start)
            # a facility named after its city is no type word for a named enterprise before
            # it (台州清陶锂电池、丽水机场等项目: not 台州清陶锂电池机场)
            if share and sep == "、" and not bare and plain(piece, head):
                share = not all(_placed_enterprise(sent, q) for q in pending)
            if share and clean[head.start : head.end] not in _WORK_HEADS:
                # an item that ends in a verb is a piece of work, not a name the type word
                # completes (东部华侨城整体改造、沙头角口岸: no 整体改造口岸); a 工程 or 项目
                # does complete one (鄂北水资源配置、引江补汉等工程)
                # nor is an item headed by a noun of its own (深汕人民医院、…港: no 医院港)
                pending = [
                    q for q in pending
                    if not _has_own_head(
                        _blank(clean, q.start, q.end, sent.mentions, sent.names, triggers)
                    )
                ]
            if share:
                # an item of generic words only names nothing, even with a named type word
                # after it (改扩建工程、海文高速…段: no 工程高速…段)
                pending = [q for q in pending if _names_something(sent, q)]
            if share and pending:
                # a plain type word shares its section too: 济广、包茂等高速公路广东段
                tail_end = _tail_end(clean, piece.start, head, piece.end, sent.end)
                shared_tail = tail_end if plain(piece, head) and tail_end > head.end else None
                # the group's first item may open with a verb (抓好汕湛、广湛等高速公路)
                out.extend(
                    _record(
                        sent, q, head, True, study, tail_end=shared_tail, listed=q != items[0][0]
                    )
                    for q in pending
                )
                pending, lent = [], True
        coded = re.search(r"[A-Za-z0-9]", clean[head.start : head.end])
        if lent and not coded and plain(piece, head) and not any(
            piece.start <= m.start < head.start for m in sent.mentions
        ):
            continue  # 等高速公路广东段: the type word lent to the items is none of its own
        out.append(_record(sent, piece, head, False, study, listed=bool(sep), lent=lent))
    records = _prefix_shared(sent, [r for r in out if r is not None])
    return _owned(sent, records, owners or {}, items)


def _names_something(sent: _Sentence, piece: _Piece) -> bool:
    """Whether a list item holds a place, a curated name, a code or any word not generic.

    A character left beside generic words may be a name's (北沿江: 北 + 沿江); an item of
    one character or of generic words only (工程, 二期) is not.
    """
    if any(piece.start <= m.start and m.end <= piece.end for m in sent.mentions):
        return True
    if any(piece.start <= n.start and n.end <= piece.end for n in sent.names):
        return True
    text = sent.doc.clean[piece.start : piece.end]
    if re.search(r"[A-Za-z0-9]", text):
        return True
    return len(text) > 1 and bool(re.search(f"[{_CJK}]", _GENERIC_RE.sub("", text)))


def _opens_with_unit(sent: _Sentence, m: MentionLike, r: Project) -> bool:
    """Whether mention ``m`` opens ``r``'s name with its province's own name (河北)."""
    if m.start != r.start or m.end >= r.end or len(m.units) != 1:
        return False
    if not m.units[0].adcode.endswith("0000"):  # a province: a city's list may cross cities
        return False
    unit = sent.gaz.units.get(m.units[0].adcode)
    return unit is not None and unit.name.startswith(sent.doc.clean[m.start : m.end])


def _prefix_shared(sent: _Sentence, records: list[Project]) -> list[Project]:
    """Give the place that opens a name to the unplaced items of its kind listed after it.

    河北潘家口水库、大黑汀水库: 大黑汀水库 lies in 河北 too.  Only a province: a city's
    neighbours often open the next names (廉江核电、陆丰核电 read no 陆丰).
    """
    clean = sent.doc.clean
    out: list[Project] = []
    for r in records:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not r.places
            and r.kind == prev.kind
            and len(prev.places) == 1
            and clean[prev.end : r.start] == "、"
            and not _CONNECTOR_IN_RE.search(prev.name + r.name)  # routes have their own
            and any(_opens_with_unit(sent, m, prev) for m in sent.mentions)
        ):
            r = replace(r, places=prev.places, reason="")
        out.append(r)
    return out


def _owned(
    sent: _Sentence,
    records: list[Project],
    owners: dict[int, tuple[int, list[MentionLike]]],
    items: Sequence[tuple[_Piece, str, _Trigger | None]],
) -> list[Project]:
    """Name owned items without their owner, and place the items joined to them.

    浙江的新安江 → 新安江水电站; 百丈祭 after 和 lies in 浙江 too.
    """
    if not owners:
        return records
    owner_of: dict[int, tuple[int, list[MentionLike]]] = {}  # item start → (的, places)
    current: tuple[int, list[MentionLike]] | None = None
    for piece, sep, _head in items:
        own = next(
            ((d, ms) for d, (_, ms) in owners.items() if piece.start < d < piece.end), None
        )
        if own is not None:
            current = own
        elif sep not in ("和", "及", "以及"):
            current = None
        if current is not None:
            owner_of[piece.start] = current
    out = []
    for r in records:
        found = owner_of.get(r.start)
        if found is None:
            out.append(r)
            continue
        d, ms = found
        codes = tuple(dict.fromkeys(u.adcode for m in ms for u in m.units))
        if r.start < d:
            r = replace(r, name=r.name[d + 1 - r.start :])
        elif not r.places:
            r = replace(r, places=codes, reason="")
        out.append(r)
    return out


def _head_of(heads: Sequence[_Trigger], clean: str, start: int) -> _Trigger:
    """Return the type word that says what an item is.

    The last one (湘桂铁路柳州枢纽 is a station, 厦门港翔安泊位 a port), unless that one is
    a role any line may play (通道: 龙川至寻乌高速公路出省通道 is an expressway).
    """
    # a type word inside brackets explains the name (立宝航空煤油管道（东莞立沙岛－深圳机场）)
    outside = [t for t in heads if not _in_brackets(clean, start, t.start)] or list(heads)
    last = outside[-1]
    if len(outside) > 1 and last.role and outside[-2].kind in LINE_KINDS:
        return outside[-2]
    return last


def _in_quotes(clean: str, start: int, pos: int) -> bool:
    stretch = clean[start:pos]
    return stretch.count("“") > stretch.count("”")


def _in_brackets(clean: str, start: int, pos: int) -> bool:
    depth = 0
    for ch in clean[start:pos]:
        if ch in _OPEN_BRACKETS:
            depth += 1
        elif ch in "）)】]":
            depth = max(depth - 1, 0)
    return depth > 0


def _record(
    sent: _Sentence,
    piece: _Piece,
    head: _Trigger,
    shared: bool,
    study: re.Match[str] | None,
    *,
    listed: bool = False,
    tail_end: int | None = None,
    lent: bool = False,
) -> Project | None:
    """Make the record of one item, or None when it names nothing specific.

    ``tail_end``: where the shared type word's own tail ends (济广、包茂等高速公路广东段:
    every item is a 广东段).
    """
    doc, gaz = sent.doc, sent.gaz
    clean, text = doc.clean, doc.text
    kind = head.kind
    tail_start = head.end
    if shared and tail_end is not None and _inside_section(sent, piece, head.end, tail_end):
        tail_end = None  # 兰合、…和西成铁路甘肃段: 兰合 lies in 甘肃 whole, the 段 is 西成's
    if shared:
        a, b = piece.start, piece.end
        modifier_end = b
        tail_start = b
    else:
        a = piece.start
        # 船务“港港联动”: a name does not reach back over the quote that opens it
        if _in_quotes(clean, a, head.start):
            a = clean.rindex("“", a, head.start) + 1
        # 枝江纳入宜昌都市圈: the name starts after a verb that a place follows
        # (places blanked first: jieba reads 怀化 as a verb)
        blanked = _blank(clean, a, head.start, sent.mentions, sent.names, ())
        for end in reversed(_verb_ends(blanked)):
            if any(a + end <= m.start < head.start for m in sent.mentions):
                a += end
                break
        b = _tail_end(clean, a, head, piece.end, sent.end)
        # 鄂北水资源配置枣阳市分水口配套工程: a part of the project named by its place
        # runs on to the 工程 that ends the item
        if (
            _WORKS_END_RE.search(clean, b, piece.end)
            and any(b <= m.start and m.end <= piece.end for m in sent.mentions)
            and not any(b <= t.start < piece.end for t in sent.triggers)
        ):
            b = piece.end
        modifier_end = head.start
    # 湘桂铁路柳州枢纽: the places of a line do not locate a station on it
    located = a
    if not shared and head.kind in POINT_KINDS:
        lines = [t for t in sent.triggers if a <= t.start and t.end <= head.start]
        located = max((t.end for t in lines if t.kind in LINE_KINDS), default=a)
    in_span = [m for m in sent.mentions if located <= m.start and m.end <= b]
    if shared and tail_end is not None:
        in_span += [m for m in sent.mentions if head.end <= m.start and m.end <= tail_end]
        tail_start = head.end
    in_names = [n for n in sent.names if a <= n.start and n.end <= b]
    if shared:
        # 武汉、长株潭都市圈: the first item with the shared type word may be a defined area
        joined = core_name(clean[a:b] + clean[head.start : head.end])
        in_names += [
            NameMatch(a, b, n.entry)
            for n in find_names(joined)
            if n.start == 0 and n.end == len(joined) and isinstance(n.entry, NamedArea)
        ]
    # a national strategy (长江经济带, 西部陆海新通道) is the frame of projects, not one
    if any(isinstance(n.entry, NamedArea) and n.entry.strategy for n in in_names):
        return None
    places, site, landmark, line = _places(kind, in_span, in_names, clean, gaz, tail_start)
    if shared and kind == "metro_circle" and not _circle_of_one_city(places, in_names, gaz):
        return None  # 京津冀、长三角、粤港澳大湾区: no 京津冀大湾区
    reason = ""
    end_of_name = tail_end if shared and tail_end is not None else b
    if not places and not (sent.partnered and kind == "industrial_park"):
        modifier = _blank(clean, a, modifier_end, sent.mentions, (), ())
        # a type word that is itself a name (西气东输, 引江济淮, 3号线, G331) names the
        # project, and so does a phase or a section of it (机场三期, 沿江高速二期)
        if not (
            _is_named(_noun_tail(_GENERIC_RE.sub(" ", modifier)))
            or _proper_before_generic(modifier)
            or _TRANSFER_RE.search(clean, a, max(modifier_end, head.end))
            # a numbered runway or terminal (机场三跑道, 二号航站楼)
            or (
                not shared
                and _ORDINAL_FACILITY_RE.match(clean, head.start)
                and _ORDINAL_END_RE.search(clean, a, head.start)
            )
            or re.search(r"[A-Za-z0-9]", clean[head.start : head.end])
            # (unless the type word was lent to the items before: 济广、包茂等高速公路广东段)
            or (not lent and _PHASE_RE.search(clean, head.end, end_of_name))
        ):
            return None
        reason = "names no admin unit of the gazetteer"
    if not listed:
        # the first item of a group may start with words that are not its name, whether
        # it has its own type word or shares the next one (新增南雄至信丰、…高速公路)
        a = _name_start(sent, a, modifier_end)
    name = text[a:b]
    if shared and not name.endswith(text[head.start : head.end]):
        shared_word = text[head.start : end_of_name if tail_end else head.end]
        if re.search(r"[\dA-Za-z号]$", name):  # 17号、33号线: 17号线, not 17号33号线
            code = r"^[A-Za-z]?\d+号" if name.endswith("号") else r"^[A-Za-z]?\d+"
            shared_word = re.sub(code, "", shared_word)
        name += shared_word
    name = re.sub(r"[“”‘’\"]", "", name)
    reading = read_status(clean, (sent.start, sent.end), (a, b), study)
    return Project(
        id=record_id(doc.name, a, b, kind),
        name=name,
        kind=kind,
        places=places,
        doc=doc.name,
        start=a,
        end=b,
        sentence=sent.text,
        sent_start=sent.start,
        status=reading.status,
        verb=reading.verb,
        target_year=reading.year,
        plan_period=sent.year,
        site=site,
        landmark=landmark,
        line=line,
        reason=reason,
    )


def _inside_section(sent: _Sentence, piece: _Piece, t0: int, t1: int) -> bool:
    """Whether an item's own places all lie in the units of a section lent to it.

    A line that lies wholly in the section's unit has no such section: the section after
    a shared type word belongs to the items that cross out of it.
    """
    own = [u.adcode for m in sent.mentions if piece.start <= m.start < piece.end for u in m.units]
    tail = [u.adcode for m in sent.mentions if t0 <= m.start and m.end <= t1 for u in m.units]
    return bool(own and tail) and all(
        any(c == t or t in sent.gaz.ancestors(c) for t in tail) for c in own
    )


def _tail_end(clean: str, start: int, head: _Trigger, piece_end: int, limit: int) -> int:
    """Where a name ends: after its type word, closing brackets, a code, phase or section."""
    b = _close_brackets(clean, start, head.end, limit)
    tail = _TAIL_RE.match(clean, b, piece_end)
    if tail is not None and tail.end() > b:
        b = _close_brackets(clean, start, tail.end(), limit)
    return b


def _chain_before_segment(
    mentions: Sequence[MentionLike], clean: str
) -> list[MentionLike] | None:
    """Return the mentions joined by 至/—/- right before 段 (沪渝高速武汉至黄石段), if any."""
    best: list[MentionLike] | None = None
    chain: list[MentionLike] = []
    for m in mentions:
        if chain and _CONNECTOR_RE.match(clean[chain[-1].end : m.start]):
            chain.append(m)
        else:
            chain = [m]
        if len(chain) >= 2 and clean[m.end : m.end + 1] == "段":
            best = list(chain)
    return best


def _places(
    kind: str,
    mentions: Sequence[MentionLike],
    names: Sequence[NameMatch],
    clean: str,
    gaz: Gazetteer,
    tail_start: int | None = None,
) -> tuple[tuple[str, ...], str, str, bool]:
    """Adcodes an item joins or lies in, with the curated site or landmark that helped.

    A line named with a section after its type word (沪渝蓉高铁上海段, 阿深高速(驻马店段),
    新阳高速(新蔡至泌阳), 渝昆高铁渝宜段) takes the section's places only.
    """
    site, landmark, line = "", "", False
    # a place inside a curated facility name that is not where the facility is, is part
    # of the name (天河 in 天河机场 is not 天河区)
    kept: list[MentionLike] = []
    for m in mentions:
        owner = next((n for n in names if n.start <= m.start and m.end <= n.end), None)
        if isinstance(owner, NameMatch) and isinstance(owner.entry, Facility):
            if not any(_related(u.adcode, owner.entry.adcode, gaz) for u in m.units):
                continue
        kept.append(m)
    segment = _chain_before_segment(kept, clean)
    in_tail = [m for m in kept if tail_start is not None and m.start >= tail_start]
    if segment is None and in_tail and (kind in LINE_KINDS or kind == "bridge"):
        segment = in_tail
    chosen = segment if segment is not None else kept
    codes: list[str] = []
    for m in chosen:
        for u in m.units:
            if u.adcode not in codes:
                codes.append(u.adcode)

    area = next((n.entry for n in names if isinstance(n.entry, NamedArea)), None)
    if area is not None and (kind in AREA_KINDS or kind in MEMBER_KINDS):
        return area.members, area.key, "", False

    for n in names:
        entry = n.entry
        if isinstance(entry, Facility):
            if not codes or all(_related(entry.adcode, c, gaz) for c in codes):
                if entry.adcode not in codes:
                    codes.append(entry.adcode)
                site = entry.key
            elif entry.kind == kind:
                site = entry.key
        elif isinstance(entry, Landmark) and entry.shape == "point":
            if not codes:
                codes.extend(entry.adcodes)
                landmark = entry.name
            elif all(_related(entry.adcodes[0], c, gaz) for c in codes):
                if entry.adcodes[0] not in codes:
                    codes.append(entry.adcodes[0])
    if not codes:
        river = next(
            (n.entry for n in names if isinstance(n.entry, Landmark) and n.entry.shape == "line"),
            None,
        )
        if river is not None and kind in ("waterway", "corridor", "water", "ecology"):
            codes.extend(river.adcodes)
            landmark, line = river.name, True
    return tuple(codes), site, landmark, line
