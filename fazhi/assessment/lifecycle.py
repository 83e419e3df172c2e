"""The campaign's lifecycle (考核流程): one state machine, owned by this app, written by ``campaign_transition`` alone.

草稿 → 评分中 → 已计算 → 反馈核实中 → 报请审定 → 已审定 → 已公布 / 已通报 (DOMAIN.md §5.5–§5.6, seed 001 §六).
``STEPS`` is the whole table: an action, the statuses it starts from and where each one leads, who may take it,
whether it needs a reason, whether a frozen campaign allows it. Each step writes one audit row named
``campaign.<action>``; a refused step (unknown action, wrong status, wrong person, a guard) changes nothing and
writes one ``campaign.refused`` row, so a forged or replayed POST leaves a trace.

Upper apps never write ``Campaign.status``: they register *guards* (``register_guard(action, fn)``: reasons the
step may not happen now, e.g. reviews' "a re-review is undecided") and *reactions* (``register_reaction(action,
fn)``: what follows in the same transaction, e.g. notices — send them with ``transaction.on_commit``), from their
``AppConfig.ready()``. A guard is read-only: the campaign page calls the guards to explain a disabled step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from . import policies
from .models import Campaign, CampaignStatus, Score

S = CampaignStatus

#: who takes a step: the office that prepares the results (考核办), or the approver (审定人, see ``may_take``)
OFFICE = "office"
APPROVER = "approver"


@dataclass(frozen=True)
class Step:
    """One row of the transitions table."""

    action: str
    label: Promise  # the button
    done: Promise  # the message once done
    moves: dict[str, str]  # from status -> to status
    who: str = OFFICE
    reason_required: bool = False
    while_frozen: bool = True  # False: refused once the campaign is frozen (it would let scores change)
    effect: str = ""  # "compute" runs the engine, "freeze" sets the flag
    primary: bool = False
    confirm: bool = False  # irreversible: needs a one-time confirmation issued with its consequences (``preview``)

    def target(self, status: str) -> str | None:
        return self.moves.get(status)


STEPS: dict[str, Step] = {step.action: step for step in (
    Step("start_scoring", gettext_lazy("开始评分"), gettext_lazy("已开始评分"), {S.DRAFT: S.SCORING},
         while_frozen=False, primary=True, confirm=True),
    Step("back_to_draft", gettext_lazy("退回草稿"), gettext_lazy("已退回草稿"), {S.SCORING: S.DRAFT},
         while_frozen=False),
    Step("compute", gettext_lazy("计算结果"), gettext_lazy("已计算考核结果"),
         {S.SCORING: S.COMPUTED, S.COMPUTED: S.COMPUTED, S.FEEDBACK: S.FEEDBACK}, while_frozen=False,
         effect="compute", primary=True),
    Step("reopen_scoring", gettext_lazy("重新开放评分"), gettext_lazy("已重新开放评分"),
         {S.COMPUTED: S.SCORING, S.FEEDBACK: S.SCORING}, while_frozen=False),
    Step("open_feedback", gettext_lazy("下发核实"), gettext_lazy("已下发核实，考核对象可在核实期内反馈"),
         {S.COMPUTED: S.FEEDBACK}, while_frozen=False),
    Step("submit", pgettext_lazy("button", "报请审定"), gettext_lazy("已报请审定"),
         {S.COMPUTED: S.SUBMITTED, S.FEEDBACK: S.SUBMITTED}, primary=True, confirm=True),
    Step("return", gettext_lazy("退回（重新计算）"), gettext_lazy("已退回，考核回到“已计算”"),
         {S.SUBMITTED: S.COMPUTED}, who=APPROVER, reason_required=True),
    Step("approve", gettext_lazy("审定通过"), gettext_lazy("已审定"), {S.SUBMITTED: S.APPROVED}, who=APPROVER,
         primary=True, confirm=True),
    # the last step is a choice of publication level (``disclosure``): 公布 to the public, or 通报 to the assessed
    # units and the copy recipients only; either way the results are committed to a Merkle root
    Step("publish", gettext_lazy("公布结果（向社会公开）"), gettext_lazy("结果已公布"), {S.APPROVED: S.PUBLISHED},
         primary=True, confirm=True, effect="commit"),
    Step("notify", gettext_lazy("通报结果（不向社会公开）"), gettext_lazy("结果已通报：考核对象和抄送单位可以看到，公众看不到"),
         {S.APPROVED: S.NOTIFIED}, confirm=True, effect="commit"),
    Step("freeze", gettext_lazy("冻结考核"), gettext_lazy("考核已冻结"),
         {S.COMPUTED: S.COMPUTED, S.FEEDBACK: S.FEEDBACK, S.SUBMITTED: S.SUBMITTED, S.APPROVED: S.APPROVED},
         while_frozen=False, effect="freeze"),
)}

#: Statuses in which scores, adjustments and settings may still change (and only while not frozen).
CHANGEABLE_STATUSES = (S.DRAFT, S.SCORING, S.COMPUTED, S.FEEDBACK)
#: Statuses whose results have been released to the assessed units (公布 or 通报).
RELEASED_STATUSES = (S.PUBLISHED, S.NOTIFIED)


# --- guards and reactions (registries for the apps above) -------------------------------------------------------

@dataclass(frozen=True)
class Blocker:
    """A reason a step cannot be taken now, in words the office can act on. ``overridable``: the office may
    still proceed by giving a reason, which is recorded with the step (e.g. feedback left unanswered after its
    window closed); otherwise the step waits."""

    message: str
    overridable: bool = False


Guard = Callable[..., Iterable]  # (campaign, *, user, now) -> messages (str or Blocker)
Reaction = Callable[..., None]  # (campaign, *, user, step, before, reason) -> None

_GUARDS: dict[str, list[Guard]] = {}
_REACTIONS: dict[str, list[Reaction]] = {}


def _register(table: dict, action: str, fn) -> None:
    if action not in STEPS:
        raise ValueError(f"unknown campaign action {action!r}")
    hooks = table.setdefault(action, [])
    if fn not in hooks:  # ready() may run twice (tests); a hook counts once
        hooks.append(fn)


def register_guard(action: str, fn: Guard) -> None:
    """``fn(campaign, *, user, now)`` returns the reasons ``action`` may not happen now (empty: no objection)."""
    _register(_GUARDS, action, fn)


def register_reaction(action: str, fn: Reaction) -> None:
    """``fn(campaign, *, user, step, before, reason)`` runs inside the step's transaction, after the write."""
    _register(_REACTIONS, action, fn)


def collect_blockers(campaign: Campaign, action: str, *, user=None, now: dt.datetime | None = None
                     ) -> list[Blocker]:
    """Every registered guard's objection to ``action`` now (read-only)."""
    now = now or timezone.now()
    found: list[Blocker] = []
    for guard in _GUARDS.get(action, ()):
        for item in guard(campaign, user=user, now=now) or ():
            found.append(item if isinstance(item, Blocker) else Blocker(str(item)))
    return found


def blockers(campaign: Campaign, action: str, *, user=None, now: dt.datetime | None = None) -> list[str]:
    """The objections as sentences (the page shows them next to the button)."""
    return [b.message for b in collect_blockers(campaign, action, user=user, now=now)]


# --- who may take a step ------------------------------------------------------------------------------------------

def may_take(user, campaign: Campaign, step: Step) -> bool:
    """The office that manages the campaign prepares, submits and publishes; the approver of the campaign's own
    level (``policies.approvable_campaigns``) approves or returns — nobody else, not even a platform admin."""
    if step.who == APPROVER:  # the approver of the campaign's own level; the status is the table's business
        root = policies.approval_root(user)
        return root is not None and campaign.owner_id == root.pk
    return policies.managed_campaigns(user).filter(pk=campaign.pk).exists()


def four_eyes_problem(user, campaign: Campaign) -> str | None:
    """Whoever computed or submitted the results never approves them (seed 001: 报省委、省政府审定)."""
    if user.pk is not None and user.pk in (campaign.computed_by_id, campaign.submitted_by_id):
        return _("您计算或报请审定了本考核的结果，不能再审定（审定须由他人办理）")
    return None


def refusal(campaign: Campaign, step: Step | None, *, action: str = "") -> str | None:
    """Why the table itself refuses ``step`` in the campaign's status (None: the table allows it)."""
    if step is None:
        return _("未知操作")
    if campaign.frozen and not step.while_frozen:
        if step.effect == "freeze":
            return _("考核已冻结")
        return _("考核已冻结，不能再%(step)s") % {"step": step.label}
    if step.target(campaign.status) is None:
        sources = "、".join(str(S(s).label) for s in step.moves)
        return _("考核当前为“%(status)s”，不能%(step)s（需要“%(sources)s”）") % {
            "status": campaign.get_status_display(), "step": step.label, "sources": sources}
    return None


@dataclass
class Available:
    """A step the campaign's status allows, for the page: its button and what stops it now (``blockers``: the
    step waits; ``warnings``: the office may proceed with a reason)."""

    step: Step
    blockers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_button(self) -> dict:
        """What the shared template ``assessment/_lifecycle_actions.html`` shows."""
        return {"action": self.step.action, "label": self.step.label, "primary": self.step.primary,
                "reason": self.step.reason_required or bool(self.warnings), "blockers": self.blockers,
                "warnings": self.warnings, "confirm": self.step.confirm}


def available_steps(user, campaign: Campaign, *, now: dt.datetime | None = None) -> list[Available]:
    """The steps the table allows from the campaign's status that ``user`` may take, each with its blockers."""
    out, who = [], {}
    for step in STEPS.values():
        if refusal(campaign, step) is not None:
            continue
        if step.who not in who:  # one permission query per kind of person, not per step
            who[step.who] = may_take(user, campaign, step)
        if who[step.who]:
            found = collect_blockers(campaign, step.action, user=user, now=now)
            out.append(Available(step, [b.message for b in found if not b.overridable],
                                 [b.message for b in found if b.overridable]))
    return out


# --- the one writer of Campaign.status -------------------------------------------------------------------------------

def _audit(**kwargs) -> None:
    from fazhi.audit.services import record_event

    record_event(**kwargs)


def campaign_transition(*, user, campaign: Campaign, action: str, reason: str = "", confirmation=None,
                        document_number: str = "", decided_on: dt.date | None = None,
                        now: dt.datetime | None = None) -> Campaign:
    """Take one step of the lifecycle (the only writer of ``Campaign.status`` and ``Campaign.frozen``).

    ``approve`` records the approver, the date of the decision (``decided_on``) and the approving document
    (``document_number``, 审定文号); the approver is never the person who computed or submitted the results.

    Refusals raise ``ValidationError`` (or ``PermissionDenied`` for a person who may not take the step): nothing
    changes, and the attempt is written to the audit chain as ``campaign.refused`` (outside the rolled-back
    transaction, so it stays).
    """
    try:
        return _transition(user=user, campaign=campaign, action=action, reason=reason, now=now,
                           document_number=document_number, decided_on=decided_on, confirmation=confirmation)
    except (ValidationError, PermissionDenied) as exc:
        _record_refusal(user=user, campaign=campaign, action=action, exc=exc)
        raise


def _record_refusal(*, user, campaign: Campaign, action: str, exc: Exception) -> None:
    messages = getattr(exc, "messages", None) or [str(exc) or _("无权办理")]
    _audit(actor=user, action="campaign.refused", target=campaign, before={"status": campaign.status},
           after={"action": str(action)[:40], "message": "；".join(str(m) for m in messages)[:500]},
           unit=campaign.owner)


@transaction.atomic
def _transition(*, user, campaign: Campaign, action: str, reason: str, now, document_number: str = "",
                decided_on: dt.date | None = None, confirmation=None) -> Campaign:
    from fazhi.io.values import clean_text

    step = STEPS.get(action)
    if step is None:
        raise ValidationError(_("未知操作"))
    if not may_take(user, campaign, step):
        raise PermissionDenied(_("您不能办理该考核的此项操作"))
    reason = clean_text(reason, field="reason", label=_("理由"))
    campaign = Campaign.objects.select_for_update().select_related("owner").get(pk=campaign.pk)
    problem = refusal(campaign, step)
    if problem:
        raise ValidationError(problem)
    if step.reason_required and not reason:
        raise ValidationError({"reason": _("%(step)s必须说明理由") % {"step": step.label}})
    approval = {}
    if step.who == APPROVER:
        problem = four_eyes_problem(user, campaign)
        if problem:
            raise ValidationError(problem)
    if action == "approve":
        approval = _approval(document_number, decided_on, now)
    found = collect_blockers(campaign, action, user=user, now=now)
    hard = [b.message for b in found if not b.overridable]
    if hard:
        raise ValidationError(hard)
    soft = [b.message for b in found if b.overridable]
    if soft and not reason:
        raise ValidationError([*soft, _("如确需继续，请填写理由（理由记入审计日志）")])
    if step.confirm:  # last: the confirmation is bound to the consequences of exactly this step now
        from fazhi.audit.confirm import confirmation_redeem

        confirmation_redeem(user=user, token=confirmation, action=f"campaign.{action}", target=campaign,
                            consequences=consequences(campaign, step, approval=approval))
    before = {"status": campaign.status, "frozen": campaign.frozen}
    after = apply_step(user=user, campaign=campaign, step=step, reason=reason, approval=approval, overridden=soft)
    for reaction in _REACTIONS.get(action, ()):
        reaction(campaign, user=user, step=step, before=before, reason=reason)
    return after


def _approval(document_number: str, decided_on, now) -> dict:
    """The approving document (审定文号) and the date of the decision: both required, the date not in the future."""
    from fazhi.io.values import clean_text

    number = clean_text(document_number, field="document_number", max_length=80, label=_("审定文号"))
    errors = {}
    if not number:
        errors["document_number"] = _("请填写审定文号（如“豫法治委〔2026〕3号”）")
    today = timezone.localdate(now) if now else timezone.localdate()
    if not isinstance(decided_on, dt.date):
        errors["decided_on"] = _("请填写审定日期")
    elif decided_on > today:
        errors["decided_on"] = _("审定日期不能晚于今天")
    if errors:
        raise ValidationError(errors)
    return {"approval_number": number, "approval_date": decided_on}


#: who-did-what fields each step fills in (``user`` and the time; approval adds the document and date)
_RECORDS = {"compute": ("computed_by", None), "submit": ("submitted_by", "submitted_at"),
            "approve": ("approved_by", "approved_at"), "publish": ("published_by", "published_at"),
            "notify": ("published_by", "published_at")}


def apply_step(*, user, campaign: Campaign, step: Step, reason: str = "", approval: dict | None = None,
               overridden: list[str] | None = None) -> Campaign:
    """Write one step (the caller holds the row lock and has checked the table and the guards). Also used by
    ``services.score_change_on_review`` for the automatic 退回 of a submitted campaign whose score changed."""
    from . import services

    before = {"status": campaign.status, "frozen": campaign.frozen}
    extra = {"overridden": overridden} if overridden else {}
    if step.effect == "compute":
        results = services.compute_results(campaign=campaign)
        extra["units"] = len(results)
    if step.effect == "freeze":
        campaign.frozen = True
    fields = ["status", "frozen", "computed_at"]
    if step.effect == "commit":  # the Merkle root over each unit's input and result (``commitment``)
        from . import commitment

        campaign.commitment_root, _slices = commitment.build(campaign)
        fields.append("commitment_root")
        extra["commitment_root"] = campaign.commitment_root
    if step.action in _RECORDS:
        by, at = _RECORDS[step.action]
        setattr(campaign, by, user if getattr(user, "pk", None) else None)
        fields.append(by)
        if at:
            setattr(campaign, at, timezone.now())
            fields.append(at)
    for key, value in (approval or {}).items():
        setattr(campaign, key, value)
        fields.append(key)
        extra[key] = str(value)
    campaign.status = step.target(campaign.status)
    campaign.save(update_fields=fields)
    _audit(actor=user, action=f"campaign.{step.action}", target=campaign, before=before,
           after={"status": campaign.status, "frozen": campaign.frozen, **extra}, reason=reason,
           unit=campaign.owner)
    return campaign


# --- consequences in numbers, and the one-time confirmation ---------------------------------------------------------

def consequences(campaign: Campaign, step: Step, *, approval: dict | None = None) -> list[str]:
    """What the step will do, in numbers (shown before it happens; the confirmation is bound to these sentences,
    so if a number changes between the preview and the confirmation, the confirmation is refused)."""
    from collections import Counter

    from . import selectors

    results = list(campaign.results.values_list("grade", "commendation", "warning", "recommendation_letter"))
    grades = Counter(r[0] for r in results)
    grade_text = "、".join(f"{g} {grades.get(g, 0)} 个" for g in ("优秀", "良好", "合格", "不合格"))
    if step.action == "start_scoring":
        cells = selectors.campaign_cells(campaign)
        assessors = campaign.indicators.filter(points__isnull=False).values("assessing_units").distinct().count()
        return [_("将开始评分：%(units)d 个考核对象、%(leaves)d 项末级指标，应评 %(cells)d 项，%(assessors)d 个考核主体"
                  "将可以评分。") % {"units": campaign.units.count(),
                                 "leaves": campaign.indicators.filter(points__isnull=False).count(),
                                 "cells": len(cells), "assessors": assessors},
                _("开始后指标表、考核对象和指标增减不能再修改（有评分后不能退回草稿）。")]
    if step.action == "submit":
        return [_("将把 %(n)d 个单位的结果报请审定：%(grades)s；列入表彰名单 %(c)d 个、通报警示 %(w)d 个、"
                  "制发法治建议书 %(r)d 个。") % {"n": len(results), "grades": grade_text,
                                            "c": sum(1 for r in results if r[1]), "w": sum(1 for r in results if r[2]),
                                            "r": sum(1 for r in results if r[3])},
                _("报请后分数、加减分和设置不能再修改，除非审定人退回。")]
    if step.action == "approve":
        approval = approval or {}
        return [_("将审定通过 %(n)d 个单位的结果：%(grades)s（审定文号 %(number)s，审定日期 %(date)s）。") % {
                    "n": len(results), "grades": grade_text, "number": approval.get("approval_number", ""),
                    "date": approval.get("approval_date", "")},
                _("审定后结果不能再修改，由考核办公布或通报。")]
    if step.action in ("publish", "notify"):
        from . import disclosure

        rows = list(campaign.results.select_related("campaign"))
        with_figures = sum(1 for r in rows if disclosure.beyond_unit(r).total)
        ranked = "、".join(str(c) for c in campaign.ranked_categories) or "—"
        if campaign.publish_scores:
            scores = _("其中排名类别（第 %(c)s 类）%(m)d 个单位的总分和排名也将公开") % {"c": ranked, "m": with_figures}
        else:
            scores = _("不公开总分和排名（排名类别第 %(c)s 类亦然）") % {"c": ranked}
        units = campaign.units.count()
        if step.action == "publish":
            return [_("公布后，公众可以看到 %(n)d 个单位的考核等次（%(grades)s）；%(scores)s；各指标得分和扣分理由不公开。")
                    % {"n": len(results), "grades": grade_text, "scores": scores},
                    _("将通知 %(n)d 个考核对象，各单位可以看到本单位的明细和核验数据。公布后不能撤回，也不能改为通报。")
                    % {"n": units}]
        copy = (_("排名类别 %(m)d 个单位附总分和排名") % {"m": with_figures} if campaign.publish_scores
                else _("不含总分和排名"))
        return [_("通报后，%(n)d 个考核对象各自可以看到本单位的结果和明细（%(grades)s），抄送单位收到结果名单"
                  "（等次，%(copy)s）；公众看不到本次考核的任何结果。")
                % {"n": units, "grades": grade_text, "copy": copy},
                _("将通知 %(n)d 个考核对象。通报后不能撤回，也不能改为公布。") % {"n": units}]
    return [str(step.label)]


def preview(*, user, campaign: Campaign, action: str, document_number: str = "", decided_on=None):
    """The preview of a step that needs confirming: its consequences and a one-time token (``confirmation_issue``).
    Refused like the step itself (table, person, guards), so nobody confirms what cannot happen."""
    from fazhi.audit.confirm import confirmation_issue

    step = STEPS.get(action)
    if step is None:
        raise ValidationError(_("未知操作"))
    if not may_take(user, campaign, step):
        raise PermissionDenied(_("您不能办理该考核的此项操作"))
    campaign = Campaign.objects.select_related("owner").get(pk=campaign.pk)  # as it is now, not as the caller read it
    problem = refusal(campaign, step)
    if problem:
        raise ValidationError(problem)
    if step.who == APPROVER:
        problem = four_eyes_problem(user, campaign)
        if problem:
            raise ValidationError(problem)
    hard = [b.message for b in collect_blockers(campaign, action, user=user) if not b.overridable]
    if hard:
        raise ValidationError(hard)
    approval = _approval(document_number, decided_on, None) if action == "approve" else None
    return confirmation_issue(user=user, action=f"campaign.{action}", target=campaign,
                              consequences=consequences(campaign, step, approval=approval))


# --- the assessment app's own guards ----------------------------------------------------------------------------------

def _indicators_ready(campaign: Campaign, **_kw):
    leaves = campaign.indicators.filter(points__isnull=False)
    if not leaves.exists():
        yield _("指标表为空，不能开始评分")
    orphans = list(leaves.filter(assessing_units__isnull=True).values_list("code", flat=True)[:20])
    if orphans:
        yield _("以下指标未指定考核主体，不能开始评分：%(codes)s") % {"codes": "、".join(orphans)}


def _no_scores(campaign: Campaign, **_kw):
    if Score.objects.filter(campaign=campaign).exists():
        yield _("已有评分，不能退回草稿")


def _has_results(campaign: Campaign, **_kw):
    if not campaign.results.exists():
        yield _("尚未计算考核结果")


#: how many missing cells the compute guard names (the count says how many more)
MISSING_LISTED = 20


def _complete_data(campaign: Campaign, **_kw):
    """计算前的完整性检查: every cell (indicator × unit, × sub-unit where scored per sub-unit) has a submitted score;
    the message names the first ones and counts the rest (a gap to fix, never a value to drop — DOMAIN §10).

    A missing sub-unit evaluation (§五(一)) is listed on its own; it stops the computation unless the office chose,
    with a reason, to count it as 0 or to leave it out of the mean (``Campaign.missing_subunits``)."""
    from . import selectors
    from .models import MissingRule, ScoreStatus

    cells = selectors.campaign_cells(campaign)
    status = {(i, u, s): st for i, u, s, st in Score.objects.filter(campaign=campaign).values_list(
        "indicator_id", "unit_id", "subunit_id", "status")}
    missing = [(c, status.get(c.key)) for c in cells if status.get(c.key) != ScoreStatus.SUBMITTED]
    if not missing:
        return
    sub_missing = [m for m in missing if m[0].subunit is not None]
    missing = [m for m in missing if m[0].subunit is None]
    if sub_missing and campaign.missing_subunits == MissingRule.BLOCK:
        yield (_("缺少 %(n)d 项下级单位评价，不能计算结果（考核方案§五(一)：补齐评价，或在“应评价清单”页由考核办选择"
                 "缺评按0分计或不计入平均值并说明理由）：") % {"n": len(sub_missing)} + _listing(sub_missing))
    if not missing:
        return
    drafts = sum(1 for _c, st in missing if st is not None)
    yield (_("还有 %(n)d 项评分未提交（其中草稿 %(d)d 项、未评分 %(u)d 项），不能计算结果：") % {
        "n": len(missing), "d": drafts, "u": len(missing) - drafts} + _listing(missing))


def _listing(missing) -> str:
    """The first ``MISSING_LISTED`` cells in words, and how many more."""
    shown = []
    for cell, st in missing[:MISSING_LISTED]:
        where = cell.unit.name + (f"（{cell.subunit.name}）" if cell.subunit else "")
        what = _("草稿未提交") if st is not None else _("未评分")
        shown.append(f"{where} · {cell.indicator.code} {cell.indicator.title}（{what}）")
    more = len(missing) - len(shown)
    return "；".join(shown) + (_("……另有 %(m)d 项") % {"m": more} if more else "")


def _declare_expected(campaign: Campaign, *, user, **_kw) -> None:
    """On 开始评分: every cell scored per sub-unit that the office has not declared gets the default sub-units
    declared (the unit's assessed sub-units), so the 应评价清单 is the whole list from then on."""
    from . import services

    services.expected_fill_defaults(user=user, campaign=campaign)


register_guard("compute", _complete_data)
register_guard("start_scoring", _indicators_ready)
register_reaction("start_scoring", _declare_expected)
register_guard("back_to_draft", _no_scores)
register_guard("submit", _has_results)
register_guard("open_feedback", _has_results)
