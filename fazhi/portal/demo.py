"""Demo public opinions (社情民意): some approved (counted for satisfaction), one pending, one rejected."""

from __future__ import annotations

from django.utils import timezone

from .models import OpinionStatus, PublicOpinion

OPINIONS = [
    ("410100", "郑州市政务服务中心“一网通办”办理营业执照很快，工作人员态度好。", OpinionStatus.APPROVED),
    ("410100", "建议进一步公开行政执法结果，方便群众监督。", OpinionStatus.APPROVED),
    ("411500", "信阳市行政复议申请材料的要求希望在网上说得更清楚一些。", OpinionStatus.APPROVED),
    ("411526", "潢川县的法律援助热线接通较慢，希望改进。", OpinionStatus.PENDING),
    (None, "广告：低价代办各类证件", OpinionStatus.REJECTED),
]


def load(*, units, people, stdout) -> None:
    office = people.get("office")
    for code, text, status in OPINIONS:
        opinion, _created = PublicOpinion.objects.get_or_create(
            text=text, defaults={"about_unit": units.get(code) if code else None, "ip_hash": "demo"})
        if status != OpinionStatus.PENDING:
            opinion.status = status
            opinion.moderated_by = office
            opinion.moderated_at = timezone.now()
            opinion.save()
    stdout.write(f"  portal: {len(OPINIONS)} public opinions (社情民意)")
