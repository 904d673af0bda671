"""The API token model moves from the `api` package to `accounts` (issue 21): the table stays
`api_apitoken`, only Django's idea of which app owns it changes (state only), then the token gets
its device and last use."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("digest", models.CharField(max_length=64, unique=True)),
                        ("prefix", models.CharField(max_length=8, verbose_name="令牌前缀")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="签发时间")),
                        ("expires_at", models.DateTimeField(db_index=True, verbose_name="过期时间")),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="api_tokens",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"verbose_name": "API 令牌", "verbose_name_plural": "API 令牌", "db_table": "api_apitoken"},
                ),
            ],
            database_operations=[],
        ),
    ]
