"""The one writer of findings and web-search records. Every write audited in its transaction.

A finding opens its rectification item through ``fazhi.reviews.services.rectification_create`` (the reviews
app owns rectification, its report and its sign-off 销号); the finding only points at it.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.assessment import policies as assessment_policies
from fazhi.assessment.models import CampaignUnit, Indicator
from fazhi.audit.services import record_event
from fazhi.io.excel import Column, ImportFailed, RowError, build_workbook, parse_rows
from fazhi.io.values import clean_text
from fazhi.orgs.models import Unit
from fazhi.reviews import services as review_services

from . import policies
from .models import Finding, Source, WebRecord

SOURCE_BY_LABEL = {str(label): value for value, label in Source.choices}
_SPLIT = re.compile(r"[,，、;；\s]+")


def _require_office(user, campaign) -> None:
    if not assessment_policies.managed_campaigns(user).filter(pk=campaign.pk).exists():
        raise PermissionDenied


def _snapshot(finding: Finding) -> dict:
    return {"unit": finding.unit.name, "source": finding.get_source_display(), "problem": finding.problem,
            "found_on": finding.found_on, "reference": finding.reference,
            "indicators": sorted(finding.indicators.values_list("code", flat=True)),
            "evidence": finding.evidence_name}


def _check(campaign, unit, source, problem, found_on, indicators) -> None:
    errors = {}
    if not CampaignUnit.objects.filter(campaign=campaign, unit=unit).exists():
        errors["unit"] = _("该单位不是本次考核的考核对象")
    if source not in Source.values:
        errors["source"] = _("请选择来源")
    if not problem:
        errors["problem"] = _("请填写问题")
    if found_on is None:
        errors["found_on"] = _("请填写发现日期")
    elif found_on.year < campaign.year - 1 or found_on > dt.date(campaign.year + 1, 12, 31):
        errors["found_on"] = _("发现日期应在考核年度前后")
    if any(i.campaign_id != campaign.pk or i.points is None for i in indicators):
        errors["indicators"] = _("涉及指标须是本次考核的末级指标")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def finding_create(*, user, campaign, unit: Unit, source: str, problem: str, found_on: dt.date,
                   indicators=(), reference: str = "", evidence=None) -> Finding:
    """登记督察发现 — the office registers one problem (with an optional file proving it)."""
    _require_office(user, campaign)
    problem = clean_text(problem, field="problem", max_length=2000, label=_("问题"))
    reference = clean_text(reference, field="reference", max_length=300, label=_("出处"))
    indicators = list(indicators)
    _check(campaign, unit, source, problem, found_on, indicators)
    finding = Finding(campaign=campaign, unit=unit, source=source, problem=problem, found_on=found_on,
                      reference=reference, created_by=user)
    if evidence is not None:
        finding.evidence, finding.evidence_name = evidence, (evidence.name or "")[:255]
    try:
        finding.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    finding.save()
    finding.indicators.set(indicators)
    record_event(actor=user, action="findings.finding_create", target=finding, before=None, after=_snapshot(finding))
    return finding


@transaction.atomic
def finding_attach_evidence(*, user, finding: Finding, upload) -> Finding:
    """Add or replace the file proving a finding (after an Excel import, which cannot carry files)."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    _require_office(user, finding.campaign)
    before = {"evidence": finding.evidence_name}
    finding.evidence, finding.evidence_name = upload, (upload.name or "")[:255]
    try:
        finding.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict.get("evidence") or exc.messages) from None
    finding.save(update_fields=["evidence", "evidence_name"])
    record_event(actor=user, action="findings.finding_evidence", target=finding, before=before,
                 after={"evidence": finding.evidence_name})
    return finding


@transaction.atomic
def finding_open_rectification(*, user, finding: Finding, due_date: dt.date, title: str = ""):
    """责令整改 — open a rectification item for the finding's unit (closed by 销号 in the reviews app)."""
    finding = Finding.objects.select_for_update().select_related("campaign", "unit").get(pk=finding.pk)
    _require_office(user, finding.campaign)
    if finding.rectification_id:
        raise ValidationError(_("该问题已交办整改"))
    item = review_services.rectification_create(
        user=user, campaign=finding.campaign, unit=finding.unit, title=title or finding.problem[:300],
        due_date=due_date, detail=_("来源：%(source)s；%(reference)s") % {
            "source": finding.get_source_display(), "reference": finding.reference or "—"})
    finding.rectification = item
    finding.save(update_fields=["rectification"])
    record_event(actor=user, action="findings.finding_rectify", target=finding, before=None,
                 after={"rectification": item.title, "due_date": due_date})
    return item


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    if not match:
        raise ValueError(f"“{value}”不是日期（如 2025-03-18）")
    y, m, d = (int(g) for g in match.groups() if g)
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise ValueError(f"“{value}”不是有效日期") from None


def _codes(value) -> list[str]:
    return [c for c in _SPLIT.split(str(value).strip()) if c]


def _limit(n: int):
    def parse(value) -> str:
        text = str(value).strip()
        if len(text) > n:
            raise ValueError(f"不超过 {n} 个字符（现为 {len(text)} 个）")
        return text
    return parse


def finding_columns() -> list[Column]:
    return [
        Column("unit", "单位编码", parse=_limit(64), help="涉及单位的编码（须是本次考核的考核对象）"),
        Column("source", "来源", choices=tuple(SOURCE_BY_LABEL)),
        Column("problem", "问题", parse=_limit(2000), width=50),
        Column("found_on", "发现日期", parse=_date, help="如 2025-03-18"),
        Column("indicators", "指标编号", required=False, parse=_codes, help="涉及的末级指标编号，多个用逗号分隔"),
        Column("reference", "出处", required=False, parse=_limit(300), help="通报文号、报道标题等", width=30),
    ]


INSTRUCTIONS = [
    "督察发现登记表：每行一条问题线索（督察、巡视巡察、审计、复议纠错、媒体报道）。",
    "导入是整体的：任何一行有错，整个文件都不导入，并列出所有错误所在的行和列。",
    "证明材料文件请在导入后逐条上传。",
]


def finding_template(*, user, campaign) -> bytes:
    _require_office(user, campaign)
    return build_workbook("督察发现", finding_columns(), [], instructions=INSTRUCTIONS)


@transaction.atomic
def finding_import(*, user, campaign, data: bytes) -> int:
    """Import findings from Excel, all or nothing: every problem named by row and column; nothing written unless
    every row is right (units must be assessed in this campaign, indicator codes its leaves)."""
    _require_office(user, campaign)
    columns = {c.key: c.header for c in finding_columns()}
    rows, errors = parse_rows(data, finding_columns())
    members = {u.code: u for u in Unit.objects.filter(pk__in=CampaignUnit.objects.filter(campaign=campaign)
                                                                   .values("unit_id"))}
    leaves = {i.code: i for i in Indicator.objects.filter(campaign=campaign, points__isnull=False)}
    seen: dict[tuple, int] = {}
    ready = []
    for row, record in rows:
        unit = members.get(record["unit"]) if record.get("unit") else None
        if record.get("unit") and unit is None:
            errors.append(RowError(row, columns["unit"], f"“{record['unit']}”不是本次考核的考核对象"))
        codes = record.get("indicators") or []
        unknown = [c for c in codes if c not in leaves]
        if unknown:
            errors.append(RowError(row, columns["indicators"], f"不是本次考核的末级指标：{'、'.join(unknown)}"))
        found_on = record.get("found_on")
        if found_on and not (campaign.year - 1 <= found_on.year <= campaign.year + 1):
            errors.append(RowError(row, columns["found_on"], "发现日期应在考核年度前后"))
        key = (record.get("unit"), record.get("problem"), found_on)
        if all(key) and key in seen:
            errors.append(RowError(row, columns["problem"], f"与第{seen[key]}行重复"))
        seen.setdefault(key, row)
        ready.append((record, unit, [leaves[c] for c in codes if c in leaves]))
    if errors:
        raise ImportFailed(errors)
    for record, unit, indicators in ready:
        finding_create(user=user, campaign=campaign, unit=unit, source=SOURCE_BY_LABEL[record["source"]],
                       problem=record["problem"], found_on=record["found_on"], indicators=indicators,
                       reference=record.get("reference") or "")
    record_event(actor=user, action="findings.finding_import", target=campaign, before=None,
                 after={"rows": len(ready)})
    return len(ready)


@transaction.atomic
def web_record_create(*, user, campaign, unit: Unit, indicator: Indicator, url: str, found_on: dt.date,
                      snapshot, notes: str = "") -> WebRecord:
    """网络检索记录 — a page found about a unit on an indicator, with the saved page or a screenshot."""
    if indicator.campaign_id != campaign.pk or not policies.may_record_web(user, campaign, indicator):
        raise PermissionDenied
    if not CampaignUnit.objects.filter(campaign=campaign, unit=unit).exists():
        raise ValidationError({"unit": _("该单位不是本次考核的考核对象")})
    if snapshot is None:
        raise ValidationError({"snapshot": _("请上传网页存档或截图")})
    if not re.match(r"https?://", (url or "").strip(), re.IGNORECASE):
        raise ValidationError({"url": _("网址应以 http:// 或 https:// 开头")})
    record = WebRecord(campaign=campaign, unit=unit, indicator=indicator, url=(url or "").strip(), found_on=found_on,
                       snapshot=snapshot, snapshot_name=(snapshot.name or "")[:255],
                       notes=clean_text(notes, field="notes", max_length=2000, label=_("检索发现")), created_by=user)
    try:
        record.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    record.save()
    record_event(actor=user, action="findings.web_record_create", target=record, before=None,
                 after={"url": record.url, "found_on": found_on, "indicator": indicator.code,
                        "file": record.snapshot_name, "notes": record.notes})
    return record
