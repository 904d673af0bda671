"""The demo park's projects, their service teams and their blockers, as data (`demo.projects`
writes them through the projects services).

The article: the town serves the projects in 宋河精细化工产业园 by "one project, one leader, one
team": 13 service teams (包联服务专班) and 41 problems solved so far — labour, site levelling,
moving power poles, financing. Every date is counted back from the day of loading."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

SOLVED = 41  # the article's figure: the measures page shows "已解决 41 个"

# Team members who are not team leaders: town staff (工作人员) serving on several teams.
STAFF: tuple[tuple[str, str], ...] = (
    ("zb-staff-01", "杨晓芳"),
    ("zb-staff-02", "彭志刚"),
    ("zb-staff-03", "邓雪梅"),
    ("zb-staff-04", "曹文军"),
    ("zb-staff-05", "许丽萍"),
)


@dataclass(frozen=True)
class ProjectSpec:
    name: str
    short: str  # the team is named after it: “<short>项目服务专班”
    owner: str  # an enterprise of the demo's registry (demo.partywork.ENTERPRISES, in the park)
    contractors: str
    planned: Decimal  # yuan
    invested: Decimal  # yuan, to date
    kind: str
    started: int  # days ago the project was signed
    months: int  # planned construction time
    behind: bool  # a milestone is left undone past its planned day
    leader: tuple[str, str]  # the leading cadre (牵头领导), who also leads the team: username, name
    cadre: tuple[str, str]  # the team's second cadre, who takes the owner enterprise in charge (包企业)
    instructor: str = ""  # the demo instructor (username) serving on the team


Y = Decimal
INDUSTRIAL, INFRA = "industrial", "infrastructure"

PROJECTS: tuple[ProjectSpec, ...] = (
    ProjectSpec(
        "鑫润年产2万吨精细化学品扩建项目", "鑫润扩建", "鄂州鑫润精细化工有限公司", "湖北建工第三建设有限公司",
        Y("186500000.00"), Y("92384600.00"), INDUSTRIAL, 420, 18, False,
        ("baolian", "程国栋"), ("zb-cadre-01", "严志华"), "instructor02",
    ),
    ProjectSpec(
        "徐桥酒业智能化酿造技改项目", "徐桥酒业技改", "湖北徐桥酒业有限公司", "鄂州市第一建筑工程有限公司",
        Y("68000000.00"), Y("51236800.00"), INDUSTRIAL, 520, 15, False,
        ("zb-lead-02", "刘德胜"), ("zb-cadre-02", "徐文涛"), "instructor04",
    ),
    ProjectSpec(
        "宏达新材料高性能树脂项目", "宏达树脂", "湖北宏达新材料科技有限公司", "中建三局第一建设工程有限责任公司",
        Y("125800000.00"), Y("38650200.00"), INDUSTRIAL, 300, 20, True,
        ("zb-lead-03", "胡卫国"), ("zb-cadre-03", "汪建平"), "instructor03",
    ),
    ProjectSpec(
        "恒通化学品仓储中心项目", "恒通仓储", "鄂州恒通化学品有限公司", "湖北华宇建设集团有限公司",
        Y("32600000.00"), Y("32600000.00"), INDUSTRIAL, 700, 12, False,
        ("zb-lead-04", "陈光明"), ("zb-cadre-04", "胡志明"), "instructor09",
    ),
    ProjectSpec(
        "华泰环保包装材料生产线项目", "华泰包材", "宋河华泰包装材料有限公司", "鄂州市宏远建筑安装有限公司",
        Y("45200000.00"), Y("27845300.00"), INDUSTRIAL, 360, 14, False,
        ("zb-lead-05", "张志远"), ("zb-cadre-05", "陈海波"), "instructor10",
    ),
    ProjectSpec(
        "正源园区污水处理提标改造项目", "污水提标", "鄂州正源环保科技有限公司", "湖北省工业建筑集团有限公司",
        Y("28750000.00"), Y("9862500.00"), INFRA, 240, 12, True,
        ("zb-lead-06", "周立平"), ("zb-cadre-06", "周正平"), "instructor11",
    ),
    ProjectSpec(
        "楚润生物发酵饲料项目", "楚润饲料", "湖北楚润生物科技有限公司", "湖北长江建设工程有限公司",
        Y("56300000.00"), Y("33541900.00"), INDUSTRIAL, 400, 16, False,
        ("zb-lead-07", "吴明辉"), ("zb-cadre-07", "吴建新"),
    ),
    ProjectSpec(
        "宏泰园区冷链物流中心项目", "宏泰冷链", "鄂州宏泰物流有限公司", "鄂州市城建工程有限公司",
        Y("39800000.00"), Y("12460000.00"), INDUSTRIAL, 200, 14, False,
        ("zb-lead-08", "谢永强"), ("zb-cadre-08", "谢晓东"), "instructor06",
    ),
    ProjectSpec(
        "新锐智能装备制造基地项目", "新锐装备", "宋河新锐机械制造有限公司", "湖北建工第三建设有限公司",
        Y("98000000.00"), Y("44128700.00"), INDUSTRIAL, 330, 18, False,
        ("zb-lead-09", "李长青"), ("zb-cadre-09", "李新华"),
    ),
    ProjectSpec(
        "金盛改性塑料粒子项目", "金盛塑料", "鄂州金盛塑业有限公司", "鄂州市宏远建筑安装有限公司",
        Y("23500000.00"), Y("4215600.00"), INDUSTRIAL, 120, 12, False,
        ("zb-lead-10", "金卫东"), ("zb-cadre-10", "金晓明"), "instructor05",
    ),
    ProjectSpec(
        "鑫润危化品专用停车场项目", "危化停车场", "鄂州鑫润精细化工有限公司", "湖北华宇建设集团有限公司",
        Y("12800000.00"), Y("12800000.00"), INFRA, 600, 10, False,
        ("zb-lead-11", "罗振兴"), ("zb-cadre-11", "罗志勇"),
    ),
    ProjectSpec(
        "徐桥酒业原酒储存库项目", "原酒储存库", "湖北徐桥酒业有限公司", "湖北长江建设工程有限公司",
        Y("42000000.00"), Y("6380000.00"), INDUSTRIAL, 90, 14, False,
        ("zb-lead-12", "徐红兵"), ("zb-cadre-12", "徐立新"), "instructor",
    ),
    ProjectSpec(
        "园区标准化厂房二期项目", "标准化厂房", "宋河华泰包装材料有限公司", "中建三局第一建设工程有限责任公司",
        Y("76500000.00"), Y("31862400.00"), INFRA, 450, 20, False,
        ("zb-lead-13", "彭爱民"), ("zb-cadre-13", "彭志强"),
    ),
)  # fmt: skip

# Each project's milestones: stage, name, weight and when it falls, as a share of the construction
# time (0 is the signing day).
MILESTONES: tuple[tuple[str, str, int, float], ...] = (
    ("前期", "项目签约落地", 1, 0.0),
    ("前期", "土地摘牌及规划许可", 1, 0.12),
    ("前期", "施工许可及场地平整", 2, 0.25),
    ("建设", "主体结构封顶", 3, 0.55),
    ("建设", "设备安装调试", 2, 0.8),
    ("投产", "竣工验收并试生产", 2, 1.0),
)


@dataclass(frozen=True)
class CategoryWork:
    """How the demo's blockers of one category read: descriptions, who owns them, what solved them."""

    department: str
    problems: tuple[str, ...]
    solutions: tuple[str, ...]


WORK: dict[str, CategoryWork] = {
    "labour": CategoryWork(
        "镇人社服务中心",
        ("施工高峰期缺少普工约 {n} 人", "新生产线投产前缺少持证操作工 {n} 人", "企业招聘电工、焊工困难"),
        ("组织周边村召开专场招聘会,招录本地务工人员到岗", "联系县职业技术学校开展订单式培训,学员已上岗"),
    ),
    "site": CategoryWork(
        "镇规划建设办",
        (
            "项目红线内有土方约 {n} 千方需外运平整",
            "厂区北侧低洼地块积水,影响场地平整",
            "进场道路未硬化,运输车辆难以进出",
        ),
        ("协调土方就近用于园区道路回填,场地平整完成", "镇规划建设办牵头完成排水沟和进场道路硬化"),
    ),
    "utilities": CategoryWork(
        "宋河供电所",
        ("厂区内有 {n} 根10千伏电杆需迁改", "施工临时用电容量不足", "供水管网未接入厂区"),
        ("协调供电所完成电杆迁改并恢复送电", "协调增容临时变压器,施工用电已保障", "完成供水管网接入并通水"),
    ),
    "financing": CategoryWork(
        "镇财政所",
        ("设备采购资金缺口约 {n} 百万元", "企业申请技改贷款,抵押物不足", "工程款结算滞后,流动资金紧张"),
        ("对接县农商行发放项目贷款", "协调县融资担保公司提供担保,贷款已放款", "帮助企业申报技改专项资金已到位"),
    ),
    "approvals": CategoryWork(
        "镇经济发展办",
        ("环评批复前置手续材料不全", "消防设计审查排队时间长"),
        ("协助企业补齐材料,县审批局已出具批复", "代办员全程帮办,审查意见已出具"),
    ),
    "land": CategoryWork(
        "镇自然资源所",
        ("项目用地有 {n} 亩尚未完成征收补偿",),
        ("配合县自然资源局完成补偿兑付,用地已交付",),
    ),
    "environment": CategoryWork(
        "生态环境分局宋河监管站",
        ("施工扬尘防治措施不到位",),
        ("督促施工单位安装喷淋设施和围挡,复查合格",),
    ),
    "other": CategoryWork(
        "镇党政办",
        ("企业员工子女入学需协调",),
        ("协调镇中心小学接收入学",),
    ),
}

# The 41 solved blockers' categories, in the order they fall on the teams' visits: labour, site
# levelling, power poles and utilities and financing first, as the article counts them.
SOLVED_CATEGORIES: tuple[str, ...] = (
    ("labour",) * 12
    + ("site",) * 10
    + ("utilities",) * 9
    + ("financing",) * 6
    + ("approvals",) * 2
    + ("land", "environment")
)
assert len(SOLVED_CATEGORIES) == SOLVED


@dataclass(frozen=True)
class OpenBlocker:
    """A blocker still open on the day of loading."""

    team: int  # index into PROJECTS
    category: str
    description: str
    days_ago: int  # raised on a visit that many days before today
    state: str  # "open", "in_progress", "escalated", "resolved" (awaiting sign-off), "overdue"


OPEN: tuple[OpenBlocker, ...] = (
    OpenBlocker(0, "utilities", "新建车间10千伏线路接入需迁移2根电杆", 2, "resolved"),
    OpenBlocker(2, "labour", "树脂生产线调试缺少持证操作工 12 人", 45, "overdue"),
    OpenBlocker(5, "land", "提标改造新增用地 8 亩征收补偿未完成", 35, "escalated"),
    OpenBlocker(7, "financing", "冷库设备采购资金缺口约 6 百万元", 4, "in_progress"),
    OpenBlocker(9, "site", "二号厂房地块有土方约 3 千方需外运", 3, "open"),
    OpenBlocker(12, "approvals", "二期厂房消防设计审查材料待补正", 1, "open"),
)

VISIT_PEOPLE = ("企业负责人、施工单位项目经理", "企业负责人", "项目经理、安全员", "企业办公室主任")
VISIT_FINDINGS = (
    "现场施工有序推进,了解工程进度和企业诉求",
    "查看安全生产和扬尘防治措施,宣讲助企政策",
    "座谈了解用工、资金和要素保障情况",
    "走访车间,督促节点按期完成",
)
