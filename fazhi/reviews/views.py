"""Pages of the reviews app. Thin: scope through ``policies`` (404 outside scope, 403 for the wrong role), writes
through ``services``; a refused write shows its message and changes nothing."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fazhi.assessment import disclosure, lifecycle
from fazhi.assessment.models import Campaign, CampaignStatus, CampaignUnit
from fazhi.audit.services import record_download
from fazhi.documents import policies as document_policies
from fazhi.documents import selectors as document_selectors
from fazhi.documents import services as document_services
from fazhi.documents.models import Document, FileRole, NumberRegister
from fazhi.io.http import docx_response, file_response, xlsx_response
from fazhi.io.params import parse_id, parse_int
from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role
from fazhi.templatetags.punctuation import in_parens, semicolon

from . import batch, letters, policies, selectors, services
from .models import (
    CalendarOverride,
    CalendarYear,
    Feedback,
    FeedbackRound,
    LetterKind,
    LetterTemplate,
    Notice,
    Outcome,
    Rectification,
    RectificationReport,
    ReviewEvidence,
    ReviewStatus,
)
from .reminders import scoring_reminders_send

OFFICE = (Role.OFFICE,)


def _messages_of(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


def _attempt(request, func, success: str, **kwargs):
    """Run a service; on refusal show its message (nothing was written). Returns the result or None."""
    try:
        result = func(user=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        return None
    messages.success(request, success)
    return result


def _campaign(request, pk: int) -> Campaign:
    return get_object_or_404(policies.managed_campaigns(request.user).select_related("owner"), pk=pk)


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


# --- calendar -------------------------------------------------------------------------------------------------

@org_policies.role_required(*OFFICE)
def calendar_page(request):
    """工作日历 — the office's overrides of the official calendar (holidays and 调休 for unknown years)."""
    owner = org_policies.jurisdiction(request.user)
    if owner is None:
        raise Http404
    if request.method == "POST":
        op = request.POST.get("op")
        if op == "add":
            day = _parse_date(request.POST.get("date", ""))
            if day is None:
                messages.error(request, _("请填写有效的日期（YYYY-MM-DD）"))
            else:
                _attempt(request, services.calendar_override_save, _("已保存"), date=day,
                         is_working_day=request.POST.get("is_working_day") == "1",
                         note=request.POST.get("note", ""))
        elif op == "delete":
            item = get_object_or_404(CalendarOverride, pk=parse_id(request.POST.get("pk")) or 0, owner=owner)
            _attempt(request, services.calendar_override_delete, _("已删除"), override=item)
        elif op == "year":
            year = parse_int(request.POST.get("year", ""))
            if year is None:
                messages.error(request, _("请填写年度"))
            else:
                _attempt(request, services.calendar_year_declare, _("已确认该年度日历录入完整"), year=year,
                         note=request.POST.get("note", ""))
        return redirect("reviews:calendar")
    return render(request, "reviews/calendar.html", {
        "owner": owner,
        "overrides": CalendarOverride.objects.filter(owner=owner),
        "years": CalendarYear.objects.filter(owner=owner),
    })


# --- office: campaigns ----------------------------------------------------------------------------------------

@org_policies.role_required(*OFFICE)
def campaign_list(request):
    campaigns = policies.managed_campaigns(request.user).select_related("owner")
    return render(request, "reviews/campaign_list.html", {"campaigns": campaigns})


@org_policies.role_required(*OFFICE)
def campaign_detail(request, pk: int):
    """结果运用 — feedback, re-reviews, approval and publication, lists, letters, copies, rectification."""
    campaign = _campaign(request, pk)
    results = list(campaign.results.select_related("unit", "campaign").order_by("category", "-total"))
    issued = {}
    if request.user.unit_id:
        issued = {d.key: d for d in Document.objects.filter(
            office_id=request.user.unit_id, subject_type=ContentType.objects.get_for_model(Campaign),
            subject_id=campaign.pk).only("pk", "key", "number")}
    with_feedback = set(Feedback.objects.filter(campaign=campaign).values_list("unit_id", flat=True))

    def entry(kind, target):
        return {"kind": kind, "label": LetterKind(kind).label, "target": target,
                "document": issued.get(letters.document_key(campaign, kind, target))}

    for r in results:
        r.show_rank = selectors.shows_rank(r)
        r.letters = [entry(kind, r.unit.code) for kind in letters.unit_kinds_for(r, r.unit_id in with_feedback)]
    campaign_letters = [entry(kind, letters.CAMPAIGN_TARGET) for kind in letters.campaign_kinds_for(campaign)]
    copies = [{**r, "letter": entry(LetterKind.COPY, r["key"])} for r in selectors.COPY_RECIPIENTS]
    return render(request, "reviews/campaign_detail.html", {
        "campaign": campaign,
        "feedback": Feedback.objects.filter(campaign=campaign, round__isnull=True).select_related(
            "unit", "indicator", "review"),
        "feedback_round": FeedbackRound.objects.filter(campaign=campaign).first(),
        "campaign_units": CampaignUnit.objects.filter(campaign=campaign).select_related("unit"),
        "indicators": campaign.indicators.filter(points__isnull=False).order_by("sort", "code"),
        "open_reviews": services.open_reviews(campaign).count(),
        "results": results,
        "lists": [(key, title) for key, (title, _f) in selectors.LISTS.items()],
        "recipients": copies,
        "campaign_letters": campaign_letters,
        "issued_count": len(issued),
        "rectifications": Rectification.objects.filter(campaign=campaign).select_related("unit"),
        "letters_allowed": campaign.status in letters.RESULT_STATUSES,
        "released": disclosure.is_released(campaign),
        "publish_scores_editable": not disclosure.is_released(campaign),
        "status": CampaignStatus,
        "actions": [a.as_button() for a in lifecycle.available_steps(request.user, campaign)
                    if a.step.action in PAGE_STEPS],
        "here": reverse("reviews:campaign_detail", args=[campaign.pk]),
    })


#: the lifecycle steps offered on this page (the others are on the assessment campaign page)
PAGE_STEPS = ("open_feedback", "submit", "return", "approve", "publish", "notify", "freeze")


@org_policies.role_required(*OFFICE)
@require_POST
def feedback_send(request, pk: int):
    campaign = _campaign(request, pk)
    unit = CampaignUnit.objects.filter(campaign=campaign, unit_id=parse_id(request.POST.get("unit")) or 0).first()
    if unit is None:
        messages.error(request, _("请选择考核对象"))
        return redirect("reviews:campaign_detail", pk=campaign.pk)
    indicator = None
    if request.POST.get("indicator"):
        indicator = campaign.indicators.filter(pk=parse_id(request.POST["indicator"]) or 0).first()
        if indicator is None:
            messages.error(request, _("指标不属于本次考核"))
            return redirect("reviews:campaign_detail", pk=campaign.pk)
    item = _attempt(request, services.feedback_send, _("反馈已发送"), campaign=campaign, unit=unit.unit,
                    indicator=indicator, text=request.POST.get("text", ""))
    if item is not None and item.deadline_warning:
        messages.warning(request, item.deadline_warning)
    return redirect("reviews:campaign_detail", pk=campaign.pk)


@org_policies.role_required(*OFFICE)
def list_export(request, pk: int, key: str):
    campaign = _campaign(request, pk)
    if key not in selectors.LISTS:
        raise Http404
    title = selectors.LISTS[key][0]
    filename = f"{campaign.year}{title}.xlsx"
    record_download(user=request.user, target=campaign, what=f"reviews.list.{key}", filename=filename)
    return xlsx_response(selectors.list_workbook(campaign, key), filename)


@org_policies.role_required(*OFFICE)
def copy_export(request, pk: int, key: str):
    campaign = _campaign(request, pk)
    recipient = next((r for r in selectors.COPY_RECIPIENTS if r["key"] == key), None)
    if recipient is None:
        raise Http404
    if campaign.status not in letters.RESULT_STATUSES:
        messages.error(request, _("考核结果审定后才能抄送"))
        return redirect("reviews:campaign_detail", pk=campaign.pk)
    filename = f"{campaign.year}考核结果_抄送{recipient['name']}.xlsx"
    record_download(user=request.user, target=campaign, what=f"reviews.copy.{key}", filename=filename)
    return xlsx_response(selectors.copy_workbook(campaign, recipient), filename)


def _letter_target(request, campaign: Campaign, kind: str, target: str):
    """Check kind and target; on refusal add the message and return a redirect, else None."""
    if kind not in LetterKind.values:
        raise Http404
    scope = letters.SPECS[LetterKind(kind)].scope
    if scope == "unit" and letters.target_unit(campaign, kind, target)[0] is None:
        raise Http404
    if scope == "recipient" and letters.recipient_by_key(target) is None:
        raise Http404
    if scope == "campaign" and target != letters.CAMPAIGN_TARGET:
        raise Http404
    return None


def _issued(campaign: Campaign, kind: str, target: str, office):
    return document_selectors.with_latest(Document.objects.filter(
        office=office, key=letters.document_key(campaign, kind, target))).first()


@org_policies.role_required(*OFFICE)
def letter(request, pk: int, kind: str, unit_code: str):
    """The document of ``kind`` for a unit (or ``all``, or a copy recipient) as .docx: the latest version once
    issued, else a draft (样稿) without a number."""
    campaign = _campaign(request, pk)
    _letter_target(request, campaign, kind, unit_code)
    issued = _issued(campaign, kind, unit_code, request.user.unit) if request.user.unit_id else None
    if issued is not None:
        latest = document_selectors.latest_version(issued)
        docx = next((f for f in latest.files.all() if f.role == FileRole.DOCX), None) if latest else None
        if docx is not None:
            return redirect("documents:file", pk=issued.pk, file_pk=docx.pk)
    try:
        data = letters.preview(office=request.user.unit, campaign=campaign, kind=kind, target=unit_code)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        if any("模板" in m for m in exc.messages):
            return redirect("reviews:templates")
        return redirect("reviews:campaign_detail", pk=campaign.pk)
    filename = f"样稿_{LetterKind(kind).label}_{unit_code}.docx"
    record_download(user=request.user, target=campaign, what=f"reviews.letter.{kind}", filename=filename)
    return docx_response(data, filename)


@org_policies.role_required(*OFFICE)
def letter_issue(request, pk: int, kind: str, unit_code: str):
    """制发 — shows what will be issued (addressees, the number it will take) and issues it on confirmation."""
    campaign = _campaign(request, pk)
    _letter_target(request, campaign, kind, unit_code)
    office = request.user.unit
    issued = _issued(campaign, kind, unit_code, office) if office else None
    if issued is not None:
        messages.info(request, _("该文书已制发（%(n)s）") % {"n": issued.number})
        return redirect("documents:detail", pk=issued.pk)
    params = {"when": request.POST.get("when", "")[:200], "due": request.POST.get("due", "")[:10]}
    try:
        content = letters.build(office=office, subject=campaign, about_unit=None,
                                params={**params, "target": unit_code}, kind=kind)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        return redirect("reviews:campaign_detail", pk=campaign.pk)
    profile = document_services.profile_of(office)
    if request.method == "POST":
        if request.POST.get("confirm") != "1":
            messages.error(request, _("请勾选确认后再制发：发文字号一经编定不能撤回"))
        else:
            try:
                document = letters.issue(user=request.user, campaign=campaign, kind=kind, target=unit_code,
                                         main_to=request.POST.get("main_to"), cc_to=request.POST.get("cc_to"),
                                         params=params)
            except ValidationError as exc:
                messages.error(request, _messages_of(exc))
            else:
                messages.success(request, _("已制发：%(n)s") % {"n": document.number})
                return redirect("documents:detail", pk=document.pk)
    next_number = None
    if profile is not None:
        year = timezone.localdate().year
        used = NumberRegister.objects.filter(office=office, year=year).values_list("last", flat=True).first() or 0
        next_number = document_services.format_number(profile.code, year, used + 1)
    return render(request, "reviews/letter_issue.html", {
        "campaign": campaign, "kind": kind, "kind_label": LetterKind(kind).label, "target": unit_code,
        "content": content, "profile": profile, "next_number": next_number,
        "needs_when": kind == LetterKind.INTERVIEW, "needs_due": kind == LetterKind.RECTIFY_ORDER,
    })


@org_policies.role_required(*OFFICE)
def documents_zip(request, pk: int):
    """All documents issued for the campaign (latest versions, DOCX, PDF and Excel), with an index sheet."""
    campaign = _campaign(request, pk)
    documents = document_selectors.with_latest(
        document_policies.documents_for(request.user).filter(
            subject_type=ContentType.objects.get_for_model(Campaign), subject_id=campaign.pk).order_by("year", "seq"))
    data = document_selectors.bundle_zip(list(documents), title=f"{campaign.name}公文")
    filename = f"{campaign.year}年度考核公文.zip"
    record_download(user=request.user, target=campaign, what="documents.zip", filename=filename)
    return file_response(data, filename, "application/zip")


@org_policies.role_required(*OFFICE)
def templates_page(request):
    """文书模板 — upload a replacement .docx per kind; it must follow the format rules and render."""
    owner = org_policies.jurisdiction(request.user)
    if owner is None:
        raise Http404
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择模板文件"))
        elif upload.size > letters.MAX_TEMPLATE_BYTES:
            messages.error(request, _("模板文件过大（上限 5 MB）"))
        else:
            _attempt(request, letters.template_upload, _("模板已更新"), owner=owner,
                     kind=request.POST.get("kind", ""), data=upload.read(), name=upload.name)
        return redirect("reviews:templates")
    return render(request, "reviews/templates.html", {
        "kinds": [(value, label, letters.placeholders(value)) for value, label in LetterKind.choices],
        "templates": LetterTemplate.objects.filter(owner=owner),
    })


@org_policies.role_required(*OFFICE)
def template_download(request, kind: str):
    owner = org_policies.jurisdiction(request.user)
    if owner is None or kind not in LetterKind.values:
        raise Http404
    filename = f"{LetterKind(kind).label}_模板.docx"
    record_download(user=request.user, target=owner, what=f"reviews.template.{kind}", filename=filename)
    return docx_response(letters.template_bytes(owner, kind), filename)


# --- feedback (all roles, scoped) -----------------------------------------------------------------------------

@org_policies.role_required(Role.OFFICE, Role.ASSESSED, Role.ASSESSING)
def feedback_detail(request, pk: int):
    item = policies.get_or_404(
        policies.visible_feedback(request.user).select_related("campaign", "unit", "indicator"), pk=pk)
    review = getattr(item, "review", None) if hasattr(item, "review") else None
    decision = getattr(review, "decision", None) if review is not None and hasattr(review, "decision") else None
    score = None
    if item.indicator_id:
        score = item.indicator.scores.filter(unit=item.unit, subunit__isnull=True).first()
    user = request.user
    return render(request, "reviews/feedback_detail.html", {
        "item": item, "review": review, "decision": decision, "score": score,
        "can_answer": policies.is_assessed(user) and item.is_open and not item.is_overdue,
        "can_decide": review is not None and review.status == ReviewStatus.OPEN
        and policies.decidable_reviews(user).filter(pk=review.pk).exists(),
        "outcomes": Outcome.choices,
        "is_office": org_policies.has_role(user, Role.OFFICE),
    })


def _back_to(request, item: Feedback):
    """After an answer: the draft page it came from (an item of the 初步结果反馈), else the item's page."""
    if request.POST.get("back") == "draft" and item.round_id:
        return redirect(reverse("reviews:my_draft", args=[item.campaign_id]) + f"#item-{item.pk}")
    return redirect("reviews:feedback_detail", pk=item.pk)


@org_policies.role_required(Role.ASSESSED)
@require_POST
def feedback_accept(request, pk: int):
    item = policies.get_or_404(policies.visible_feedback(request.user), pk=pk)
    _attempt(request, services.feedback_accept, _("已确认反馈"), feedback=item,
             response=request.POST.get("response", ""))
    return _back_to(request, item)


@org_policies.role_required(Role.ASSESSED)
@require_POST
def review_request(request, pk: int):
    item = policies.get_or_404(policies.visible_feedback(request.user), pk=pk)
    _attempt(request, services.review_request, _("复核申请已提交"), feedback=item,
             text=request.POST.get("text", ""), files=request.FILES.getlist("files"))
    return _back_to(request, item)


# --- 初步结果反馈 (batch) ---------------------------------------------------------------------------------------

ROUND_PAGE_SIZE = 50


@org_policies.role_required(*OFFICE)
def feedback_round(request, pk: int):
    """初步结果反馈 — the send (with its consequences), then counts by state and one row per unit, paged."""
    from django.core.paginator import Paginator

    campaign = _campaign(request, pk)
    round_ = FeedbackRound.objects.filter(campaign=campaign).first()
    context = {"campaign": campaign, "round": round_, "states": batch.STATES}
    if round_ is not None:
        state = request.GET.get("state", "")
        state = state if state in batch.STATES else ""
        page = Paginator(batch.round_units(round_, state), ROUND_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(totals=batch.round_totals(round_), page=page, state=state)
    else:
        context["can_send"] = campaign.status in batch.BATCH_STATUSES and not campaign.frozen
    return render(request, "reviews/feedback_round.html", context)


@org_policies.role_required(*OFFICE)
@require_POST
def feedback_batch(request, pk: int):
    """发送初步结果: first the consequences in numbers with a one-time confirmation; posted back with it, the send.
    A refused confirmation (forged, replayed, numbers changed) is audited and changes nothing."""
    from fazhi.audit.confirm import record_refusal

    campaign = _campaign(request, pk)
    token = request.POST.get("confirmation")
    try:
        if not token:
            issued = batch.feedback_batch_preview(user=request.user, campaign=campaign)
            return render(request, "includes/confirm.html", {
                "title": _("发送初步结果反馈"), "subject": campaign.name, "issued": issued,
                "action": reverse("reviews:feedback_batch", args=[pk]),
                "back": reverse("reviews:feedback_round", args=[pk])})
        round_ = batch.feedback_batch_send(user=request.user, campaign=campaign, confirmation=token)
    except ValidationError as exc:
        if token:
            record_refusal(user=request.user, target=campaign, action=batch.ACTION, exc=exc)
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, _("已向 %(n)d 个被考核单位发送初步结果，共 %(m)d 项扣分。")
                         % {"n": round_.units, "m": round_.items})
    return redirect("reviews:feedback_round", pk=pk)


@org_policies.role_required(Role.ASSESSED)
def my_draft(request, pk: int):
    """本单位初步结果 — the draft score and every deduction, each to confirm or object to inside the window."""
    return render(request, "reviews/my_draft.html", batch.unit_draft(request.user, pk))


@org_policies.role_required(Role.OFFICE, Role.ASSESSING)
@require_POST
def review_decide(request, pk: int):
    item = policies.get_or_404(policies.visible_feedback(request.user), pk=pk)
    review = getattr(item, "review", None) if hasattr(item, "review") else None
    if review is None or not policies.decidable_reviews(request.user).filter(pk=review.pk).exists():
        raise Http404
    version = request.POST.get("version", "").strip()
    # a version that is not a whole number matches no score: refused as a stale page, never skipped
    expected_version = None
    if version:
        parsed = parse_int(version, minimum=0)
        expected_version = -1 if parsed is None else parsed
    _attempt(request, services.review_decide, _("复核决定已保存"), review=review,
             outcome=request.POST.get("outcome", ""), reason=request.POST.get("reason", ""),
             new_value=request.POST.get("new_value") or None,
             expected_version=expected_version)
    return redirect("reviews:feedback_detail", pk=item.pk)


@org_policies.role_required(Role.OFFICE, Role.ASSESSED, Role.ASSESSING)
def evidence_download(request, pk: int):
    """A re-review evidence file: whoever may see the feedback (the office, the unit, the deciding assessing
    unit); 404 for anyone else. Never served from MEDIA_URL."""
    evidence = get_object_or_404(ReviewEvidence.objects.select_related("review__feedback"), pk=pk)
    if not policies.visible_feedback(request.user).filter(pk=evidence.review.feedback_id).exists():
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    record_download(user=request.user, target=evidence.review.feedback, what="reviews.evidence",
                    filename=evidence.original_name, evidence=True)
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name)


@org_policies.role_required(Role.OFFICE, Role.ASSESSED)
def rectification_report_file(request, pk: int):
    """The file of a rectification report: the office of the campaign and the unit itself; 404 for anyone else."""
    report = get_object_or_404(RectificationReport.objects.select_related("rectification"), pk=pk)
    if not report.file or not policies.visible_rectifications(request.user).filter(
            pk=report.rectification_id).exists():
        raise Http404
    try:
        handle = report.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    filename = report.file.name.rsplit("/", 1)[-1]
    record_download(user=request.user, target=report.rectification, what="reviews.rectification",
                    filename=filename, evidence=True)
    return FileResponse(handle, as_attachment=True, filename=filename)


# --- assessed unit ---------------------------------------------------------------------------------------------

@org_policies.role_required(Role.ASSESSED)
def my_feedback(request):
    """考核反馈 — what my unit must verify, with deadlines; my notices and rectification items."""
    notices = list(Notice.objects.filter(user=request.user)[:20])
    Notice.objects.filter(user=request.user, read_at__isnull=True).update(read_at=dt.datetime.now(dt.UTC))
    return render(request, "reviews/my_feedback.html", {
        "feedback": policies.visible_feedback(request.user).filter(round__isnull=True).select_related(
            "campaign", "indicator"),
        "rounds": FeedbackRound.objects.filter(campaign__results__unit_id=request.user.unit_id).select_related(
            "campaign").annotate(open=Count("feedback_items", filter=Q(feedback_items__unit_id=request.user.unit_id,
                                                                       feedback_items__status="sent"))),
        "notices": notices,
        "rectifications": policies.visible_rectifications(request.user).select_related("campaign"),
    })


@org_policies.role_required(Role.ASSESSED)
def my_results(request):
    """我的考核结果 — only released campaigns (公布 or 通报), only my unit (``disclosure.own_results``)."""
    details = selectors.own_published_details(disclosure.own_results(request.user))
    return render(request, "reviews/my_results.html", {"details": details})


# --- assessing unit ---------------------------------------------------------------------------------------------

@org_policies.role_required(Role.ASSESSING)
def review_queue(request):
    reviews = policies.decidable_reviews(request.user).select_related(
        "feedback__unit", "feedback__indicator", "feedback__campaign").order_by("status", "-requested_at")
    return render(request, "reviews/review_queue.html", {"reviews": reviews})


# --- published data: the full bundle for the office, each unit's own slice ----------------------------------------

@org_policies.role_required(Role.OFFICE, Role.APPROVER)
def full_bundle(request, pk: int):
    """The engine input and the result of a released campaign (公布 or 通报), as JSON, for those who see everything
    of it (``disclosure.scope_campaigns``: the office of its level and the levels above, its approver) — never
    anyone else: it holds every unit's scores and reasons. Recompute with ``fazhi assess compute FILE.json``."""
    campaign = get_object_or_404(disclosure.scope_campaigns(request.user).filter(
        status__in=disclosure.RELEASED).select_related("owner"), pk=pk)
    filename = f"campaign-{campaign.pk}-{campaign.year}.json"
    record_download(user=request.user, target=campaign, what="reviews.full_bundle", filename=filename)
    body = json.dumps(selectors.public_bundle(campaign), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@org_policies.role_required(Role.ASSESSED)
def my_slice(request, pk: int):
    """本单位结果数据片: the unit's own engine input and result with its Merkle inclusion proof, for a released
    campaign (公布 or 通报) — verify with ``fazhi assess verify SLICE.json --root HASH`` (the root is on the public page)."""
    from fazhi.assessment import commitment

    result = get_object_or_404(disclosure.own_results(request.user).select_related("campaign__owner"),
                               campaign_id=pk)
    try:
        data = commitment.slice_for(result.campaign, result.unit)
    except (commitment.CommitmentMismatch, LookupError):
        raise Http404 from None  # nothing is handed out that does not match the published root
    filename = f"slice-{result.campaign.year}-{result.unit.code}.json"
    record_download(user=request.user, target=result.campaign, what="reviews.my_slice", filename=filename)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=1),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- rectification -----------------------------------------------------------------------------------------------

@org_policies.role_required(*OFFICE)
@require_POST
def rectification_create(request, pk: int):
    campaign = _campaign(request, pk)
    member = CampaignUnit.objects.filter(campaign=campaign, unit_id=parse_id(request.POST.get("unit")) or 0).first()
    due = _parse_date(request.POST.get("due_date", ""))
    if member is None or due is None:
        messages.error(request, _("请选择单位并填写有效的整改期限"))
    else:
        _attempt(request, services.rectification_create, _("整改事项已交办"), campaign=campaign, unit=member.unit,
                 title=request.POST.get("title", ""), detail=request.POST.get("detail", ""), due_date=due)
    return redirect("reviews:campaign_detail", pk=campaign.pk)


@org_policies.role_required(Role.OFFICE, Role.ASSESSED)
def rectification_detail(request, pk: int):
    item = policies.get_or_404(policies.visible_rectifications(request.user).select_related("campaign", "unit"),
                               pk=pk)
    if request.method == "POST":
        op = request.POST.get("op")
        if op == "report" and policies.is_assessed(request.user):
            _attempt(request, services.rectification_report, _("整改报告已提交"), rectification=item,
                     text=request.POST.get("text", ""), file=request.FILES.get("file"))
        elif op in ("signoff", "return") and org_policies.has_role(request.user, Role.OFFICE):
            _attempt(request, services.rectification_signoff, _("审核意见已保存"), rectification=item,
                     approve=op == "signoff", note=request.POST.get("note", ""))
        else:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return redirect("reviews:rectification_detail", pk=item.pk)
    return render(request, "reviews/rectification_detail.html", {
        "item": item, "reports": item.reports.all(),
        "is_office": org_policies.has_role(request.user, Role.OFFICE),
        "is_unit": policies.is_assessed(request.user),
    })


@org_policies.role_required(Role.OFFICE)
@require_POST
def scoring_remind(request, pk: int):
    """评分催办 — from the scoring progress page: remind every assessing unit that has not submitted."""
    campaign = policies.get_or_404(policies.managed_campaigns(request.user), pk=pk)
    try:
        outcome = scoring_reminders_send(user=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, _("未催办：") + semicolon().join(_(m) for m in exc.messages))
    else:
        messages.success(request, _("已向 %(units)d 个考核主体（%(people)d 人）发送评分催办。")
                         % {"units": outcome.units, "people": outcome.people})
        if outcome.skipped:
            messages.warning(request, _("以下 %(count)d 个考核主体未催办：%(list)s") % {
                "count": len(outcome.skipped),
                "list": semicolon().join(f"{u.name}{in_parens(_(why))}" for u, why in outcome.skipped)})
    return redirect("assessment:progress", pk=campaign.pk)
