"""Seed the deployment's default rules (area empty) from 《中国共产党支部工作条例(试行)》."""

from django.db import migrations

SOURCE = "《中国共产党支部工作条例(试行)》"
DEFAULTS = [
    # kind, frequency, times, owed_by, needs_committee, remind_days, source, note
    (
        "member_meeting",
        "quarterly",
        1,
        "branch",
        False,
        15,
        SOURCE + "第十九条:党员大会一般每季度召开1次",
        "有表决权的到会人数超过应到会有表决权人数的半数方可召开,否则不计入。",
    ),
    (
        "committee_meeting",
        "monthly",
        1,
        "branch",
        True,
        7,
        SOURCE + "第十九条:党支部委员会会议一般每月召开1次",
        "只对设支部委员会的党支部。",
    ),
    (
        "group_meeting",
        "monthly",
        1,
        "party_group",
        False,
        7,
        SOURCE + "第十九条:党小组会一般每月召开1次",
        "由每个党小组分别召开。",
    ),
    ("party_lecture", "quarterly", 1, "branch", False, 15, SOURCE + "第十九条:党课一般每季度1次", ""),
    (
        "theme_day",
        "monthly",
        1,
        "branch",
        False,
        7,
        SOURCE + "第十九条:党支部每月相对固定1天开展主题党日",
        "",
    ),
    (
        "review_meeting",
        "yearly",
        1,
        "branch",
        False,
        30,
        SOURCE + "第二十条:党支部每年至少召开1次组织生活会",
        "",
    ),
    (
        "member_appraisal",
        "yearly",
        1,
        "branch",
        False,
        30,
        SOURCE + "第二十一条:党支部一般每年开展1次民主评议党员",
        "",
    ),
]


def seed(apps, schema_editor):
    MeetingRule = apps.get_model("orglife", "MeetingRule")
    for kind, frequency, times, owed_by, needs_committee, remind_days, source, note in DEFAULTS:
        MeetingRule.objects.update_or_create(
            kind=kind,
            area=None,
            defaults={
                "frequency": frequency,
                "times": times,
                "owed_by": owed_by,
                "needs_committee": needs_committee,
                "remind_days": remind_days,
                "source": source,
                "note": note,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("orglife", "MeetingRule").objects.filter(area__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("orglife", "0002_reminder_sent")]

    operations = [migrations.RunPython(seed, unseed)]
