"""Fill the coverage rollup (`Enterprise.full_members`, `Enterprise.coverage`) for a database that
already holds enterprises (a fresh or empty one is filled by the demo loader or the county
generator).

It runs the application's own rebuild (`enterprises.rollups.rebuild`, the one definition of the
columns), so it needs the tables as they stand at this migration: a database migrated from before
it in one go from a later release is filled by `manage.py rebuild_rollups enterprise_coverage`
instead."""

from django.db import migrations


def fill(apps, schema_editor):
    if not apps.get_model("enterprises", "Enterprise").objects.exists():
        return
    from hongniudai.enterprises import rollups

    rollups.rebuild(print)


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0004_coverage_rollup"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
