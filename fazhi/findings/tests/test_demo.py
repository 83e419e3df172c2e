"""The findings demo: scorers find reference findings beside their cells; one finding has a rectification."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.assessment import demo as assessment_demo
from fazhi.assessment.models import Score
from fazhi.findings import demo
from fazhi.findings.models import Finding, WebRecord
from fazhi.orgs import demo as org_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        units = org_demo.load_units()
        people = org_demo.load_people(units)
        assessment_demo.load(units=units, people=people, stdout=io.StringIO())
        out = io.StringIO()
        demo.load(units=units, people=people, stdout=out)
        demo.load(units=units, people=people, stdout=out)
        yield units, people, out.getvalue()
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_demo_findings_and_web_record(demo_data):
    _units, _people, out = demo_data
    assert "已存在，跳过" in out
    assert Finding.objects.count() == 6 and Finding.objects.filter(rectification__isnull=False).count() == 2
    record = WebRecord.objects.get()
    assert record.snapshot.read().startswith(b"\x89PNG")


def test_demo_scorer_sees_the_finding_beside_the_cell(demo_data):
    units, people, _out = demo_data
    finding = Finding.objects.get(unit=units["410100-D03"])
    score = Score.objects.filter(indicator__code="Z4", unit=units["410100-D03"]).first()
    client = _client(people["assessing_zz"])
    if score is None:  # the city demo scores about half the cells: score this one as the visitor would
        from fazhi.assessment import services

        score = services.score_save(user=people["assessing_zz"], campaign=finding.campaign,
                                    indicator=finding.campaign.indicators.get(code="Z4"), unit=units["410100-D03"],
                                    value="18", reason="执法人员未亮证")
    page = client.get(reverse("assessment:score_detail", args=[score.campaign_id, score.pk])).content.decode()
    assert "执法人员未出示执法证件" in page
    listing = _client(people["office_zz"]).get(reverse("findings:finding_list", args=[finding.campaign_id]))
    assert listing.status_code == 200 and "郑州市市场监管局" in listing.content.decode()
