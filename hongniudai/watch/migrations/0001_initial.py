# The package's first migration: empty, so its parts (patrols, cameras, campaigns) each add their own.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations: list[migrations.operations.base.Operation] = []
