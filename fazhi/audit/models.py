"""The audit chain (审计日志): every change that matters, who made it, when, why, and the value before.

Rules (DOMAIN.md §5.5 "every change of a score after feedback keeps who, when, why and what it was before"):
- rows are only ever appended, through ``fazhi.audit.services.record_event``; ``save()`` refuses an update and
  ``delete()`` refuses always — the application cannot rewrite history;
- each row carries ``prev_hash`` (the hash of the row before it) and ``hash`` = SHA-256 of a canonical JSON of its
  own fields plus ``prev_hash``; ``fazhi audit verify`` recomputes the chain and finds a row edited, deleted or
  reordered behind the application's back (raw SQL);
- ``prev_hash`` is unique: two concurrent appends onto the same last row cannot both commit (no fork).

Foreign keys (``actor``, ``unit``) are conveniences for filtering and scoping and are not hashed: the hashed
snapshot is ``actor_name`` and the target fields. Other things that must change with this model:
``services.canonical_payload`` (the hashed fields) and the ``audit_verify`` command.
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
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=100, blank=True, db_index=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    target_repr = models.CharField(_("对象"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("对象所属单位，用于按管理范围查看日志"),
    )
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    prev_hash = models.CharField(_("上一条哈希"), max_length=64, unique=True)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AuditImmutable("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("审计日志不能删除")
