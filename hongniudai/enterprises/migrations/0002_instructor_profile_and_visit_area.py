"""Instructor profiles; a guidance visit may name an enterprise without a branch (`org` empty),
so the visit's scope hangs on its own `area` (filled from the branch for existing rows)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_area(apps, schema_editor):
    GuidanceVisit = apps.get_model("enterprises", "GuidanceVisit")
    for visit in GuidanceVisit.objects.select_related("org", "enterprise").filter(area__isnull=True):
        target = visit.org or visit.enterprise
        visit.area_id = target.area_id
        visit.save(update_fields=["area"])


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0001_initial"),
        ("places", "0002_plain_default_ordering"),
        ("party", "0002_plain_default_ordering"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="guidancevisit",
            name="org",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="guidance_visits",
                to="party.partyorg",
                verbose_name="党支部",
            ),
        ),
        migrations.AddField(
            model_name="guidancevisit",
            name="area",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.areanode",
                verbose_name="所在地区",
                help_text="所指导党支部或企业所在的园区或村",
            ),
        ),
        migrations.RunPython(fill_area, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="guidancevisit",
            name="area",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.areanode",
                verbose_name="所在地区",
                help_text="所指导党支部或企业所在的园区或村",
            ),
        ),
        migrations.AddConstraint(
            model_name="guidancevisit",
            constraint=models.CheckConstraint(
                condition=models.Q(org__isnull=False) | models.Q(enterprise__isnull=False),
                name="guidance_visit_names_a_target",
            ),
        ),
        migrations.CreateModel(
            name="Instructor",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("work_unit", models.CharField(blank=True, max_length=100, verbose_name="工作单位")),
                ("phone", models.CharField(blank=True, max_length=11, verbose_name="联系电话")),
                ("note", models.TextField(blank=True, verbose_name="备注")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                (
                    "area",
                    models.ForeignKey(
                        help_text="选派并管理该指导员的镇",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="places.areanode",
                        verbose_name="管理镇",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="instructor_profile",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="用户",
                    ),
                ),
            ],
            options={"verbose_name": "党建指导员", "verbose_name_plural": "党建指导员", "ordering": ["id"]},
        ),
    ]
