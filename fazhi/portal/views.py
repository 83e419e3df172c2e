"""Public portal (公众门户): pages anyone may read without signing in, and the office's opinion pages.

What the public sees: accepted and public annual reports (``AnnualReport.objects.published()``), assessment
results of campaigns the office published (公布, never 通报) as ``fazhi.assessment.disclosure`` allows — grades
for all, totals and ranks only for ranked categories and only if the office publishes scores —, and approved
public opinions. Every text shown is escaped.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fazhi.assessment import disclosure
from fazhi.assessment.models import Result
from fazhi.audit.services import record_download
from fazhi.io.excel import Column, build_workbook
from fazhi.io.http import xlsx_response
from fazhi.io.params import int_filter
from fazhi.orgs import policies
from fazhi.orgs.models import Level, Role
from fazhi.reports.models import AnnualReport
from fazhi.templatetags.punctuation import colon, semicolon

from . import policies as portal_policies
from . import search, services
from .forms import ModerationForm, OpinionForm, ReportFilterForm
from .models import OpinionStatus, PublicOpinion

OFFICE = (Role.OFFICE,)


def _published_campaigns():
    """The campaigns the public may see (``disclosure.public_campaigns``: 公布, never 通报)."""
    return disclosure.public_campaigns().select_related("owner")


def index(request):
    """门户首页 — recent reports, published results, search."""
    # texts deferred: sorting the published reports must not carry 15 KB bodies (province scale)
    reports = AnnualReport.objects.published().select_related("unit").defer("original_text", "clean_text") \
        .order_by("-year", "-published_on", "-pk")[:8]  # the order of reports_published_idx
    return render(request, "portal/index.html", {
        "reports": reports, "campaigns": _published_campaigns()[:6],
    })


def _filtered_reports(form: ReportFilterForm):
    reports = AnnualReport.objects.published().select_related("unit").defer("original_text", "clean_text")
    if form.is_valid():
        data = form.cleaned_data
        if data.get("region"):
            reports = reports.filter(unit__region=data["region"])
        if data.get("level"):
            reports = reports.filter(unit__level=data["level"])
        if data.get("year"):
            reports = reports.filter(year=data["year"])
    return reports


def _narrowed(form: ReportFilterForm) -> bool:
    """Whether the filters narrow the reports (region, level or year given and valid)."""
    return form.is_valid() and any(form.cleaned_data.get(name) for name in ("region", "level", "year"))


def _filter_context(form):
    published = AnnualReport.objects.published()
    return {
        "form": form,
        "regions": list(published.exclude(unit__region="").order_by("unit__region")
                        .values_list("unit__region", flat=True).distinct()),
        "years": list(published.order_by("-year").values_list("year", flat=True).distinct()),
        "levels": Level.choices,
    }


def _refuse_filters(request, form: ReportFilterForm) -> int:
    """Flash what is wrong with the filters (they are then ignored); the status the page answers with."""
    problems = form.problems()
    if problems:
        messages.error(request, _("筛选条件无效，已忽略") + colon() + semicolon().join(problems))
        return 400
    return 200


def report_list(request):
    """公开的年度报告 — by region, level and year."""
    form = ReportFilterForm(request.GET or None)
    reports = _filtered_reports(form).order_by("-year", "unit__path")
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    return render(request, "portal/report_list.html", {"page": page, **_filter_context(form)},
                  status=_refuse_filters(request, form))


def report_detail(request, pk: int):
    report = portal_policies.get_report_or_404(request.user, pk)
    catalogue = (report.check_result or {}).get("catalogue") or {}
    from fazhi.reports.selectors import key_label

    figures = [{"label": key_label(k), **v} for k, v in catalogue.items()]  # never the key itself
    return render(request, "portal/report_detail.html", {"report": report, "figures": figures})


def search_view(request):
    """全文检索 — jieba words + bigrams; hits highlighted."""
    form = ReportFilterForm(request.GET or None)
    query = (form.cleaned_data.get("q") if form.is_valid() else "") or ""
    hits = []
    if query.strip():
        hits_of = search.SearchHits(query, _filtered_reports(form) if _narrowed(form) else None)
        page = Paginator(hits_of, 20).get_page(request.GET.get("page"))
        hits = [{"report": r, "snippet": search.highlight(r.clean_text, query)} for r in page]
    else:
        page = None
    return render(request, "portal/search.html", {"query": query, "hits": hits, "page": page,
                                                  **_filter_context(form)}, status=_refuse_filters(request, form))


def results(request):
    """已公布的考核结果 — published campaigns only (a 通报 campaign is not public)."""
    return render(request, "portal/results.html", {"campaigns": _published_campaigns()})


def result_detail(request, pk: int):
    """One published campaign as the public sees it (``disclosure.public_view``): grades for all; totals and ranks
    only for ranked categories and only if the office publishes scores; never an indicator score or a reason.

    Rows are in ``disclosure.public_order``: by rank where the rank is shown, else by grade and the unit tree —
    never by total, which would reveal the ranking that is not published.
    """
    campaign = _published_campaigns().filter(pk=pk).first()
    if campaign is None:
        raise Http404
    groups: dict[int, dict] = {}
    city_grades = []
    rows = Result.objects.filter(campaign=campaign).select_related("unit", "campaign")
    for result in disclosure.public_order(rows):
        seen = disclosure.public_view(result)
        if not seen.anything:
            continue
        group = groups.setdefault(result.category, {"category": result.category, "label": result.get_category_display(),
                                                    "figures": False, "rows": []})
        group["figures"] = group["figures"] or seen.total
        group["rows"].append({"unit": result.unit, "grade": result.get_grade_display(), "grade_key": result.grade,
                              **{k: v for k, v in disclosure.figures(result, seen).items() if k in ("total", "rank")}})
        if result.unit.region and result.category == 1:
            city_grades.append({"name": result.unit.region, "value": 4 - GRADE_ORDER.get(result.grade, 3),
                                "grade": result.get_grade_display()})
    return render(request, "portal/result_detail.html", {
        "campaign": campaign, "groups": [groups[k] for k in sorted(groups)], "city_grades": city_grades,
    })


GRADE_ORDER = {"优秀": 0, "良好": 1, "合格": 2, "不合格": 3}


def opinion(request):
    """社情民意 — anyone may send an opinion; approved ones are shown here."""
    form = OpinionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        ip = request.META.get("REMOTE_ADDR", "")
        if services.rate_limited(services.ip_hash(ip)):
            messages.error(request, _("提交过于频繁，请稍后再试。"))
            status = 429
        elif form.is_valid():
            if form.cleaned_data.get("website"):  # honeypot: pretend success, store nothing
                messages.success(request, _("感谢您的意见，我们将在审核后处理。"))
                return redirect("portal:opinion")
            try:
                submitted = services.opinion_submit(
                    text=form.cleaned_data["text"], contact=form.cleaned_data.get("contact") or "",
                    about_unit=form.cleaned_data.get("about_unit"), ip=ip)
            except services.RateLimited:
                messages.error(request, _("提交过于频繁，请稍后再试。"))
                status = 429
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            else:
                messages.success(request, _("感谢您的意见。受理编号：%(ref)s，请记下以便查询办理进度。")
                                 % {"ref": submitted.reference})
                return redirect(reverse("portal:opinion_status") + "?ref=" + submitted.reference)
        else:
            status = 400
    # published ones (公开 is decided apart from 采纳)
    approved = PublicOpinion.objects.filter(is_public=True).select_related("about_unit")[:20]
    return render(request, "portal/opinion.html", {"form": form, "approved": approved}, status=status)


@policies.role_required(*OFFICE)
def moderation(request):
    """社情民意审核 — pending opinions about units of the office's subtree."""
    status = request.GET.get("status", OpinionStatus.PENDING)
    if status not in OpinionStatus.values:
        status = OpinionStatus.PENDING
    opinions = services.opinions_for(request.user).filter(status=status).select_related("about_unit",
                                                                                       "assigned_unit")
    page = Paginator(opinions, 50).get_page(request.GET.get("page"))
    units = policies.managed_units(request.user).filter(is_active=True).order_by("path").only("pk", "name")
    return render(request, "portal/moderation.html", {"page": page, "status": status,
                                                      "statuses": OpinionStatus.choices, "units": units,
                                                      "here": request.get_full_path()})


@policies.role_required(*OFFICE)
@require_POST
def moderate(request, pk: int):
    opinion = portal_policies.get_opinion_or_404(request.user, pk)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        problems = [f"{form.fields[name].label}{colon()}{' '.join(errors)}" if name in form.fields else " ".join(errors)
                    for name, errors in form.errors.items()]
        messages.error(request, _("操作无效") + colon() + semicolon().join(problems))
    else:
        action = form.cleaned_data["action"]
        try:
            if action in ("approve", "reject"):
                status = {"approve": OpinionStatus.APPROVED, "reject": OpinionStatus.REJECTED}[action]
                services.opinion_moderate(user=request.user, opinion=opinion, status=status,
                                          note=form.cleaned_data.get("note") or "")
            elif action in ("publish", "unpublish"):
                services.opinion_set_public(user=request.user, opinion=opinion, public=action == "publish")
            elif action == "forward":
                unit = form.cleaned_data.get("unit")
                if unit is None or not policies.can_manage(request.user, unit):
                    raise ValidationError(_("请选择您管理范围内的转办单位"))
                services.opinion_forward(user=request.user, opinion=opinion, unit=unit)
            else:
                services.opinion_reply(user=request.user, opinion=opinion, text=form.cleaned_data.get("reply") or "")
        except ValidationError as exc:
            messages.error(request, _("未处理：") + semicolon().join(_(m) for m in exc.messages))
        else:
            messages.success(request, _("已处理"))
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/opinions/")
                    else "portal:moderation")


def opinion_status(request):
    """办理进度查询 — the submitter types the reference number and sees where the opinion is and the answer.
    Nothing else of the opinion shows (not its contact), and an unknown number says so without guessing."""
    reference = request.GET.get("ref", "").strip()[:20]
    found = services.opinion_lookup(reference) if reference else None
    return render(request, "portal/opinion_status.html", {"reference": reference, "found": found},
                  status=404 if reference and found is None else 200)


def _satisfaction_rows(user):
    approved = services.opinions_for(user).filter(status=OpinionStatus.APPROVED)
    counts = (approved.values("about_unit", "about_unit__name", "about_unit__code")
              .annotate(n=Count("pk")).order_by("-n", "about_unit__name"))
    return approved, list(counts)


@policies.role_required(*OFFICE)
def satisfaction(request):
    """社情民意汇总 — approved opinions per unit, for satisfaction scoring."""
    approved, counts = _satisfaction_rows(request.user)
    unit, ok = int_filter(request, "unit", _("单位"))
    listing = approved.select_related("about_unit")
    if unit is not None:
        listing = listing.filter(about_unit_id=unit)
    page = Paginator(listing, 50).get_page(request.GET.get("page"))
    return render(request, "portal/satisfaction.html",
                  {"counts": counts, "page": page, "unit": "" if unit is None else str(unit)},
                  status=200 if ok else 400)


@policies.role_required(*OFFICE)
def satisfaction_export(request):
    approved, counts = _satisfaction_rows(request.user)
    columns = [Column("code", "单位编码"), Column("unit", "单位", width=30), Column("count", "已采纳意见数"),
               Column("created", "提交时间", required=False), Column("text", "意见内容", required=False, width=80)]
    rows = [{"code": c["about_unit__code"] or "", "unit": c["about_unit__name"] or "（未指定单位）", "count": c["n"]}
            for c in counts]
    detail = [["单位", "提交时间", "意见内容"]] + [
        [o.about_unit.name if o.about_unit else "", o.created_at.strftime("%Y-%m-%d %H:%M"), o.text]
        for o in approved.select_related("about_unit").order_by("about_unit__path", "created_at")
    ]
    content = build_workbook("社情民意汇总", columns, rows, instructions=["已采纳的社情民意，按单位汇总，用于满意度评价。"],
                             extra_sheets={"明细": detail})
    record_download(user=request.user, target=policies.jurisdiction(request.user), what="portal.opinions",
                    filename="社情民意汇总.xlsx")
    return xlsx_response(content, "社情民意汇总.xlsx")
