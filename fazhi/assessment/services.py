"""Writes for the assessment app (services: keyword-only, validated, atomic, audited).

Scoring rules are the engine's (``fazhi.core.scoring``): ``campaign_compute`` builds the engine's JSON input
from the database (``selectors.engine_input``), runs the engine and stores what it returns. Nothing here
re-implements a rule; the checks below only keep bad data out of the database early, with a clear message.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.core.numbers import NumberError, read_decimal
from fazhi.core.scoring import ScoringError, compute, parse_input, result_to_dict
from fazhi.io.excel import Column, ImportFailed, RowError, build_workbook, read_rows
from fazhi.io.values import clean_text, parse_decimal
from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Category, Unit

from . import lifecycle, policies, selectors
from .models import (
    ADJUSTMENT_LEAF_MESSAGE,
    Adjustment,
    AdjustmentKind,
    Campaign,
    CampaignStatus,
    CampaignUnit,
    Evidence,
    ExpectedEvaluation,
    Indicator,
    IndicatorOverride,
    Method,
    MissingRule,
    OverrideAction,
    Result,
    Score,
    ScoreStatus,
)

ZERO = Decimal(0)


class ScoreConflict(Exception):
    """Someone else saved this score since it was loaded (optimistic lock, ``Score.version``)."""

    def __init__(self, message: str, current: Score | None = None):
        super().__init__(message)
        self.current = current


class CampaignComputeError(ValidationError):
    """The engine refused the campaign's data; the message names the unit and the indicator."""

    def __init__(self, message: str, error: ScoringError | None = None):
        super().__init__(message)
        self.error = error

    def __str__(self) -> str:
        return "；".join(self.messages)


# --- audit --------------------------------------------------------------------------------------------------

def _audit(*, actor, action: str, target, before: dict | None, after: dict | None, reason: str = "") -> None:
    """Record the change in the audit chain (``fazhi.audit``), in the caller's transaction.

    The audit app is built concurrently; until its ``record_event`` exists this records nothing.
    """
    try:
        from fazhi.audit.services import record_event
    except ImportError:
        return
    record_event(actor=actor, action=action, target=target, before=before, after=after, reason=reason)


def _score_snapshot(score: Score | None) -> dict | None:
    if score is None:
        return None
    return {"indicator": score.indicator.code, "unit": score.unit.code,
            "subunit": score.subunit.code if score.subunit_id else None, "value": str(score.value),
            "reason": score.reason, "status": score.status, "version": score.version}


def _adjustment_snapshot(adj: Adjustment | None) -> dict | None:
    if adj is None:
        return None
    return {"unit": adj.unit.code, "kind": adj.kind, "points": str(adj.points), "reason": adj.reason,
            "source": adj.source, "serious": adj.serious, "exceed_cap": adj.exceed_cap,
            "exceed_reason": adj.exceed_reason}


def _reason(value, field: str = "reason") -> str:
    """A typed reason: stripped, no control characters, at most ``TEXT_MAX`` characters (else ValidationError)."""
    return clean_text(value, field=field, label=_("理由"))


def _require_manager(user, campaign: Campaign) -> None:
    if not policies.managed_campaigns(user).filter(pk=campaign.pk).exists():
        raise PermissionDenied(_("您不能管理该年度考核"))


# --- campaigns ----------------------------------------------------------------------------------------------

SETTING_FIELDS = ("excellent_min", "good_min", "pass_min", "bonus_cap", "deduction_cap", "excellent_quota",
                  "ranked_categories", "warning_rank_drop", "weight_daily_work", "weight_field_work", "weight_survey",
                  "publish_scores")


def campaign_members(owner: Unit):
    """The assessed units of a level's campaign: the owner's direct children that carry a category
    (the province: cities and provincial units; a city: its departments and counties)."""
    return Unit.objects.filter(parent=owner, category__isnull=False, is_active=True)


@transaction.atomic
def campaign_create(*, user, year: int, name: str = "", owner: Unit | None = None, **settings) -> Campaign:
    """A draft campaign for the user's level (owner = its jurisdiction) with a snapshot of the assessed units."""
    if owner is None:
        owner = org_policies.jurisdiction(user)
    if owner is None or not org_policies.managed_units(user).filter(pk=owner.pk).exists():
        raise PermissionDenied(_("只有考核办可以为本级创建年度考核"))
    previous = Campaign.objects.filter(owner=owner, year__lt=year).order_by("-year").first()
    campaign = Campaign(owner=owner, year=year, name=name or _("%(year)s年度%(owner)s法治政府建设考核") % {
        "year": year, "owner": owner.short_name or owner.name}, previous=previous, created_by=user)
    for key, value in settings.items():
        if key not in SETTING_FIELDS:
            raise TypeError(key)
        setattr(campaign, key, value)
    campaign.full_clean()
    campaign.save()
    CampaignUnit.objects.bulk_create(
        CampaignUnit(campaign=campaign, unit=unit, category=unit.category) for unit in campaign_members(owner)
    )
    _audit(actor=user, action="assessment.campaign_create", target=campaign, before=None,
           after={"year": year, "name": campaign.name, "owner": owner.code})
    return campaign


@transaction.atomic
def campaign_update_settings(*, user, campaign: Campaign, **changes) -> Campaign:
    """Change the name and settings (thresholds, caps, share, ranked categories) while not yet published."""
    _require_manager(user, campaign)
    if campaign.frozen or campaign.status not in CHANGEABLE_STATUSES:
        raise ValidationError(_("已报请审定、已审定、已公布或已冻结的考核不能修改设置"))
    before = {k: str(getattr(campaign, k)) for k in (*SETTING_FIELDS, "name")}
    for key, value in changes.items():
        if key not in (*SETTING_FIELDS, "name") or key == "publish_scores":  # that one: campaign_publish_scores_set
            raise TypeError(key)
        setattr(campaign, key, value)
    campaign.full_clean()
    campaign.save(update_fields=list(changes))
    _audit(actor=user, action="assessment.campaign_settings", target=campaign, before=before,
           after={k: str(getattr(campaign, k)) for k in before})
    return campaign


@transaction.atomic
def campaign_publish_scores_set(*, user, campaign: Campaign, publish_scores: bool, reason: str) -> Campaign:
    """公布总分和排名 — whether the totals and ranks of the ranked categories go beyond the units (the public of a
    published campaign, copies and lists; ``disclosure``). The office may change it until the results are released
    (公布 or 通报), also once submitted or approved: it changes what is shown, not a score. A reason is required;
    the change is audited. A confirmation issued before the change no longer matches (its numbers changed)."""
    from . import disclosure

    _require_manager(user, campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if disclosure.is_released(campaign):
        raise ValidationError(_("结果已公布或通报，不能再修改是否公布总分和排名"))
    if not isinstance(publish_scores, bool):
        raise ValidationError({"publish_scores": _("请选择是否公布总分和排名")})
    reason = _reason(reason)
    if not reason:
        raise ValidationError({"reason": _("修改是否公布总分和排名必须说明理由")})
    if campaign.publish_scores == publish_scores:
        raise ValidationError({"publish_scores": _("设置未改变")})
    before = {"publish_scores": campaign.publish_scores}
    campaign.publish_scores = publish_scores
    campaign.save(update_fields=["publish_scores"])
    _audit(actor=user, action="assessment.campaign_publish_scores", target=campaign, before=before,
           after={"publish_scores": publish_scores}, reason=reason)
    return campaign


#: Statuses in which scores, adjustments and settings may still change (and only while not frozen); the steps
#: between statuses are ``lifecycle.STEPS`` (``lifecycle.campaign_transition`` is the one writer of the status).
CHANGEABLE_STATUSES = lifecycle.CHANGEABLE_STATUSES


@transaction.atomic
def campaign_copy_tree(*, user, source: Campaign, target: Campaign) -> int:
    """Copy ``source``'s indicator tree (headings, leaves, assessing units, 增减 of units still assessed)
    into the empty draft ``target``. Returns the number of indicators copied."""
    _require_manager(user, target)
    if not policies.managed_campaigns(user).filter(pk=source.pk).exists():
        raise PermissionDenied(_("您不能读取该年度考核"))
    if not target.is_editable:
        raise ValidationError(_("只有草稿状态的考核可以修改指标表"))
    if target.indicators.exists():
        raise ValidationError(_("目标考核已有指标，请先清空"))
    old = list(source.indicators.order_by("pk").prefetch_related("assessing_units"))
    mapping: dict[int, Indicator] = {}
    pending = list(old)
    while pending:  # parents first
        progressed = []
        for ind in pending:
            if ind.parent_id is None or ind.parent_id in mapping:
                new = Indicator.objects.create(
                    campaign=target, parent=mapping.get(ind.parent_id), code=ind.code, title=ind.title,
                    description=ind.description, points=ind.points, method=ind.method,
                    categories=list(ind.categories), allow_subunits=ind.allow_subunits, sort=ind.sort,
                )
                new.assessing_units.set(ind.assessing_units.all())
                mapping[ind.pk] = new
                progressed.append(ind)
        pending = [i for i in pending if i not in progressed]
        if not progressed:
            break
    members = set(target.units.values_list("unit_id", flat=True))
    IndicatorOverride.objects.bulk_create(
        IndicatorOverride(indicator=mapping[o.indicator_id], unit_id=o.unit_id, action=o.action)
        for o in IndicatorOverride.objects.filter(indicator__campaign=source)
        if o.unit_id in members and o.indicator_id in mapping
    )
    _audit(actor=user, action="assessment.indicator_copy", target=target, before=None,
           after={"from_campaign": source.pk, "indicators": len(mapping)})
    return len(mapping)


# --- assessed units and per-unit 增减 (draft only) --------------------------------------------------------------

def _require_draft(campaign: Campaign, message: str) -> None:
    if not campaign.is_editable:
        raise ValidationError(message)


def applicable_points(campaign: Campaign, unit: Unit, category: int, *, overrides: dict[int, str] | None = None
                      ) -> Decimal:
    """The points of the leaves that apply to ``unit`` (its category, plus 增, minus 减); ``overrides`` maps
    indicator pk → action and replaces the stored 增减 of the unit (to check a change before it is saved)."""
    if overrides is None:
        overrides = dict(IndicatorOverride.objects.filter(indicator__campaign=campaign, unit=unit)
                         .values_list("indicator_id", "action"))
    total = ZERO
    for pk, points, categories in campaign.indicators.filter(points__isnull=False).values_list(
            "pk", "points", "categories"):
        action = overrides.get(pk)
        if action == OverrideAction.REMOVE:
            continue
        if category in categories or action == OverrideAction.ADD:
            total += points
    return total


def _check_points(campaign: Campaign, unit: Unit, category: int, overrides=None) -> None:
    total = applicable_points(campaign, unit, category, overrides=overrides)
    if total > 100:
        raise ValidationError(_("调整后 %(unit)s 的适用指标合计 %(total)s 分，超过 100 分（考核方案§五：百分制）")
                              % {"unit": unit.name, "total": total})


@transaction.atomic
def indicator_override_set(*, user, indicator: Indicator, unit: Unit, action: str, reason: str
                           ) -> IndicatorOverride:
    """增减: add a leaf indicator to one assessed unit whose category it does not cover, or remove it from one
    whose category it covers (seed 001 §四 "结合考核对象工作实际进行增减"), with a reason. Draft only."""
    campaign = indicator.campaign
    _require_manager(user, campaign)
    _require_draft(campaign, _("只有草稿状态的考核可以增减指标"))
    reason = _reason(reason)
    if not reason:
        raise ValidationError({"reason": _("请填写增减理由")})
    if action not in OverrideAction.values:
        raise ValidationError({"action": _("请选择增加或减少")})
    if not indicator.is_leaf:
        raise ValidationError(_("标题行（无分值）不能增减"))
    member = CampaignUnit.objects.filter(campaign=campaign, unit=unit).first()
    if member is None:
        raise ValidationError({"unit": _("该单位不是本年度考核的考核对象")})
    covered = member.category in indicator.categories
    if action == OverrideAction.ADD and covered:
        raise ValidationError(_("该指标已适用于第%(c)d类单位，无需增加") % {"c": member.category})
    if action == OverrideAction.REMOVE and not covered:
        raise ValidationError(_("该指标不适用于第%(c)d类单位，无需减少") % {"c": member.category})
    existing = IndicatorOverride.objects.filter(indicator=indicator, unit=unit).first()
    overrides = dict(IndicatorOverride.objects.filter(indicator__campaign=campaign, unit=unit)
                     .values_list("indicator_id", "action"))
    overrides[indicator.pk] = action
    _check_points(campaign, unit, member.category, overrides)
    before = {"action": existing.action, "reason": existing.reason} if existing else None
    override = existing or IndicatorOverride(indicator=indicator, unit=unit)
    override.action, override.reason = action, reason
    override.full_clean()
    override.save()
    if action == OverrideAction.REMOVE:  # the indicator no longer applies: nobody evaluates the unit on it
        ExpectedEvaluation.objects.filter(indicator=indicator, unit=unit).delete()
    _audit(actor=user, action="assessment.indicator_override", target=indicator, before=before,
           after={"unit": unit.code, "action": action, "indicator": indicator.code}, reason=reason)
    return override


@transaction.atomic
def indicator_override_delete(*, user, override: IndicatorOverride, reason: str = "") -> None:
    """Undo one 增减 (the indicator applies to the unit by category again). Draft only."""
    campaign = override.indicator.campaign
    _require_manager(user, campaign)
    reason = _reason(reason)
    _require_draft(campaign, _("只有草稿状态的考核可以增减指标"))
    member = CampaignUnit.objects.filter(campaign=campaign, unit=override.unit).first()
    if member is not None and override.action == OverrideAction.REMOVE:
        overrides = dict(IndicatorOverride.objects.filter(indicator__campaign=campaign, unit=override.unit)
                         .exclude(pk=override.pk).values_list("indicator_id", "action"))
        _check_points(campaign, override.unit, member.category, overrides)
    _audit(actor=user, action="assessment.indicator_override_delete", target=override.indicator,
           before={"unit": override.unit.code, "action": override.action, "reason": override.reason}, after=None,
           reason=reason)
    if override.action == OverrideAction.ADD:  # the indicator no longer applies: nobody evaluates the unit on it
        ExpectedEvaluation.objects.filter(indicator=override.indicator, unit=override.unit).delete()
    override.delete()


def campaign_unit_candidates(campaign: Campaign):
    """Units that may be added as assessed units: inside the campaign owner's subtree, active, not the owner,
    not already assessed."""
    return (Unit.objects.subtree_of(campaign.owner).exclude(pk=campaign.owner_id).filter(is_active=True)
            .exclude(pk__in=campaign.units.values("unit_id")))


@transaction.atomic
def campaign_unit_add(*, user, campaign: Campaign, unit: Unit, category: int | None = None, reason: str = ""
                      ) -> CampaignUnit:
    """Add an assessed unit to a draft campaign, with its category (default: the unit's own)."""
    _require_manager(user, campaign)
    reason = _reason(reason)
    _require_draft(campaign, _("只有草稿状态的考核可以调整考核对象"))
    if not campaign_unit_candidates(campaign).filter(pk=unit.pk).exists():
        if campaign.units.filter(unit=unit).exists():
            raise ValidationError({"unit": _("该单位已是本年度考核的考核对象")})
        raise ValidationError({"unit": _("该单位不在本级考核范围内或已停用")})
    category = category or unit.category
    if category not in Category.values:
        raise ValidationError({"category": _("请为该单位选择考核类别（1–7）")})
    _check_points(campaign, unit, category, overrides={})
    member = CampaignUnit(campaign=campaign, unit=unit, category=category)
    member.full_clean()
    member.save()
    _audit(actor=user, action="assessment.campaign_unit_add", target=campaign, before=None,
           after={"unit": unit.code, "category": category}, reason=(reason or "").strip())
    return member


def campaign_unit_remove_consequences(campaign: Campaign, member: CampaignUnit) -> list[str]:
    """What removing ``member`` will do, in numbers (the confirmation is bound to these sentences)."""
    overrides = IndicatorOverride.objects.filter(indicator__campaign=campaign, unit=member.unit).count()
    units = campaign.units.count()
    return [
        _("将把“%(unit)s”（第 %(category)d 类）移出本年度考核：考核对象由 %(n)d 个变为 %(m)d 个。") % {
            "unit": member.unit.name, "category": member.category, "n": units, "m": units - 1},
        _("该单位的 %(o)d 项指标增减将一并删除；它不再参加本年度的评分、计算和结果。如需恢复，须重新加入并重新设置指标增减。")
        % {"o": overrides},
    ]


def _removable(user, campaign: Campaign, unit: Unit) -> CampaignUnit:
    _require_manager(user, campaign)
    _require_draft(campaign, _("只有草稿状态的考核可以调整考核对象"))
    member = CampaignUnit.objects.filter(campaign=campaign, unit=unit).select_related("unit").first()
    if member is None:
        raise ValidationError({"unit": _("该单位不是本年度考核的考核对象")})
    return member


def campaign_unit_remove_preview(*, user, campaign: Campaign, unit: Unit):
    """The consequences of removing an assessed unit and a one-time confirmation (``fazhi.audit.confirm``)."""
    from fazhi.audit.confirm import confirmation_issue

    member = _removable(user, campaign, unit)
    return confirmation_issue(user=user, action="assessment.campaign_unit_remove", target=campaign,
                              consequences=campaign_unit_remove_consequences(campaign, member))


@transaction.atomic
def campaign_unit_remove(*, user, campaign: Campaign, unit: Unit, reason: str = "", confirmation=None) -> None:
    """Remove an assessed unit from a draft campaign (its 增减 in the campaign go with it). Irreversible: needs the
    confirmation issued by ``campaign_unit_remove_preview`` while its numbers still hold."""
    from fazhi.audit.confirm import confirmation_redeem

    reason = _reason(reason)
    member = _removable(user, campaign, unit)
    confirmation_redeem(user=user, token=confirmation, action="assessment.campaign_unit_remove", target=campaign,
                        consequences=campaign_unit_remove_consequences(campaign, member))
    IndicatorOverride.objects.filter(indicator__campaign=campaign, unit=unit).delete()
    ExpectedEvaluation.objects.filter(campaign=campaign, unit=unit).delete()
    member.delete()
    _audit(actor=user, action="assessment.campaign_unit_remove", target=campaign,
           before={"unit": unit.code, "category": member.category}, after=None, reason=(reason or "").strip())


# --- indicator tree in the browser (draft only) ------------------------------------------------------------
# The office edits the tree row by row: add, edit, move (up, down, under another heading) and delete headings and
# leaves. Excel import (``indicator_import``) stays for bulk work. Every change goes through these functions:
# checked against the same rules as the import (a leaf has points, a method, categories and assessing units; at
# most 100 applicable points per assessed unit, 考核方案§五), written in one transaction with its audit row.

def _tree_campaign_locked(user, campaign: Campaign) -> Campaign:
    """The campaign row, locked for the tree change (two editors of one tree never interleave), and still a
    draft — once scoring has started the tree is refused with a message."""
    _require_manager(user, campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.is_editable:
        raise ValidationError(_("考核已开始评分（或已冻结），指标表不能再修改；如需修改，请先将考核退回草稿"))
    return campaign


def _indicator_snapshot(ind: Indicator, assessing: list[Unit] | None = None) -> dict:
    """What the audit row keeps of an indicator (names, not ids)."""
    units = assessing if assessing is not None else list(ind.assessing_units.all())
    snapshot = {"code": ind.code, "title": ind.title, "parent": str(ind.parent) if ind.parent_id else None}
    if ind.is_leaf:
        snapshot.update({
            "points": str(ind.points), "method": ind.method, "categories": sorted(ind.categories),
            "assessing_units": sorted(u.name for u in units), "allow_subunits": ind.allow_subunits,
        })
    snapshot["description"] = ind.description
    return snapshot


def _tree_points_check(campaign: Campaign) -> None:
    """Every assessed unit's applicable leaves add up to at most 100 points (考核方案§五: 百分制)."""
    leaves = list(campaign.indicators.filter(points__isnull=False).values_list("pk", "points", "categories"))
    overrides: dict[int, dict[int, str]] = {}
    for ind_id, unit_id, action in IndicatorOverride.objects.filter(indicator__campaign=campaign).values_list(
            "indicator_id", "unit_id", "action"):
        overrides.setdefault(unit_id, {})[ind_id] = action
    problems = []
    for member in campaign.units.select_related("unit").order_by("category", "unit__sort_order", "unit__path"):
        own = overrides.get(member.unit_id, {})
        total = sum((points for pk, points, cats in leaves
                     if own.get(pk) != OverrideAction.REMOVE
                     and (member.category in cats or own.get(pk) == OverrideAction.ADD)), ZERO)
        if total > 100:
            problems.append(_("调整后 %(unit)s 的适用指标合计 %(total)s 分，超过 100 分（考核方案§五：百分制）")
                            % {"unit": member.unit.name, "total": total})
    if problems:
        more = len(problems) - 5
        if more > 0:
            problems = [*problems[:5], _("另有 %(n)d 个单位超过 100 分") % {"n": more}]
        raise ValidationError(problems)


def _renumber_tree(campaign: Campaign, order: dict[int | None, list[int]] | None = None) -> None:
    """Keep ``sort`` in the tree's reading order (parents before children, siblings in their order), so every
    page that orders by ``sort`` reads the tree the same way. ``order`` gives the siblings of some parents."""
    rows = list(campaign.indicators.only("pk", "parent_id", "sort", "code").order_by("sort", "code"))
    children: dict[int | None, list[Indicator]] = {}
    for ind in rows:
        children.setdefault(ind.parent_id, []).append(ind)
    for parent_id, pks in (order or {}).items():
        position = {pk: i for i, pk in enumerate(pks)}
        children[parent_id] = sorted(children.get(parent_id, []), key=lambda i: position.get(i.pk, len(pks)))
    changed, number = [], 0

    def walk(parent_id):
        nonlocal number
        for ind in children.get(parent_id, []):
            number += 1
            if ind.sort != number:
                ind.sort = number
                changed.append(ind)
            walk(ind.pk)

    walk(None)
    Indicator.objects.bulk_update(changed, ["sort"], batch_size=500)


def _descendant_ids(indicator: Indicator) -> set[int]:
    rows = list(indicator.campaign.indicators.values_list("pk", "parent_id"))
    found, frontier = set(), {indicator.pk}
    while frontier:
        frontier = {pk for pk, parent_id in rows if parent_id in frontier} - found
        found |= frontier
    return found


def indicator_parent_choices(indicator: Indicator | None, campaign: Campaign):
    """Headings an indicator may be placed under: the campaign's headings, never itself or one of its own."""
    headings = campaign.indicators.filter(points__isnull=True)
    if indicator is not None and indicator.pk:
        headings = headings.exclude(pk__in=[indicator.pk, *_descendant_ids(indicator)])
    return headings.order_by("sort", "code")


def indicator_assessing_candidates(user, campaign: Campaign):
    """Units an office may name as 考核主体 of its campaign: the active units of the campaign's own level in its
    jurisdiction (its departments, offices and third parties), by name — never the units being assessed below."""
    return (org_policies.managed_units(user).filter(is_active=True, level=campaign.owner.level)
            .exclude(pk=campaign.owner_id).order_by("sort_order", "path"))


def _clean_indicator(*, user, campaign: Campaign, ind: Indicator, heading: bool, parent: Indicator | None,
                     assessing_units) -> list[Unit]:
    """Check one indicator (new or changed) before it is saved; every problem at once, by field."""
    errors: dict[str, list[str]] = {}

    def problem(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    ind.code = clean_text(ind.code, field="code", max_length=32, label=_("指标编号"))
    ind.title = clean_text(ind.title, field="title", max_length=300, label=_("指标名称"))
    ind.description = clean_text(ind.description, field="description", label=_("评分标准"))
    if not ind.code:
        problem("code", _("请填写指标编号，如 1.1、3.2.4"))
    elif campaign.indicators.filter(code=ind.code).exclude(pk=ind.pk).exists():
        problem("code", _("指标编号“%(code)s”已被本年度的另一个指标使用") % {"code": ind.code})
    if not ind.title:
        problem("title", _("请填写指标名称"))
    if parent is not None:
        if parent.campaign_id != campaign.pk:
            problem("parent", _("上级指标必须属于同一年度考核"))
        elif parent.is_leaf:
            problem("parent", _("上级指标必须是标题行（无分值）"))
        elif ind.pk and (parent.pk == ind.pk or parent.pk in _descendant_ids(ind)):
            problem("parent", _("不能把指标移到它自己或它的下级之下"))
    units = list(assessing_units)
    if heading:
        ind.points, ind.method, ind.categories, ind.allow_subunits = None, "", [], False
        units = []
    else:
        if ind.points is None:
            problem("points", _("末级指标必须填写分值"))
        elif not (ZERO < ind.points <= 100):
            problem("points", _("分值应在 0 到 100 之间（不含 0），现为 %(v)s") % {"v": ind.points})
        elif ind.points != ind.points.quantize(Decimal("0.01")):
            problem("points", _("分值最多两位小数"))
        else:
            ind.points = ind.points.quantize(Decimal("0.01"))
        if not ind.method:
            problem("method", _("末级指标必须选择考核方式"))
        elif ind.method not in Method.values:
            problem("method", _("请从列表中选择考核方式"))
        elif ind.method == Method.ADJUSTMENT:
            problem("method", str(ADJUSTMENT_LEAF_MESSAGE))
        bad = [c for c in ind.categories if isinstance(c, bool) or c not in Category.values]
        if bad:
            problem("categories", _("考核类别应为 1–7"))
        ind.categories = sorted({int(c) for c in ind.categories if c not in bad})
        adds = ind.pk and ind.overrides.filter(action=OverrideAction.ADD).exists()
        if not ind.categories and not adds:
            problem("categories", _("末级指标至少适用于一个类别（只考核个别单位的，可在保存后用“增减”调整）"))
        if not units:
            problem("assessing_units", _("末级指标必须指定考核主体"))
        managed = set(org_policies.managed_units(user).filter(pk__in=[u.pk for u in units])
                      .values_list("pk", flat=True))
        outside = [u.name for u in units if u.pk not in managed]
        if outside:
            problem("assessing_units", _("单位 %(names)s 不在您的管理范围内") % {"names": "、".join(outside)})
        if ind.pk and ind.points is not None:
            over = ind.scores.filter(value__gt=ind.points).count()
            if over:
                problem("points", _("已有 %(n)d 项评分高于 %(v)s 分，不能把分值改小") % {"n": over, "v": ind.points})
    if errors:
        raise ValidationError(errors)
    return units


def _drop_redundant_overrides(ind: Indicator) -> list[str]:
    """After the categories changed: an 增加 for a unit whose category now applies, or a 减少 for one whose
    category no longer applies, no longer changes anything — removed (the unit's indicators stay the same)."""
    members = dict(CampaignUnit.objects.filter(campaign_id=ind.campaign_id).values_list("unit_id", "category"))
    dropped, names = [], []
    for override in ind.overrides.select_related("unit"):
        covered = members.get(override.unit_id) in ind.categories
        if (override.action == OverrideAction.ADD) == covered:
            dropped.append(override.pk)
            names.append(override.unit.name)
    IndicatorOverride.objects.filter(pk__in=dropped).delete()
    return names


def _sibling_ids(campaign: Campaign, parent_id: int | None) -> list[int]:
    return list(campaign.indicators.filter(parent_id=parent_id).order_by("sort", "code").values_list("pk", flat=True))


@transaction.atomic
def indicator_create(*, user, campaign: Campaign, heading: bool, code: str, title: str,
                     parent: Indicator | None = None, description: str = "", points: Decimal | None = None,
                     method: str = "", categories=(), assessing_units=(), allow_subunits: bool = False) -> Indicator:
    """Add a heading (no points) or a leaf at the end of ``parent``'s indicators (top level when None)."""
    campaign = _tree_campaign_locked(user, campaign)
    ind = Indicator(campaign=campaign, parent=parent, code=code, title=title, description=description,
                    points=points, method=method, categories=list(categories), allow_subunits=allow_subunits)
    units = _clean_indicator(user=user, campaign=campaign, ind=ind, heading=heading, parent=parent,
                             assessing_units=assessing_units)
    ind.sort = (campaign.indicators.order_by("-sort").values_list("sort", flat=True).first() or 0) + 1
    ind.full_clean()
    ind.save()
    ind.assessing_units.set(units)
    _renumber_tree(campaign)  # the new indicator has the highest sort: last under its heading
    _tree_points_check(campaign)
    _audit(actor=user, action="assessment.indicator_create", target=ind, before=None,
           after=_indicator_snapshot(ind, units))
    return ind


@transaction.atomic
def indicator_update(*, user, indicator: Indicator, code: str, title: str, parent: Indicator | None,
                     description: str = "", points: Decimal | None = None, method: str = "", categories=(),
                     assessing_units=(), allow_subunits: bool = False) -> Indicator:
    """Change an indicator: its number, name, standard, heading (moves it to the end of that heading's
    indicators), and for a leaf its points, method, categories, assessing units and per-sub-unit scoring."""
    campaign = _tree_campaign_locked(user, indicator.campaign)
    ind = Indicator.objects.select_related("parent").get(pk=indicator.pk)
    before = _indicator_snapshot(ind)
    leaf = ind.is_leaf  # a heading stays a heading and a leaf a leaf
    moved = (parent.pk if parent else None) != ind.parent_id
    ind.code, ind.title, ind.description, ind.parent = code, title, description, parent
    if leaf:
        ind.points, ind.method, ind.categories = points, method, list(categories)
        ind.allow_subunits = allow_subunits
    units = _clean_indicator(user=user, campaign=campaign, ind=ind, heading=not leaf, parent=parent,
                             assessing_units=assessing_units)
    ind.full_clean()
    ind.save()
    dropped = []
    if leaf:
        ind.assessing_units.set(units)
        dropped = _drop_redundant_overrides(ind)
    if moved:
        siblings = [pk for pk in _sibling_ids(campaign, ind.parent_id) if pk != ind.pk]
        _renumber_tree(campaign, {ind.parent_id: [*siblings, ind.pk]})
    _tree_points_check(campaign)
    after = _indicator_snapshot(ind, units)
    if dropped:
        after["overrides_dropped"] = dropped
    _audit(actor=user, action="assessment.indicator_update", target=ind, before=before, after=after)
    return ind


@transaction.atomic
def indicator_move(*, user, indicator: Indicator, direction: str) -> Indicator:
    """Move an indicator one place up or down among the indicators of its heading."""
    campaign = _tree_campaign_locked(user, indicator.campaign)
    if direction not in ("up", "down"):
        raise ValidationError(_("请选择上移或下移"))
    ind = Indicator.objects.select_related("parent").get(pk=indicator.pk)
    siblings = _sibling_ids(campaign, ind.parent_id)
    at = siblings.index(ind.pk)
    to = at - 1 if direction == "up" else at + 1
    if not 0 <= to < len(siblings):
        raise ValidationError(_("“%(ind)s”已在最前") % {"ind": ind} if direction == "up"
                              else _("“%(ind)s”已在最后") % {"ind": ind})
    siblings[at], siblings[to] = siblings[to], siblings[at]
    before = {"position": at + 1}
    _renumber_tree(campaign, {ind.parent_id: siblings})
    _audit(actor=user, action="assessment.indicator_move", target=ind, before=before,
           after={"position": to + 1, "parent": str(ind.parent) if ind.parent_id else None})
    return ind


def _indicator_uses(ind: Indicator) -> list[str]:
    """What else refers to the indicator (scores, self-report requirements, case reviews…), as "评分 3 项"."""
    uses = []
    for relation in Indicator._meta.related_objects:
        model = relation.related_model
        if model in (Indicator, IndicatorOverride) or model._meta.auto_created:
            continue
        count = model._base_manager.filter(**{relation.field.name: ind}).count()
        if count:
            uses.append(_("%(what)s %(n)d 项") % {"what": relation.related_model._meta.verbose_name, "n": count})
    return uses


@transaction.atomic
def indicator_delete(*, user, indicator: Indicator) -> None:
    """Delete a heading with nothing under it, or a leaf nothing else uses yet (its 增减 go with it)."""
    campaign = _tree_campaign_locked(user, indicator.campaign)
    ind = Indicator.objects.select_related("parent").get(pk=indicator.pk)
    children = ind.children.count()
    if children:
        raise ValidationError(_("“%(ind)s”下还有 %(n)d 个指标，请先删除或移到其他标题下") % {"ind": ind, "n": children})
    uses = _indicator_uses(ind)
    if uses:
        raise ValidationError(_("“%(ind)s”已被使用（%(uses)s），不能删除") % {"ind": ind, "uses": "、".join(uses)})
    before = _indicator_snapshot(ind)
    overrides = list(ind.overrides.select_related("unit").order_by("action", "unit__path"))
    if overrides:
        before["overrides"] = [f"{o.get_action_display()} {o.unit.name}" for o in overrides]
    _audit(actor=user, action="assessment.indicator_delete", target=ind, before=before, after=None)
    ind.delete()
    _renumber_tree(campaign)


# --- expected sub-unit evaluations (应评价清单, seed 001 §五(一)) -----------------------------------------------

#: while the office may still change who evaluates whom (before computing; never once frozen)
EXPECTED_STATUSES = (CampaignStatus.DRAFT, CampaignStatus.SCORING)


def _require_expected_editable(campaign: Campaign) -> None:
    if campaign.frozen or campaign.status not in EXPECTED_STATUSES:
        raise ValidationError(_("只有草稿或评分中的考核可以修改应评价清单"))


def expected_subunit_candidates(user, campaign: Campaign):
    """Units that may be declared as a sub-unit evaluation: active units of the office's own jurisdiction (the
    assessed unit's departments and lower governments, or a department evaluating its own system there) —
    never a unit of another level's tree."""
    return org_policies.managed_units(user).filter(is_active=True).exclude(pk=campaign.owner_id)


def _expected_problem(user, campaign: Campaign, indicator: Indicator | None, unit: Unit | None,
                      subunit: Unit | None, applicable: dict[int, set[int]] | None = None) -> tuple[str, str] | None:
    """(field, message) of why this declaration is refused, or None."""
    if indicator is None or indicator.campaign_id != campaign.pk or not indicator.is_leaf:
        return "indicator", _("找不到该末级指标")
    if not indicator.allow_subunits:
        return "indicator", _("指标 %(code)s 不按下级单位评分，不能声明下级单位评价（请先在指标表中设置“按下级单位评分”）") % {
            "code": indicator.code}
    if unit is None:
        return "unit", _("该单位不是本年度考核的考核对象")
    if applicable is None:
        applicable = {indicator.pk: {u.pk for u in selectors.applicable_units(campaign, [indicator])[indicator.pk]}}
    if unit.pk not in applicable.get(indicator.pk, set()):
        return "unit", _("指标 %(code)s 不适用于 %(unit)s（不是其考核对象或已减列）") % {"code": indicator.code,
                                                                        "unit": unit.name}
    if subunit is None:
        return "subunit", _("找不到该下级单位（或不在您的管理范围内、已停用）")
    if subunit.pk == unit.pk:
        return "subunit", _("下级单位不能是考核对象本身")
    return None


@transaction.atomic
def expected_add(*, user, campaign: Campaign, indicator: Indicator, unit: Unit, subunit: Unit) -> ExpectedEvaluation:
    """Declare that ``subunit``'s evaluation of ``unit`` on ``indicator`` is expected (draft or scoring)."""
    _require_manager(user, campaign)
    _require_expected_editable(campaign)
    if not expected_subunit_candidates(user, campaign).filter(pk=subunit.pk).exists():
        subunit = None
    if not campaign.units.filter(unit=unit).exists():
        unit = None
    problem = _expected_problem(user, campaign, indicator, unit, subunit)
    if problem:
        raise ValidationError({problem[0]: problem[1]})
    if ExpectedEvaluation.objects.filter(indicator=indicator, unit=unit, subunit=subunit).exists():
        raise ValidationError({"subunit": _("该下级单位评价已在应评价清单中")})
    row = ExpectedEvaluation.objects.create(campaign=campaign, indicator=indicator, unit=unit, subunit=subunit,
                                            created_by=user if getattr(user, "pk", None) else None)
    _audit(actor=user, action="assessment.expected_add", target=campaign, before=None,
           after={"indicator": indicator.code, "unit": unit.code, "subunit": subunit.code})
    return row


def _expected_scored(rows) -> set[tuple[int, int, int]]:
    """(indicator, unit, sub-unit) of the given declarations that already have a score (draft or submitted)."""
    rows = list(rows)
    if not rows:
        return set()
    keys = {(r.indicator_id, r.unit_id, r.subunit_id) for r in rows}
    return {k for k in Score.objects.filter(indicator__in={k[0] for k in keys}, unit__in={k[1] for k in keys},
                                            subunit__in={k[2] for k in keys})
            .values_list("indicator_id", "unit_id", "subunit_id") if k in keys}


@transaction.atomic
def expected_remove(*, user, expected: ExpectedEvaluation, reason: str = "") -> None:
    """Take one declaration off the list (draft, or scoring with a reason); refused once it has a score."""
    campaign = expected.campaign
    _require_manager(user, campaign)
    _require_expected_editable(campaign)
    reason = _reason(reason)
    if campaign.status != CampaignStatus.DRAFT and not reason:
        raise ValidationError({"reason": _("评分开始后移出应评价清单须说明理由")})
    if _expected_scored([expected]):
        raise ValidationError(_("%(sub)s 对 %(unit)s 的指标 %(code)s 已有评分，不能移出应评价清单") % {
            "sub": expected.subunit.name, "unit": expected.unit.name, "code": expected.indicator.code})
    _audit(actor=user, action="assessment.expected_remove", target=campaign,
           before={"indicator": expected.indicator.code, "unit": expected.unit.code,
                   "subunit": expected.subunit.code}, after=None, reason=reason)
    expected.delete()


@transaction.atomic
def expected_fill_defaults(*, user, campaign: Campaign) -> int:
    """Declare the default sub-units (each unit's own assessed sub-units) for every cell scored per sub-unit
    that has no declaration yet. Returns the number declared (one audit row for all)."""
    _require_manager(user, campaign)
    _require_expected_editable(campaign)
    leaves = list(campaign.indicators.filter(points__isnull=False, allow_subunits=True))
    if not leaves:
        return 0
    by_indicator = selectors.applicable_units(campaign, leaves)
    declared = set(ExpectedEvaluation.objects.filter(campaign=campaign).values_list("indicator_id", "unit_id"))
    needs = {u.pk for units in by_indicator.values() for u in units}
    children = selectors.subunits_of(needs)
    creator = user if getattr(user, "pk", None) else None
    rows = [ExpectedEvaluation(campaign=campaign, indicator=leaf, unit=unit, subunit=child, created_by=creator)
            for leaf in leaves for unit in by_indicator[leaf.pk] if (leaf.pk, unit.pk) not in declared
            for child in children.get(unit.pk, ())]
    ExpectedEvaluation.objects.bulk_create(rows, batch_size=2000)
    if rows:
        _audit(actor=user, action="assessment.expected_fill", target=campaign, before=None,
               after={"declared": len(rows)})
    return len(rows)


@transaction.atomic
def campaign_missing_rule_set(*, user, campaign: Campaign, rule: str, reason: str = "") -> Campaign:
    """The office's rule for missing sub-unit evaluations: block (default), or count as 0 / leave out of the mean
    — those two only with a reason, shown on each result it affects (audited)."""
    _require_manager(user, campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.frozen or campaign.status not in CHANGEABLE_STATUSES:
        raise ValidationError(_("已报请审定、已审定、已公布或已冻结的考核不能修改设置"))
    if rule not in MissingRule.values:
        raise ValidationError({"rule": _("请选择缺评处理规则")})
    reason = _reason(reason)
    if rule != MissingRule.BLOCK and not reason:
        raise ValidationError({"reason": _("缺评按0分计或不计入平均值，须说明理由（理由写入结果说明和审计日志）")})
    before = {"rule": campaign.missing_subunits, "reason": campaign.missing_subunits_reason}
    campaign.missing_subunits = rule
    campaign.missing_subunits_reason = reason if rule != MissingRule.BLOCK else ""
    campaign.save(update_fields=["missing_subunits", "missing_subunits_reason"])
    _audit(actor=user, action="assessment.missing_rule", target=campaign, before=before,
           after={"rule": rule, "reason": campaign.missing_subunits_reason}, reason=reason)
    return campaign


def expected_columns() -> list[Column]:
    return [
        Column("indicator", "指标编号", parse=_text(32), help="按下级单位评分的末级指标"),
        Column("indicator_title", "指标名称", required=False, width=36),
        Column("unit", "考核对象编码", parse=_text(64)),
        Column("unit_name", "考核对象名称", required=False, width=24),
        Column("subunits", "下级单位编码", parse=_codes, width=30,
               help="应评价的下级单位（部门或下级政府）编码，多个用逗号或顿号分隔"),
        Column("subunit_names", "下级单位名称", required=False, width=36),
    ]


EXPECTED_INSTRUCTIONS = [
    "应评价清单（考核方案§五(一)）：每行一个“指标 × 考核对象”，列出应对其评价的下级单位；其平均分计入考核对象得分。",
    "导入是整体的：任何一行有错，整个文件都不导入，并列出所有错误所在的行和列。",
    "文件中出现的“指标 × 考核对象”按文件替换；未出现的保持不变。已有评分的下级单位不能移出清单。",
    "计算前每项应评价都须有已提交的评分；缺评时不能计算，除非考核办选择“按0分计”或“不计入平均值”并说明理由。",
]


def expected_export(*, user, campaign: Campaign) -> bytes:
    """The 应评价清单 in the import format: one row per indicator × unit (its cells, declared or by default)."""
    _require_manager(user, campaign)
    leaves = list(campaign.indicators.filter(points__isnull=False, allow_subunits=True).order_by("sort", "code"))
    grouped: dict[tuple[int, int], list] = {}
    for cell in selectors.campaign_cells(campaign, leaves):
        if cell.subunit is not None:
            grouped.setdefault((cell.indicator.pk, cell.unit.pk), [cell.indicator, cell.unit, []])[2].append(
                cell.subunit)
    rows = [{"indicator": ind.code, "indicator_title": ind.title, "unit": unit.code, "unit_name": unit.name,
             "subunits": "、".join(s.code for s in subs), "subunit_names": "、".join(s.name for s in subs)}
            for ind, unit, subs in grouped.values()]
    return build_workbook("应评价清单", expected_columns(), rows, instructions=EXPECTED_INSTRUCTIONS)


@transaction.atomic
def expected_import(*, user, campaign: Campaign, data: bytes) -> dict:
    """Replace the declared sub-units of every indicator × unit in the file, all-or-nothing; each error names
    its row and column."""
    _require_manager(user, campaign)
    if campaign.frozen or campaign.status not in EXPECTED_STATUSES:
        raise ImportFailed([RowError(None, None, "只有草稿或评分中的考核可以修改应评价清单")])
    rows = read_rows(data, expected_columns())
    if not rows:
        raise ImportFailed([RowError(None, None, "表中没有数据行")])
    leaves = {i.code: i for i in campaign.indicators.filter(points__isnull=False)}
    members = {m.unit.code: m.unit for m in campaign.units.select_related("unit")}
    applicable = {pk: {u.pk for u in units} for pk, units in selectors.applicable_units(
        campaign, [i for i in leaves.values() if i.allow_subunits]).items()}
    wanted_subs = {c for _r, rec in rows for c in rec["subunits"]}
    candidates = {u.code: u for u in expected_subunit_candidates(user, campaign).filter(code__in=wanted_subs)}
    errors: list[RowError] = []
    plan: dict[tuple[int, int], tuple[int, Indicator, Unit, list[Unit]]] = {}
    columns = {"indicator": "指标编号", "unit": "考核对象编码", "subunit": "下级单位编码"}
    for row_no, rec in rows:
        indicator, unit = leaves.get(rec["indicator"]), members.get(rec["unit"])
        if indicator is None:
            errors.append(RowError(row_no, "指标编号", f"“{rec['indicator']}”不是本年度考核的末级指标"))
            continue
        if not rec["subunits"]:
            errors.append(RowError(row_no, "下级单位编码", "请至少填写一个下级单位编码"))
            continue
        subs, row_ok = [], True
        for code in rec["subunits"]:
            sub = candidates.get(code)
            problem = _expected_problem(user, campaign, indicator, unit, sub, applicable)
            if problem:
                message = problem[1] if sub is not None or problem[0] != "subunit" else \
                    f"找不到下级单位“{code}”（或不在您的管理范围内、已停用）"
                errors.append(RowError(row_no, columns[problem[0]], str(message)))
                row_ok = False
                if problem[0] != "subunit":
                    break
                continue
            if sub in subs:
                errors.append(RowError(row_no, "下级单位编码", f"下级单位“{code}”在本行重复"))
                row_ok = False
                continue
            subs.append(sub)
        if not row_ok:
            continue
        key = (indicator.pk, unit.pk)
        if key in plan:
            errors.append(RowError(row_no, "考核对象编码", f"与第{plan[key][0]}行是同一指标和考核对象"))
            continue
        plan[key] = (row_no, indicator, unit, subs)
    existing: dict[tuple[int, int], list[ExpectedEvaluation]] = {}
    if plan:
        for row in ExpectedEvaluation.objects.filter(campaign=campaign, indicator__in={k[0] for k in plan},
                                                     unit__in={k[1] for k in plan}).select_related("subunit"):
            if (row.indicator_id, row.unit_id) in plan:
                existing.setdefault((row.indicator_id, row.unit_id), []).append(row)
    removed = []
    for key, (row_no, _indicator, _unit, subs) in plan.items():
        gone = [r for r in existing.get(key, []) if r.subunit_id not in {s.pk for s in subs}]
        removed.extend(gone)
        scored = _expected_scored(gone)
        for r in gone:
            if (r.indicator_id, r.unit_id, r.subunit_id) in scored:
                errors.append(RowError(row_no, "下级单位编码",
                                       f"下级单位“{r.subunit.code}”已有评分，不能移出清单"))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.row or 0, e.column or "")))
    ExpectedEvaluation.objects.filter(pk__in=[r.pk for r in removed]).delete()
    creator = user if getattr(user, "pk", None) else None
    added = [ExpectedEvaluation(campaign=campaign, indicator=indicator, unit=unit, subunit=sub, created_by=creator)
             for key, (_row, indicator, unit, subs) in plan.items()
             for sub in subs if sub.pk not in {r.subunit_id for r in existing.get(key, [])}]
    ExpectedEvaluation.objects.bulk_create(added, batch_size=2000)
    _audit(actor=user, action="assessment.expected_import", target=campaign, before={"removed": len(removed)},
           after={"cells": len(plan), "added": len(added), "removed": len(removed)})
    return {"cells": len(plan), "added": len(added), "removed": len(removed)}


# --- indicator table (Excel) --------------------------------------------------------------------------------

METHOD_BY_LABEL = {str(label): value for value, label in Method.choices}
YES = ("是", "Y", "y", "yes", "1", "true", "True", "√")
_SPLIT = re.compile(r"[,，、;；\s]+")


def _codes(value) -> list[str]:
    return [c for c in _SPLIT.split(str(value).strip()) if c]


def _categories(value) -> list[int]:
    out = []
    for part in _codes(value):
        try:
            number = int(float(part)) if re.fullmatch(r"\d+(\.0+)?", part) else int(part)
        except ValueError:
            raise ValueError(f"“{part}”不是 1–7 的考核类别") from None
        if number not in Category.values:
            raise ValueError(f"考核类别应为 1–7，得到 {number}")
        if number not in out:
            out.append(number)
    return out


def _points(value) -> Decimal:
    try:
        number = read_decimal(value)
    except NumberError as exc:
        raise ValueError(f"“{value}”{exc.zh}") from None
    if number <= 0 or number > 100:
        raise ValueError(f"分值应在 0 到 100 之间（不含 0），得到 {value}")
    if number != number.quantize(Decimal("0.01")):
        raise ValueError("分值最多两位小数")
    return number.quantize(Decimal("0.01"))


def _text(limit: int):
    def parse(value) -> str:
        text = str(value).strip()
        if len(text) > limit:
            raise ValueError(f"不超过 {limit} 个字符")
        return text
    return parse


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"“{value}”不是整数") from None


def indicator_columns() -> list[Column]:
    return [
        Column("code", "指标编号", parse=_text(32), help="唯一编号，如 1.1、3.2.4"),
        Column("parent", "上级编号", required=False, parse=_text(32), help="所属标题行的编号；一级标题留空"),
        Column("title", "指标名称", parse=_text(300), width=40),
        Column("points", "分值", required=False, parse=_points, help="标题行留空；末级指标填写分值"),
        Column("method", "考核方式", required=False, choices=tuple(METHOD_BY_LABEL)),
        Column("categories", "适用类别", required=False, parse=_categories, help="1–7，多个用逗号或顿号分隔"),
        Column("assessing", "考核主体编码", required=False, parse=_codes, help="单位编码，多个用逗号分隔", width=24),
        Column("subunits", "按下级单位评分", required=False, choices=("是", "否")),
        Column("add", "增加单位编码", required=False, parse=_codes, help="类别不适用但需考核的单位"),
        Column("remove", "减少单位编码", required=False, parse=_codes, help="类别适用但不考核的单位"),
        Column("description", "评分标准", required=False, parse=_text(5000), width=40),
        Column("sort", "排序", required=False, parse=_int),
    ]


INDICATOR_INSTRUCTIONS = [
    "考核指标表（“1+1+N”）：每行一个指标。标题行（如“一、加强党的统一领导”）不填分值；末级指标填写分值、考核方式、适用类别和考核主体。",
    "导入是整体的：任何一行有错，整个文件都不导入，并列出所有错误所在的行和列；导入成功后替换本年度的整张指标表。",
    "每个考核对象适用指标的分值合计不得超过 100 分（不足 100 分的按实际得分折算，考核方案§五）。",
    "考核方式：日常评价、监督督察、集中评查、网络检索（合为日常工作落实）、实地考核、满意度调查（考核方案§五）。"
    "加减分在综合评分的基础上另计，录入为加减分事项，不能作为有分值的指标。",
]


def indicator_export(*, user, campaign: Campaign) -> bytes:
    """The campaign's indicator tree in the import format (the office's own table)."""
    if not (policies.managed_campaigns(user).filter(pk=campaign.pk).exists()):
        raise PermissionDenied
    indicators = list(campaign.indicators.select_related("parent").prefetch_related("assessing_units", "overrides__unit")
                      .order_by("sort", "code"))
    method_label = dict(Method.choices)
    rows = []
    for ind in indicators:
        overrides = list(ind.overrides.all())
        rows.append({
            "code": ind.code, "parent": ind.parent.code if ind.parent_id else None, "title": ind.title,
            "points": ind.points, "method": str(method_label[ind.method]) if ind.method else None,
            "categories": "、".join(str(c) for c in ind.categories) or None,
            "assessing": "、".join(u.code for u in ind.assessing_units.all()) or None,
            "subunits": ("是" if ind.allow_subunits else "否") if ind.points is not None else None,
            "add": "、".join(o.unit.code for o in overrides if o.action == OverrideAction.ADD) or None,
            "remove": "、".join(o.unit.code for o in overrides if o.action == OverrideAction.REMOVE) or None,
            "description": ind.description or None, "sort": ind.sort,
        })
    return build_workbook("考核指标", indicator_columns(), rows, instructions=INDICATOR_INSTRUCTIONS)


@transaction.atomic
def indicator_import(*, user, campaign: Campaign, data: bytes) -> dict:
    """Replace the draft campaign's indicator tree from Excel, all-or-nothing; every error with row and column."""
    _require_manager(user, campaign)
    if not campaign.is_editable:
        raise ImportFailed([RowError(None, None, "只有草稿状态的考核可以导入指标表")])
    rows = read_rows(data, indicator_columns())
    if not rows:
        raise ImportFailed([RowError(None, None, "表中没有数据行")])
    errors: list[RowError] = []
    by_code: dict[str, tuple[int, dict]] = {}
    for row_no, rec in rows:
        if rec["code"] in by_code:
            errors.append(RowError(row_no, "指标编号", f"编号“{rec['code']}”在第{by_code[rec['code']][0]}行已出现"))
        else:
            by_code[rec["code"]] = (row_no, rec)
    managed = {u.code: u for u in org_policies.managed_units(user).only("pk", "code", "category", "name")}
    members = {cu.unit.code: cu for cu in campaign.units.select_related("unit")}
    for code, (row_no, rec) in by_code.items():
        parent = rec.get("parent")
        if parent:
            if parent == code:
                errors.append(RowError(row_no, "上级编号", "上级不能是本指标"))
            elif parent not in by_code:
                errors.append(RowError(row_no, "上级编号", f"找不到上级指标“{parent}”"))
            elif by_code[parent][1].get("points") is not None:
                errors.append(RowError(row_no, "上级编号", f"上级指标“{parent}”有分值，不能作为标题行"))
        leaf = rec.get("points") is not None
        if leaf:
            if not rec.get("method"):
                errors.append(RowError(row_no, "考核方式", "末级指标必须填写考核方式"))
            elif METHOD_BY_LABEL[rec["method"]] == Method.ADJUSTMENT:
                errors.append(RowError(row_no, "考核方式", str(ADJUSTMENT_LEAF_MESSAGE)))
            if not rec.get("categories") and not rec.get("add"):
                errors.append(RowError(row_no, "适用类别", "末级指标必须填写适用类别或增加单位"))
            if not rec.get("assessing"):
                errors.append(RowError(row_no, "考核主体编码", "末级指标必须指定考核主体"))
        else:
            for key, header in (("method", "考核方式"), ("categories", "适用类别"), ("assessing", "考核主体编码"),
                                ("add", "增加单位编码"), ("remove", "减少单位编码")):
                if rec.get(key):
                    errors.append(RowError(row_no, header, "标题行（无分值）不能填写此列"))
        for unit_code in rec.get("assessing") or []:
            if unit_code not in managed:
                errors.append(RowError(row_no, "考核主体编码", f"找不到单位“{unit_code}”（或不在您的管理范围内）"))
        for key, header in (("add", "增加单位编码"), ("remove", "减少单位编码")):
            for unit_code in rec.get(key) or []:
                if unit_code not in members:
                    errors.append(RowError(row_no, header, f"“{unit_code}”不是本年度考核的考核对象"))
        both = set(rec.get("add") or []) & set(rec.get("remove") or [])
        if both:
            errors.append(RowError(row_no, "减少单位编码", f"单位 {'、'.join(sorted(both))} 同时被增加和减少"))
    # cycles among headings
    for code, (row_no, _rec) in by_code.items():
        seen, cursor = {code}, by_code[code][1].get("parent")
        while cursor in by_code:
            if cursor in seen:
                errors.append(RowError(row_no, "上级编号", "上级关系成环"))
                break
            seen.add(cursor)
            cursor = by_code[cursor][1].get("parent")
    if not errors:
        # Applicable points per assessed unit must not exceed 100 (考核方案§五: 百分制).
        for unit_code, member in members.items():
            total = ZERO
            for _code, (_row, rec) in by_code.items():
                if rec.get("points") is None:
                    continue
                applies = (member.category in (rec.get("categories") or []) or unit_code in (rec.get("add") or [])) \
                    and unit_code not in (rec.get("remove") or [])
                if applies:
                    total += rec["points"]
            if total > 100:
                errors.append(RowError(None, "分值", f"考核对象 {member.unit.name}（{unit_code}）适用指标合计 {total} 分，"
                                                    "超过 100 分"))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.row or 0, e.column or "")))

    before = campaign.indicators.count()
    campaign.indicators.all().delete()
    saved: dict[str, Indicator] = {}
    pending = list(by_code)
    while pending:
        rest = []
        for code in pending:
            row_no, rec = by_code[code]
            parent = rec.get("parent")
            if parent and parent not in saved:
                rest.append(code)
                continue
            ind = Indicator(
                campaign=campaign, parent=saved.get(parent) if parent else None, code=code, title=rec["title"],
                description=rec.get("description") or "", points=rec.get("points"),
                method=METHOD_BY_LABEL[rec["method"]] if rec.get("method") else "",
                categories=rec.get("categories") or [], allow_subunits=rec.get("subunits") == "是",
                sort=rec.get("sort") if rec.get("sort") is not None else row_no,
            )
            try:
                ind.full_clean(exclude=["campaign"])
            except ValidationError as exc:
                raise ImportFailed([RowError(row_no, None, "；".join(
                    f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))]) from None
            ind.save()
            if rec.get("assessing"):
                ind.assessing_units.set([managed[c] for c in rec["assessing"]])
            IndicatorOverride.objects.bulk_create(
                [IndicatorOverride(indicator=ind, unit=members[c].unit, action=OverrideAction.ADD)
                 for c in rec.get("add") or []]
                + [IndicatorOverride(indicator=ind, unit=members[c].unit, action=OverrideAction.REMOVE)
                   for c in rec.get("remove") or []]
            )
            saved[code] = ind
        if len(rest) == len(pending):
            raise ImportFailed([RowError(by_code[rest[0]][0], "上级编号", "上级关系无法解析")])
        pending = rest
    leaves = sum(1 for _r, rec in by_code.values() if rec.get("points") is not None)
    _audit(actor=user, action="assessment.indicator_import", target=campaign, before={"indicators": before},
           after={"indicators": len(saved), "leaves": leaves})
    return {"indicators": len(saved), "leaves": leaves}


# --- scores -------------------------------------------------------------------------------------------------

def _cell_check(*, campaign: Campaign, indicator: Indicator, unit: Unit, subunit: Unit | None) -> None:
    cells = selectors.campaign_cells(campaign, [indicator])
    keys = {c.key for c in cells}
    if (indicator.pk, unit.pk, subunit.pk if subunit else None) not in keys:
        if subunit is None and any(k[1] == unit.pk and k[2] is not None for k in keys):
            raise ValidationError(_("该指标按下级单位评分，请为每个下级单位分别评分"))
        raise ValidationError(_("该指标不适用于此单位"))


def _parse_value(value, field: str | None = None) -> Decimal:
    """A score or points typed by a user (see ``fazhi.io.params.parse_decimal``)."""
    return parse_decimal(value, field=field)


@transaction.atomic
def score_save(*, user, campaign: Campaign, indicator: Indicator, unit: Unit, subunit: Unit | None = None,
               value, reason: str = "", expected_version: int | None = 0) -> Score:
    """Save a draft score for one cell.

    ``expected_version`` is the version the user loaded (0 for an unscored cell). If someone saved the cell
    since, the save is refused with ``ScoreConflict`` — the other person's score is never silently overwritten.
    A score below full points needs a reason (the assessing unit must say why points were lost).
    """
    if campaign.pk != indicator.campaign_id:
        raise ValidationError(_("指标不属于该考核"))
    policies.ensure_can_score(user, campaign, indicator)
    if not campaign.is_scoring:
        raise ValidationError(_("该考核当前不在评分阶段"))
    _cell_check(campaign=campaign, indicator=indicator, unit=unit, subunit=subunit)
    value = _parse_value(value)
    reason = _reason(reason)
    if not (ZERO <= value <= indicator.points):
        raise ValidationError(_("得分应在 0 到 %(points)s 之间") % {"points": indicator.points})
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("得分最多两位小数"))
    if value < indicator.points and not reason:
        raise ValidationError(_("未得满分时必须填写评分理由"))
    existing = Score.objects.filter(indicator=indicator, unit=unit, subunit=subunit).select_related(
        "indicator", "unit", "subunit", "scored_by").first()
    if existing is None:
        if expected_version not in (0, None):
            raise ScoreConflict(_("该评分已被删除或不存在，请刷新后重试"))
        score = Score(campaign=campaign, indicator=indicator, unit=unit, subunit=subunit, value=value, reason=reason,
                      scored_by=user, scored_by_unit_id=user.unit_id, version=1)
        score.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                score.save()
        except IntegrityError:
            current = Score.objects.filter(indicator=indicator, unit=unit, subunit=subunit).first()
            raise ScoreConflict(_("他人刚刚保存了该评分，您的修改未保存。请刷新后查看最新内容再修改。"), current) from None
        _audit(actor=user, action="assessment.score_save", target=score, before=None, after=_score_snapshot(score))
        return score
    if expected_version is None or existing.version != expected_version:
        who = existing.scored_by or _("他人")
        when = timezone.localtime(existing.updated_at).strftime("%Y-%m-%d %H:%M:%S")
        raise ScoreConflict(
            _("%(who)s 于 %(when)s 已修改该评分（当前 %(value)s 分，版本 %(version)s），您的修改未保存。"
              "请刷新后查看最新内容再修改。") % {"who": who, "when": when, "value": existing.value,
                                              "version": existing.version}, existing)
    if existing.status == ScoreStatus.SUBMITTED:
        raise ValidationError(_("该评分已提交，不能再修改；如需更正请联系考核办"))
    before = _score_snapshot(existing)
    existing.value, existing.reason, existing.scored_by, existing.scored_by_unit_id = value, reason, user, user.unit_id
    existing.full_clean(validate_constraints=False)
    updated = Score.objects.filter(pk=existing.pk, version=expected_version).update(
        value=value, reason=reason, scored_by=user, scored_by_unit_id=user.unit_id, version=F("version") + 1,
        updated_at=timezone.now())
    if updated != 1:  # lost a race between the read and the write
        raise ScoreConflict(_("他人刚刚保存了该评分，您的修改未保存。请刷新后查看最新内容再修改。"),
                            Score.objects.filter(pk=existing.pk).first())
    existing.refresh_from_db()
    _audit(actor=user, action="assessment.score_save", target=existing, before=before,
           after=_score_snapshot(existing))
    return existing


def scores_submit_consequences(*, user, campaign: Campaign, indicators=None) -> list[str]:
    """What 提交全部草稿 will do, in numbers: drafts submitted, and cells of the user's still unscored."""
    allowed = policies.scorable_indicators(user, campaign)
    if indicators is not None:
        allowed = allowed.filter(pk__in=[i.pk for i in indicators])
    allowed = list(allowed)
    cells = len(selectors.campaign_cells(campaign, allowed))
    mine = Score.objects.filter(campaign=campaign, indicator__in=allowed)
    drafts = mine.filter(status=ScoreStatus.DRAFT).count()
    submitted = mine.filter(status=ScoreStatus.SUBMITTED).count()
    unscored = max(cells - drafts - submitted, 0)
    return [_("将提交 %(drafts)d 项评分；您负责的 %(cells)d 项中，%(unscored)d 项尚未评分（不会提交），"
              "%(submitted)d 项此前已提交。") % {"drafts": drafts, "cells": cells, "unscored": unscored,
                                          "submitted": submitted},
            _("提交后不能再修改，如需更正须由考核办退回。")]


def scores_submit_preview(*, user, campaign: Campaign, indicators=None):
    """The consequences of 提交全部草稿 and a one-time confirmation (``fazhi.audit.confirm``)."""
    from fazhi.audit.confirm import confirmation_issue

    if not campaign.is_scoring:
        raise ValidationError(_("该考核当前不在评分阶段"))
    return confirmation_issue(user=user, action="assessment.scores_submit", target=campaign,
                              consequences=scores_submit_consequences(user=user, campaign=campaign,
                                                                      indicators=indicators))


@transaction.atomic
def scores_submit(*, user, campaign: Campaign, indicators=None, confirmation=None) -> int:
    """Submit the user's unit's draft scores (all its indicators, or ``indicators``), with the confirmation issued
    by ``scores_submit_preview`` (the numbers must not have changed since). Returns how many."""
    from fazhi.audit.confirm import confirmation_redeem

    if not campaign.is_scoring:
        raise ValidationError(_("该考核当前不在评分阶段"))
    confirmation_redeem(user=user, token=confirmation, action="assessment.scores_submit", target=campaign,
                        consequences=scores_submit_consequences(user=user, campaign=campaign, indicators=indicators))
    allowed = policies.scorable_indicators(user, campaign)
    if indicators is not None:
        allowed = allowed.filter(pk__in=[i.pk for i in indicators])
    drafts = list(Score.objects.filter(campaign=campaign, indicator__in=allowed, status=ScoreStatus.DRAFT)
                  .select_related("indicator", "unit", "subunit"))
    if not drafts:
        return 0
    now = timezone.now()
    Score.objects.filter(pk__in=[s.pk for s in drafts]).update(
        status=ScoreStatus.SUBMITTED, submitted_at=now, version=F("version") + 1)
    for score in drafts:
        before = _score_snapshot(score)
        score.status, score.version = ScoreStatus.SUBMITTED, score.version + 1
        _audit(actor=user, action="assessment.score_submit", target=score, before=before,
               after=_score_snapshot(score))
    return len(drafts)


@transaction.atomic
def score_reopen(*, user, score: Score, reason: str) -> Score:
    """The office sends a submitted score back to draft (a correction), with a reason; only while scoring."""
    _require_manager(user, score.campaign)
    reason = _reason(reason)
    if not reason:
        raise ValidationError(_("请填写退回理由"))
    # lock the score row only: PostgreSQL refuses FOR UPDATE on the nullable side of the subunit outer join
    score = Score.objects.select_for_update(of=("self",)).select_related(
        "campaign", "indicator", "unit", "subunit").get(pk=score.pk)
    if score.campaign.frozen:
        raise ValidationError(_("考核已冻结，不能再退回评分"))
    if score.campaign.status != CampaignStatus.SCORING:
        raise ValidationError(_("只有评分中的考核可以退回评分；已计算的考核请先“重新开放评分”"))
    if score.status != ScoreStatus.SUBMITTED:
        raise ValidationError(_("该评分尚未提交，无需退回"))
    before = _score_snapshot(score)
    Score.objects.filter(pk=score.pk).update(status=ScoreStatus.DRAFT, submitted_at=None, version=F("version") + 1)
    score.refresh_from_db()
    _audit(actor=user, action="assessment.score_reopen", target=score, before=before, after=_score_snapshot(score),
           reason=reason)
    return score


@transaction.atomic
def evidence_add(*, user, score: Score, upload) -> Evidence:
    """Attach a file (pdf/docx/xlsx/jpg/png, size-limited) to a score the user may edit."""
    policies.ensure_can_score(user, score.campaign, score.indicator)
    if not score.campaign.is_scoring or score.status == ScoreStatus.SUBMITTED:
        raise ValidationError(_("已提交或不在评分阶段的评分不能再上传佐证材料"))
    evidence = Evidence(score=score, file=upload, original_name=(upload.name or "")[:255], size=upload.size,
                        uploaded_by=user)
    evidence.full_clean()
    evidence.save()
    _audit(actor=user, action="assessment.evidence_add", target=score, before=None,
           after={"file": evidence.original_name, "size": evidence.size})
    return evidence


@transaction.atomic
def evidence_delete(*, user, evidence: Evidence) -> None:
    """Remove a file from a score the user may edit, while the score is a draft in a campaign being scored
    (a submitted score's evidence is part of the record). The file leaves the storage after commit."""
    score = evidence.score
    policies.ensure_can_score(user, score.campaign, score.indicator)
    if not score.campaign.is_scoring or score.status == ScoreStatus.SUBMITTED:
        raise ValidationError(_("已提交或不在评分阶段的评分不能删除佐证材料"))
    name, storage = evidence.file.name, evidence.file.storage
    _audit(actor=user, action="assessment.evidence_delete", target=score, before={
        "file": evidence.original_name, "size": evidence.size}, after=None)
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


def score_columns() -> list[Column]:
    return [
        Column("indicator", "指标编号", parse=_text(32)),
        Column("indicator_title", "指标名称", required=False, width=36),
        Column("points", "分值", required=False, width=8),
        Column("unit", "单位编码", parse=_text(64)),
        Column("unit_name", "单位名称", required=False, width=24),
        Column("subunit", "下级单位编码", required=False, parse=_text(64)),
        Column("subunit_name", "下级单位名称", required=False, width=20),
        Column("value", "得分", required=False, help="0 到分值之间，最多两位小数；留空表示不修改", width=10),
        Column("reason", "评分理由", required=False, parse=_text(5000), help="未得满分时必填", width=40),
        Column("version", "版本", parse=_int, help="请勿修改：用于防止覆盖他人的修改", width=8),
        Column("status", "状态", required=False, width=8),
    ]


def score_batch_export(*, user, campaign: Campaign) -> bytes:
    """The user's cells (its indicators × the units they apply to) with current scores and versions."""
    indicators = list(policies.scorable_indicators(user, campaign).order_by("sort", "code"))
    cells = selectors.campaign_cells(campaign, indicators)
    scores = selectors.scores_by_cell(campaign, indicators)
    rows = []
    for cell in cells:
        score = scores.get(cell.key)
        rows.append({
            "indicator": cell.indicator.code, "indicator_title": cell.indicator.title, "points": cell.indicator.points,
            "unit": cell.unit.code, "unit_name": cell.unit.name,
            "subunit": cell.subunit.code if cell.subunit else None,
            "subunit_name": cell.subunit.name if cell.subunit else None,
            "value": score.value if score else None, "reason": score.reason if score else None,
            "version": score.version if score else 0,
            "status": str(score.get_status_display()) if score else None,
        })
    return build_workbook("评分", score_columns(), rows, instructions=[
        "批量评分：在“得分”“评分理由”列填写后上传。只能填写本单位负责的指标。",
        "导入是整体的：任何一行有错，整个文件都不导入。上传后分数保存为草稿，确认无误后在评分页面提交。",
        "“版本”列用于防止覆盖：若他人在您下载后修改了同一评分，该行会被拒绝，请重新下载。",
    ])


@transaction.atomic
def score_batch_import(*, user, campaign: Campaign, data: bytes) -> dict:
    """Save many draft scores from the batch sheet, all-or-nothing, checking each row's version."""
    if not campaign.is_scoring:
        raise ImportFailed([RowError(None, None, "该考核当前不在评分阶段")])
    rows = read_rows(data, score_columns())
    indicators = {i.code: i for i in policies.scorable_indicators(user, campaign)}
    cells = {(c.indicator.code, c.unit.code, c.subunit.code if c.subunit else None): c
             for c in selectors.campaign_cells(campaign, list(indicators.values()))}
    scores = {(s.indicator.code, s.unit.code, s.subunit.code if s.subunit_id else None): s
              for s in Score.objects.filter(campaign=campaign, indicator__in=list(indicators.values()))
              .select_related("indicator", "unit", "subunit")}
    errors: list[RowError] = []
    todo = []
    seen: dict[tuple, int] = {}
    for row_no, rec in rows:
        key = (rec["indicator"], rec["unit"], rec.get("subunit"))
        if rec["indicator"] not in indicators:
            errors.append(RowError(row_no, "指标编号", f"“{rec['indicator']}”不是本单位负责评分的指标"))
            continue
        if key not in cells:
            errors.append(RowError(row_no, "单位编码", "该指标不适用于此单位（或下级单位不对应）"))
            continue
        if key in seen:
            errors.append(RowError(row_no, "单位编码", f"与第{seen[key]}行重复"))
            continue
        seen[key] = row_no
        raw = rec.get("value")
        if raw is None:
            continue
        try:
            value = _parse_value(raw)
        except ValidationError as exc:
            errors.append(RowError(row_no, "得分", exc.messages[0]))
            continue
        points = indicators[rec["indicator"]].points
        if not ZERO <= value <= points or value != value.quantize(Decimal("0.01")):
            errors.append(RowError(row_no, "得分", f"得分应在 0 到 {points} 之间，最多两位小数"))
            continue
        reason = rec.get("reason") or ""
        if value < points and not reason:
            errors.append(RowError(row_no, "评分理由", "未得满分时必须填写评分理由"))
            continue
        existing = scores.get(key)
        current_version = existing.version if existing else 0
        if rec["version"] != current_version:
            errors.append(RowError(row_no, "版本", f"他人已修改该评分（当前版本 {current_version}），请重新下载后填写"))
            continue
        if existing and existing.value == value and existing.reason == reason:
            continue
        if existing and existing.status == ScoreStatus.SUBMITTED:
            errors.append(RowError(row_no, "得分", "该评分已提交，不能再修改"))
            continue
        todo.append((cells[key], value, reason, current_version))
    if errors:
        raise ImportFailed(errors)
    for cell, value, reason, version in todo:
        try:
            score_save(user=user, campaign=campaign, indicator=cell.indicator, unit=cell.unit, subunit=cell.subunit,
                       value=value, reason=reason, expected_version=version)
        except ScoreConflict as exc:
            raise ImportFailed([RowError(None, None, str(exc))]) from None
    return {"saved": len(todo)}


# --- adjustments --------------------------------------------------------------------------------------------

@transaction.atomic
def adjustment_create(*, user, campaign: Campaign, unit: Unit, kind: str, points, reason: str, source: str,
                      serious: bool = False, exceed_cap: bool = False, exceed_reason: str = "") -> Adjustment:
    """A bonus or deduction item (seed 001 §五(七)). The office records it; only the office may decide that a
    deduction exceeds the cap, and must say why."""
    _require_manager(user, campaign)
    if campaign.frozen:
        raise ValidationError(_("考核已冻结，不能再录入加减分"))
    if campaign.status not in CHANGEABLE_STATUSES:
        raise ValidationError(_("该考核已报请审定，不能再录入加减分"))
    if not campaign.units.filter(unit=unit).exists():
        raise ValidationError(_("该单位不是本年度考核的考核对象"))
    if kind not in AdjustmentKind.values:
        raise ValidationError({"kind": _("请选择加分或扣分")})
    adjustment = Adjustment(campaign=campaign, unit=unit, kind=AdjustmentKind(kind),
                            points=_parse_value(points, field="points"), reason=_reason(reason),
                            source=_reason(source, "source"), serious=serious, exceed_cap=exceed_cap,
                            exceed_reason=_reason(exceed_reason, "exceed_reason"), created_by=user)
    adjustment.full_clean()
    adjustment.save()
    _audit(actor=user, action="assessment.adjustment_create", target=adjustment, before=None,
           after=_adjustment_snapshot(adjustment))
    return adjustment


@transaction.atomic
def adjustment_delete(*, user, adjustment: Adjustment, reason: str = "") -> None:
    _require_manager(user, adjustment.campaign)
    reason = _reason(reason)
    if adjustment.campaign.frozen:
        raise ValidationError(_("考核已冻结，不能再修改加减分"))
    if adjustment.campaign.status not in CHANGEABLE_STATUSES:
        raise ValidationError(_("该考核已报请审定，不能再修改加减分"))
    _audit(actor=user, action="assessment.adjustment_delete", target=adjustment,
           before=_adjustment_snapshot(adjustment), after=None, reason=reason)
    adjustment.delete()


# --- compute ------------------------------------------------------------------------------------------------

def describe_scoring_error(campaign: Campaign, error: ScoringError) -> str:
    """The engine's message with the unit and indicator named as the office knows them."""
    parts = []
    if error.unit:
        unit = Unit.objects.filter(code=error.unit).first()
        parts.append(_("考核对象：%(name)s（%(code)s）") % {"name": unit.name if unit else error.unit,
                                                          "code": error.unit})
    if error.indicator:
        ind = Indicator.objects.filter(campaign=campaign, code=error.indicator).first()
        parts.append(_("指标：%(code)s %(title)s") % {"code": error.indicator, "title": ind.title if ind else ""})
    message = error.message_zh
    if "缺少" in message or "未评分" in message or "missing" in error.message_en:
        message += _("（只计入已提交的评分）")
    return "；".join([*parts, message])


def run_engine(data: dict) -> dict:
    """Engine JSON in, engine JSON out (raises ``ScoringError``)."""
    return result_to_dict(compute(parse_input(data)))


def campaign_compute(*, user, campaign: Campaign) -> list[Result]:
    """计算结果: the lifecycle's ``compute`` step (``lifecycle.campaign_transition``); returns the new results.

    Only submitted scores count. Engine errors become ``CampaignComputeError`` naming unit and indicator.
    """
    lifecycle.campaign_transition(user=user, campaign=campaign, action="compute")
    return list(Result.objects.filter(campaign=campaign))


def compute_results(*, campaign: Campaign) -> list[Result]:
    """The one place that runs the engine on the campaign's data and replaces its ``Result`` rows (and sets, not
    saves, ``computed_at``). Called inside the caller's transaction: the ``compute`` step and
    ``results_recompute``. Raises ``CampaignComputeError`` naming the unit and indicator to fix."""
    data = selectors.engine_input(campaign)
    try:
        output = run_engine(data)
    except ScoringError as exc:
        raise CampaignComputeError(describe_scoring_error(campaign, exc), exc) from None
    results = _save_results(campaign, output)
    campaign.computed_at = timezone.now()
    return results


@transaction.atomic
def results_recompute(*, user, campaign: Campaign, reason: str) -> list[Result]:
    """Recompute after a score changed on re-review (the status stays; a campaign still scoring has no results
    to recompute). Audited with the reason."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status not in (CampaignStatus.COMPUTED, CampaignStatus.FEEDBACK):
        return []
    results = compute_results(campaign=campaign)
    campaign.save(update_fields=["computed_at"])
    _audit(actor=user, action="assessment.results_recompute", target=campaign, before=None,
           after={"units": len(results)}, reason=_reason(reason))
    return results


#: Statuses in which a re-review decision may still change a score (a submitted campaign goes back to computed).
REVIEW_CHANGE_STATUSES = (CampaignStatus.SCORING, CampaignStatus.COMPUTED, CampaignStatus.FEEDBACK,
                          CampaignStatus.SUBMITTED)


@transaction.atomic
def score_change_on_review(*, user, score: Score, new_value, reason: str, expected_version: int | None = None
                           ) -> Score:
    """复核变更分数: change a score after a re-review decision (the decider: the campaign's office or an assessing
    unit of the indicator), with a reason, optimistic version check, audited with the value before. A campaign
    submitted for approval goes back to computed (``return`` step); computed results are recomputed."""
    score = Score.objects.select_for_update(of=("self",)).select_related(
        "campaign", "indicator", "unit", "subunit").get(pk=score.pk)
    campaign = score.campaign
    manager = policies.managed_campaigns(user).filter(pk=campaign.pk).exists()
    if not manager and not score.indicator.assessing_units.filter(pk=user.unit_id or 0).exists():
        raise PermissionDenied(_("您不能变更该评分"))
    reason = _reason(reason)
    if not reason:
        raise ValidationError({"reason": _("变更分数必须说明理由")})
    if campaign.frozen or campaign.status not in REVIEW_CHANGE_STATUSES:
        raise ValidationError(_("考核已审定、公布或冻结，不能再变更分数"))
    value = _parse_value(new_value, field="new_value")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError({"new_value": _("新分数最多两位小数")})
    if not ZERO <= value <= score.indicator.points:
        raise ValidationError({"new_value": _("新分数应在 0 到 %(points)s 之间") % {"points": score.indicator.points}})
    if expected_version is not None and expected_version != score.version:
        raise ValidationError(_("分数已被他人修改（版本 %(v)d），请刷新后重试") % {"v": score.version})
    before = _score_snapshot(score)
    Score.objects.filter(pk=score.pk).update(value=value, version=F("version") + 1, updated_at=timezone.now())
    score.refresh_from_db()
    _audit(actor=user, action="score.change_on_review", target=score, before=before, after=_score_snapshot(score),
           reason=reason)
    if campaign.status == CampaignStatus.SUBMITTED:
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        lifecycle.apply_step(user=user, campaign=locked, step=lifecycle.STEPS["return"],
                             reason=_("复核变更分数，需重新报请审定"))
    results_recompute(user=user, campaign=campaign, reason=reason)
    return score


def _save_results(campaign: Campaign, output: dict) -> list[Result]:
    """Replace the campaign's ``Result`` rows with the engine's output (bulk)."""
    unit_ids = dict(CampaignUnit.objects.filter(campaign=campaign).values_list("unit__code", "unit_id"))
    lists = {name: set(codes) for name, codes in output["lists"].items()}
    now = timezone.now()
    Result.objects.filter(campaign=campaign).delete()
    rows = [
        Result(
            campaign=campaign, unit_id=unit_ids[row["unit"]], category=row["category"],
            applicable_points=Decimal(row["applicable_points"]), earned=Decimal(row.get("earned", "0")),
            base=Decimal(row["base"]), bonus=Decimal(row["bonus"]), deduction=Decimal(row["deduction"]),
            total=Decimal(row["total"]), grade=row["grade"], rank=row["rank"], serious=bool(row.get("serious")),
            **{name: Decimal(value) for name, value in (row.get("subtotals") or {}).items()},
            notes=list(row.get("notes") or []),
            commendation=row["unit"] in lists.get("commendation", ()),
            warning=row["unit"] in lists.get("warning", ()),
            recommendation_letter=row["unit"] in lists.get("recommendation_letter", ()),
            computed_at=now,
        )
        for row in output["units"]
    ]
    return Result.objects.bulk_create(rows, batch_size=2000)


def result_columns() -> list[Column]:
    return [
        Column("category", "考核类别", width=8), Column("unit", "单位编码"), Column("name", "单位名称", width=30),
        Column("applicable", "适用分值", width=10), Column("earned", "实得分", width=10),
        Column("base", "折算得分", width=10), Column("bonus", "加分", width=8), Column("deduction", "扣分", width=8),
        Column("total", "总分", width=10), Column("grade", "等次", width=8), Column("rank", "排名", required=False, width=8),
        Column("daily_work", "日常工作落实", required=False, width=12), Column("field_work", "实地考核", required=False, width=10),
        Column("survey", "满意度", required=False, width=10), Column("adjustment", "加减分", required=False, width=10),
        Column("lists", "结果运用", required=False, width=24), Column("notes", "说明", required=False, width=50),
    ]


def results_export(*, user, campaign: Campaign) -> bytes:
    """Results per category (rank only where the category is ranked), for the office."""
    if not policies.managed_campaigns(user).filter(pk=campaign.pk).exists():
        raise PermissionDenied
    rows = []
    for r in Result.objects.filter(campaign=campaign).select_related("unit").order_by("category", "-total", "unit__path"):
        lists = [label for flag, label in ((r.commendation, "表彰"), (r.warning, "通报警示"),
                                           (r.recommendation_letter, "法治建议书")) if flag]
        rows.append({"category": r.category, "unit": r.unit.code, "name": r.unit.name,
                     "applicable": r.applicable_points, "earned": r.earned, "base": r.base, "bonus": r.bonus,
                     "deduction": r.deduction, "total": r.total, "daily_work": r.daily_work,
                     "field_work": r.field_work, "survey": r.survey, "adjustment": r.adjustment, "grade": r.grade, "rank": r.rank,
                     "lists": "、".join(lists) or None, "notes": "；".join(r.notes) or None})
    return build_workbook("考核结果", result_columns(), rows, instructions=[
        f"{campaign.name}：考核结果（{campaign.get_status_display()}）。",
        "第2、3、5、6类只评定等次，不排名（考核方案§六）。",
        "总分 = 日常工作落实 + 实地考核 + 满意度 + 加减分（考核方案§五）。",
    ])
