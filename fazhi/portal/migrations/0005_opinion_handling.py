"""社情民意 handling: a reference number for every opinion, publishing apart from adopting, 转办 and 答复.

Existing opinions get a reference each; those adopted before keep showing on the portal (they were published
by being adopted), the others stay unpublished."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import fazhi.portal.models


def fill(apps, schema_editor):
    PublicOpinion = apps.get_model("portal", "PublicOpinion")
    taken = set()
    for opinion in PublicOpinion.objects.all().only("pk", "status"):
        reference = fazhi.portal.models.new_reference()
        while reference in taken:
            reference = fazhi.portal.models.new_reference()
        taken.add(reference)
        PublicOpinion.objects.filter(pk=opinion.pk).update(reference=reference,
                                                           is_public=opinion.status == "approved")


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("portal", "0004_stored_search_vector"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField("publicopinion", "reference",
                            models.CharField(max_length=20, null=True, editable=False, verbose_name="受理编号")),
        migrations.AddField("publicopinion", "is_public", models.BooleanField(
            default=False, help_text="是否在门户展示，与是否采纳分开决定", verbose_name="在门户公开")),
        migrations.AddField("publicopinion", "assigned_unit", models.ForeignKey(
            blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="assigned_opinions",
            to="orgs.unit", verbose_name="转办单位")),
        migrations.AddField("publicopinion", "assigned_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="转办时间")),
        migrations.AddField("publicopinion", "reply",
                            models.TextField(blank=True, max_length=2000, verbose_name="答复")),
        migrations.AddField("publicopinion", "replied_by", models.ForeignKey(
            blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
            to=settings.AUTH_USER_MODEL, verbose_name="答复人")),
        migrations.AddField("publicopinion", "replied_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="答复时间")),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField("publicopinion", "reference", models.CharField(
            default=fazhi.portal.models.new_reference, editable=False, max_length=20, unique=True,
            verbose_name="受理编号")),
        migrations.AlterField("publicopinion", "status", models.CharField(
            choices=[("pending", "待处理"), ("approved", "已采纳"), ("rejected", "不予采纳")], default="pending",
            max_length=16, verbose_name="状态")),
    ]
