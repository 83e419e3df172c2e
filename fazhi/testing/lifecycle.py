"""Test helpers for the campaign lifecycle: take steps as the right person with the confirmation an irreversible step
needs (the preview's one-time token, as the confirmation page would post it). Other apps' tests use them so they need
not know who takes which step or which steps need confirming."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fazhi.assessment import lifecycle

DOCUMENT_NUMBER = "豫法治委〔2026〕1号"


def take(*, user, campaign, action: str, **kwargs):
    """``lifecycle.campaign_transition`` with a fresh confirmation for a step that needs one. When the preview itself
    is refused, the step is attempted without one, so the refusal (and its audit row) is the step's own."""
    step = lifecycle.STEPS.get(action)
    if step is not None and step.confirm and "confirmation" not in kwargs:
        try:
            issued = lifecycle.preview(user=user, campaign=campaign, action=action,
                                       document_number=kwargs.get("document_number", ""),
                                       decided_on=kwargs.get("decided_on"))
        except (ValidationError, PermissionDenied):
            issued = None
        if issued is not None:
            kwargs["confirmation"] = issued.token
    return lifecycle.campaign_transition(user=user, campaign=campaign, action=action, **kwargs)


def advance(campaign, *actions: str, office, approver=None, reason: str = "测试", document_number: str = DOCUMENT_NUMBER,
            decided_on: dt.date | None = None):
    """Take each step in turn (the approver approves and returns, the office the rest); returns the campaign."""
    for action in actions:
        step = lifecycle.STEPS[action]
        user = approver if step.who == lifecycle.APPROVER else office
        if user is None:
            raise ValueError(f"step {action!r} needs the approver")
        take(user=user, campaign=campaign, action=action, reason=reason, document_number=document_number,
             decided_on=decided_on or timezone.localdate())
    campaign.refresh_from_db()
    return campaign


def submit_scores(*, user, campaign, indicators=None) -> int:
    """提交全部草稿 as the worklist does it: the preview's confirmation, then the submission."""
    from fazhi.assessment import services

    issued = services.scores_submit_preview(user=user, campaign=campaign, indicators=indicators)
    return services.scores_submit(user=user, campaign=campaign, indicators=indicators, confirmation=issued.token)


def activate_plan(*, user, plan):
    """下发执行 as the plan page does it: the preview's confirmation, then the activation."""
    from fazhi.plans import services

    issued = services.plan_activate_preview(user=user, plan=plan)
    return services.plan_activate(user=user, plan=plan, confirmation=issued.token)
