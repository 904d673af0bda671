"""What the demo town's watch holds (`demo.watch` writes it): the market town's night patrol, the
camera net with its platform key and alert kinds, last autumn's straw-burning campaign and this
summer's flood patrol. Names, texts and the few fixed choices; the dates are relative to the day
the demo is loaded to."""

from __future__ import annotations

import datetime as dt

# ---- night patrol ------------------------------------------------------------------------------

MARKET_TEAM = "宋河镇集镇夜间治安联防巡逻队"
MARKET_TEAM_NOTE = "集镇片区党员、民兵和志愿者组成,每晚 20:00 至 24:00 沿集镇主街和社区网格巡逻。"
MARKET_VILLAGES = ("宋河社区", "朝阳社区", "宋河村")  # the market town's built-up centre
PARTY_MEMBERS = 6
MILITIA = 4
VOLUNTEERS = 3
SHIFT_START = dt.time(20, 0)
SHIFT_HOURS = 4
# Nights (counted back from the last one whose shift is over) nobody checked in to: flagged missed.
MISSED_NIGHTS_AGO = (4, 17)
WEATHER_CYCLE = ("clear", "clear", "cloudy", "overcast", "clear", "rain", "cloudy", "fog", "clear", "wind")
ROUTE_NOTES = (
    "沿集镇主街、农贸市场、宋河社区各网格巡逻一圈,商铺门窗关闭,未见异常。",
    "巡查宋河小学周边和朝阳社区小区,提醒晚归居民锁好电动车。",
    "检查农贸市场消防通道和充电桩,发现一处杂物堵塞已当场清理。",
    "集镇主街巡逻,劝导两名酒后人员回家休息。",
    "雨夜加强巡查,查看低洼路段积水情况,未见险情。",
    "巡查银行网点、加油站周边,安保正常。",
    "朝阳社区网格巡逻,帮助一名迷路老人联系家属。",
)
INCIDENT_TITLE = "集镇商铺卷帘门被撬"
INCIDENT_TEXT = "夜间巡逻发现集镇主街一家五金店卷帘门被撬开一角,店内无人,已通知店主和派出所,现场保护待查。"

# ---- cameras -----------------------------------------------------------------------------------

PLATFORM_NAME = "宋河镇雪亮工程视频平台"
PLATFORM_KEY = "demo-camera-songhe-2026"
# Grids with no camera at all (coverage shows them): (village, grid).
GRIDS_WITHOUT = (("枫树岭村", "3组"), ("枫树岭村", "4组"), ("桃园村", "4组"), ("胡家畈村", "5组"), ("龙岗村", "5组"))
# Every `OFFLINE_EVERY`-th camera is offline, every `FAULTY_EVERY`-th faulty.
OFFLINE_EVERY = 9
FAULTY_EVERY = 13
CAMERA_PLACES = ("路口", "村委会", "桥头", "湾口", "文化广场", "渡口", "学校门口", "主干道")
STREAM = "rtsp://10.18.{v}.{n}:554/Streaming/Channels/101"
# (code, label, category code, the category's required answers, confirm first)
ALERT_KINDS: tuple[tuple[str, str, str, dict[str, str], bool], ...] = (
    ("straw-fire", "秸秆焚烧烟火", "straw-burning", {"burning_now": "yes"}, False),
    ("intrusion", "夜间区域入侵", "public-security", {}, False),
    ("crowd", "人员聚集", "public-security", {}, True),
    ("water-level", "水位超警戒", "flood-patrol", {}, True),
)
# The alerts of the last night: (alert id, village, grid, kind, hours before the load, note).
ALERTS: tuple[tuple[str, str, str, str, float, str], ...] = (
    ("XL-000101", "宋河社区", "第2网格", "intrusion", 9.0, "凌晨区域入侵侦测:仓库后院有人翻墙"),
    ("XL-000102", "宋河社区", "第2网格", "intrusion", 8.8, "同一位置再次触发入侵侦测"),  # merged
    ("XL-000103", "徐桥村", "5组", "intrusion", 6.5, "区域入侵侦测:村委会院内深夜有人逗留"),
    ("XL-000104", "朝阳社区", "第1网格", "crowd", 3.0, "人员聚集识别:广场聚集约 30 人"),  # pending
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 48 + b"\xff\xd9"

# ---- campaigns ---------------------------------------------------------------------------------

STRAW_VILLAGES = ("徐桥村", "发水河村", "何梅畈村", "龙岗村")  # the villages with straw fields
STRAW_WINDOW = ((10, 10), (11, 10))  # 10 Oct – 10 Nov
STRAW_NOTE = "秋收期间各村组每日巡查秸秆田块,18:00 前上报;无情况也要点“今日无情况”。"
# (village, grid, day of the window counted from 0) that reported nothing at all.
STRAW_MISSING = (("发水河村", "3组", 6), ("龙岗村", "2组", 19))
# (village, grid, day) reported the next morning (late).
STRAW_LATE = (("何梅畈村", "4组", 3), ("徐桥村", "2组", 11), ("龙岗村", "4组", 24))
# (village, grid, day, what was found): raised as matters, handled the same day. The grid worker files
# them as 安全隐患 (the governance history holds the season's 秸秆焚烧 and 汛期 matters).
HAZARD = "safety-hazard"
STRAW_FINDINGS = (
    ("徐桥村", "3组", 8, "田块边缘有焚烧秸秆痕迹,余火已扑灭,对农户进行了禁烧宣讲。"),
    ("何梅畈村", "6组", 15, "发现有人在田头堆放秸秆准备焚烧,已劝离并联系秸秆离田收储。"),
)
STRAW_CHECKED = (
    "巡查本组秸秆田块 3 处,秸秆已打捆离田,无焚烧现象。",
    "入户宣传禁烧政策 12 户,田间巡查未见烟火。",
    "配合收割机作业查看秸秆还田情况,正常。",
)
FLOOD_WINDOW = ((6, 1), (8, 31))
FLOOD_NOTE = "主汛期各险情点每日巡查,强降雨期间加密;20:00 前上报。"
# The danger spots: (village, grid, name, note); their grids are the ones the flood patrol covers.
FLOOD_SPOTS = (
    ("双河村", "1组", "双河大堤 K1+200 背水坡", "历年汛期易渗水,重点观察"),
    ("双河村", "4组", "马家咀低洼区", "强降雨时易内涝,低洼户 6 户需提前转移"),
    ("双河村", "4组", "马家咀排涝泵站", "强降雨前试机,备足柴油"),
    ("发水河村", "1组", "施家湾排涝涵闸", "涵闸启闭机需汛前检修"),
    ("发水河村", "2组", "发水河河堤弯道", "河道弯道冲刷,观察塌岸"),
    ("发水河村", "2组", "发水河漫水桥", "洪水漫桥时封闭通行"),
)
FLOOD_CHECKED = (
    "巡查堤段和涵闸,水位正常,无渗漏。",
    "雨后查看山塘溢洪道和低洼户,情况正常。",
)
FLOOD_FINDING = ("发水河村", "2组", 40, "河堤弯道处发现长约 3 米的塌岸,已设警示标志,需安排加固。")
FLOOD_MISSING = (("双河村", "1组", 52),)
