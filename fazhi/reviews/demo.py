"""Demo feedback, a pending re-review and a rectification item — only when the assessment demo has a campaign
past drafting (guard: without it there is nothing to give feedback on). Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fazhi.assessment.models import Campaign, CampaignStatus, CampaignUnit, Score
from fazhi.documents.models import Document

from . import letters, services
from .models import Feedback, LetterKind, Rectification

MARK = "【演示】"


def load(*, units, people, stdout) -> None:
    _load_feedback(people=people, stdout=stdout)
    _issue_documents(people=people, stdout=stdout)


def _issue_documents(*, people, stdout) -> None:
    """In the published demo campaign: the result notice of the demo assessed unit and one 法治建议书."""
    office, assessed = people.get("office"), people.get("assessed")
    campaign = Campaign.objects.filter(owner__is_demo=True, status=CampaignStatus.PUBLISHED).order_by("-year").first()
    if campaign is None or office is None or assessed is None or not assessed.unit_id:
        stdout.write("reviews demo: no documents (no published demo campaign)")
        return
    if Document.objects.filter(office_id=office.unit_id, subject_id=campaign.pk).exists():
        return
    issued = [letters.issue(user=office, campaign=campaign, kind=LetterKind.NOTICE, target=assessed.unit.code)]
    failing = campaign.results.filter(grade__in=letters.FAILING).select_related("unit").order_by("unit__path").first()
    if failing is not None:
        issued.append(letters.issue(user=office, campaign=campaign, kind=LetterKind.RECOMMENDATION,
                                    target=failing.unit.code))
    stdout.write("reviews demo: issued " + "、".join(d.number for d in issued))


def _load_feedback(*, people, stdout) -> None:
    office, assessed = people.get("office"), people.get("assessed")
    campaign = (
        Campaign.objects.filter(owner__is_demo=True, frozen=False, status__in=services.FEEDBACK_STATUSES)
        .order_by("-year").first()
    )
    if campaign is None or office is None or assessed is None or assessed.unit_id is None:
        stdout.write("reviews demo: skipped (no demo campaign being scored or computed)")
        return
    if Feedback.objects.filter(campaign=campaign, text__startswith=MARK).exists():
        stdout.write("reviews demo: already loaded")
        return
    if not CampaignUnit.objects.filter(campaign=campaign, unit_id=assessed.unit_id).exists():
        stdout.write("reviews demo: skipped (the demo assessed unit is not in the campaign)")
        return
    unit = assessed.unit
    scored = list(Score.objects.filter(campaign=campaign, unit=unit, subunit__isnull=True)
                  .select_related("indicator").order_by("indicator__sort", "indicator__code")[:2])
    first = scored[0].indicator if scored else None
    second = scored[1].indicator if len(scored) > 1 else first
    accepted = services.feedback_send(user=office, campaign=campaign, unit=unit, indicator=first,
                                      text=MARK + "网络检索发现部分行政规范性文件未按时公开，请核实。")
    services.feedback_accept(user=assessed, feedback=accepted, response="情况属实，已在整改。")
    disputed = services.feedback_send(user=office, campaign=campaign, unit=unit, indicator=second,
                                      text=MARK + "集中评查中 2 件案卷程序不规范，该项扣分，请核实。")
    services.review_request(user=assessed, feedback=disputed,
                            text="其中 1 件案卷已补正送达回证，附证明材料，申请复核。")
    others = CampaignUnit.objects.filter(campaign=campaign).exclude(unit=unit).select_related("unit")[:2]
    for member in others:
        services.feedback_send(user=office, campaign=campaign, unit=member.unit,
                               text=MARK + "满意度调查样本中办事指引不清的反映较多，请核实。")
    if not Rectification.objects.filter(campaign=campaign, unit=unit).exists():
        services.rectification_create(user=office, campaign=campaign, unit=unit,
                                      title="规范行政规范性文件公开",
                                      detail="按期在政府网站集中公开现行有效的行政规范性文件目录。",
                                      due_date=timezone.localdate() + dt.timedelta(days=30))
    label = CampaignStatus(campaign.status).label
    stdout.write(f"reviews demo: feedback, a pending re-review and a rectification item in {campaign} ({label})")
