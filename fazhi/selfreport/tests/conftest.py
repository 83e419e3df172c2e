"""Fixtures: a province campaign in scoring over the conftest tree.

    A1  40 pts, category 1 (C1, C2), scored by D1 (the ``assessing`` user) — a material list of two required
        items and one optional
    A2  60 pts, category 1, scored by D2 — no requirement
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.assessment import services as assessment_services
from fazhi.assessment.models import Indicator, Method
from fazhi.selfreport import services
from fazhi.selfreport.demo import pdf_bytes
from fazhi.selfreport.models import SelfReport
from fazhi.testing.lifecycle import take

PUBLISHED_ON = dt.date(2025, 9, 29)  # a Monday just before the National Day holiday


def pdf(name: str = "学法计划.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes("test"), content_type="application/pdf")


@pytest.fixture
def campaign(units, people):
    campaign = assessment_services.campaign_create(user=people["office"], year=2025)
    a1 = Indicator.objects.create(campaign=campaign, code="A1", title="学习宣传贯彻习近平法治思想",
                                  points=Decimal(40), method=Method.DAILY, categories=[1], sort=1)
    a2 = Indicator.objects.create(campaign=campaign, code="A2", title="落实决策部署",
                                  points=Decimal(60), method=Method.DAILY, categories=[1], sort=2)
    a1.assessing_units.set([units["D1"]])
    a2.assessing_units.set([units["D2"]])
    take(user=people["office"], campaign=campaign, action="start_scoring")
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def requirement(campaign, people):
    indicator = campaign.indicators.get(code="A1")
    requirement = services.requirement_save(
        user=people["office"], indicator=indicator, instructions="报送学法计划和记录", working_days=5,
        items=[("年度学法计划", True), ("学法记录", True), ("培训照片", False)])
    services.requirement_publish(user=people["office"], requirement=requirement, on=PUBLISHED_ON)
    requirement.refresh_from_db()
    return requirement


@pytest.fixture
def report(requirement, units):
    """C1's report on A1 (the ``assessed`` user's unit)."""
    return SelfReport.objects.get(indicator=requirement.indicator, unit=units["C1"])


@pytest.fixture
def submitted(report, people):
    user = people["assessed"]
    for item in report.requirement.items.filter(required=True):
        services.attachment_add(user=user, report=report, item=item, upload=pdf(f"{item.title}.pdf"))
    services.report_save(user=user, report=report, account="已制定年度学法计划，按月开展学法。")
    return services.report_submit(user=user, report=report)
