"""What the demo town's resident services hold (`demo.care`): the catalogue, the stations' words,
the soup rules, the volunteers from outside the registry, the mass organisations and their
activities, the welfare observations that raised matters. Figures and names only; dates are
counted back from the day of loading."""

from __future__ import annotations

import datetime as dt

SEED = 20260917
WINDOW_DAYS = 91  # about a quarter year of requests, three months of soup rounds

# (name, time limit in working days, description)
CATALOGUE: tuple[tuple[str, int, str], ...] = (
    ("医保参保缴费", 3, "城乡居民医保参保登记、缴费、异地就医备案"),
    ("养老保险资格认证", 1, "城乡居民养老保险待遇领取资格认证"),
    ("证明开具", 1, "居住、亲属关系、困难情况等证明"),
    ("高龄津贴申领", 5, "80 周岁以上老人高龄津贴申请"),
    ("残疾人补贴申领", 5, "困难残疾人生活补贴、重度残疾人护理补贴"),
    ("低保救助申请", 10, "最低生活保障、临时救助申请受理"),
    ("代办跑腿", 2, "为老人、残疾人代办镇、县事项"),
    ("水电缴费代办", 1, "水费、电费、话费代缴"),
)
# How often each service is asked for (same order as the catalogue).
ITEM_WEIGHTS = (18, 16, 22, 6, 4, 3, 16, 15)
HOME_ITEMS = ("养老保险资格认证", "高龄津贴申领", "残疾人补贴申领", "代办跑腿", "医保参保缴费")

OPENING_HOURS = "工作日 8:30-12:00, 14:00-17:30"
STATION_STAFF = (
    ("站长", ("13807162101", "13807162102", "13807162103")),
    ("代办员", ("13986541201", "13986541202", "13986541203")),
)
STAFF_NAMES = ("王桂兰", "李红梅", "张秀英", "刘建军", "陈丽华", "杨志刚", "赵春燕", "周国强", "吴晓燕", "胡新民")

CHANNEL_WEIGHTS = (("walk_in", 55), ("phone", 22), ("online", 15), ("home_visit", 8))
SATISFACTION_WEIGHTS = (("satisfied", 78), ("basically", 18), ("dissatisfied", 4))
DESCRIPTIONS = {
    "医保参保缴费": "办理明年城乡居民医保缴费",
    "养老保险资格认证": "年度领取资格认证",
    "证明开具": "开具居住证明",
    "高龄津贴申领": "老人满 80 周岁,申请高龄津贴",
    "残疾人补贴申领": "申请困难残疾人生活补贴",
    "低保救助申请": "家中变故,申请临时救助",
    "代办跑腿": "代办县医院慢特病认定材料",
    "水电缴费代办": "代缴本月电费",
}
WALK_IN_PEOPLE = (("李师傅", "13972301188"), ("外来务工人员赵某", "15107162233"), ("周女士", "13545609876"))
REFERRED_NOTE = "涉及县医保局核定,已转县政务服务中心办理"
REFUSED_NOTE = "不符合申领条件(未满 80 周岁),已向本人解释"
TO_MATTER = (
    "何梅畈村",
    "相邻两户为屋后排水沟堵塞发生争执,来站求助",
    "邻里排水沟纠纷",
)

# Soup rules: the town's, then the villages' own.
TOWN_RULES: tuple[tuple[str, int | None, bool, str], ...] = (
    ("age", 85, True, "镇党委会议决定(爱心汤实施方案)"),
    ("alone", None, False, "镇党委会议决定(爱心汤实施方案)"),
    ("disabled", None, False, "镇党委会议决定(爱心汤实施方案)"),
    ("formerly_poor", None, False, "镇党委会议决定(爱心汤实施方案)"),
)
VILLAGE_RULES: tuple[tuple[str, str, int | None, bool, str], ...] = (
    ("徐桥村", "alone", None, True, "村民代表会议决定"),
    ("发水河村", "disabled", None, True, "村民代表会议决定"),
    ("何梅畈村", "formerly_poor", None, True, "村民代表会议决定"),
)
BY_HAND_REASON = "老伴卧病在床,子女在外务工,由村里人工选定"
REMOVED_REASON = "随子女迁居县城"

# Volunteers from outside the registry: (name, phone, skills).
OUTSIDERS = (
    ("陈晓红", "13871230001", "护理"),
    ("王磊", "13871230002", "驾驶"),
    ("刘芳", "13871230003", "理发"),
    ("张伟", "13871230004", "家电维修"),
    ("李娜", "13871230005", "心理疏导"),
    ("杨帆", "13871230006", "摄影"),
    ("黄敏", "13871230007", "法律咨询"),
    ("赵磊", "13871230008", "电工"),
)
RESIDENT_SKILLS = ("做饭", "驾驶", "卫生保洁", "文艺", "农机", "理发", "护理", "")
# The volunteer of the demo account `zhiyuanzhe`: not in the registry, serving 徐桥村.
ACCOUNT_VOLUNTEER = ("刘春燕", "13807169009", "护理、做饭")
ACCOUNT_VILLAGE = "徐桥村"
TOWN_TEAM = "宋河镇青年志愿服务队"

# Activities organised as volunteer tasks: (title, place, needed, hours).
TASKS = (
    ("重阳节敬老志愿服务", "村便民服务站", 6, "3"),
    ("人居环境整治义务劳动", "村委会门前", 8, "2.5"),
    ("防溺水安全宣传", "村小学", 4, "2"),
)

# Welfare observations that raised matters: (village, round back (0 = latest), kind, note, settled).
OBSERVATIONS = (
    ("徐桥村", 0, "no_heating", "家中取暖器坏了,老人夜里受冻", False),
    ("发水河村", 4, "unwell", "老人腿脚肿痛,独自在家无人照看", True),
    ("何梅畈村", 6, "needs_help", "屋顶漏雨,需要帮忙修补", True),
)
QUIET_OBSERVATIONS = (("unwell", "感冒咳嗽,已提醒家属带去卫生室"), ("other", "念叨想孙子,陪聊了半小时"))
SETTLED_RESOLUTION = "村两委当天上门,联系村医(帮工)处理,老人家属已落实照料。"

# Mass organisations: the town's, then the villages' (village, kind, name, leader).
TOWN_ORGS = (
    ("trade_union", "宋河镇总工会", "李卫国"),
    ("youth_league", "共青团宋河镇委员会", "张晓燕"),
    ("womens_federation", "宋河镇妇女联合会", "王淑芬"),
)
VILLAGE_ORGS = (
    ("徐桥村", "womens_federation", "徐桥村妇联", "徐春兰"),
    ("徐桥村", "youth_league", "共青团徐桥村支部", "徐明"),
    ("发水河村", "womens_federation", "发水河村妇联", "施桂芳"),
    ("何梅畈村", "womens_federation", "何梅畈村妇联", "何秀珍"),
    ("何梅畈村", "youth_league", "共青团何梅畈村支部", "何勇"),
    ("宋河社区", "trade_union", "宋河社区联合工会", "陈建国"),
    ("宋河社区", "womens_federation", "宋河社区妇联", "刘桂英"),
    ("檀树村", "womens_federation", "檀树村妇联", "檀玉兰"),
)
# (org name, village, days back, title, description, participants counted)
ACTIVITIES = (
    ("宋河镇妇女联合会", "徐桥村", 80, "“巾帼家美积分超市”兑换日", "用家美积分兑换生活用品", 46),
    ("宋河镇总工会", "宋河社区", 74, "送清凉进工地", "为园区一线职工送防暑用品", 60),
    ("徐桥村妇联", "徐桥村", 66, "最美家庭评选", "评出本村最美家庭 5 户", 38),
    ("共青团宋河镇委员会", "发水河村", 60, "青年志愿者助老理发", "为 70 岁以上老人义务理发", 24),
    ("何梅畈村妇联", "何梅畈村", 52, "留守儿童周末课堂", "作业辅导与安全教育", 18),
    ("宋河社区联合工会", "宋河社区", 45, "职工法律维权讲座", "劳动合同与工伤保险", 32),
    ("共青团徐桥村支部", "徐桥村", 38, "重阳节敬老包饺子", "青年陪老人包饺子过重阳", 41),
    ("发水河村妇联", "发水河村", 31, "妇女两癌筛查动员", "组织适龄妇女参加免费筛查", 57),
    ("宋河镇妇女联合会", "檀树村", 24, "家庭教育大讲堂", "邀请县妇联讲师讲家庭教育", 35),
    ("檀树村妇联", "檀树村", 17, "手工编织技能培训", "居家灵活就业技能培训", 22),
    ("共青团何梅畈村支部", "何梅畈村", 10, "返乡青年座谈会", "交流返乡创业想法", 15),
    ("宋河社区妇联", "宋河社区", 4, "冬季反诈宣传进社区", "防范养老诈骗", 64),
)


def window_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=WINDOW_DAYS)
