"""The maintained list of matter categories, their extra questions and the default time limits.
Administrators change them later; this only seeds a new deployment."""

from django.db import migrations

CATEGORIES = [
    # code, name, kind, public, keywords
    ("dispute-forest", "山林纠纷", "dispute", False, "山林 林地 界址"),
    ("dispute-land", "土地纠纷", "dispute", False, "土地 承包 宅基地"),
    ("dispute-neighbour", "邻里纠纷", "dispute", False, "邻里 噪音 排水"),
    ("dispute-family", "婚姻家庭纠纷", "dispute", False, "婚姻 赡养 继承"),
    ("dispute-debt", "债务纠纷", "dispute", False, "借款 欠款"),
    ("dispute-wages", "劳资纠纷", "dispute", False, "工资 欠薪 务工"),
    ("public-security", "治安问题", "public_security", False, "偷盗 打架"),
    ("safety-hazard", "安全隐患", "safety_hazard", True, "危房 用电 道路 消防"),
    ("environment", "环境卫生", "environment", True, "垃圾 污水"),
    ("straw-burning", "秸秆焚烧", "straw_burning", True, "秸秆 焚烧 烟火"),
    ("flood-patrol", "汛期险情", "flood_patrol", True, "汛期 堤坝 积水"),
    ("epidemic-control", "疫情防控", "epidemic_control", False, "疫情 隔离"),
    ("request", "群众诉求", "request", True, "办事 咨询 求助"),
    ("other", "其他事项", "other", True, ""),
]
ATTRIBUTES = {
    "safety-hazard": [
        ("hazard_type", "隐患类型", "singlevaluelist", True,
         [{"key": "building", "name": "房屋"}, {"key": "electric", "name": "用电"}, {"key": "road", "name": "道路交通"},
          {"key": "fire", "name": "消防"}, {"key": "water", "name": "水域"}, {"key": "other", "name": "其他"}]),
    ],
    "straw-burning": [
        ("burning_now", "是否正在燃烧", "singlevaluelist", True, [{"key": "yes", "name": "是"}, {"key": "no", "name": "否"}]),
        ("area_mu", "过火面积(亩)", "number", False, []),
    ],
    "flood-patrol": [("water_level", "水位或积水情况", "string", False, [])],
    "dispute-forest": [("area_mu", "争议面积(亩)", "number", False, [])],
    "dispute-land": [("area_mu", "争议面积(亩)", "number", False, [])],
}
DEFAULT_RULES = [("hamlet", 1, 5), ("grid", 1, 5), ("village", 2, 10), ("town", 3, 15)]
URGENT_RULES = {"straw-burning": [("hamlet", 0, 1), ("grid", 0, 1), ("village", 0, 2), ("town", 1, 3)],
                "flood-patrol": [("hamlet", 0, 1), ("grid", 0, 1), ("village", 0, 2), ("town", 1, 3)]}


def seed(apps, schema_editor):
    Category = apps.get_model("governance", "Category")
    Attribute = apps.get_model("governance", "CategoryAttribute")
    Rule = apps.get_model("governance", "DeadlineRule")
    for order, (code, name, kind, public, keywords) in enumerate(CATEGORIES):
        category, _ = Category.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "is_public": public, "keywords": keywords,
                                 "sort_order": order * 10},
        )
        for pos, (acode, desc, dtype, required, values) in enumerate(ATTRIBUTES.get(code, [])):
            Attribute.objects.get_or_create(
                category=category, code=acode,
                defaults={"description": desc, "datatype": dtype, "required": required, "values": values, "order": pos},
            )
        for level, accept, settle in URGENT_RULES.get(code, []):
            Rule.objects.get_or_create(category=category, level=level,
                                       defaults={"accept_days": accept, "settle_days": settle})
    for level, accept, settle in DEFAULT_RULES:
        Rule.objects.get_or_create(category=None, level=level, defaults={"accept_days": accept, "settle_days": settle})


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
