"""审计日志 page: the office's subtree only, filterable by target."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.io.values import clean_text
from fazhi.orgs import policies
from fazhi.orgs.models import Role

from . import selectors

FILTERS = {"target_type": gettext_lazy("对象类型"), "target_id": gettext_lazy("对象编号"),
           "action": gettext_lazy("操作"), "unit": gettext_lazy("单位编码")}


@policies.role_required(Role.OFFICE)
def event_list(request):
    """A filter value that cannot be one (a NUL byte, more than 100 characters) is named in a message and ignored;
    the page then answers 400 with the unfiltered list."""
    filters, bad = {}, False
    for key, label in FILTERS.items():
        try:
            filters[key] = clean_text(request.GET.get(key, ""), max_length=100, label=str(label))
        except ValidationError as exc:
            messages.error(request, _("筛选条件无效，已忽略：%(msg)s") % {"msg": exc.messages[0]})
            filters[key], bad = "", True
    events = selectors.event_list(
        user=request.user, target_type=filters["target_type"], target_id=filters["target_id"],
        action=filters["action"], unit_code=filters["unit"],
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(request, "audit/event_list.html", {"page": page, "filters": filters, "query": query},
                  status=400 if bad else 200)
