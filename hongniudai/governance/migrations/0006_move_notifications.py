"""The inbox moves to its own package (`hongniudai.notifications`): copy governance's notification
rows into `notifications.Notification`, then drop governance's table.

A row about a matter points at the matter's page as the inbox linked it
(`reverse("governance:matter_detail")`: `/matters/<id>/`) and names the matter (`governance.matter`,
its id); a row about nothing (a meeting reminder) points nowhere and names nothing. One
`INSERT … SELECT` per direction, the same SQL on SQLite and PostgreSQL, however many rows there are.

The copy sits here, in the package the rows leave, so that `notifications` depends on no domain
package. Backwards the rows go back; one whose target is not a matter, or a matter since deleted,
becomes a row about nothing."""

from django.db import migrations

MATTER = "governance.matter"
MATTER_PAGE = ("/matters/", "/")  # the path of governance:matter_detail around the id


def _names(schema_editor, model, *fields):
    q = schema_editor.quote_name
    return q(model._meta.db_table), [q(model._meta.get_field(f).column) for f in fields]


def copy_forward(apps, schema_editor):
    Old = apps.get_model("governance", "Notification")
    New = apps.get_model("notifications", "Notification")
    old, (user, matter, message, created, read, pk) = _names(
        schema_editor, Old, "user", "matter", "message", "created_at", "read_at", "id"
    )
    new, columns = _names(schema_editor, New, "user", "message", "url", "target_type", "target_id", "created_at", "read_at")
    before, after = MATTER_PAGE
    schema_editor.execute(
        f"INSERT INTO {new} ({', '.join(columns)}) "
        f"SELECT {user}, {message}, "
        f"CASE WHEN {matter} IS NULL THEN '' ELSE '{before}' || CAST({matter} AS VARCHAR(20)) || '{after}' END, "
        f"CASE WHEN {matter} IS NULL THEN '' ELSE '{MATTER}' END, "
        f"{matter}, {created}, {read} FROM {old} ORDER BY {pk}"
    )


def copy_backward(apps, schema_editor):
    Old = apps.get_model("governance", "Notification")
    New = apps.get_model("notifications", "Notification")
    Matter = apps.get_model("governance", "Matter")
    old, columns = _names(schema_editor, Old, "user", "matter", "message", "created_at", "read_at")
    new, (user, message, target_type, target_id, created, read, pk) = _names(
        schema_editor, New, "user", "message", "target_type", "target_id", "created_at", "read_at", "id"
    )
    matters, (matter_pk,) = _names(schema_editor, Matter, "id")
    schema_editor.execute(
        f"INSERT INTO {old} ({', '.join(columns)}) "
        f"SELECT n.{user}, m.{matter_pk}, n.{message}, n.{created}, n.{read} FROM {new} n "
        f"LEFT JOIN {matters} m ON n.{target_type} = '{MATTER}' AND m.{matter_pk} = n.{target_id} ORDER BY n.{pk}"
    )
    schema_editor.execute(f"DELETE FROM {new}")


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0005_text_limits"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_forward, copy_backward),
        migrations.DeleteModel(name="Notification"),
    ]
