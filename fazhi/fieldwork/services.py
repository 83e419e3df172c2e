"""The one writer of 实地考核 data; every write ``@transaction.atomic`` and audited in the same transaction.

``visit_create`` → ``member_add`` → ``sample_draw`` (before the visit starts: population fixed and fingerprinted,
seed recorded, draw — one record that never changes) → the team's ``record_add`` and ``test_import`` →
``indicator_write`` (through ``assessment.services.score_save``) → ``visit_complete`` (the unit sees the sample).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
from fazhi.orgs.models import Unit, UnitKind

from . import policies
from .models import (
    FieldVisit,
    RecordKind,
    SampledUnit,
    TeamMember,
    TestResult,
    VisitPhoto,
    VisitRecord,
    VisitSample,
    VisitStatus,
)

DEPARTMENTS, GOVERNMENTS = "department", "government"
STRATUM_LABELS = {DEPARTMENTS: gettext_lazy("部门"), GOVERNMENTS: gettext_lazy("下级政府")}


def _audit(*, user, action: str, target, after=None, before=None, reason: str = "", unit=None) -> None:
    record_event(actor=user, action=f"fieldwork.{action}", target=target, before=before, after=after, reason=reason,
                 unit=unit)


def _require_office(user, visit: FieldVisit) -> None:
    if not policies.visits_for(user, "manage").filter(pk=visit.pk).exists():
        raise PermissionDenied(_("只有组织实地考核的考核办可以进行此操作"))


def _require_team(user, visit: FieldVisit) -> None:
    if not policies.visits_for(user, "work").filter(pk=visit.pk).exists():
        raise PermissionDenied(_("只有本次实地考核的考核组可以进行此操作"))


def _status(visit: FieldVisit) -> str:
    visit.refresh_from_db(fields=["status"])
    return visit.status


@transaction.atomic
def visit_create(*, user, campaign, indicator, unit: Unit, team_unit: Unit, start_date, end_date, required_count: int,
                 departments_k: int = 2, governments_k: int = 2, schedule: str = "",
                 min_rate=Decimal("0.90")) -> FieldVisit:
    if not policies.assessment_policies.managed_campaigns(user).filter(pk=campaign.pk).exists():
        raise PermissionDenied(_("只有组织实地考核的考核办可以进行此操作"))
    if indicator.campaign_id != campaign.pk or indicator.points is None or indicator.method != Method.FIELD:
        raise ValidationError(_("请选择该考核中考核方式为“实地考核”的末级指标"))
    applies = {cell.unit.pk for cell in assessment_selectors.campaign_cells(campaign, [indicator])}
    if unit.pk not in applies:
        raise ValidationError(_("该指标不适用于所选考核对象"))
    visit = FieldVisit(campaign=campaign, indicator=indicator, unit=unit, team_unit=team_unit, start_date=start_date,
                       end_date=end_date, required_count=required_count, departments_k=departments_k,
                       governments_k=governments_k, schedule=(schedule or "").strip(), min_rate=min_rate,
                       created_by=user)
    visit.full_clean()
    visit.save()
    _audit(user=user, action="visit_create", target=visit, unit=unit, after={
        "unit": unit.name, "team": team_unit.name, "start_date": str(start_date), "end_date": str(end_date),
        "departments_k": departments_k, "governments_k": governments_k, "required_count": required_count})
    return visit


@transaction.atomic
def member_add(*, user, visit: FieldVisit, name: str, kind: str, organisation: str = "",
               is_leader: bool = False) -> TeamMember:
    _require_office(user, visit)
    member = TeamMember(visit=visit, name=(name or "").strip(), kind=kind, organisation=(organisation or "").strip(),
                        is_leader=is_leader)
    member.full_clean()
    member.save()
    _audit(user=user, action="member_add", target=visit, unit=visit.unit,
           after={"name": member.name, "kind": member.get_kind_display(), "organisation": member.organisation})
    return member


def population_items(visit: FieldVisit) -> list[sampling.Item]:
    """The unit's own departments and lower governments (its direct children), by code."""
    children = Unit.objects.filter(parent=visit.unit, is_active=True).order_by("code")
    items = []
    for code, kind in children.values_list("code", "kind"):
        if kind == UnitKind.DEPARTMENT:
            items.append(sampling.Item(DEPARTMENTS, code))
        elif kind == UnitKind.GOVERNMENT:
            items.append(sampling.Item(GOVERNMENTS, code))
    return items


def sizes(visit: FieldVisit) -> dict[str, int]:
    return {DEPARTMENTS: visit.departments_k, GOVERNMENTS: visit.governments_k}


def draw_warnings(visit: FieldVisit, items: list[sampling.Item] | None = None) -> list[str]:
    """What the office should know before drawing: nothing to draw from, or a kind of unit with fewer than asked."""
    items = population_items(visit) if items is None else items
    if not items:
        return [_("该单位没有下属部门或下级政府可供抽取，不能抽样；请先在单位管理中核对其下属单位")]
    return [_("%(kind)s只有 %(available)s 个，少于要抽取的 %(asked)s 个，将全部抽取")
            % {"kind": STRATUM_LABELS[stratum], "available": available, "asked": asked}
            for stratum, asked, available in sampling.shortfalls(items, sizes(visit))]


@transaction.atomic
def sample_draw(*, user, visit: FieldVisit, seed: str = "", confirm_size: int | None = None) -> VisitSample:
    """Fix the population, record the seed, draw — before the visit starts (``start_date`` not passed, in
    Asia/Shanghai). Irreversible: the sample is what the team visits."""
    _require_office(user, visit)
    visit = FieldVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != VisitStatus.PLANNED:
        raise ValidationError(_("已抽样，不能重新抽取"))
    if timezone.localdate() > visit.start_date:
        raise ValidationError(_("实地考核已开始，不能再抽样：抽样须在考核开始前完成"))
    items = population_items(visit)
    draws_services.check_population(items, confirm_size=confirm_size,
                                    empty=_("该单位没有下属部门或下级政府可供抽取，不能抽样"))
    FieldVisit.objects.filter(pk=visit.pk).update(status=VisitStatus.SAMPLED)
    by_code = {u.code: u for u in Unit.objects.filter(code__in=[i.id for i in items])}

    def audit(action: str, after: dict) -> None:
        if action == "sample_draw":  # the names beside the codes, for a reader of the audit log
            after = {**after, "drawn_names": [by_code[code].name for code in after["drawn"]]}
        _audit(user=user, action=action, target=visit, unit=visit.unit, after=after)

    result = draws_services.record_draw(model=VisitSample, owner={"visit": visit}, user=user, items=items,
                                        k=sizes(visit), seed=seed, audit=audit)
    SampledUnit.objects.bulk_create([SampledUnit(visit=visit, unit=by_code[item.id], stratum=item.stratum,
                                                 rank=result.ranks[item.id]) for item in result.drawn])
    return result.record


def _visit_units(visit: FieldVisit) -> set[int]:
    """The unit and its sampled units: where records and test takers may come from."""
    return {visit.unit_id, *visit.sampled.values_list("unit_id", flat=True)}


@transaction.atomic
def record_add(*, user, visit: FieldVisit, kind: str, unit: Unit, happened_on, text: str, place: str = "",
               photos=()) -> VisitRecord:
    _require_team(user, visit)
    if _status(visit) != VisitStatus.SAMPLED:
        raise ValidationError(_("只能在抽样后、考核完成前记录"))
    if unit.pk not in _visit_units(visit):
        raise ValidationError(_("记录的单位应为考核对象或被抽中的单位"))
    record = VisitRecord(visit=visit, kind=kind, unit=unit, happened_on=happened_on, text=(text or "").strip(),
                         place=(place or "").strip(), recorded_by=user)
    record.full_clean()
    record.save()
    for upload in photos:
        photo = VisitPhoto(record=record, file=upload, original_name=upload.name[:255])
        photo.full_clean()
        photo.save()
    _audit(user=user, action="record_add", target=visit, unit=visit.unit, after={
        "kind": record.get_kind_display(), "unit": unit.name, "date": str(happened_on), "photos": len(photos)})
    return record


def _score(value):
    try:
        score = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(_("成绩应为数字")) from None
    if not (0 <= score <= 100):
        raise ValueError(_("成绩应在 0 到 100 之间"))
    if score != score.quantize(Decimal("0.01")):
        raise ValueError(_("成绩最多两位小数"))
    return score


def theory_columns() -> list[Column]:
    return [Column("name", _("姓名")), Column("post", _("职务")),
            Column("unit", _("单位"), help=_("考核对象或被抽中单位的全称")), Column("score", _("成绩"), parse=_score)]


def theory_template() -> bytes:
    return build_workbook(_("法治理论测试"), theory_columns(), [], instructions=[
        _("每行一人；单位须为本次实地考核的考核对象或被抽中的单位。"),
        _("整个文件没有错误时才会导入；有错误时一行也不导入，并列出行号和列名。再次导入会替换本次考核的全部成绩。")])


@transaction.atomic
def theory_import(*, user, visit: FieldVisit, data: bytes) -> int:
    """Import the per-person results (all or nothing; replaces the visit's earlier results)."""
    _require_team(user, visit)
    if _status(visit) != VisitStatus.SAMPLED:
        raise ValidationError(_("只能在抽样后、考核完成前导入测试成绩"))
    columns = theory_columns()
    header = {c.key: c.header for c in columns}
    rows, errors = parse_rows(data, columns)
    allowed = {u.name: u for u in Unit.objects.filter(pk__in=_visit_units(visit))}
    seen: dict[tuple, int] = {}
    for row, values in rows:
        name, unit_name = values.get("name"), values.get("unit")
        if unit_name and unit_name not in allowed:
            errors.append(RowError(row, header["unit"], _("“%(unit)s”不是本次实地考核的考核对象或被抽中单位")
                                   % {"unit": unit_name}))
        if name and unit_name:
            key = (name, unit_name)
            if key in seen:
                errors.append(RowError(row, header["name"], _("与第%(row)s行重复") % {"row": seen[key]}))
            seen.setdefault(key, row)
    if not rows and not errors:
        errors.append(RowError(None, None, _("文件中没有成绩")))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row or 0))
    before = visit.test_results.count()
    visit.test_results.all().delete()
    TestResult.objects.bulk_create([TestResult(visit=visit, name=v["name"], post=v["post"], unit=allowed[v["unit"]],
                                               score=v["score"]) for _row, v in rows])
    _audit(user=user, action="theory_import", target=visit, unit=visit.unit,
           before={"count": before} if before else None, after={"count": len(rows)})
    return len(rows)


def theory_outcome(visit: FieldVisit) -> methods.Outcome:
    scores = list(visit.test_results.values_list("score", flat=True))
    return methods.theory_test(scores, visit.required_count, visit.indicator.points, visit.min_rate)


def theory_by_unit(visit: FieldVisit) -> list[dict]:
    """Average and count per unit (the assessed unit and its sampled units), computed in the database."""
    from django.db.models import Avg, Count

    return list(visit.test_results.values("unit__name").annotate(n=Count("pk"), average=Avg("score"))
                .order_by("unit__name"))


@transaction.atomic
def indicator_write(*, user, visit: FieldVisit) -> Score:
    """Write the theory-test rule's value for the unit through ``assessment.services.score_save``."""
    if not policies.can_write_indicator(user, visit):
        raise PermissionDenied(_("只有该指标的评分单位（实地考核组）可以写入指标得分"))
    if _status(visit) == VisitStatus.PLANNED:
        raise ValidationError(_("请先抽样并完成测试"))
    if not visit.test_results.exists():
        raise ValidationError(_("还没有导入法治理论测试成绩"))
    visit.campaign.refresh_from_db()
    outcome = theory_outcome(visit)
    existing = Score.objects.filter(indicator=visit.indicator, unit=visit.unit, subunit=None).first()
    reason = steps.reason_text(gettext_lazy("法治理论测试："), outcome.steps)
    score = assessment_services.score_save(user=user, campaign=visit.campaign, indicator=visit.indicator,
                                           unit=visit.unit, value=outcome.value, reason=reason,
                                           expected_version=existing.version if existing else 0)
    _audit(user=user, action="indicator_write", target=visit, unit=visit.unit, after={"value": str(outcome.value)})
    return score


@transaction.atomic
def visit_complete(*, user, visit: FieldVisit) -> FieldVisit:
    """The office closes the visit; from now on the unit sees which of its units were drawn."""
    _require_office(user, visit)
    if _status(visit) != VisitStatus.SAMPLED:
        raise ValidationError(_("只有已抽样的实地考核可以完成"))
    FieldVisit.objects.filter(pk=visit.pk).update(status=VisitStatus.COMPLETED)
    visit.status = VisitStatus.COMPLETED
    _audit(user=user, action="visit_complete", target=visit, unit=visit.unit,
           after={"status": str(VisitStatus.COMPLETED.label)})
    return visit


RECORD_KINDS = RecordKind.choices
