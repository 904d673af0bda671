"""Keep the held node's path on the matter (Matter.area_path): filled from the tree for the
matters already there, then indexed (building the index after the fill is the fast order)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Matter = apps.get_model("governance", "Matter")
    AreaNode = apps.get_model("places", "AreaNode")
    Matter.objects.update(area_path=Subquery(AreaNode.objects.filter(pk=OuterRef("area_id")).values("path")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0003_matter_month"),
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="matter",
            name="area_path",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="matter",
            name="area_path",
            field=models.CharField(db_index=True, default="", editable=False, max_length=255),
        ),
    ]
