"""Home cards (``fazhi.orgs.home.register_cards``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from fazhi.orgs import policies as org_policies
from fazhi.orgs.home import Card
from fazhi.reviews.models import RectificationStatus

from . import policies


def office_cards(user) -> list[Card]:
    findings = policies.findings_for(user, "manage")
    root = org_policies.jurisdiction(user)
    if root is not None:
        findings = findings.filter(campaign__owner=root)
    open_items = findings.filter(rectification__status__in=[RectificationStatus.OPEN, RectificationStatus.REPORTED,
                                                             RectificationStatus.RETURNED]).count()
    return [Card(_("督察发现"), str(findings.count()),
                 _("本级登记的监督督察、审计、媒体等问题线索；%(n)s 项整改未销号") % {"n": open_items},
                 reverse("findings:office_home"), "warn" if open_items else "ok")]


def scorer_cards(user) -> list[Card]:
    findings = policies.findings_for(user).count()
    records = policies.web_records_for(user).count()
    return [Card(_("督察发现与网络检索"), str(findings + records),
                 _("涉及本单位评分指标的问题线索 %(f)s 条、网络检索记录 %(w)s 条") % {"f": findings, "w": records},
                 reverse("findings:web_home"), "")]
