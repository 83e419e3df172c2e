"""Home-page cards of the assessment app (registered with ``fazhi.orgs.home.register_cards`` from ``ready()``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from . import policies
from .models import CampaignStatus


def approver_cards(user) -> list:
    """审定人: the campaigns of its level waiting for approval."""
    from fazhi.orgs.home import Card

    waiting = policies.approvable_campaigns(user).filter(status=CampaignStatus.SUBMITTED).count()
    return [Card(_("待审定的考核"), str(waiting), _("考核办报请审定、等待您审定的年度考核"),
                 reverse("assessment:approvals"), "warn" if waiting else "ok")]
