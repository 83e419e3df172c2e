"""The one writer of 集中评查 data. Every write is ``@transaction.atomic`` and audited in the same transaction.

Order of work: ``review_create`` → ``checklist_item_add`` / ``expert_add`` → units ``file_register`` /
``file_import`` → ``sample_draw`` (the population is fixed and fingerprinted, then the seed recorded, then
the draw — all in one record that never changes) → ``assignments_make`` → experts ``file_score`` →
``indicator_write`` (through ``assessment.services.score_save``, never ``Score`` directly).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.assessment import selectors as assessment_selectors
from fazhi.assessment import services as assessment_services
from fazhi.assessment import steps
from fazhi.assessment.models import Method, Score
from fazhi.audit.services import record_event
from fazhi.core import methods, sampling
from fazhi.draws import services as draws_services
from fazhi.io.excel import Column, ImportFailed, RowError, build_workbook, parse_rows
from fazhi.orgs.models import Role, Unit

from . import policies
from .models import (
    FULL_MARKS,
    Assignment,
    CaseFile,
    CaseReview,
    CaseType,
    ChecklistItem,
    Deduction,
    ReviewExpert,
    ReviewStatus,
    Sample,
)


def _audit(*, user, action: str, target, before=None, after=None, reason: str = "", unit=None) -> None:
    record_event(actor=user, action=f"casereview.{action}", target=target, before=before, after=after,
                 reason=reason, unit=unit)


def _require_office(user, review: CaseReview) -> None:
    if not policies.reviews_for(user, "manage").filter(pk=review.pk).exists():
        raise PermissionDenied(_("只有组织评查的考核办可以进行此操作"))


def _require_status(review: CaseReview, *statuses: str, message: str) -> None:
    review.refresh_from_db(fields=["status"])  # the caller's copy may predate a draw
    if review.status not in statuses:
        raise ValidationError(message)


def target_units(review: CaseReview) -> list[Unit]:
    """The assessed units the review's indicator applies to (with the campaign's per-unit overrides)."""
    cells = assessment_selectors.campaign_cells(review.campaign, [review.indicator])
    seen, units = set(), []
    for cell in cells:
        if cell.unit.pk not in seen:
            seen.add(cell.unit.pk)
            units.append(cell.unit)
    return units


@transaction.atomic
def review_create(*, user, campaign, indicator, title: str, case_types: list[str], files_per_unit: int = 3,
                  rule: str = "mean", pass_mark=Decimal(60)) -> CaseReview:
    if not policies.assessment_policies.managed_campaigns(user).filter(pk=campaign.pk).exists():
        raise PermissionDenied(_("只有组织评查的考核办可以进行此操作"))
    if indicator.campaign_id != campaign.pk or indicator.points is None or indicator.method != Method.REVIEW:
        raise ValidationError(_("请选择该考核中考核方式为“集中评查”的末级指标"))
    review = CaseReview(campaign=campaign, indicator=indicator, title=(title or "").strip(),
                        case_types=list(dict.fromkeys(case_types)), files_per_unit=files_per_unit, rule=rule,
                        pass_mark=pass_mark, created_by=user)
    review.full_clean()
    review.save()
    _audit(user=user, action="review_create", target=review, after={
        "title": review.title, "indicator": indicator.code, "case_types": review.case_types,
        "files_per_unit": files_per_unit, "rule": rule, "pass_mark": str(pass_mark)})
    return review


@transaction.atomic
def checklist_item_add(*, user, review: CaseReview, text: str, max_deduction) -> ChecklistItem:
    _require_office(user, review)
    _require_status(review, ReviewStatus.REGISTERING, message=_("抽样后不能再修改评查标准"))
    try:
        max_deduction = Decimal(str(max_deduction))
    except InvalidOperation:
        raise ValidationError(_("最多扣分应为数字")) from None
    item = ChecklistItem(review=review, text=(text or "").strip(), max_deduction=max_deduction,
                         sort=review.items.count() + 1)
    item.full_clean()
    item.save()
    _audit(user=user, action="checklist_item_add", target=review, after={"text": item.text,
                                                                       "max_deduction": str(max_deduction)})
    return item


@transaction.atomic
def expert_add(*, user, review: CaseReview, expert, employer: Unit | None = None, avoid_units=()) -> ReviewExpert:
    """Add an expert with the conflicts they declared: their own unit and the units of their system."""
    _require_office(user, review)
    if expert.role != Role.EXPERT:
        raise ValidationError(_("只能选择评查专家账号"))
    if review.experts.filter(user=expert).exists():
        raise ValidationError(_("该专家已在本次评查中"))
    member = ReviewExpert.objects.create(review=review, user=expert, employer=employer)
    member.avoid_units.set(list(avoid_units))
    _audit(user=user, action="expert_add", target=review, after={
        "expert": expert.username, "employer": employer.name if employer else "",
        "avoid_units": [u.name for u in avoid_units]})
    return member


def conflicts(member: ReviewExpert, unit: Unit) -> str:
    """Why ``member`` may not review files of ``unit`` ('' when there is no conflict). Uses ``avoid_units`` as
    prefetched when it is (a page listing many files asks once)."""
    employer = member.employer
    if employer is not None:
        if unit.pk == employer.pk:
            return _("本单位")
        if employer.path.startswith(unit.path) or unit.path.startswith(employer.path):
            return _("本单位的上级或下级单位")
    if unit.pk in {avoided.pk for avoided in member.avoid_units.all()}:
        return _("本系统单位")
    return ""


# -- registration by the assessed units --------------------------------------------------------------------

def _require_registering_unit(user, review: CaseReview, unit: Unit) -> None:
    if user.role != Role.ASSESSED or user.unit_id != unit.pk:
        raise PermissionDenied(_("只能登记本单位的案卷"))
    if unit.pk not in {u.pk for u in target_units(review)}:
        raise ValidationError(_("本单位不在该指标的考核范围内"))
    _require_status(review, ReviewStatus.REGISTERING, message=_("案卷登记已截止（已抽样）"))


def _file_values(review: CaseReview, *, number, case_type, title, closed_on) -> dict:
    return {"number": (number or "").strip(), "case_type": case_type, "title": (title or "").strip(),
            "closed_on": closed_on}


def _check_case_type(review: CaseReview, case_type: str) -> None:
    if case_type not in review.case_types:
        raise ValidationError({"case_type": _("该案件类型不在本次评查范围内")})


@transaction.atomic
def file_register(*, user, review: CaseReview, number: str, case_type: str, title: str, closed_on: dt.date,
                  attachment=None) -> CaseFile:
    unit = user.unit
    _require_registering_unit(user, review, unit)
    _check_case_type(review, case_type)
    if CaseFile.objects.filter(review=review, number=(number or "").strip()).exists():
        raise ValidationError({"number": _("案卷编号已登记")})
    case_file = CaseFile(review=review, unit=unit, registered_by=user,
                         **_file_values(review, number=number, case_type=case_type, title=title,
                                        closed_on=closed_on))
    if attachment is not None:
        case_file.attachment = attachment
    case_file.full_clean()
    case_file.save()
    _audit(user=user, action="file_register", target=case_file, unit=unit,
           after={"number": case_file.number, "case_type": case_type, "title": case_file.title})
    return case_file


def _case_type(value):
    labels = {str(label): key for key, label in CaseType.choices}
    if value not in labels:
        raise ValueError(_("应为以下之一：%(choices)s") % {"choices": "、".join(labels)})
    return labels[value]


def _date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(_("日期格式应为 2025-06-30")) from None


def file_columns() -> list[Column]:
    return [
        Column("number", _("案卷编号"), help=_("本次评查中唯一，如“豫公罚〔2025〕12号”")),
        Column("case_type", _("案件类型"), parse=_case_type, choices=tuple(str(label) for _k, label in CaseType.choices)),
        Column("title", _("案件名称"), width=40),
        Column("closed_on", _("办结日期"), parse=_date, help=_("格式 2025-06-30")),
    ]


def file_template() -> bytes:
    return build_workbook(_("案卷登记"), file_columns(), [], instructions=[
        _("每行登记一件案卷；案卷编号在本次评查中不能重复。"),
        _("整个文件没有错误时才会导入；有错误时一件也不导入，并列出行号和列名。")])


@transaction.atomic
def file_import(*, user, review: CaseReview, data: bytes) -> int:
    """Register the unit's files from Excel: all or nothing, every error with its row and column."""
    unit = user.unit
    _require_registering_unit(user, review, unit)
    columns = file_columns()
    header = {c.key: c.header for c in columns}
    rows, errors = parse_rows(data, columns)
    taken = set(CaseFile.objects.filter(review=review).values_list("number", flat=True))
    seen: dict[str, int] = {}
    for row, values in rows:
        number = values.get("number")
        if number:
            if number in taken:
                errors.append(RowError(row, header["number"], _("案卷编号已登记")))
            elif number in seen:
                errors.append(RowError(row, header["number"], _("与第%(row)s行重复") % {"row": seen[number]}))
            seen.setdefault(number, row)
        if values.get("case_type") and values["case_type"] not in review.case_types:
            errors.append(RowError(row, header["case_type"], _("该案件类型不在本次评查范围内")))
    if not rows and not errors:
        errors.append(RowError(None, None, _("文件中没有案卷")))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.row or 0)))
    files = [CaseFile(review=review, unit=unit, registered_by=user,
                      **_file_values(review, **{k: v for k, v in values.items() if k != "_row_errors"}))
             for _row, values in rows]
    for case_file in files:
        case_file.full_clean(validate_constraints=False)
    CaseFile.objects.bulk_create(files)
    _audit(user=user, action="file_import", target=review, unit=unit,
           after={"unit": unit.name, "files": len(files), "numbers": [f.number for f in files][:50]})
    return len(files)


# -- the draw --------------------------------------------------------------------------------------------------

def population_items(review: CaseReview) -> list[sampling.Item]:
    """The population: every registered file, grouped by unit code (one stratum per unit)."""
    return [sampling.Item(code, number) for code, number in
            CaseFile.objects.filter(review=review).order_by("unit__code", "number")
            .values_list("unit__code", "number")]


def draw_preview(review: CaseReview) -> dict:
    """The numbers the office confirms before drawing (an irreversible action)."""
    per_unit = CaseFile.objects.filter(review=review).values("unit").annotate(n=Count("pk"))
    k = review.files_per_unit
    return {"files": sum(r["n"] for r in per_unit), "units": len(per_unit),
            "drawn": sum(min(k, r["n"]) for r in per_unit), "k": k,
            "targets": len(target_units(review))}


def draw_warnings(review: CaseReview) -> list[str]:
    """What the office should know before drawing: no file at all, or targeted units with fewer files than the
    sample size (all of theirs are drawn) or none (nothing of theirs is drawn, and their score cannot be made)."""
    counts = dict(CaseFile.objects.filter(review=review).values("unit").annotate(n=Count("pk"))
                  .values_list("unit", "n"))
    if not counts:
        return [_("还没有单位登记案卷，不能抽样")]
    none = [u.name for u in target_units(review) if u.pk not in counts]
    few = [u.name for u in target_units(review) if 0 < counts.get(u.pk, 0) < review.files_per_unit]
    warnings = []
    if none:
        warnings.append(_("以下单位没有登记案卷，不会抽到它们的案卷，其指标也无法计算：%(units)s")
                        % {"units": "、".join(none)})
    if few:
        warnings.append(_("以下单位登记的案卷少于 %(k)s 件，将全部抽取：%(units)s")
                        % {"k": review.files_per_unit, "units": "、".join(few)})
    return warnings


@transaction.atomic
def sample_draw(*, user, review: CaseReview, seed: str = "", confirm_files: int | None = None) -> Sample:
    """Fix the population, record the seed, draw ``files_per_unit`` files of each unit. Irreversible.

    ``confirm_files`` is the population size the office saw on the confirmation page; if a file was registered
    since, the draw is refused (the office confirms what is drawn from). ``seed``: a seed fixed in public
    beforehand (e.g. at a drawing meeting); empty → a fresh random one from the operating system.
    """
    _require_office(user, review)
    review = CaseReview.objects.select_for_update().get(pk=review.pk)
    _require_status(review, ReviewStatus.REGISTERING, message=_("已抽样，不能重新抽取"))
    if not review.items.exists():
        raise ValidationError(_("请先设置评查标准"))
    items = population_items(review)
    draws_services.check_population(items, confirm_size=confirm_files, empty=_("还没有单位登记案卷，不能抽样"))
    # the population is locked by the status change, then recorded (audited) before the seed exists
    CaseReview.objects.filter(pk=review.pk).update(status=ReviewStatus.REVIEWING)
    result = draws_services.record_draw(
        model=Sample, owner={"review": review}, user=user, items=items, k=review.files_per_unit, seed=seed,
        audit=lambda action, after: _audit(user=user, action=action, target=review, after=after))
    for case_file in CaseFile.objects.filter(review=review, number__in=list(result.ranks)):
        case_file.drawn, case_file.draw_rank = True, result.ranks[case_file.number]
        case_file.save(update_fields=["drawn", "draw_rank"])
    review.status = ReviewStatus.REVIEWING
    return result.record


@transaction.atomic
def assignments_make(*, user, review: CaseReview) -> int:
    """Give each drawn, unassigned file to the eligible expert with the fewest files so far (ties: the earlier
    added), never to one with a conflict. Refused, with the files named, if some file has no eligible expert."""
    _require_office(user, review)
    _require_status(review, ReviewStatus.REVIEWING, message=_("请先抽样"))
    members = list(review.experts.select_related("employer", "user").prefetch_related("avoid_units")
                   .annotate(n=Count("assignments")).order_by("pk"))
    if not members:
        raise ValidationError(_("请先添加评查专家"))
    load = {m.pk: m.n for m in members}
    files = list(CaseFile.objects.filter(review=review, drawn=True, assignment__isnull=True)
                 .select_related("unit").order_by("draw_rank"))
    plan, stuck = [], []
    for case_file in files:
        eligible = [m for m in members if not conflicts(m, case_file.unit)]
        if not eligible:
            stuck.append(case_file.number)
            continue
        chosen = min(eligible, key=lambda m: (load[m.pk], m.pk))
        load[chosen.pk] += 1
        plan.append(Assignment(file=case_file, expert=chosen))
    if stuck:
        raise ValidationError(_("以下案卷没有可回避利益冲突的专家，请增加专家：%(files)s") % {"files": "、".join(stuck)})
    Assignment.objects.bulk_create(plan)
    _audit(user=user, action="assignments_make", target=review,
           after={"assigned": {a.file.number: a.expert.user.username for a in plan}})
    return len(plan)


@transaction.atomic
def assignment_set(*, user, case_file: CaseFile, expert: ReviewExpert, reason: str) -> Assignment:
    """The office gives a drawn file to another expert (改派) — or, for a file the automatic assignment could not
    place, to a first one. Never to an expert with a conflict (the same rule as ``assignments_make``), never once
    the file's score is submitted, always with a reason, audited with the expert before and after."""
    review = case_file.review
    _require_office(user, review)
    _require_status(review, ReviewStatus.REVIEWING, message=_("只能在评查阶段改派专家"))
    case_file = CaseFile.objects.select_for_update().select_related("unit").get(pk=case_file.pk)
    reason = (reason or "").strip()
    if not case_file.drawn:
        raise ValidationError(_("只能为抽中的案卷分配专家"))
    if expert.review_id != review.pk:
        raise ValidationError(_("该专家不在本次评查中"))
    if not reason:
        raise ValidationError(_("请写明改派理由"))
    current = Assignment.objects.filter(file=case_file).select_related("expert__user").first()
    if current is not None and current.submitted_at is not None:
        raise ValidationError(_("该案卷的评查结果已提交，不能改派"))
    if current is not None and current.expert_id == expert.pk:
        raise ValidationError(_("该案卷已分配给这位专家"))
    why = conflicts(expert, case_file.unit)
    if why:
        raise ValidationError(_("%(expert)s与“%(unit)s”有利益冲突（%(why)s），应当回避")
                              % {"expert": expert.user, "unit": case_file.unit.name, "why": why})
    before = {"file": case_file.number, "expert": current.expert.user.username} if current else None
    if current is None:
        current = Assignment.objects.create(file=case_file, expert=expert)
    else:
        current.expert = expert
        current.assigned_at = timezone.now()
        current.save(update_fields=["expert", "assigned_at"])
    _audit(user=user, action="assignment_set", target=case_file, unit=case_file.unit, before=before,
           after={"file": case_file.number, "expert": expert.user.username}, reason=reason)
    return current


def eligible_experts(review: CaseReview, files) -> dict[int, list[ReviewExpert]]:
    """For each of ``files``: the review's experts without a conflict on its unit (what the office may choose)."""
    members = list(review.experts.select_related("user", "employer").prefetch_related("avoid_units").order_by("pk"))
    return {f.pk: [m for m in members if not conflicts(m, f.unit)] for f in files}


def _deduction(value) -> Decimal:
    try:
        return Decimal(str(value if value not in (None, "") else 0)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValidationError(_("扣分应为数字")) from None


@transaction.atomic
def file_score(*, user, assignment: Assignment, deductions: dict[int, tuple], comment: str = "") -> Assignment:
    """The expert scores an assigned file on the checklist: ``deductions`` maps item id → (points, reason).
    Score = 100 − the deductions; every deduction needs a reason and stays within the item's maximum."""
    assignment = policies.get_assignment_or_404(user, assignment.pk)
    if assignment.submitted_at is not None:
        raise ValidationError(_("该案卷的评查结果已提交，不能再修改"))
    review = assignment.file.review
    items = {item.pk: item for item in review.items.all()}
    errors = {}
    rows = []
    for item_id, (points, reason) in deductions.items():
        item = items.get(int(item_id))
        if item is None:
            raise ValidationError(_("评查标准不存在"))
        points = _deduction(points)
        reason = (reason or "").strip()
        if points < 0 or points > item.max_deduction:
            errors[item.pk] = _("第%(n)s项扣分应在 0 到 %(max)s 之间") % {"n": item.sort, "max": item.max_deduction}
        elif points > 0 and not reason:
            errors[item.pk] = _("第%(n)s项扣分须写明理由") % {"n": item.sort}
        elif points > 0:
            rows.append(Deduction(assignment=assignment, item=item, points=points, reason=reason))
    if errors:
        raise ValidationError(list(errors.values()))
    total = sum((d.points for d in rows), Decimal(0))
    assignment.deductions.all().delete()
    Deduction.objects.bulk_create(rows)
    assignment.score = max(Decimal(0), FULL_MARKS - total)
    assignment.comment = (comment or "").strip()
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["score", "comment", "submitted_at"])
    _audit(user=user, action="file_score", target=assignment.file, unit=assignment.file.unit, after={
        "score": str(assignment.score), "deductions": {d.item.text: [str(d.points), d.reason] for d in rows}})
    return assignment


# -- the indicator ----------------------------------------------------------------------------------------------

def unit_outcomes(review: CaseReview) -> list[dict]:
    """Per target unit: its drawn files' scores and the indicator value by the review's rule, with the steps."""
    scores: dict[int, list[Decimal]] = {}
    for unit_id, score in Assignment.objects.filter(file__review=review, submitted_at__isnull=False).values_list(
            "file__unit", "score"):
        scores.setdefault(unit_id, []).append(score)
    drawn = dict(CaseFile.objects.filter(review=review, drawn=True).values("unit").annotate(n=Count("pk"))
                 .values_list("unit", "n"))
    out = []
    for unit in target_units(review):
        outcome = methods.case_review(scores.get(unit.pk, []), review.indicator.points, review.rule, review.pass_mark)
        out.append({"unit": unit, "drawn": drawn.get(unit.pk, 0), "scored": len(scores.get(unit.pk, [])),
                    "pending": drawn.get(unit.pk, 0) - len(scores.get(unit.pk, [])), "value": outcome.value, "steps": outcome.steps})
    return out


@transaction.atomic
def indicator_write(*, user, review: CaseReview) -> int:
    """Write each unit's value into the campaign through ``assessment.services.score_save`` (a draft the scorer
    then submits with the rest), with the calculation as the reason. Needs every drawn file scored; a unit with
    no file registered is a gap, refused by name."""
    if not policies.can_write_indicator(user, review):
        raise PermissionDenied(_("只有该指标的评分单位（评查专家组）可以写入指标得分"))
    review.campaign.refresh_from_db()  # its phase decides whether scores may be saved
    outcomes = unit_outcomes(review)
    open_files = CaseFile.objects.filter(review=review, drawn=True).filter(
        Q(assignment__isnull=True) | Q(assignment__submitted_at__isnull=True)).count()
    if open_files:
        raise ValidationError(_("还有 %(n)s 件抽中的案卷未评查完毕") % {"n": open_files})
    missing = [o["unit"].name for o in outcomes if o["value"] is None]
    if missing:
        raise ValidationError(_("以下单位没有已评查的案卷，不能计算：%(units)s") % {"units": "、".join(missing)})
    existing = {s.unit_id: s.version for s in Score.objects.filter(indicator=review.indicator, subunit=None)}
    for outcome in outcomes:
        reason = steps.reason_text(gettext_lazy("集中评查“%(title)s”："), outcome["steps"], title=review.title)
        assessment_services.score_save(user=user, campaign=review.campaign, indicator=review.indicator,
                                       unit=outcome["unit"], value=outcome["value"], reason=reason,
                                       expected_version=existing.get(outcome["unit"].pk, 0))
    CaseReview.objects.filter(pk=review.pk).update(status=ReviewStatus.WRITTEN)
    _audit(user=user, action="indicator_write", target=review, after={
        o["unit"].name: str(o["value"]) for o in outcomes})
    return len(outcomes)
