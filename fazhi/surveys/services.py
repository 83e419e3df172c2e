"""The one writer of 满意度测评 data; every write ``@transaction.atomic`` and audited in the same transaction.

``round_create`` (office) → the institute's ``data_import`` of each kind (all or nothing, every error with row and
column; duplicates and units the indicator does not apply to refused) → ``indicator_write`` (through
``assessment.services.score_save``). 社情民意: opinions about the unit that the office accepted, submitted in the
campaign's year — from the portal, through ``hooks.register_opinion_source`` (the portal is above this app).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.assessment import selectors as assessment_selectors
from fazhi.assessment import services as assessment_services
from fazhi.assessment import steps
from fazhi.assessment.models import Method, Score
from fazhi.audit.services import record_event
from fazhi.core import methods
from fazhi.io.excel import Column, ImportFailed, RowError, build_workbook, parse_rows
from fazhi.orgs.models import Unit, UnitKind

from . import hooks, policies
from .models import ImportBatch, ImportKind, Mode, MysteryVisit, RatingCount, SurveyResult, SurveyRound


def _audit(*, user, action: str, target, after=None, before=None, unit=None) -> None:
    record_event(actor=user, action=f"surveys.{action}", target=target, before=before, after=after, unit=unit)


def target_units(survey_round: SurveyRound) -> list[Unit]:
    seen, out = set(), []
    for cell in assessment_selectors.campaign_cells(survey_round.campaign, [survey_round.indicator]):
        if cell.unit.pk not in seen:
            seen.add(cell.unit.pk)
            out.append(cell.unit)
    return out


def _decimal(low: Decimal, high: Decimal):
    def parse(value):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValueError(_("应为数字")) from None
        if not (low <= number <= high):
            raise ValueError(_("应在 %(low)s 到 %(high)s 之间") % {"low": low, "high": high})
        if number != number.quantize(Decimal("0.01")):
            raise ValueError(_("最多两位小数"))
        return number
    return parse


def _count(value):
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(_("应为整数")) from None
    if number < 0:
        raise ValueError(_("不能为负数"))
    return number


def _date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(_("日期格式应为 2025-06-30")) from None


def _mode(value):
    labels = {str(label): key for key, label in Mode.choices}
    if value not in labels:
        raise ValueError(_("应为以下之一：%(choices)s") % {"choices": "、".join(labels)})
    return labels[value]


SCORE = _decimal(Decimal(0), Decimal(100))


def columns(kind: str) -> list[Column]:
    unit = Column("unit", _("考核对象"), help=_("单位全称"), width=30)
    if kind == ImportKind.SURVEY:
        return [unit, Column("mode", _("调查方式"), parse=_mode, choices=tuple(str(label) for _k, label in Mode.choices)),
                Column("sample_size", _("样本量"), parse=_count), Column("score", _("满意度得分"), parse=SCORE),
                Column("margin", _("误差范围（±百分点）"), parse=SCORE)]
    if kind == ImportKind.MYSTERY:
        return [unit, Column("visited_on", _("暗访日期"), parse=_date), Column("place", _("办事地点")),
                Column("score", _("暗访得分"), parse=SCORE), Column("note", _("发现问题"), required=False, width=40)]
    if kind == ImportKind.RATING:
        return [unit, Column("good", _("好评数"), parse=_count), Column("neutral", _("中评数"), parse=_count),
                Column("bad", _("差评数"), parse=_count)]
    raise ValueError(kind)


def template(kind: str) -> bytes:
    return build_workbook(str(ImportKind(kind).label), columns(kind), [], instructions=[
        _("每行一个单位（神秘办事人：每次暗访一行）；单位须为本指标的考核对象。"),
        _("整个文件没有错误时才会导入；有错误时一行也不导入，并列出行号和列名。已导入的数据不能重复导入。")])


@transaction.atomic
def round_create(*, user, campaign, indicator, institute: Unit, title: str, weights: dict | None = None,
                 opinion_penalty=Decimal(5)) -> SurveyRound:
    if not policies.assessment_policies.managed_campaigns(user).filter(pk=campaign.pk).exists():
        raise PermissionDenied(_("只有组织测评的考核办可以进行此操作"))
    if indicator.campaign_id != campaign.pk or indicator.points is None or indicator.method != Method.SURVEY:
        raise ValidationError(_("请选择该考核中考核方式为“满意度调查”的末级指标"))
    if institute.kind != UnitKind.THIRD_PARTY:
        raise ValidationError(_("请选择第三方调查机构"))
    weights = {k: Decimal(str(v)) for k, v in (weights or {}).items()}
    survey_round = SurveyRound(campaign=campaign, indicator=indicator, institute=institute, title=(title or "").strip(),
                               opinion_penalty=opinion_penalty, created_by=user,
                               **{f"w_{k}": v for k, v in weights.items()})
    survey_round.full_clean()
    survey_round.save()
    _audit(user=user, action="round_create", target=survey_round, after={
        "title": survey_round.title, "indicator": indicator.code, "institute": institute.name,
        "weights": {k: str(v) for k, v in survey_round.weights.items()}, "opinion_penalty": str(opinion_penalty)})
    return survey_round


def _key(kind: str, values: dict):
    if kind == ImportKind.SURVEY:
        return (values.get("unit"), values.get("mode"))
    if kind == ImportKind.MYSTERY:
        return (values.get("unit"), values.get("visited_on"), values.get("place"))
    return (values.get("unit"),)


def _existing_keys(survey_round: SurveyRound, kind: str) -> set:
    if kind == ImportKind.SURVEY:
        return {(n, m) for n, m in survey_round.results.values_list("unit__name", "mode")}
    if kind == ImportKind.MYSTERY:
        return {(n, d, p) for n, d, p in survey_round.visits.values_list("unit__name", "visited_on", "place")}
    return {(n,) for n in survey_round.ratings.values_list("unit__name", flat=True)}


@transaction.atomic
def data_import(*, user, survey_round: SurveyRound, kind: str, data: bytes, filename: str = "") -> ImportBatch:
    """Import one file of ``kind`` (survey results, mystery visits or 好差评 counts): all or nothing."""
    if not policies.rounds_for(user, "import").filter(pk=survey_round.pk).exists():
        raise PermissionDenied(_("只有受委托的第三方调查机构可以导入数据"))
    if kind not in ImportKind.values:
        raise ValidationError(_("未知的数据类型"))
    cols = columns(kind)
    header = {c.key: c.header for c in cols}
    rows, errors = parse_rows(data, cols)
    units = {u.name: u for u in target_units(survey_round)}
    taken = _existing_keys(survey_round, kind)
    seen: dict = {}
    for row, values in rows:
        name = values.get("unit")
        if name and name not in units:
            errors.append(RowError(row, header["unit"], _("“%(unit)s”不是本指标的考核对象") % {"unit": name}))
        key = _key(kind, values)
        if all(part is not None for part in key):
            if key in taken:
                errors.append(RowError(row, header["unit"], _("该数据已经导入过")))
            elif key in seen:
                errors.append(RowError(row, header["unit"], _("与第%(row)s行重复") % {"row": seen[key]}))
            seen.setdefault(key, row)
        if kind == ImportKind.RATING and all(values.get(k) is not None for k in ("good", "neutral", "bad")) \
                and values["good"] + values["neutral"] + values["bad"] == 0:
            errors.append(RowError(row, header["good"], _("评价总数为 0")))
        if kind == ImportKind.SURVEY and values.get("sample_size") == 0:
            errors.append(RowError(row, header["sample_size"], _("样本量须大于 0")))
    if not rows and not errors:
        errors.append(RowError(None, None, _("文件中没有数据")))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.row or 0))
    batch = ImportBatch.objects.create(round=survey_round, kind=kind, filename=(filename or "")[:255], rows=len(rows),
                                       imported_by=user, imported_by_unit_id=user.unit_id)
    model = {ImportKind.SURVEY: SurveyResult, ImportKind.MYSTERY: MysteryVisit, ImportKind.RATING: RatingCount}[kind]
    objects = []
    for _row, values in rows:
        fields = {c.key: values.get(c.key) for c in cols if c.key != "unit"}
        if kind == ImportKind.MYSTERY:
            fields["note"] = fields.get("note") or ""
        objects.append(model(round=survey_round, batch=batch, unit=units[values["unit"]], **fields))
    model.objects.bulk_create(objects)
    _audit(user=user, action="import", target=survey_round, after={
        "kind": str(ImportKind(kind).label), "file": batch.filename, "rows": len(rows)})
    return batch


def opinion_counts(survey_round: SurveyRound, unit_ids) -> dict[int, int] | None:
    """社情民意: accepted opinions about each unit submitted in the campaign's year, from the source the portal
    registers (``hooks``); None when no source is registered (then not counted, and said so)."""
    return hooks.opinion_counts(unit_ids, survey_round.campaign.year)


def unit_inputs(survey_round: SurveyRound) -> list[dict]:
    """Per target unit: every input beside the resulting value and its calculation (a fixed number of queries)."""
    units = target_units(survey_round)
    ids = [u.pk for u in units]
    surveys: dict[int, list] = {}
    for unit_id, size, score, margin, mode in survey_round.results.values_list(
            "unit", "sample_size", "score", "margin", "mode"):
        surveys.setdefault(unit_id, []).append((size, score, margin, mode))
    visits: dict[int, list] = {}
    for unit_id, score in survey_round.visits.values_list("unit", "score"):
        visits.setdefault(unit_id, []).append(score)
    ratings = {r["unit"]: r for r in survey_round.ratings.values("unit").annotate(
        g=Sum("good"), n=Sum("neutral"), b=Sum("bad"))}
    opinions = opinion_counts(survey_round, ids)
    out = []
    for unit in units:
        rating = ratings.get(unit.pk)
        good, total = (rating["g"], rating["g"] + rating["n"] + rating["b"]) if rating else (0, 0)
        outcome = methods.satisfaction(
            surveys=[(s[0], s[1]) for s in surveys.get(unit.pk, [])], visits=visits.get(unit.pk, []), good=good,
            total_ratings=total, opinions=None if opinions is None else opinions.get(unit.pk, 0),
            points=survey_round.indicator.points,
            weights=survey_round.weights, opinion_penalty=survey_round.opinion_penalty)
        has_data = bool(surveys.get(unit.pk) or visits.get(unit.pk) or total)
        out.append({"unit": unit, "surveys": surveys.get(unit.pk, []), "visits": len(visits.get(unit.pk, [])),
                    "good": good, "total": total, "opinions": None if opinions is None else opinions.get(unit.pk, 0),
                    "has_data": has_data,
                    "value": outcome.value if has_data else None, "steps": outcome.steps})
    return out


@transaction.atomic
def indicator_write(*, user, survey_round: SurveyRound) -> int:
    """Write each unit's value through ``assessment.services.score_save``; a unit without any survey, visit or
    rating data is a gap, refused by name (社情民意 alone is not a measurement)."""
    if not policies.can_write_indicator(user, survey_round):
        raise PermissionDenied(_("只有该指标的评分单位（第三方调查机构）可以写入指标得分"))
    survey_round.campaign.refresh_from_db()
    rows = unit_inputs(survey_round)
    missing = [r["unit"].name for r in rows if not r["has_data"]]
    if missing:
        raise ValidationError(_("以下单位没有满意度数据，不能计算：%(units)s") % {"units": "、".join(missing)})
    existing = {s.unit_id: s.version for s in Score.objects.filter(indicator=survey_round.indicator, subunit=None)}
    for row in rows:
        assessment_services.score_save(
            user=user, campaign=survey_round.campaign, indicator=survey_round.indicator, unit=row["unit"],
            value=row["value"], reason=steps.reason_text(gettext_lazy("满意度测评："), row["steps"]),
            expected_version=existing.get(row["unit"].pk, 0))
    _audit(user=user, action="indicator_write", target=survey_round,
           after={r["unit"].name: str(r["value"]) for r in rows})
    return len(rows)
