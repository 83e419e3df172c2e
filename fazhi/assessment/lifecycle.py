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

    def target(self, status: str) -> str | None:
        return self.moves.get(status)


STEPS: dict[str, Step] = {step.action: step for step in (
    Step("start_scoring", gettext_lazy("开始评分"), gettext_lazy("已开始评分"), {S.DRAFT: S.SCORING},
         while_frozen=False, primary=True),
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
         {S.COMPUTED: S.SUBMITTED, S.FEEDBACK: S.SUBMITTED}, primary=True),
    Step("return", gettext_lazy("退回（重新计算）"), gettext_lazy("已退回，考核回到“已计算”"),
         {S.SUBMITTED: S.COMPUTED}, reason_required=True),
    Step("approve", gettext_lazy("审定通过"), gettext_lazy("已审定"), {S.SUBMITTED: S.APPROVED}, primary=True),
    Step("publish", gettext_lazy("公布结果"), gettext_lazy("结果已公布"), {S.APPROVED: S.PUBLISHED}, primary=True),
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
    """A reason a step cannot be taken now, in words the office can act on."""

    message: str


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


def blockers(campaign: Campaign, action: str, *, user=None, now: dt.datetime | None = None) -> list[str]:
    """Every registered guard's objection to ``action`` now (read-only; the page shows them)."""
    now = now or timezone.now()
    found: list[str] = []
    for guard in _GUARDS.get(action, ()):
        for item in guard(campaign, user=user, now=now) or ():
            found.append(item.message if isinstance(item, Blocker) else str(item))
    return found


# --- who may take a step ------------------------------------------------------------------------------------------

def may_take(user, campaign: Campaign, step: Step) -> bool:
    """The office that manages the campaign takes every step for now (the approver role comes with 审定)."""
    return policies.managed_campaigns(user).filter(pk=campaign.pk).exists()


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
    """A step the campaign's status allows, for the page: its button and what stops it now."""

    step: Step
    blockers: list[str] = field(default_factory=list)


def available_steps(user, campaign: Campaign, *, now: dt.datetime | None = None) -> list[Available]:
    """The steps the table allows from the campaign's status that ``user`` may take, each with its blockers."""
    out, who = [], {}
    for step in STEPS.values():
        if refusal(campaign, step) is not None:
            continue
        if step.who not in who:  # one permission query per kind of person, not per step
            who[step.who] = may_take(user, campaign, step)
        if who[step.who]:
            out.append(Available(step, blockers(campaign, step.action, user=user, now=now)))
    return out


# --- the one writer of Campaign.status -------------------------------------------------------------------------------

def _audit(**kwargs) -> None:
    from fazhi.audit.services import record_event

    record_event(**kwargs)


def campaign_transition(*, user, campaign: Campaign, action: str, reason: str = "", confirmation=None,
                        now: dt.datetime | None = None) -> Campaign:
    """Take one step of the lifecycle (the only writer of ``Campaign.status`` and ``Campaign.frozen``).

    Refusals raise ``ValidationError`` (or ``PermissionDenied`` for a person who may not take the step): nothing
    changes, and the attempt is written to the audit chain as ``campaign.refused`` (outside the rolled-back
    transaction, so it stays).
    """
    try:
        return _transition(user=user, campaign=campaign, action=action, reason=reason, now=now)
    except (ValidationError, PermissionDenied) as exc:
        _record_refusal(user=user, campaign=campaign, action=action, exc=exc)
        raise


def _record_refusal(*, user, campaign: Campaign, action: str, exc: Exception) -> None:
    messages = getattr(exc, "messages", None) or [str(exc) or _("无权办理")]
    _audit(actor=user, action="campaign.refused", target=campaign, before={"status": campaign.status},
           after={"action": str(action)[:40], "message": "；".join(str(m) for m in messages)[:500]},
           unit=campaign.owner)


@transaction.atomic
def _transition(*, user, campaign: Campaign, action: str, reason: str, now) -> Campaign:
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
    found = blockers(campaign, action, user=user, now=now)
    if found:
        raise ValidationError(found)
    before = {"status": campaign.status, "frozen": campaign.frozen}
    after = apply_step(user=user, campaign=campaign, step=step, reason=reason)
    for reaction in _REACTIONS.get(action, ()):
        reaction(campaign, user=user, step=step, before=before, reason=reason)
    return after


def apply_step(*, user, campaign: Campaign, step: Step, reason: str = "") -> Campaign:
    """Write one step (the caller holds the row lock and has checked the table and the guards). Also used by
    ``services.score_change_on_review`` for the automatic 退回 of a submitted campaign whose score changed."""
    from . import services

    before = {"status": campaign.status, "frozen": campaign.frozen}
    extra = {}
    if step.effect == "compute":
        results = services.compute_results(campaign=campaign)
        extra["units"] = len(results)
    if step.effect == "freeze":
        campaign.frozen = True
    campaign.status = step.target(campaign.status)
    campaign.save(update_fields=["status", "frozen", "computed_at"])
    _audit(actor=user, action=f"campaign.{step.action}", target=campaign, before=before,
           after={"status": campaign.status, "frozen": campaign.frozen, **extra}, reason=reason,
           unit=campaign.owner)
    return campaign


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


register_guard("start_scoring", _indicators_ready)
register_guard("back_to_draft", _no_scores)
register_guard("submit", _has_results)
register_guard("open_feedback", _has_results)
