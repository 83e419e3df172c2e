"""评分催办 — the office reminds the assessing units that have not submitted all their scores.

From the scoring progress page (评分进度). Each unit still short of submissions gets one in-app notice (and an
e-mail, after commit) per person who scores for it; a unit with no one to receive it is listed with the reason,
never skipped silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fazhi.assessment import policies as assessment_policies
from fazhi.assessment import selectors as assessment_selectors
from fazhi.assessment.models import Campaign, CampaignStatus
from fazhi.audit.services import record_event
from fazhi.orgs.models import Unit, User

from .notify import notify
from .services import _require_office_campaign

#: Why a unit got no reminder (Chinese message ids, shown translated).
NOBODY_TO_REMIND = gettext_noop("该单位没有可接收提醒的账号")


@dataclass
class ScoringReminders:
    """How many units were reminded (and people notified); the units that could not be, with why."""

    units: int
    people: int
    skipped: list[tuple[Unit, str]]


@transaction.atomic
def scoring_reminders_send(*, user, campaign: Campaign) -> ScoringReminders:
    """One reminder to every assessing unit with scores still to submit (while the campaign is being scored)."""
    _require_office_campaign(user, campaign)
    if campaign.status != CampaignStatus.SCORING:
        raise ValidationError(gettext_noop("只有评分阶段可以催办评分"))
    behind = [row for row in assessment_selectors.progress(campaign) if row["unit"] is not None and not row["done"]]
    scorers = User.objects.filter(unit__in=[row["unit"] for row in behind], is_active=True,
                                  role__in=assessment_policies.SCORER_ROLES)
    by_unit: dict[int, list[User]] = {}
    for person in scorers:
        by_unit.setdefault(person.unit_id, []).append(person)
    link = reverse("assessment:scoring_home")
    units = people = 0
    skipped = []
    for row in behind:
        unit, left = row["unit"], row["total"] - row["submitted"]
        if not by_unit.get(unit.pk):
            skipped.append((unit, NOBODY_TO_REMIND))
            continue
        people += notify(by_unit[unit.pk], subject=_("评分催办"), link=link,
                         text=_("%(campaign)s：本单位还有 %(n)d 项评分未提交，请尽快评分并提交。")
                         % {"campaign": campaign.name, "n": left})
        units += 1
    record_event(actor=user, action="reviews.scoring_reminders_send", target=campaign, before=None,
                 after={"units": units, "people": people, "skipped": [f"{u.name}：{why}" for u, why in skipped]},
                 unit=campaign.owner)
    return ScoringReminders(units=units, people=people, skipped=skipped)
