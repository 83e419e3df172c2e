"""The sample's ``k`` becomes the published sizes text of ``fazhi.draws`` (``3``), shared with field visits.
An integer column turns into its decimal text, so every drawn record keeps its value."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("casereview", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sample",
            name="k",
            field=models.CharField(help_text="一个数（每组相同），或“分组=数量,…”；即 fazhi sample -k 的参数", max_length=200,
                                   verbose_name="每组抽取数"),
        ),
    ]
