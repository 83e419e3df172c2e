"""A visit's sample records its sizes (``department=…,government=…``) like a review's, so the published record
alone is enough to redraw it. Existing samples get the sizes of their visit, which never change after creation."""

from django.db import migrations, models


def fill_sizes(apps, schema_editor):
    VisitSample = apps.get_model("fieldwork", "VisitSample")
    for sample in VisitSample.objects.select_related("visit"):
        sizes = f"department={sample.visit.departments_k},government={sample.visit.governments_k}"
        VisitSample.objects.filter(pk=sample.pk).update(k=sizes)


class Migration(migrations.Migration):

    dependencies = [
        ("fieldwork", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="visitsample",
            name="k",
            field=models.CharField(default="", help_text="一个数（每组相同），或“分组=数量,…”；即 fazhi sample -k 的参数",
                                   max_length=200, verbose_name="每组抽取数"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_sizes, migrations.RunPython.noop),
    ]
