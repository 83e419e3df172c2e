"""The self-report demo: a visitor can fill one in as 郑州市公安局 and review one as 郑州市司法局."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.assessment import demo as assessment_demo
from fazhi.orgs import demo as org_demo
from fazhi.selfreport import demo
from fazhi.selfreport.models import ReportStatus, SelfReport

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        units = org_demo.load_units()
        people = org_demo.load_people(units)
        assessment_demo.load(units=units, people=people, stdout=io.StringIO())
        out = io.StringIO()
        demo.load(units=units, people=people, stdout=out)
        demo.load(units=units, people=people, stdout=out)  # a second load does nothing
        yield units, people, out.getvalue()
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_demo_has_every_state_for_the_visitor(demo_data):
    units, people, out = demo_data
    assert "已存在，跳过" in out
    mine = {r.indicator.code: r.status for r in SelfReport.objects.filter(unit=units["410100-D02"])
            .select_related("indicator")}
    assert mine == {"Z1": ReportStatus.SUBMITTED, "Z2": ReportStatus.RETURNED, "Z3": ReportStatus.DRAFT,
                    "Z4": ReportStatus.PENDING, "Z5": ReportStatus.PENDING}
    page = _client(people["assessed_zz"]).get(reverse("selfreport:my_reports")).content.decode()
    assert page.count("selfreport/reports/") == 5
    returned = SelfReport.objects.get(unit=units["410100-D02"], indicator__code="Z2")
    detail = _client(people["assessed_zz"]).get(reverse("selfreport:report_detail", args=[returned.pk]))
    assert "合法性审查意见书只有 1 份" in detail.content.decode()


def test_demo_assessor_has_reports_to_review(demo_data):
    units, people, _out = demo_data
    client = _client(people["assessing_zz"])
    listing = client.get(reverse("selfreport:review_list")).content.decode()
    assert "郑州市公安局" in listing
    report = SelfReport.objects.filter(campaign__owner=units["410100"], status=ReportStatus.SUBMITTED).first()
    page = client.get(reverse("selfreport:assess", args=[report.pk]))
    assert page.status_code == 200 and 'id="return-form"' in page.content.decode()
    attachment = report.attachments.first()
    download = client.get(reverse("selfreport:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_demo_province_reports_are_read_only(demo_data):
    units, people, _out = demo_data
    report = SelfReport.objects.filter(campaign__owner=units["410000"], unit=units["410100"]).first()
    page = _client(people["assessed"]).get(reverse("selfreport:report_detail", args=[report.pk])).content.decode()
    assert "不能再修改" in page and 'id="submit-report"' not in page
    progress = _client(people["office"]).get(reverse("selfreport:progress", args=[report.campaign_id]))
    assert progress.status_code == 200


def test_demo_files_are_real_pdfs():
    import pypdfium2

    document = pypdfium2.PdfDocument(demo.pdf_bytes("demo material"))
    assert len(document) == 1
    assert "demo material" in document[0].get_textpage().get_text_range()
