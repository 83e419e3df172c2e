"""Reports for the office's year: a resubmission starts from the version sent last time; the office's list shows
each report's check in a line; the office may accept a report without publishing it on the portal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi.reports import services
from fazhi.reports.models import AnnualReport, ReportStatus

pytestmark = pytest.mark.django_db


def test_a_returned_report_reopens_with_its_last_version(people, submitted_report, client_for):
    services.report_review(user=people["office"], report=submitted_report, action="return", text="请补充第五部分")
    submitted_report.refresh_from_db()
    unit_client = client_for(people["assessed"])
    detail = unit_client.get(reverse("reports:detail", args=[submitted_report.pk])).content.decode()
    link = reverse("reports:submit") + f"?year={submitted_report.year}&amp;unit={submitted_report.unit_id}"
    assert link in detail
    form = unit_client.get(link.replace("&amp;", "&"))
    page = form.content.decode()
    assert 'id="last-version"' in page
    assert form.context["form"].initial["text"] == submitted_report.original_text
    assert form.context["form"].initial["title"] == submitted_report.title
    assert submitted_report.original_text[:30] in page  # the textarea holds it
    # the office opening the same unit's report gets the same version; another unit's user gets a blank form
    office_form = client_for(people["office"]).get(link.replace("&amp;", "&"))
    assert office_form.context["form"].initial["text"] == submitted_report.original_text
    other = client_for(people["assessed_c2"]).get(link.replace("&amp;", "&"))
    assert "text" not in other.context["form"].initial and 'id="last-version"' not in other.content.decode()


def test_an_accepted_report_is_not_reopened(people, submitted_report, client_for):
    services.report_review(user=people["office"], report=submitted_report, action="accept")
    form = client_for(people["assessed"]).get(reverse("reports:submit") + f"?year={submitted_report.year}")
    assert "text" not in form.context["form"].initial


def test_accept_without_publishing(people, submitted_report, client_for):
    client = client_for(people["office"])
    page = client.get(reverse("reports:detail", args=[submitted_report.pk])).content.decode()
    assert 'value="accept_private"' in page
    client.post(reverse("reports:review", args=[submitted_report.pk]), {"action": "accept_private"})
    report = AnnualReport.objects.get(pk=submitted_report.pk)
    assert report.status == ReportStatus.ACCEPTED and not report.is_public
    assert not AnnualReport.objects.published().filter(pk=report.pk).exists()
    assert client_for(None).get(reverse("portal:report", args=[report.pk])).status_code == 404
    assert "不在门户公开" in client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    # the plain accept still publishes
    other = services.report_save(user=people["assessed_c2"], unit=people["assessed_c2"].unit, year=2024,
                                 text=submitted_report.original_text)
    services.report_review(user=people["office"], report=other, action="accept")
    assert AnnualReport.objects.published().filter(pk=other.pk).exists()


def test_the_office_list_shows_each_reports_check(people, submitted_report, client_for):
    summary = submitted_report.check_result
    parts = sum(1 for p in summary["parts"] if p["present"])
    page = client_for(people["office"]).get(reverse("reports:list")).content.decode()
    assert f"必备部分 {parts}/5" in page
    short = services.report_save(user=people["assessed_c2"], unit=people["assessed_c2"].unit, year=2024,
                                 text="开封市2024年法治政府建设情况报告\n一、主要举措\n今年我们做了很多工作。")
    page = client_for(people["office"]).get(reverse("reports:list")).content.decode()
    missing = [p["name"] for p in short.check_result["parts"] if not p["present"]]
    assert missing and f"必备部分 {5 - len(missing)}/5" in page
    assert "缺少：" + "、".join(missing) in page
