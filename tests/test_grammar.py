"""The project grammar, one failure class at a time, on sentences from plans across China.

Every sentence comes from the corpus of government work reports (Shandong, Shenzhen's
districts, Hebei, Guangdong, Jiangxi, ...), not from the seeds; mentions are given by hand
so the cases test the grammar whatever the place recogniser reads.
"""

from __future__ import annotations

import pytest

from tests.test_projects import records

SZ, BA, LH = ("440300",), ("440306",), ("440309",)


def named(text, spec):
    return [(r.kind, r.name, r.places) for r in records(text, spec)]


# --------------------------------------------------------------------------- boundaries


@pytest.mark.parametrize(
    ("text", "spec", "expected"),
    [
        (  # a designation after the name: 纳入 ends it, the class named after it is generic
            "积极争取泰安、德州机场纳入全国民用运输机场布局。",
            [("泰安", ("370900",)), ("德州", ("371400",))],
            [("airport", "泰安机场", ("370900",)), ("airport", "德州机场", ("371400",))],
        ),
        (  # a count between the items and their shared type word reads as 等
            "尖岗山—石岩南、铁仔山、新桥东3个高新区为支撑。",
            [],
            [
                ("industrial_park", "尖岗山—石岩南高新区", ()),
                ("industrial_park", "铁仔山高新区", ()),
                ("industrial_park", "新桥东高新区", ()),
            ],
        ),
        (  # 之一 ends what comes before: the institute's name starts after it
            "市十大基础研究机构之一中国科学院深圳先进电子材料国际创新研究院落户。",
            [("深圳", SZ)],
            [("science", "中国科学院深圳先进电子材料国际创新研究院", SZ)],
        ),
        (  # a length is a count: 950公里 is no name
            "新开工梅州至平远等15项950公里高速公路项目。",
            [("梅州", ("441400",)), ("平远", ("441426",))],
            [("expressway", "梅州至平远高速公路", ("441400", "441426"))],
        ),
        (  # 和 joins list items that share a type word
            "开工洋县至西乡和镇巴至陕川界等高速项目。",
            [("洋县", ("610723",)), ("西乡", ("610724",)), ("镇巴", ("610728",))],
            [
                ("expressway", "洋县至西乡高速", ("610723", "610724")),
                ("expressway", "镇巴至陕川界高速", ("610728",)),
            ],
        ),
        (  # a year is a date, not part of a name
            "2015-2020年襄阳高新区生产总值年均增长9%。",
            [("襄阳", ("420600",))],
            [("industrial_park", "襄阳高新区", ("420600",))],
        ),
    ],
)
def test_names_end_at_verbs_counts_and_dates(text, spec, expected):
    assert named(text, spec) == expected


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("龙华区获评大湾区服务企业“卓越贡献奖”。", [("龙华区", LH)]),  # an award
        (  # an event
            "办好2017深圳宝安国际马拉松赛、广东省龙舟锦标赛等一批高水平赛事。",
            [("深圳", SZ), ("宝安", BA), ("广东省", ("440000",))],
        ),
        ("真正实现市市通高铁、县县通高速。", []),  # every city, every county: a slogan
        ("推动关务、港务、船务“港港联动”。", []),  # a type word twice is no name
        (  # 作 is a verb: 作基地、作枢纽 are roles, not a hub
            "在服务国内国际双循环中作基地、作平台、作通道、作枢纽。",
            [],
        ),
        (  # a port's throughput is a statistic, not the port as a project
            "南沙港集装箱吞吐量突破2000万标箱。",
            [],
        ),
    ],
)
def test_awards_events_and_slogans_are_not_projects(text, spec):
    assert records(text, spec) == []


# --------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("text", "spec", "expected"),
    [
        (  # the last type word says what it is; the line's places do not locate it
            "完成湘桂铁路柳州枢纽扩能改造。",
            [("湘桂", ("430000", "450000")), ("柳州", ("450200",))],
            [("station", ("450200",))],
        ),
        (  # a type word in brackets explains; the places in them are the pipeline's ends
            "加快立宝航空煤油管道（东莞立沙岛－深圳机场）工程前期工作。",
            [("东莞", ("441900",)), ("深圳", SZ)],
            [("pipeline", ("441900", "440300"))],
        ),
        (  # 通道 is a role of the expressways, not a kind of their own
            "新增南雄至信丰、龙川至寻乌2条高速公路出省通道。",
            [
                ("南雄", ("440282",)),
                ("信丰", ("360722",)),
                ("龙川", ("441622",)),
                ("寻乌", ("360734",)),
            ],
            [("expressway", ("440282", "360722")), ("expressway", ("441622", "360734"))],
        ),
        (  # 高速路 is an expressway, not a road
            "梅观高速等6条高速路取消收费。",
            [],
            [("expressway", ())],
        ),
        (  # a place read across a type word's edge (惠城 in 深惠城际) gives way to it
            "积极推进深惠城际、深大城际等跨市轨道交通项目建设。",
            [("深惠", ("440300", "441300")), ("惠城", ("441302",)), ("深大", SZ)],
            [("railway", ("440300", "441300")), ("railway", SZ)],
        ),
        (  # two ports joined by a dash are the ends of the corridor after them
            "推进上海港-洛杉矶港、上海港-汉堡港等绿色航运走廊建设。",
            [("上海", ("310000",)), ("上海", ("310000",))],
            [("corridor", ("310000",)), ("corridor", ("310000",))],
        ),
    ],
)
def test_kind_from_the_type_word_that_ends_the_name(text, spec, expected):
    assert [(r.kind, r.places) for r in records(text, spec)] == expected


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("提升襄阳、宜昌、荆州等区域性综合交通枢纽建设水平。",
         [("襄阳", ("420600",)), ("宜昌", ("420500",)), ("荆州", ("421000",))]),
        ("加快重点口岸扩能改造提升。", []),  # generic
        ("发挥城市群辐射带动作用。", []),
        ("加快高速公路建设，完善铁路网。", []),
        ("西安地铁运营里程超过400公里。", [("西安", ("610100",))]),  # a figure of a line
        ("畅通西部陆海新通道，推动长江经济带发展。", []),  # national strategies
        ("依托长江经济带，融入“一带一路”建设。", []),
        # 带来 and 带动 are verbs, not the 带 of a belt (from ../shared/corpus)
        ("新冠肺炎疫情对经济社会发展带来了巨大压力。", []),
        ("坚持工业反哺农业、城市带动农村。", []),
        # levels of government are no name; a 开发区域 is a kind of area, no park
        ("国家省市各类实验室、工程中心等创新载体累计达25家。", []),
        ("加大重大项目用地和重点开发区域的土地整备力度。", []),
        # a road's surface and bed are no road; a figure is no name; 精品 is generic
        ("将水泥混凝土路面改建为沥青混凝土路面。", []),
        ("引导市县实施行政村窄路基路面改造。", []),
        ("全市新增有效灌溉面积113万亩、公路通车里程880公里。", []),
        ("打造旅游精品景区。", []),
        ("坚持改革闯新路，走出一条新路。", []),  # a new path is a slogan
    ],
)
def test_generic_mentions_roles_and_strategies_are_not_projects(text, spec):
    assert records(text, spec) == []


# --------------------------------------------------------------------------- items


@pytest.mark.parametrize(
    ("text", "spec", "expected"),
    [
        (  # bare names share the next type word
            "乌拉哈达、娄里、青山水库等重大水利工程启动建设。",
            [],
            ["乌拉哈达水库", "娄里水库", "青山水库"],
        ),
        (
            "支持紫金山、太湖、钟山、云龙湖实验室承担更多国家重大科技任务。",
            [],
            ["紫金山实验室", "太湖实验室", "钟山实验室", "云龙湖实验室"],
        ),
        (  # a line number names its line
            "加快地铁3号线东延段前期工作，力争地铁10号线建设全面启动。",
            [],
            ["地铁3号线东延段", "地铁10号线"],
        ),
        (  # a phase makes a generic name specific
            "机场三期改扩建工程开工。",
            [],
            ["机场三期"],
        ),
        (  # a route code is a name: three digits a national road
            "沈白高铁、大水网工程、G331及一批道路工程顺利推进。",
            [("沈", ("210100",))],
            ["沈白高铁", "G331"],
        ),
        (  # 和 right before 至 ends a place name (乌兰布和), it joins no list
            "加快推进库布其至上海、乌兰布和至京津冀鲁外送通道建设。",
            [("上海", ("310000",))],
            ["库布其至上海外送通道", "乌兰布和至京津冀鲁外送通道"],
        ),
        (  # a numbered runway or terminal names an airport's works
            "加快规划建设机场第三跑道、T4航站楼。",
            [],
            ["机场第三跑道", "T4航站楼"],
        ),
        (  # a name fused with a generic word (昭平台: 昭 + 平台) is still a name
            "推进昭平台水库扩容、白龟山水库除险加固。",
            [],
            ["昭平台水库", "白龟山水库"],
        ),
        ("支持在京国家实验室承担国家科技重大专项。", [], []),
        (  # a route does not end at one character: 和 ends the place (清水驿至忠和)
            "建成清水驿至忠和、武威至仙米寺等高速（一级）公路。",
            [("武威", ("620600",))],
            ["清水驿至忠和高速（一级）公路", "武威至仙米寺高速（一级）公路"],
        ),
        ("市场化实施三大高速公路新通道项目14个。", [], []),  # a count of great ones
        (  # a province that opens a name places the unplaced items of its kind after it
            "建成河北潘家口水库、大黑汀水库和天津引滦输水工程。",
            [("河北", ("130000",)), ("天津", ("120000",))],
            [
                ("河北潘家口水库", ("130000",)),
                ("大黑汀水库", ("130000",)),
                ("天津引滦输水工程", ("120000",)),
            ],
        ),
        (  # one character and 路 in a list is a name sharing the type word after it
            "完成官路、双堠水库主体工程，加快中皋水利枢纽前期工作。",
            [],
            ["官路水库", "双堠水库", "中皋水利枢纽"],
        ),
        (  # parks built with partners: the partners place them, one each when they pair
            "携手汕尾陆丰市、潮州潮安区共建临港产业园、康佳半导体产业园取得新进展。",
            [
                ("汕尾", ("441500",)),
                ("陆丰市", ("441581",)),
                ("潮州", ("445100",)),
                ("潮安区", ("445103",)),
            ],
            [("临港产业园", ("441500", "441581")), ("康佳半导体产业园", ("445100", "445103"))],
        ),
        (  # a generic park built with a partner is a project of the partner's
            "推进与南澳县共建特色产业园。",
            [("南澳县", ("440523",))],
            [("特色产业园", ("440523",))],
        ),
        (  # a named enterprise before a city's facility does not take its type word
            "确保台州清陶锂电池、丽水机场等项目建成投运。",
            [("台州", ("331000",)), ("丽水", ("331100",))],
            ["丽水机场"],
        ),
        (  # a city's own name for its airport does
            "推进武汉天河、宜昌三峡机场建设。",
            [("武汉", ("420100",)), ("宜昌", ("420500",))],
            ["武汉天河机场", "宜昌三峡机场"],
        ),  # a place + a rank: a class
        (  # a phase inside a works word (防洪二期工程), an aqueduct (输水工程)
            "开工黄河干流防洪二期工程，建成天津引滦输水工程。",
            [("天津", ("120000",))],
            ["黄河干流防洪二期工程", "天津引滦输水工程"],
        ),
    ],
)
def test_items_and_their_names(text, spec, expected):
    got = records(text, spec)
    if expected and isinstance(expected[0], tuple):
        assert [(r.name, r.places) for r in got] == expected
    else:
        assert [r.name for r in got] == expected


@pytest.mark.parametrize(
    ("text", "spec", "expected"),
    [
        (  # a route through a stop: 经
            "新建北京经九江至深圳、南宁至昆明、宝鸡至中卫等铁路干线。",
            [
                ("北京", ("110000",)),
                ("九江", ("360400",)),
                ("深圳", SZ),
                ("南宁", ("450100",)),
                ("昆明", ("530100",)),
                ("宝鸡", ("610300",)),
                ("中卫", ("640500",)),
            ],
            [
                ("railway", ("110000", "360400", "440300")),
                ("railway", ("450100", "530100")),
                ("railway", ("610300", "640500")),
            ],
        ),
        (  # a section named by one place takes that place only
            "推进沪渝蓉高铁上海段建设。",
            [("沪渝蓉", ("310000", "500000", "510100")), ("上海", ("310000",))],
            [("railway", ("310000",))],
        ),
        (  # a section in brackets, a pair or a single place
            "阿深高速(驻马店段)、新阳高速(新蔡至泌阳)等9个交通项目。",
            [
                ("阿深", ("652900", "440300")),
                ("驻马店", ("411700",)),
                ("新阳", ("410700", "411500")),
                ("新蔡", ("411729",)),
                ("泌阳", ("411726",)),
            ],
            [("expressway", ("411700",)), ("expressway", ("411729", "411726"))],
        ),
        (  # a plain type word shares its section with every item
            "抓好济广、包茂、大广等高速公路广东段和虎门二桥等项目续建。",
            [
                ("济广", ("370100", "440100")),
                ("包茂", ("150200", "440900")),
                ("大广", ("130600", "440100")),
                ("广东", ("440000",)),
                ("虎门", ("441900",)),
            ],
            [
                ("expressway", ("440000",)),
                ("expressway", ("440000",)),
                ("expressway", ("440000",)),
                ("bridge", ("441900",)),
            ],
        ),
        (  # places in the 工程 that ends the item are the project's
            "协调推进鄂北水资源配置枣阳市分水口配套工程建设。",
            [("枣阳市", ("420683",))],
            [("water", ("420683",))],
        ),
    ],
)
def test_routes_and_sections(text, spec, expected):
    assert [(r.kind, r.places) for r in records(text, spec)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("推动扬子江城市群融合发展。", ["扬子江城市群"]),
        ("进一步完善天山北坡城市群大气环境污染联防联控机制。", ["天山北坡城市群"]),
        ("强化都市圈带动作用。", []),
    ],
)
def test_clusters_named_without_a_member_are_kept(text, expected):
    recs = records(text, [])
    assert [r.name for r in recs] == expected
    assert all(r.kind == "metro_circle" and r.reason for r in recs)


@pytest.mark.parametrize(
    ("text", "spec", "expected"),
    [
        ("地铁14号、16号线和云轨旅游专线试验线一期动工建设。", [], ["地铁14号线", "16号线"]),
        ("2号、3号线前期工作加快推进。", [], ["2号线", "3号线"]),
    ],
)
def test_numbered_lines_share_their_word_not_their_number(text, spec, expected):
    assert [r.name for r in records(text, spec)][: len(expected)] == expected


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("让数据“多走路”、群众“少跑腿”。", []),  # 路 of a saying
        ("牵引带动“一核一带一区”在各自跑道上赛龙夺锦。", []),  # a race track, not a runway
        ("拓展深港合作新空间。", [("深港", ("440300", "810000"))]),  # 港 of 香港 in a compound
    ],
)
def test_type_characters_in_sayings_and_compounds_are_not_type_words(text, spec):
    assert records(text, spec) == []


# A DC transmission line is named by the places it joins, often in quotes: the type word
# 直流 follows a place compound or a quoted name, whatever the places are.
@pytest.mark.parametrize(
    ("text", "name", "places"),
    [
        ("推动“青豫直流”送电能力提升。", "青豫直流", ("630000", "410000")),
        ("推进“哈密至重庆”直流建设。", "哈密至重庆直流", ("650500", "500000")),
        ("推动“青桂直流”前期工作。", "青桂直流", None),
    ],
)
def test_dc_lines_named_by_their_ends(text: str, name: str, places) -> None:
    from geo.projects import extract_projects
    from geo.text import document_from_text

    found = [(p.name, p.kind, p.places) for p in extract_projects(document_from_text(text))]
    assert [(n, k) for n, k, _ in found] == [(name, "power")]
    if places is not None:
        assert found[0][2] == places


def test_a_bare_dc_technology_is_no_project() -> None:
    from geo.projects import extract_projects
    from geo.text import document_from_text

    assert extract_projects(document_from_text("发展储能、直流配电等新技术。")) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a piece of work in a list is no name the next type word completes (../shared/corpus)
        ("全力推进盐田港东港区建设、东部华侨城整体改造、沙头角口岸重建。",
         ["盐田港东港区", "沙头角口岸"]),
        ("推进梧桐山隧道扩建、沙头角口岸等项目。", ["梧桐山隧道", "沙头角口岸"]),
        # a 工程 does complete one: 水资源配置工程
        ("加快鄂北水资源配置、引江补汉等工程建设。", ["鄂北水资源配置", "引江补汉"]),
        # nor one headed by a noun of its own (geo/data/head_nouns.csv)
        ("加快建设乐高乐园、龙岐湾度假区、金沙湾国际乐园、小梅沙亲海度假区。",
         ["龙岐湾度假区", "小梅沙亲海度假区"]),
        ("开工建设深汕人民医院、港大深圳医院二期、小漠港。", ["小漠港"]),
        # 港 for Hong Kong is no port: 港货, 港人港税
        ("探索设立免税店、港货销售店，落实港人港税政策。", []),
        ("全面落实爱国者治港原则。", []),
        # a list of ports keeps each
        ("推进湛江港、茂名港、阳江港建设。", ["湛江港", "茂名港", "阳江港"]),
        # abstract nouns and city concepts head no project
        ("雄安新区带来的辐射带动机遇、北京大兴国际机场新引擎。", ["北京大兴国际机场"]),
        ("推动海绵城市、大公园系统、绿道网络和市政综合管廊建设。", []),
        # people, paths, institutes and parks take no lent type word; 城镇 is generic
        ("构建步道、绿道、廊道、碧道一体的慢行系统。", []),
        ("引进中国农业科学院兰州兽医研究所、浙江大学大湾区研究院等科研机构。",
         ["浙江大学大湾区研究院"]),
        ("国际友好城市公园、坝光银叶树湿地公园等加快建设。", ["坝光银叶树湿地公园"]),
        ("加强城镇和工业园区污水收集处理设施建设。", []),
        # 桥底 is under a bridge; an enumerator opens a point
        ("整治西部通道桥底等区域乱停车现象。", ["西部通道"]),
        ("二是京南现代产业基地。", ["京南现代产业基地"]),
        # a route code before its own type word is part of the name (../shared/corpus)
        ("开工建设G3033奎屯至独山子至库车高速公路、乔诺水库等项目。",
         ["G3033奎屯至独山子至库车高速公路", "乔诺水库"]),
        # 深港 is Shenzhen and Hong Kong, no port
        ("加快人民南深港融合消费街区建设。", []),
        # a circle's type word makes cities' circles, not a region's (../shared/corpus)
        ("支持京津冀、长三角、粤港澳大湾区等经济发展优势区域。", ["粤港澳大湾区"]),
        ("制定实施广州、深圳、汕潮揭、湛茂都市圈发展规划。",
         ["广州都市圈", "深圳都市圈", "汕潮揭都市圈", "湛茂都市圈"]),
    ],
)
def test_an_item_ending_in_a_verb_takes_no_shared_type_word(text, names):
    from geo.extraction import extract_document
    from geo.text import document_from_text

    _, found = extract_document(document_from_text(text))
    assert [r.name for r in found] == names
