"""社情民意 handling: the submitter gets a reference number and looks the opinion's progress up with it; the office
forwards (转办) it to a unit and answers (答复) it; publishing on the portal is decided apart from adopting."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from fazhi.audit.models import AuditEvent
from fazhi.portal.models import OpinionStatus, PublicOpinion

pytestmark = pytest.mark.django_db


def _submit(client, text="潢川县法律援助热线接通较慢，希望改进。", **extra):
    response = client.post(reverse("portal:opinion"), {"text": text, **extra}, follow=True)
    assert response.status_code == 200
    return response


def test_the_submitter_gets_a_reference_and_follows_the_opinion(client, client_for, people, units):
    response = _submit(client, about_unit=units["C1"].pk, contact="13800000000")
    opinion = PublicOpinion.objects.get()
    assert re.fullmatch(r"MY\d{4}-[A-HJ-NP-Z2-9]{8}", opinion.reference)
    page = response.content.decode()
    assert f"受理编号：{opinion.reference}" in page and "已受理" in page
    assert "13800000000" not in page and "潢川县" not in page  # the lookup shows progress, not the opinion itself

    office = client_for(people["office"])
    office.post(reverse("portal:moderate", args=[opinion.pk]), {"action": "forward", "unit": units["C1"].pk})
    lookup = client.get(reverse("portal:opinion_status"), {"ref": opinion.reference.lower()}).content.decode()
    assert "已转办" in lookup and "郑州市人民政府" in lookup

    office.post(reverse("portal:moderate", args=[opinion.pk]), {"action": "reply", "reply": "已督促热线增加坐席。"})
    lookup = client.get(reverse("portal:opinion_status"), {"ref": opinion.reference}).content.decode()
    assert "已答复" in lookup and "已督促热线增加坐席。" in lookup
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"portal.opinion_forward", "portal.opinion_reply"} <= actions

    missing = client.get(reverse("portal:opinion_status"), {"ref": "MY2026-AAAAAAAA"})
    assert missing.status_code == 404 and "没有找到这个受理编号" in missing.content.decode()


def test_publishing_is_apart_from_adopting(client, client_for, people, units):
    _submit(client, text="建议公开行政执法结果，方便群众监督。")
    _submit(client, text="政务服务中心周末也能办事，很方便。", REMOTE_ADDR="10.0.0.2")
    first, second = PublicOpinion.objects.order_by("pk")
    office = client_for(people["office"])
    office.post(reverse("portal:moderate", args=[first.pk]), {"action": "approve"})
    office.post(reverse("portal:moderate", args=[second.pk]), {"action": "reject"})
    office.post(reverse("portal:moderate", args=[second.pk]), {"action": "publish"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.is_public) == (OpinionStatus.APPROVED, False)
    assert (second.status, second.is_public) == (OpinionStatus.REJECTED, True)
    page = client.get(reverse("portal:opinion")).content.decode()
    assert "周末也能办事" in page and "公开行政执法结果" not in page
    # adopted ones (not published ones) count for satisfaction scoring
    satisfaction = office.get(reverse("portal:satisfaction")).content.decode()
    assert "公开行政执法结果" in satisfaction and "周末也能办事" not in satisfaction


def test_forwarding_stays_within_the_office_and_bad_input_says_why(client, client_for, people, units):
    _submit(client, about_unit=units["C1"].pk)
    opinion = PublicOpinion.objects.get()
    city = client_for(people["city_office"])
    url = reverse("portal:moderate", args=[opinion.pk])
    text = city.post(url, {"action": "forward", "unit": units["C2"].pk}, follow=True).content.decode()
    assert "请选择您管理范围内的转办单位" in text
    text = city.post(url, {"action": "reply", "reply": "  "}, follow=True).content.decode()
    assert "请填写答复内容" in text
    opinion.refresh_from_db()
    assert opinion.assigned_unit is None and opinion.reply == ""
    assert client_for(people["assessed"]).post(url, {"action": "reply", "reply": "x"}).status_code == 403
    assert client_for(people["other_office"]).post(url, {"action": "reply", "reply": "x"}).status_code == 404
