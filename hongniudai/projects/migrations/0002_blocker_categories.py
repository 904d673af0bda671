"""Give every existing town the default blocker categories (towns set up later get them with their
first service team: `services_blockers.categories_ensure`)."""

from django.db import migrations

CATEGORIES = (
    ("labour", "用工", 10),
    ("site", "场地平整", 15),
    ("utilities", "电杆迁改及水电", 20),
    ("financing", "融资", 20),
    ("approvals", "审批", 15),
    ("land", "用地", 20),
    ("environment", "环保", 15),
    ("other", "其他", 10),
)


def seed(apps, schema_editor):
    AreaNode = apps.get_model("places", "AreaNode")
    BlockerCategory = apps.get_model("projects", "BlockerCategory")
    rows = [
        BlockerCategory(town_id=town_id, code=code, name=name, due_days=days, order=i)
        for town_id in AreaNode.objects.filter(kind="town").values_list("pk", flat=True)
        for i, (code, name, days) in enumerate(CATEGORIES)
    ]
    BlockerCategory.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_projects"), ("places", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
