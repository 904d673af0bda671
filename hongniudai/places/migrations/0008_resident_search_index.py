"""The index residents are searched by (`places.search`): pg_trgm and character GIN indexes and a pinyin
pattern index on PostgreSQL; an FTS5 table kept true by triggers, filled from every resident, on SQLite."""

from django.db import migrations

from hongniudai.places import search


def forwards(apps, schema_editor):
    search.install_index(schema_editor)


def backwards(apps, schema_editor):
    search.drop_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0007_resident_account"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
