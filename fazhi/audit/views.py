"""审计日志 page: the office's subtree only, as sentences, filterable (person, unit, kind, dates), paged in SQL,
exportable to Excel (the export is itself audited)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.io.excel import Column, build_workbook
from fazhi.io.http import xlsx_response
from fazhi.io.values import clean_text
from fazhi.orgs import policies
from fazhi.orgs.models import Role

from . import describe, selectors
from .services import record_download

TEXT_FILTERS = {"actor": gettext_lazy("操作人"), "unit": gettext_lazy("单位"), "kind": gettext_lazy("操作类别"),
                "target_type": gettext_lazy("对象类型"), "target_id": gettext_lazy("对象编号"),
                "action": gettext_lazy("操作")}
DATE_FILTERS = {"date_from": gettext_lazy("起始日期"), "date_to": gettext_lazy("截止日期")}
EXPORT_LIMIT = 20000


def _filters(request) -> tuple[dict, bool]:
    """The filters of the query string; a value that cannot be one (a NUL byte, more than 100 characters, a date
    that is not one, an unknown kind) is named in a message and ignored."""
    filters, bad = {}, False
    for key, label in {**TEXT_FILTERS, **DATE_FILTERS}.items():
        try:
            filters[key] = clean_text(request.GET.get(key, ""), max_length=100, label=str(label))
            if key in DATE_FILTERS and filters[key]:
                filters[key] = dt.date.fromisoformat(filters[key]).isoformat()
            if key == "kind" and filters[key] and filters[key] not in describe.KINDS:
                raise ValidationError(_("%(label)s不存在") % {"label": label})
        except ValidationError as exc:
            messages.error(request, _("筛选条件无效，已忽略：%(msg)s") % {"msg": exc.messages[0]})
            filters[key], bad = "", True
        except ValueError:
            messages.error(request, _("筛选条件无效，已忽略：%(msg)s") % {
                "msg": _("%(label)s应为日期，如 2026-11-03") % {"label": label}})
            filters[key], bad = "", True
    return filters, bad


def _events(request, filters):
    return selectors.event_list(
        user=request.user, target_type=filters["target_type"], target_id=filters["target_id"],
        action=filters["action"], unit_code=filters["unit"], actor=filters["actor"], kind=filters["kind"],
        date_from=dt.date.fromisoformat(filters["date_from"]) if filters["date_from"] else None,
        date_to=dt.date.fromisoformat(filters["date_to"]) if filters["date_to"] else None,
    )


@policies.role_required(Role.OFFICE)
def event_list(request):
    """Answers 400 (with the filter ignored) when a filter was refused."""
    filters, bad = _filters(request)
    page = Paginator(_events(request, filters), 50).get_page(request.GET.get("page"))
    rows = [{"event": e, "sentence": describe.sentence(e)} for e in page]
    query = urlencode({k: v for k, v in filters.items() if v})
    kinds = [(key, label) for key, (label, _prefixes) in describe.KINDS.items()]
    return render(request, "audit/event_list.html", {
        "page": page, "rows": rows, "filters": filters, "query": query, "kinds": kinds,
    }, status=400 if bad else 200)


@policies.role_required(Role.OFFICE)
def event_export(request):
    """The filtered log as Excel (at most ``EXPORT_LIMIT`` rows, newest first; the instructions say so)."""
    filters, _bad = _filters(request)
    events = _events(request, filters)[:EXPORT_LIMIT]
    columns = [Column("time", "时间", width=18), Column("actor_unit", "操作人单位", width=24),
               Column("actor", "操作人", width=14), Column("address", "来源地址", width=16),
               Column("unit", "所属单位", width=24), Column("text", "操作", width=90), Column("reason", "理由", width=40)]
    rows = ({"time": timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"), "actor_unit": e.actor_unit,
             "actor": e.actor_name or _("系统"), "address": e.ip_address or "", "unit": e.unit_name,
             "text": describe.sentence(e), "reason": e.reason} for e in events.iterator(chunk_size=2000))
    content = build_workbook("审计日志", columns, rows, instructions=[
        "审计日志（按筛选条件导出，最新的在前）。",
        f"一次最多导出 {EXPORT_LIMIT} 条；更早的记录请缩小日期范围后分批导出。",
        "日志经密钥签名，完整性以 fazhi audit verify 的校验结果为准。",
    ])
    filename = f"审计日志-{timezone.localdate():%Y%m%d}.xlsx"
    record_download(user=request.user, target=policies.jurisdiction(request.user), what="audit.events",
                    filename=filename)
    return xlsx_response(content, filename)
