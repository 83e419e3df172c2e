"""The keyed chain: new hashed fields (actor's unit, unit name, address, key, algorithm), then every existing row
re-signed with the current key (``services.rechain``), the check of the old unkeyed chain kept in an
``audit.rechain`` event with a note. Existing rows get the names of their unit and actor's unit as they are now."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def rechain_existing(apps, schema_editor):
    from fazhi.audit.services import rechain

    Event = apps.get_model("audit", "AuditEvent")
    if not Event.objects.exists():
        return
    Unit = apps.get_model("orgs", "Unit")
    User = apps.get_model("orgs", "User")
    unit_names = dict(Unit.objects.values_list("id", "name"))
    actor_units = {uid: unit_names.get(unit_id, "") for uid, unit_id in User.objects.values_list("id", "unit_id")}
    for event in Event.objects.only("id", "unit_id", "actor_id").iterator():
        Event.objects.filter(pk=event.pk).update(unit_name=unit_names.get(event.unit_id, ""),
                                                 actor_unit=actor_units.get(event.actor_id, ""))
    rechain(model=Event, actor="system", note=(
        "升级为带密钥的审计链（迁移 audit 0002）：原有记录按原 SHA-256 链校验后用当前密钥重新签名；"
        "单位名称按迁移时的名称补记。"))


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        ('orgs', '0002_login_record'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='actor_unit',
            field=models.CharField(blank=True, max_length=200, verbose_name='操作人单位'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='algorithm',
            field=models.CharField(default='sha256', max_length=16, verbose_name='签名算法'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='algorithm',
            field=models.CharField(default='hmac-sha256', max_length=16, verbose_name='签名算法'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='ip_address',
            field=models.GenericIPAddressField(blank=True, null=True, verbose_name='来源地址'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='key_id',
            field=models.CharField(blank=True, max_length=32, verbose_name='密钥编号'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='unit_name',
            field=models.CharField(blank=True, max_length=200, verbose_name='所属单位名称'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='actor',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='unit',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='对象所属单位，用于按管理范围查看日志', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.unit', verbose_name='所属单位'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['unit', '-id'], name='audit_unit_id'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['actor', '-id'], name='audit_actor_id'),
        ),
        migrations.RunPython(rechain_existing, migrations.RunPython.noop),
    ]
