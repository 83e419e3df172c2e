"""Unit management for offices (the home page of each role is the workbench, ``fazhi.workbench``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fazhi.io.excel import ImportFailed
from fazhi.io.http import xlsx_response
from fazhi.io.params import has_nul, int_filter
from fazhi.io.uploads import uploaded_file

from . import events, policies, services
from .models import Category, LoginRecord, Role, Unit, User

OFFICE = (Role.OFFICE,)
#: Longest search text of the unit list (a longer LIKE pattern is refused by SQLite, and no name is that long).
MAX_QUERY = 100


@policies.role_required(*OFFICE)
def unit_list(request):
    """单位管理 — the office's subtree, searchable."""
    units = policies.managed_units(request.user).select_related("parent")
    valid = True
    query = request.GET.get("q", "").strip()
    if len(query) > MAX_QUERY or has_nul([query]):
        messages.error(request, _("搜索词无效（最多 %(max)d 个字，不能含控制字符），已忽略。") % {"max": MAX_QUERY})
        query, valid = "", False
    if query:
        units = units.filter(Q(name__icontains=query) | Q(code__icontains=query))
    category, ok = int_filter(request, "category", _("考核类别"), minimum=min(Category.values), maximum=max(Category.values))
    valid = valid and ok
    if category is not None:
        units = units.filter(category=category)
    page = Paginator(units, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/unit_list.html",
        {"page": page, "query": query, "category": "" if category is None else str(category),
         "categories": Category.choices, "root": policies.jurisdiction(request.user)},
        status=200 if valid else 400,
    )


@policies.role_required(*OFFICE)
def unit_detail(request, code: str):
    if has_nul([code]):  # PostgreSQL refuses a NUL in a query; no code holds one
        raise Http404
    unit = get_object_or_404(Unit, code=code)
    if not policies.can_manage(request.user, unit):
        raise Http404  # do not reveal that a unit exists outside one's scope
    children = unit.children.all()
    people = unit.people.all()
    return render(request, "orgs/unit_detail.html", {"unit": unit, "children": children, "people": people,
                                                     "ancestors": unit.ancestors()})


@policies.role_required(*OFFICE)
def unit_export(request):
    events.record_download(user=request.user, target=policies.jurisdiction(request.user), what="orgs.units",
                           filename="单位.xlsx")
    return xlsx_response(services.unit_export(user=request.user), "单位.xlsx")


@policies.role_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def unit_import(request):
    """单位导入 — Excel, all-or-nothing, every error listed with its row and column."""
    errors = []
    if request.method == "POST":
        upload, errors = uploaded_file(request)
        if upload is not None:
            try:
                result = services.unit_import(user=request.user, data=upload.read())
            except ImportFailed as exc:
                errors = [str(e) for e in exc.errors]
            else:
                messages.success(
                    request, _("导入成功：新建 %(created)d 个，更新 %(updated)d 个单位。") % result
                )
    status = 400 if errors else 200
    return render(request, "orgs/unit_import.html", {"errors": errors}, status=status)


@policies.role_required(*OFFICE)
def people(request):
    """人员 — people of the units the office manages."""
    users = (
        User.objects.filter(unit__in=policies.managed_units(request.user))
        .select_related("unit")
        .order_by("unit__path", "username")
    )
    page = Paginator(users, 100).get_page(request.GET.get("page"))
    return render(request, "orgs/people.html", {"page": page, "roles": dict(Role.choices)})


@policies.role_required(*OFFICE)
def login_log(request):
    """登录日志 — sign-in attempts for accounts of the units the office manages (admins: all attempts)."""
    records = LoginRecord.objects.select_related("user", "user__unit")
    if not policies.is_platform_admin(request.user):
        usernames = User.objects.filter(unit__in=policies.managed_units(request.user)).values("username")
        records = records.filter(username__in=usernames)
    failed_only = request.GET.get("failed") == "1"
    if failed_only:
        records = records.filter(succeeded=False)
    page = Paginator(records, 100).get_page(request.GET.get("page"))
    return render(request, "orgs/login_log.html", {"page": page, "failed_only": failed_only})
