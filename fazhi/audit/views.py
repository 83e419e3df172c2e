"""审计日志 page: the office's subtree only, filterable by target."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render

from fazhi.orgs import policies
from fazhi.orgs.models import Role

from . import selectors


@policies.role_required(Role.OFFICE)
def event_list(request):
    filters = {key: request.GET.get(key, "").strip()[:100] for key in ("target_type", "target_id", "action", "unit")}
    events = selectors.event_list(
        user=request.user, target_type=filters["target_type"], target_id=filters["target_id"],
        action=filters["action"], unit_code=filters["unit"],
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(request, "audit/event_list.html", {"page": page, "filters": filters, "query": query})
