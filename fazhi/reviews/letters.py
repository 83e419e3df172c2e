"""Documents issued from assessment results (结果运用, seed 001 §六; DOMAIN.md §5.7–§5.8 and §10), in the official
format (``fazhi.io.gongwen``), numbered and stored by ``fazhi.documents``.

One content builder per kind, each a plain function ``content_<kind>(campaign, target, office, params)`` that
says who receives the document and what it says; the rules for using results (records of 约谈 and 整改, per-level
categories) are meant to grow here, kind by kind:

- ``notice`` 考核结果通知 — to the assessed unit itself (主送: the unit): its total, grade, rank (ranked categories
  only), its deductions and low-scoring indicators, its scores as 附件 (and as Excel beside); the campaign's
  commitment root when it has one;
- ``recommendation`` 法治建议书 — for a unit rated 合格 or 不合格, to the bodies that grant 评先评优 titles and 先进
  status (有关单位, §10), *not* to the unit: names the unit and its concrete problems and recommends it not be
  awarded them;
- ``warning`` 通报警示 — the units last in their ranking or with a large fall, to all assessed units;
- ``criticism`` 通报批评 — units rated 不合格 or with a serious (情节严重) deduction, to all assessed units;
- ``interview`` 约谈通知 and ``rectify_order`` 责令整改通知 — to a unit rated 不合格 or with a serious deduction;
- ``feedback`` 考核反馈意见通知 — to a unit, its feedback items to verify within 5 working days (before publication);
- ``copy`` 考核结果抄送函 — to a body the results are copied to (§5.7), with the results table as 附件.

Publication level: anything that goes beyond the unit itself shows, for graded-only categories (2, 3, 5, 6), the
grade only — no totals, no per-indicator scores, no rank, and lists not in score order (``beyond_unit_figures``).

Templates: an office may replace the shipped default of a kind (``LetterTemplate``, docxtpl, sandboxed and checked
at upload by ``fazhi.documents.services.template_check``); the placeholders are ``placeholders(kind)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.assessment import disclosure
from fazhi.assessment.models import (
    Adjustment,
    AdjustmentKind,
    Campaign,
    CampaignStatus,
    CampaignUnit,
    Result,
    Score,
)
from fazhi.audit.services import record_event
from fazhi.documents import kinds as document_kinds
from fazhi.documents import services as document_services
from fazhi.documents.kinds import Content
from fazhi.io.excel import Column, build_workbook
from fazhi.io.gongwen import Attachment, Para, Table, template_docx
from fazhi.orgs.models import Category, Level, Unit

from .models import Feedback, FeedbackStatus, LetterKind, LetterTemplate, Rectification, RectificationStatus
from .selectors import (
    COPY_RECIPIENTS,
    NOTE_GRADED_ONLY,
    _dec,
    beyond_unit_figures,
    commitment_root,
    disclosure_order,
    shows_rank,
)

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
RESULT_STATUSES = (CampaignStatus.APPROVED, CampaignStatus.PUBLISHED, CampaignStatus.NOTIFIED)
FAILING = ("合格", "不合格")
#: Bodies that grant 评先评优 titles and 先进 status (法治建议书 recipients, §10), named for the province; other
#: levels get their own (``level_names``). The office may change the 主送 text when it issues.
RECOMMENDATION_RECIPIENTS = ["省委组织部", "省人力资源社会保障厅", "省文明办"]
LOW_SCORE_LIMIT = 5


@dataclass(frozen=True)
class KindSpec:
    """How a kind is targeted: one per unit (``unit``), one per campaign (``campaign``), one per copy recipient."""

    scope: str  # "unit" | "campaign" | "recipient"
    needs_results: bool = True


SPECS = {
    LetterKind.NOTICE: KindSpec("unit"),
    LetterKind.RECOMMENDATION: KindSpec("unit"),
    LetterKind.WARNING: KindSpec("campaign"),
    LetterKind.CRITICISM: KindSpec("campaign"),
    LetterKind.INTERVIEW: KindSpec("unit"),
    LetterKind.RECTIFY_ORDER: KindSpec("unit"),
    LetterKind.FEEDBACK: KindSpec("unit", needs_results=False),
    LetterKind.COPY: KindSpec("recipient"),
}
CAMPAIGN_TARGET = "all"

#: Placeholders besides the common ones of ``fazhi.documents.services.COMMON_PLACEHOLDERS`` (name → label),
#: with the sample value used to try an uploaded template.
UNIT_KEYS = {
    "unit_name": ("被考核单位名称", "示例市人民政府"), "campaign_name": ("考核名称", "2026年度法治政府建设考核"),
    "year": ("考核年度", "2026"), "grade": ("等次", "合格"), "total": ("总分（本文件不宜显示分数时为空）", "72.50"),
    "rank_text": ("排名（仅排名类别，否则为空）", "，在同类单位中排第12名"),
}
CAMPAIGN_KEYS = {
    "campaign_name": ("考核名称", "2026年度法治政府建设考核"), "year": ("考核年度", "2026"),
    "units": ("涉及单位名单", "示例市人民政府、示例县人民政府"),
}
COPY_KEYS = {**CAMPAIGN_KEYS, "recipient_name": ("抄送机关", "示例纪委监委")}
NOTICE_KEYS = {**UNIT_KEYS, "commitment_root": ("考核结果承诺根（Merkle 根，未生成时为空）", "")}


def extra_keys(kind: str) -> dict[str, tuple[str, str]]:
    if kind == LetterKind.NOTICE:
        return NOTICE_KEYS
    scope = SPECS[LetterKind(kind)].scope
    return {"unit": UNIT_KEYS, "campaign": CAMPAIGN_KEYS, "recipient": COPY_KEYS}[scope]


def placeholders(kind: str) -> dict[str, str]:
    """Every placeholder a template of ``kind`` may use, name → what it is (for the templates page)."""
    return {**document_services.COMMON_PLACEHOLDERS, **{k: v[0] for k, v in extra_keys(kind).items()}}


# --- templates ---------------------------------------------------------------------------------------------------

def default_template(kind: str) -> bytes:
    """The shipped template: the official frame with placeholders (the same frame for every kind; the content
    comes from the builders below)."""
    LetterKind(kind)
    return template_docx()


def template_bytes(owner, kind: str) -> bytes:
    """The office's template for ``kind`` (own, or of a level above), else the default."""
    chain = [*owner.ancestors(), owner]
    custom = LetterTemplate.objects.filter(owner__in=chain, kind=kind).order_by("-owner__path").first()
    if custom is not None:
        with custom.file.open("rb") as handle:
            return handle.read()
    return default_template(kind)


def validate_template(data: bytes, name: str, kind: str = LetterKind.NOTICE) -> None:
    """Refused with every reason: not a .docx, loops or other forbidden constructs, unknown placeholders, no
    发文字号 placeholder, page setup outside GB/T 9704-2012, or no document from sample values."""
    document_services.template_check(data, name, extra={k: v[1] for k, v in extra_keys(kind).items()})


@transaction.atomic
def template_upload(*, user, owner, kind: str, data: bytes, name: str) -> LetterTemplate:
    if kind not in LetterKind.values:
        raise ValidationError(_("未知的文书类型"))
    validate_template(data, name, kind)
    item = LetterTemplate.objects.filter(owner=owner, kind=kind).first()
    before = {"original_name": item.original_name} if item else None
    item = item or LetterTemplate(owner=owner, kind=kind)
    if item.pk and item.file:
        item.file.delete(save=False)
    item.original_name = name[:255]
    item.uploaded_by = user
    item.file.save(f"{kind}.docx", ContentFile(data), save=False)
    item.save()
    record_event(actor=user, action="letter_template.upload", target=item, before=before,
                 after={"kind": kind, "original_name": item.original_name}, unit=owner)
    return item


# --- what may be shown ------------------------------------------------------------------------------------------

def own_figures(result: Result) -> dict[str, str]:
    """What the unit itself (and the office) may read about its own result: its total always."""
    return {"total": _dec(result.total),
            "rank_text": f"，在同类单位中排第{result.rank}名" if shows_rank(result) else ""}


def subtotals_sentence(result: Result) -> str:
    """"其中日常工作落实54.00分、实地考核22.00分、满意度12.25分、加减分-1.00分。" (DOMAIN §10), or "" for a result
    computed before subtotals were kept."""
    if not result.has_subtotals:
        return ""
    parts = [f"{label}{_dec(value)}分" for _name, label, value in result.subtotals()]
    return "其中" + "、".join(parts) + "。"


def level_names(owner: Unit, names: list[str]) -> list[str]:
    """Province names of bodies adapted to the owner's level (§10: every level has its own recipients):
    省委组织部 → 市委组织部, 省人力资源社会保障厅 → 市人力资源社会保障局."""
    if owner.level == Level.PROVINCE:
        return list(names)
    prefix = {Level.CITY: "市", Level.COUNTY: "县", Level.TOWNSHIP: "乡"}.get(owner.level, "")
    out = []
    for name in names:
        if name.startswith("省"):
            name = prefix + name[1:]
            name = name[:-1] + "局" if name.endswith("厅") else name
        out.append(name)
    return out


def all_units_text(owner: Unit) -> str:
    """主送 of a document to every assessed unit of a level."""
    return {
        Level.PROVINCE: "各省辖市人民政府、济源示范区管委会，省直有关单位",
        Level.CITY: "各县（市、区）人民政府，市直有关单位",
        Level.COUNTY: "各乡（镇）人民政府、街道办事处，县直有关单位",
    }.get(owner.level, "各有关单位")


def _units_named(owner: Unit, names: list[str]) -> list[Unit]:
    return list(Unit.objects.filter(name__in=names, path__startswith=owner.path))


# --- problems of a unit ------------------------------------------------------------------------------------------

def unit_problems(result: Result, *, with_figures: bool) -> list[str]:
    """The unit's concrete problems: its deductions with reason and source, then its low-scoring indicators
    (below the 良好 line of the campaign, lowest share first) with the assessing unit's reason. Figures only when
    the reader may see them (``with_figures``)."""
    campaign = result.campaign
    out = []
    deductions = Adjustment.objects.filter(campaign=campaign, unit=result.unit, kind=AdjustmentKind.DEDUCTION)
    for item in deductions.order_by("-points", "pk"):
        text = item.reason.strip().rstrip("。；;")
        source = f"（依据：{item.source.strip()}）" if item.source.strip() else ""
        figure = f"，扣{_dec(item.points)}分" if with_figures else ""
        serious = "，情节严重" if item.serious else ""
        out.append(f"{text}{source}{figure}{serious}。")
    share = campaign.good_min / Decimal(100)
    low = [s for s in Score.objects.filter(campaign=campaign, unit=result.unit, subunit__isnull=True,
                                           indicator__points__gt=0).select_related("indicator")
           if s.value < s.indicator.points * share]
    low.sort(key=lambda s: (s.value / s.indicator.points, s.indicator.sort, s.indicator.code))
    for score in low[:LOW_SCORE_LIMIT]:
        reason = score.reason.strip().rstrip("。；;")
        figure = f"（得分{_dec(score.value)}分，满分{_dec(score.indicator.points)}分）" if with_figures else ""
        out.append(f"“{score.indicator.title}”落实不到位{figure}" + (f"：{reason}。" if reason else "。"))
    return out


def _numbered(items: list[str]) -> list[Para]:
    return [Para(f"{i}.{text}") for i, text in enumerate(items, 1)]


def _scores_table(result: Result) -> tuple[Attachment, bytes]:
    scores = list(Score.objects.filter(campaign=result.campaign, unit=result.unit, subunit__isnull=True)
                  .select_related("indicator").order_by("indicator__sort", "indicator__code"))
    rows = [[str(i), s.indicator.code, s.indicator.title, _dec(s.indicator.points), _dec(s.value),
             (s.reason or "")[:60]] for i, s in enumerate(scores, 1)]
    title = f"{result.unit.name}{result.campaign.year}年度考核得分情况"
    headers = ["序号", "指标编号", "指标", "分值", "得分", "评分理由"]
    columns = [Column(f"c{i}", h) for i, h in enumerate(headers)]
    sheet = build_workbook("得分情况", columns, ({f"c{i}": v for i, v in enumerate(row)} for row in rows),
                           instructions=[title, "仅供被考核单位本单位使用。"])
    table = Table(headers, rows, [0.8, 1.2, 4, 1, 1, 3])
    return Attachment(title, table), sheet


def _results_table(campaign: Campaign, categories: list[int] | None) -> tuple[Attachment, bytes]:
    results = campaign.results.select_related("unit", "campaign")
    if categories is not None:
        results = results.filter(category__in=categories)
    rows = []
    for i, r in enumerate(disclosure_order(results), 1):
        figures = beyond_unit_figures(r)
        rows.append([str(i), r.unit.name, f"{r.category}类", r.grade, figures["total"] or "—",
                     str(r.rank) if disclosure.beyond_unit(r).rank else "—"])
    title = f"{campaign.name}结果"
    headers = ["序号", "单位", "类别", "等次", "总分", "排名"]
    columns = [Column(f"c{i}", h) for i, h in enumerate(headers)]
    sheet = build_workbook("考核结果", columns, ({f"c{i}": v for i, v in enumerate(row)} for row in rows),
                           instructions=[title, NOTE_GRADED_ONLY])
    note = "注：" + "；".join(f"{c}类为{Category(c).label}" for c in sorted({r.category for r in results})) + "。"
    return Attachment(title, Table(headers, rows, [0.8, 5, 1, 1.2, 1.2, 1]), note=note), sheet


# --- the content of each kind ------------------------------------------------------------------------------------

def _unit_context(campaign: Campaign, result: Result | None, unit: Unit, figures: dict[str, str]) -> dict:
    return {"unit_name": unit.name, "campaign_name": campaign.name, "year": campaign.year,
            "grade": result.grade if result else "", **figures}


def content_notice(campaign: Campaign, result: Result, office: Unit, params: dict) -> Content:
    """考核结果通知 — to the unit itself, so its own total and scores may be shown."""
    figures = own_figures(result)
    problems = unit_problems(result, with_figures=True)
    body = [Para(f"{campaign.name}工作已经结束，考核结果已经审定。现将你单位考核结果通知如下。"),
            Para("一、考核结果", 1),
            Para(f"你单位考核总分为{figures['total']}分，等次为“{result.grade}”{figures['rank_text']}。"
                 + subtotals_sentence(result) + "各项指标得分情况见附件。")]
    if problems:
        body += [Para("二、存在的主要问题", 1), *_numbered(problems)]
    body += [Para(f"{'三' if problems else '二'}、有关要求", 1),
             Para("请你单位对照考核反馈的问题认真整改，并按要求报告整改情况。")]
    root = commitment_root(campaign)
    if root:
        body.append(Para(f"本次考核结果的承诺根（Merkle 根）为{root}，可据此核验公布的考核结果。"))
    attachment, sheet = _scores_table(result)
    return Content(
        title=f"关于{campaign.name}结果的通知", main_to=result.unit.name, main_units=[result.unit], body=body,
        attachments=[attachment], sheets=[(f"{attachment.title}.xlsx", sheet)],
        template=template_bytes(campaign.owner, LetterKind.NOTICE),
        context={**_unit_context(campaign, result, result.unit, figures), "commitment_root": root},
    )


def content_recommendation(campaign: Campaign, result: Result, office: Unit, params: dict) -> Content:
    """法治建议书 — to the bodies that grant titles and 先进 status (有关单位), naming the unit and its problems;
    beyond the unit, so graded-only categories carry no score or rank."""
    recipients = level_names(campaign.owner, RECOMMENDATION_RECIPIENTS)
    figures = beyond_unit_figures(result)
    score = f"总分{figures['total']}分，" if figures["total"] else ""
    problems = unit_problems(result, with_figures=bool(figures["total"]))
    body = [Para(f"根据考核方案关于考核结果运用的规定，现就{result.unit.name}{campaign.name}结果提出法治建议如下。"),
            Para("一、考核结果", 1),
            Para(f"经考核并审定，{result.unit.name}{score}考核等次为“{result.grade}”{figures['rank_text']}。")]
    if problems:
        body += [Para("二、存在的主要问题", 1), *_numbered(problems)]
    body += [Para(f"{'三' if problems else '二'}、建议", 1),
             Para(f"建议在{campaign.year + 1}年度评先评优、授予先进称号和示范创建中，对{result.unit.name}"
                  "不予推荐或暂缓授予，待其整改到位后再予考虑。"),
             Para("请将采纳情况及时反馈我办。")]
    return Content(
        title=f"关于{result.unit.name}{campaign.name}结果运用的法治建议书", main_to="、".join(recipients),
        main_units=_units_named(campaign.owner, recipients), body=body,
        template=template_bytes(campaign.owner, LetterKind.RECOMMENDATION),
        context=_unit_context(campaign, result, result.unit, figures),
    )


def _unit_list_paragraphs(results: list[Result], reason) -> list[Para]:
    return [Para(f"{i}.{r.unit.name}：{reason(r)}。") for i, r in enumerate(results, 1)]


def _campaign_content(campaign: Campaign, kind: str, title: str, results: list[Result], intro: str,
                      reason, demand: str) -> Content:
    units = [cu.unit for cu in CampaignUnit.objects.filter(campaign=campaign).select_related("unit")]
    body = [Para(intro), *_unit_list_paragraphs(results, reason), Para(demand)]
    return Content(
        title=title, main_to=all_units_text(campaign.owner), main_units=units, body=body,
        template=template_bytes(campaign.owner, kind),
        context={"campaign_name": campaign.name, "year": campaign.year,
                 "units": "、".join(r.unit.name for r in results)},
    )


def content_warning(campaign: Campaign, office: Unit, params: dict) -> Content:
    """通报警示 — units last in their ranking or with a large fall (seed 001 §六(三)); ranked categories only."""
    results = disclosure_order(campaign.results.filter(warning=True).select_related("unit", "campaign"))
    if not results:
        raise ValidationError(_("本次考核没有列入通报警示名单的单位"))

    def reason(r: Result) -> str:
        notes = "；".join(str(n) for n in (r.notes or []) if n)
        place = f"在同类单位中排第{r.rank}名" if shows_rank(r) else f"考核等次为“{r.grade}”"
        return place + (f"（{notes}）" if notes else "")

    return _campaign_content(
        campaign, LetterKind.WARNING, f"关于对{campaign.name}排名靠后单位予以通报警示的通报", results,
        f"根据{campaign.name}结果和考核方案关于考核结果运用的规定，对以下排名靠后或者退步较大的单位予以通报警示：",
        reason, "被通报警示的单位要深刻分析原因，制定整改措施，于30日内将整改情况书面报送我办。")


def content_criticism(campaign: Campaign, office: Unit, params: dict) -> Content:
    """通报批评 — units rated 不合格 or with a serious deduction (seed 001 §六(四)). No scores: the list goes to
    every unit."""
    results = disclosure_order(campaign.results.filter(Q(grade="不合格") | Q(serious=True))
                               .select_related("unit", "campaign"))
    if not results:
        raise ValidationError(_("本次考核没有等次为不合格或有情节严重扣分的单位"))

    def reason(r: Result) -> str:
        serious = [a.reason.strip().rstrip("。") for a in Adjustment.objects.filter(
            campaign=campaign, unit=r.unit, kind=AdjustmentKind.DEDUCTION, serious=True)]
        text = f"考核等次为“{r.grade}”"
        return text + (f"，存在{'；'.join(serious)}等问题" if serious else "")

    return _campaign_content(
        campaign, LetterKind.CRITICISM, f"关于对{campaign.name}中存在突出问题单位的通报", results,
        f"根据{campaign.name}结果和考核方案关于考核结果运用的规定，对以下单位予以通报批评：",
        reason, "被通报批评的单位要切实履行法治建设第一责任人职责，认真整改，于30日内将整改情况书面报送我办。")


def _eligible_for_measures(result: Result) -> None:
    if result.grade != "不合格" and not result.serious:
        raise ValidationError(_("约谈和责令整改适用于等次为不合格或有情节严重扣分的单位"))


def content_interview(campaign: Campaign, result: Result, office: Unit, params: dict) -> Content:
    """约谈通知 — to the unit; when and where as the office types them (else 另行通知)."""
    _eligible_for_measures(result)
    when = (params.get("when") or "").strip() or "另行通知"
    problems = unit_problems(result, with_figures=True)
    body = [Para(f"根据{campaign.name}结果和考核方案关于考核结果运用的规定，"
                 f"决定对你单位主要负责人进行约谈。约谈时间、地点：{when}。"),
            Para("一、约谈事由", 1),
            Para(f"你单位考核等次为“{result.grade}”" + ("，存在以下问题：" if problems else "。")),
            *_numbered(problems),
            Para("二、有关要求", 1),
            Para("请你单位主要负责人准时参加，并准备落实法治建设第一责任人职责和问题整改情况的书面汇报材料。")]
    return Content(
        title=f"关于对{result.unit.name}主要负责人进行约谈的通知", main_to=result.unit.name,
        main_units=[result.unit], body=body, template=template_bytes(campaign.owner, LetterKind.INTERVIEW),
        context=_unit_context(campaign, result, result.unit, own_figures(result)),
    )


def _due(params: dict) -> dt.date:
    value = params.get("due") or ""
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return timezone.localdate() + dt.timedelta(days=30)


def content_rectify_order(campaign: Campaign, result: Result, office: Unit, params: dict) -> Content:
    """责令整改通知 — the unit's problems and open rectification items, with a due date."""
    _eligible_for_measures(result)
    due = _due(params)
    problems = unit_problems(result, with_figures=True)
    items = [f"{r.title}（{r.detail.strip()}）" if r.detail.strip() else r.title
             for r in Rectification.objects.filter(campaign=campaign, unit=result.unit).exclude(
                 status=RectificationStatus.SIGNED_OFF).order_by("due_date", "pk")]
    body = [Para(f"在{campaign.name}中，你单位考核等次为“{result.grade}”，存在以下问题："),
            *_numbered(problems + items),
            Para(f"根据考核方案关于考核结果运用的规定，现责令你单位对上述问题进行整改，于{due.year}年{due.month}月"
                 f"{due.day}日前完成整改，并将整改情况书面报送我办，同时在平台中报告各整改事项的整改情况。")]
    return Content(
        title=f"关于责令{result.unit.name}限期整改的通知", main_to=result.unit.name, main_units=[result.unit],
        body=body, template=template_bytes(campaign.owner, LetterKind.RECTIFY_ORDER),
        context=_unit_context(campaign, result, result.unit, own_figures(result)),
    )


def content_feedback(campaign: Campaign, unit: Unit, office: Unit, params: dict) -> Content:
    """考核反馈意见通知 — the unit's feedback items (still to verify first), with the 5-working-day deadline."""
    items = list(Feedback.objects.filter(campaign=campaign, unit=unit).select_related("indicator")
                 .order_by("status", "sent_at", "pk"))
    if not items:
        raise ValidationError(_("尚未向该单位发送反馈"))
    open_items = [f for f in items if f.status == FeedbackStatus.SENT]
    deadlines = [f.deadline for f in open_items if f.deadline]
    last = max(deadlines) if deadlines else None
    when = f"于{last.year}年{last.month}月{last.day}日前" if last else "在收到本通知后5个工作日内"
    lines = [f"{f'“{f.indicator.title}”：' if f.indicator_id else ''}{f.text.strip().rstrip('。')}。" for f in items]
    body = [Para(f"在{campaign.name}中，经初步评分，现将涉及你单位的问题反馈如下："), *_numbered(lines),
            Para(f"请你单位{when}在平台中逐项核实确认；如有异议，可在核实期限内提出复核申请并提交佐证材料。"
                 "逾期未核实的，视为无异议。")]
    return Content(
        title=f"关于{campaign.name}反馈意见的通知", main_to=unit.name, main_units=[unit], body=body,
        template=template_bytes(campaign.owner, LetterKind.FEEDBACK),
        context=_unit_context(campaign, None, unit, {"total": "", "rank_text": ""}),
    )


def content_copy(campaign: Campaign, recipient: dict, office: Unit, params: dict) -> Content:
    """考核结果抄送函 — to a body the results are copied to (§5.7), as a basis for its own evaluations."""
    name = level_names(campaign.owner, [recipient["name"]])[0]
    attachment, sheet = _results_table(campaign, recipient["categories"])
    body = [Para(f"{campaign.name}结果已经审定。根据考核方案关于考核结果抄送的规定，现将考核结果抄送你单位，"
                 "作为你单位在相关考核评价中的参考依据。"),
            Para("只评定等次的单位仅列等次。请注意保密，不得对外公开。")]
    return Content(
        title=f"关于抄送{campaign.name}结果的函", main_to=name, main_units=_units_named(campaign.owner, [name]),
        body=body, attachments=[attachment], sheets=[(f"{attachment.title}（抄送{name}）.xlsx", sheet)],
        template=template_bytes(campaign.owner, LetterKind.COPY),
        context={"campaign_name": campaign.name, "year": campaign.year, "units": "", "recipient_name": name},
    )


UNIT_BUILDERS = {
    LetterKind.NOTICE: content_notice, LetterKind.RECOMMENDATION: content_recommendation,
    LetterKind.INTERVIEW: content_interview, LetterKind.RECTIFY_ORDER: content_rectify_order,
}
CAMPAIGN_BUILDERS = {LetterKind.WARNING: content_warning, LetterKind.CRITICISM: content_criticism}


# --- targets and checks ------------------------------------------------------------------------------------------

def recipient_by_key(key: str) -> dict | None:
    return next((r for r in COPY_RECIPIENTS if r["key"] == key), None)


def check_allowed(campaign: Campaign, kind: str) -> None:
    """The campaign's phase allows this kind: results documents once approved; feedback once computed."""
    if SPECS[LetterKind(kind)].needs_results:
        if campaign.status not in RESULT_STATUSES:
            raise ValidationError(_("考核结果审定后才能制发文书"))
    elif campaign.status == CampaignStatus.DRAFT:
        raise ValidationError(_("考核尚未开始，不能制发反馈意见通知"))


def target_unit(campaign: Campaign, kind: str, target: str) -> tuple[Unit | None, Result | None]:
    """The unit and result a per-unit document is about; ``None, None`` when ``target`` is not in the campaign."""
    if kind == LetterKind.FEEDBACK:
        member = CampaignUnit.objects.filter(campaign=campaign, unit__code=target).select_related("unit").first()
        return (member.unit, None) if member else (None, None)
    result = Result.objects.filter(campaign=campaign, unit__code=target).select_related("unit", "campaign").first()
    return (result.unit, result) if result else (None, None)


def build(*, office: Unit, subject: Campaign, about_unit: Unit | None, params: dict, kind: str) -> Content:
    """The content of one document (the ``build`` registered with ``fazhi.documents.kinds``)."""
    check_allowed(subject, kind)
    target = params.get("target", "")
    if kind == LetterKind.FEEDBACK:
        unit, _result = target_unit(subject, kind, target)
        if unit is None:
            raise ValidationError(_("该单位不是本次考核的考核对象"))
        return content_feedback(subject, unit, office, params)
    if kind in UNIT_BUILDERS:
        _unit, result = target_unit(subject, kind, target)
        if result is None:
            raise ValidationError(_("该单位没有本次考核的结果"))
        if kind == LetterKind.RECOMMENDATION and result.grade not in FAILING:
            raise ValidationError(_("法治建议书只制发给等次为合格或不合格的单位"))
        return UNIT_BUILDERS[kind](subject, result, office, params)
    if kind in CAMPAIGN_BUILDERS:
        return CAMPAIGN_BUILDERS[kind](subject, office, params)
    recipient = recipient_by_key(target)
    if recipient is None:
        raise ValidationError(_("未知的抄送机关"))
    return content_copy(subject, recipient, office, params)


def unit_kinds_for(result: Result, has_feedback: bool) -> list[str]:
    """The per-unit kinds that apply to this result (what the campaign page offers)."""
    out = [LetterKind.NOTICE]
    if result.grade in FAILING:
        out.append(LetterKind.RECOMMENDATION)
    if result.grade == "不合格" or result.serious:
        out += [LetterKind.INTERVIEW, LetterKind.RECTIFY_ORDER]
    if has_feedback:
        out.append(LetterKind.FEEDBACK)
    return out


def campaign_kinds_for(campaign: Campaign) -> list[str]:
    out = []
    if campaign.results.filter(warning=True).exists():
        out.append(LetterKind.WARNING)
    if campaign.results.filter(Q(grade="不合格") | Q(serious=True)).exists():
        out.append(LetterKind.CRITICISM)
    return out


def document_key(campaign: Campaign, kind: str, target: str) -> str:
    return f"reviews.{kind}:campaign:{campaign.pk}:{target}"


def kind_key(kind: str) -> str:
    return f"reviews.{kind}"


def _published_campaigns() -> Q:
    """Results documents are seen by their addressees once the results are released, 公布 or 通报
    (``disclosure.released_campaigns``, §5.6)."""
    return Q(subject_type=ContentType.objects.get_for_model(Campaign),
             subject_id__in=disclosure.released_campaigns().values("pk"))


def register_kinds() -> None:
    """Called from ``ReviewsConfig.ready``: every kind of this app, for ``fazhi.documents``."""
    for kind in LetterKind:
        visible = None if kind == LetterKind.FEEDBACK else _published_campaigns
        document_kinds.register(document_kinds.Kind(
            key=kind_key(kind), label=gettext_lazy(kind.label),
            build=lambda *, _kind=kind.value, **kw: build(kind=_kind, **kw), visible=visible))


def issue(*, user, campaign: Campaign, kind: str, target: str, main_to: str | None = None,
          cc_to: str | None = None, params: dict | None = None):
    """Issue the document of ``kind`` for ``target`` (unit code, ``all`` or a copy recipient key)."""
    about = None
    if SPECS[LetterKind(kind)].scope == "unit":
        about, _result = target_unit(campaign, kind, target)
        if about is None:
            raise ValidationError(_("该单位不是本次考核的考核对象"))
    return document_services.document_issue(
        user=user, office=user.unit, kind=kind_key(kind), key=document_key(campaign, kind, target),
        subject=campaign, about_unit=about, params={**(params or {}), "target": target}, main_to=main_to,
        cc_to=cc_to)


def preview(*, office: Unit, campaign: Campaign, kind: str, target: str, params: dict | None = None) -> bytes:
    return document_services.document_preview(office=office, kind=kind_key(kind), subject=campaign,
                                              params={**(params or {}), "target": target})

