"""Fill the compliance rollup for a database that already holds meetings (a fresh or empty one
is filled by the demo loader or the county generator, and the daily task adds each new year).

It runs the application's own rebuild (`orglife.rollups.rebuild_units`, the one definition of the
rows), so it needs the tables as they stand at this migration: a database migrated from before
it in one go from a later release is filled by `manage.py rebuild_rollups orglife_obligations` instead."""

from django.db import migrations


def fill(apps, schema_editor):
    if not apps.get_model("orglife", "MeetingKindMark").objects.exists():
        return
    from hongniudai.orglife import rollups

    rollups.rebuild_units(print)


class Migration(migrations.Migration):
    dependencies = [
        ("orglife", "0005_obligation_rollup"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
