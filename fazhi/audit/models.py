"""The audit chain (审计日志): every change that matters, who made it, from where, when, why, and the value before.

Rules (DOMAIN.md §5.5 "every change of a score after feedback keeps who, when, why and what it was before";
等保2.0 安全审计 and 数据完整性):
- rows are only ever appended, through ``fazhi.audit.services.record_event``; ``save()`` refuses an update and
  ``delete()`` refuses always — the application cannot rewrite history;
- each row carries ``prev_hash`` (the MAC of the row before it) and ``hash`` = HMAC (SHA-256 or SM3, ``algorithm``)
  with the key ``key_id`` — kept outside the database — of a canonical JSON of all its fields, actor, units,
  address and time included; ``fazhi audit verify`` recomputes the chain and finds a row edited, deleted,
  reordered, or rewritten with recomputed hashes by someone without the key;
- ``prev_hash`` is unique: two concurrent appends onto the same last row cannot both commit (no fork);
- ``actor`` and ``unit`` keep their ids even when the person or unit is deleted (no database constraint, nothing
  cascades into the chain); the names at the time are kept in ``actor_name``, ``actor_unit``, ``unit_name``.

Other things that must change with this model: ``services.canonical_payload`` (the hashed fields), the
``audit_verify`` command and ``describe`` (the sentences of the audit page).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditImmutable(Exception):
    """An attempt to change or delete an audit row through the application."""


class AuditEvent(models.Model):
    """审计事件 — one link of the hash chain."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    actor_unit = models.CharField(_("操作人单位"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=100, blank=True, db_index=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    target_repr = models.CharField(_("对象"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+", help_text=_("对象所属单位，用于按管理范围查看日志"),
    )
    unit_name = models.CharField(_("所属单位名称"), max_length=200, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    key_id = models.CharField(_("密钥编号"), max_length=32, blank=True)
    algorithm = models.CharField(_("签名算法"), max_length=16, default="hmac-sha256")
    prev_hash = models.CharField(_("上一条哈希"), max_length=64, unique=True)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["unit", "-id"], name="audit_unit_id"),
            models.Index(fields=["actor", "-id"], name="audit_actor_id"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AuditImmutable("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("审计日志不能删除")


class Confirmation(models.Model):
    """操作确认 — a one-time confirmation of an irreversible action (``fazhi.audit.confirm``): issued with the
    consequences shown to the user in numbers, redeemed once by the same user for the same action and target,
    refused when the situation changed in between (the fingerprint of the consequences differs)."""

    token_hash = models.CharField(_("确认码摘要"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.CASCADE,
                             related_name="+")
    action = models.CharField(_("操作"), max_length=80)
    target_type = models.CharField(_("对象类型"), max_length=80)
    target_id = models.CharField(_("对象编号"), max_length=64)
    fingerprint = models.CharField(_("后果摘要"), max_length=64)
    consequences = models.JSONField(_("操作后果"), default=list)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("操作确认")
        verbose_name_plural = _("操作确认")
        indexes = [models.Index(fields=["user", "action", "target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id}"
