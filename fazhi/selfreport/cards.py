"""Home cards (``fazhi.orgs.home.register_cards``): one click from the workbench to each role's self-report work."""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from fazhi.assessment import policies as assessment_policies
from fazhi.orgs import policies as org_policies
from fazhi.orgs.home import Card

from . import policies
from .models import ReportStatus

OPEN = (ReportStatus.PENDING, ReportStatus.DRAFT, ReportStatus.RETURNED)


def assessed_cards(user) -> list[Card]:
    counts = policies.reports_for(user, "fill").aggregate(
        open=Count("pk", filter=Q(status__in=OPEN)), returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
        first=Min("requirement__deadline", filter=Q(status__in=OPEN)))
    if counts["first"]:
        note = _("待填报或补充的指标，最早 %(d)s 截止；其中退回补充材料 %(n)s 项") % {
            "n": counts["returned"], "d": counts["first"]}
    else:
        note = _("待填报或补充的指标；其中退回补充材料 %(n)s 项") % {"n": counts["returned"]}
    return [Card(_("自评填报"), str(counts["open"]), note, reverse("selfreport:my_reports"),
                 "bad" if counts["returned"] else ("warn" if counts["open"] else "ok"))]


def assessing_cards(user) -> list[Card]:
    waiting = policies.reports_for(user, "assess").filter(status=ReportStatus.SUBMITTED).count()
    return [Card(_("自评材料"), str(waiting), _("考核对象已提交、待本单位审阅评分的自评"),
                 reverse("selfreport:review_list"), "warn" if waiting else "ok")]


def office_cards(user) -> list[Card]:
    root = org_policies.jurisdiction(user)
    campaigns = assessment_policies.managed_campaigns(user)
    campaign = (campaigns.filter(owner=root) if root else campaigns).order_by("-year", "-pk").first()
    if campaign is None:
        return []
    counts = policies.reports_for(user, "manage").filter(campaign=campaign).aggregate(
        total=Count("pk"), submitted=Count("pk", filter=Q(status=ReportStatus.SUBMITTED)))
    return [Card(_("自评填报进度"), f"{counts['submitted']}/{counts['total']}",
                 _("%(name)s：已提交的自评 / 应填报") % {"name": campaign.name},
                 reverse("selfreport:progress", args=[campaign.pk]), "ok")]
