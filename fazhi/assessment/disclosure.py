"""Who sees what of a campaign's results — the one disclosure policy (公布与通报, DOMAIN.md §5.6, seed 001 §六).

Every page, API endpoint, export and download that shows a result asks this module; none decides on its own.

Publication levels, chosen by the office at the last step of the lifecycle (``lifecycle.STEPS``):

- 公布 (``published``): the public sees each unit's **grade**; **total and rank** only for the campaign's ranked
  categories and only if the office chose to publish scores (``Campaign.publish_scores``); **per-indicator
  scores and deduction reasons never**;
- 通报 (``notified``): the results go to the assessed units and the copy recipients (抄送) only; the public sees
  nothing of the campaign (the portal does not list it and answers 404).

Audiences:

- ``SCOPE`` — the office of the campaign's level or a level above (``policies.managed_campaigns``), the approver
  of its own level once submitted (``policies.approvable_campaigns``), a platform admin: everything, in any
  status;
- ``OWN`` — the assessed unit itself, once the results are released (公布 or 通报): its own detail (total, rank
  where its category is ranked, every indicator score with its reason, adjustments);
- ``COPY`` — what goes beyond the unit in documents and copies (抄送、名单、通报): grades; totals and ranks as
  the public would see them (ranked categories, ``publish_scores``) — whatever the publication level;
- ``PUBLIC`` — everyone else (anonymous, a public user, another unit, an assessing unit): the public figures of
  a published campaign, nothing of any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from . import policies
from .models import Campaign, CampaignStatus, Result

SCOPE, OWN, COPY, PUBLIC = "scope", "own", "copy", "public"

#: statuses whose results have left the office: 公布 (public) or 通报 (units and copy recipients only)
RELEASED = (CampaignStatus.PUBLISHED, CampaignStatus.NOTIFIED)
#: the status whose results the public may see
PUBLIC_STATUSES = (CampaignStatus.PUBLISHED,)


@dataclass(frozen=True)
class Visible:
    """What of one result an audience sees."""

    grade: bool = False
    total: bool = False
    rank: bool = False
    indicators: bool = False  # per-indicator scores, subtotals, adjustments
    reasons: bool = False  # the reasons of scores and deductions

    @property
    def anything(self) -> bool:
        return self.grade


NOTHING = Visible()
EVERYTHING = Visible(grade=True, total=True, rank=True, indicators=True, reasons=True)


# --- campaigns -------------------------------------------------------------------------------------------------

def is_released(campaign: Campaign) -> bool:
    return campaign.status in RELEASED


def is_public(campaign: Campaign) -> bool:
    return campaign.status in PUBLIC_STATUSES


def public_campaigns():
    """Campaigns the public may see (公布 only; a 通报 campaign is not public)."""
    return Campaign.objects.filter(status__in=PUBLIC_STATUSES)


def released_campaigns():
    return Campaign.objects.filter(status__in=RELEASED)


def scope_campaigns(user):
    """Campaigns whose results the user sees in full: the office's (its level and below), the approver's (its own
    level, once submitted), all for a platform admin."""
    return Campaign.objects.filter(Q(pk__in=policies.managed_campaigns(user).values("pk"))
                                   | Q(pk__in=policies.approvable_campaigns(user).values("pk")))


def in_scope(user, campaign: Campaign) -> bool:
    return scope_campaigns(user).filter(pk=campaign.pk).exists()


def own_unit_id(user) -> int | None:
    """The assessed unit whose own results the user reads (an 考核对象 account), or None."""
    from fazhi.orgs.models import Role

    if user.is_authenticated and user.role == Role.ASSESSED and user.unit_id:
        return user.unit_id
    return None


def own_results(user):
    """The user's unit's own results of released campaigns (公布 or 通报), newest first."""
    unit_id = own_unit_id(user)
    if unit_id is None:
        return Result.objects.none()
    return (Result.objects.filter(unit_id=unit_id, campaign__status__in=RELEASED)
            .select_related("campaign", "unit").order_by("-campaign__year"))


def results_for_unit(unit):
    """A unit's own results of released campaigns (for the unit's own pages and cards)."""
    return (Result.objects.filter(unit=unit, campaign__status__in=RELEASED)
            .select_related("campaign", "unit").order_by("-campaign__year"))


# --- one result ------------------------------------------------------------------------------------------------

def is_ranked(result: Result) -> bool:
    return result.category in (result.campaign.ranked_categories or [])


def shows_rank(result: Result) -> bool:
    """A rank exists at all only for a ranked category (seed 001 §六(一)); graded-only categories never show one."""
    return result.rank is not None and is_ranked(result)


def beyond_unit(result: Result) -> Visible:
    """What goes beyond the unit (the public of a published campaign, copies, lists, campaign-wide documents)."""
    figures = is_ranked(result) and bool(result.campaign.publish_scores)
    return Visible(grade=True, total=figures, rank=figures and result.rank is not None)


def public_view(result: Result) -> Visible:
    """What the public sees of ``result`` (the portal, whoever is reading it): ``beyond_unit`` of a published
    campaign, nothing of any other."""
    return beyond_unit(result) if is_public(result.campaign) else NOTHING


def visible(user, result: Result, *, scoped: bool | None = None) -> Visible:
    """What ``user`` sees of ``result``. ``scoped``: ``in_scope(user, result.campaign)`` when the caller already
    knows it (a list asks once, not per row)."""
    campaign = result.campaign
    if scoped is None:
        scoped = in_scope(user, campaign)
    if scoped:
        return Visible(grade=True, total=True, rank=shows_rank(result), indicators=True, reasons=True)
    if is_released(campaign) and own_unit_id(user) == result.unit_id:
        return Visible(grade=True, total=True, rank=shows_rank(result), indicators=True, reasons=True)
    return public_view(result)


def audience(user, campaign: Campaign) -> str:
    """The user's audience for the campaign as a whole (the unit's own row is ``OWN`` within it)."""
    if in_scope(user, campaign):
        return SCOPE
    if own_unit_id(user) is not None and is_released(campaign):
        return OWN
    return PUBLIC


def figures(result: Result, seen: Visible) -> dict:
    """The result's figures as a row may show them: a hidden figure is None (never a blank that still sorts)."""
    return {
        "unit": result.unit, "category": result.category,
        "grade": result.grade if seen.grade else None,
        "total": result.total if seen.total else None,
        "rank": result.rank if seen.rank else None,
    }


def public_order(results) -> list[Result]:
    """Results in an order that reveals nothing hidden: by category; within a category by rank where the rank is
    shown, else by grade and the unit tree (never by total, which would be a ranking in all but name)."""
    grade_order = {"优秀": 0, "良好": 1, "合格": 2, "不合格": 3}

    def key(r: Result):
        seen = beyond_unit(r)
        if seen.rank:
            return (r.category, 0, r.rank, r.unit.path)
        return (r.category, grade_order.get(r.grade, 9), 0, r.unit.path)
    return sorted(results, key=key)
