"""The app was named `transfer` until 2026-12 (its table `transfer_importjob`). On a database that
has that table, copy its import jobs (same ids, so audit rows and links still find them), drop
it, and remove what named the old app: its migration records and its content type (renamed to
`spreadsheets` when the new one does not exist yet, so permissions granted on it carry over).
A fresh database has no such table and nothing to do. SQLite and PostgreSQL alike."""

from django.db import migrations

OLD_TABLE = "transfer_importjob"
NEW_TABLE = "spreadsheets_importjob"
COLUMNS = (
    "id",
    "kind",
    "user_id",
    "file",
    "original_name",
    "status",
    "mode",
    "total_rows",
    "processed_rows",
    "good_rows",
    "error_rows",
    "imported_rows",
    "skipped_example_rows",
    "errors",
    "failure",
    "created_at",
    "validated_at",
    "finished_at",
    "area_path",
)


def carry_over(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if OLD_TABLE in connection.introspection.table_names(cursor):
            quoted = ", ".join(schema_editor.quote_name(c) for c in COLUMNS)
            cursor.execute(
                f"INSERT INTO {schema_editor.quote_name(NEW_TABLE)} ({quoted}) "
                f"SELECT {quoted} FROM {schema_editor.quote_name(OLD_TABLE)}"
            )
            if connection.vendor == "postgresql":
                # Ids were copied: the next new job continues after the highest.
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
                    f"FROM {schema_editor.quote_name(NEW_TABLE)}",
                    [NEW_TABLE],
                )
            cursor.execute(f"DROP TABLE {schema_editor.quote_name(OLD_TABLE)}")
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["transfer"])
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    old = ContentType.objects.using(db).filter(app_label="transfer")
    if ContentType.objects.using(db).filter(app_label="spreadsheets", model="importjob").exists():
        old.delete()  # with the permissions on it
    else:
        old.filter(model="importjob").update(app_label="spreadsheets")
        old.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("spreadsheets", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    # Going back leaves the jobs where they are: the old app no longer exists to take them.
    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
