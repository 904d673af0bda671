"""The deployment's default rules of member development (area empty), each with its source."""

from django.db import migrations

DEFAULTS = (
    ("min_age", 18, "years", "refuse", "《中国共产党章程》第一条"),
    ("talk_within", 1, "months", "warn", "《中国共产党发展党员工作细则》第七条"),
    ("assessment_interval", 6, "months", "warn", "《中国共产党发展党员工作细则》第十一条"),
    ("activist_min_period", 1, "years", "refuse", "《中国共产党发展党员工作细则》第十三条"),
    ("training_min_days", 3, "days", "refuse", "《中国共产党发展党员工作细则》第十七条"),
    ("training_min_hours", 24, "hours", "refuse", "《中国共产党发展党员工作细则》第十七条"),
    ("approval_within", 3, "months", "warn", "《中国共产党发展党员工作细则》第二十六条"),
    ("probation_length", 1, "years", "refuse", "《中国共产党章程》第七条"),
    ("extension_max", 1, "years", "refuse", "《中国共产党章程》第七条"),
)
NOTES = {
    "training_min_days": "集中培训时间一般不少于3天(或不少于24个学时),两项满足其一即可。",
    "training_min_hours": "集中培训时间一般不少于3天(或不少于24个学时),两项满足其一即可。",
    "probation_length": "预备期为一年,不得由地方调整。",
}


def seed(apps, schema_editor):
    Rule = apps.get_model("development", "DevelopmentRule")
    for code, value, unit, severity, source in DEFAULTS:
        Rule.objects.update_or_create(
            code=code,
            area=None,
            defaults={"value": value, "unit": unit, "severity": severity, "source": source, "note": NOTES.get(code, "")},
        )


def unseed(apps, schema_editor):
    Rule = apps.get_model("development", "DevelopmentRule")
    Rule.objects.filter(area__isnull=True, code__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("development", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
