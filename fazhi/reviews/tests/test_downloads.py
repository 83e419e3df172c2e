"""Files of the reviews app (re-review evidence, rectification reports, letter templates) are only downloaded
through views that check who asks; nothing is served from MEDIA_URL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fazhi.reviews import services
from fazhi.reviews.models import RectificationReport, ReviewEvidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 proof"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def evidence(campaign, units, people):
    a1 = campaign.indicators.get(code="A1")
    feedback = services.feedback_send(user=people["office"], campaign=campaign, unit=units["C1"], indicator=a1,
                                      text="请核实")
    services.review_request(user=people["assessed"], feedback=feedback, text="不同意",
                            files=[SimpleUploadedFile("证明.pdf", PDF, "application/pdf")])
    return ReviewEvidence.objects.get()


@pytest.mark.parametrize("who,status", [
    ("office", 200), ("assessed", 200), ("assessing", 200),
    ("assessed_c2", 404), ("city_office", 404), ("other_office", 404),
    ("expert", 403), ("field_team", 403), ("survey", 403), ("public", 403),
])
def test_review_evidence_download_per_role(evidence, people, client_for, who, status):
    response = client_for(people[who]).get(reverse("reviews:evidence_download", args=[evidence.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF


def test_review_evidence_other_assessing_unit_404(evidence, make_user, units, client_for):
    other = make_user("assessing_c2", "assessing", units["C2"])
    assert client_for(other).get(reverse("reviews:evidence_download", args=[evidence.pk])).status_code == 404


@pytest.fixture
def report(campaign, units, people):
    item = services.rectification_create(user=people["office"], campaign=campaign, unit=units["C1"], title="整改",
                                         due_date=timezone.localdate() + dt.timedelta(days=10))
    services.rectification_report(user=people["assessed"], rectification=item, text="已整改",
                                  file=SimpleUploadedFile("整改报告.pdf", PDF, "application/pdf"))
    return RectificationReport.objects.get()


@pytest.mark.parametrize("who,status", [
    ("office", 200), ("assessed", 200),
    ("assessed_c2", 404), ("city_office", 404), ("other_office", 404),
    ("assessing", 403), ("expert", 403), ("field_team", 403), ("survey", 403), ("public", 403),
])
def test_rectification_report_file_per_role(report, people, client_for, who, status):
    response = client_for(people[who]).get(reverse("reviews:rectification_report_file", args=[report.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF


def test_rectification_page_links_the_checked_view(report, people, client_for):
    html = client_for(people["assessed"]).get(
        reverse("reviews:rectification_detail", args=[report.rectification_id])).content.decode()
    assert reverse("reviews:rectification_report_file", args=[report.pk]) in html and "/media/" not in html


def test_rectification_report_refuses_disguised_file(campaign, units, people):
    from django.core.exceptions import ValidationError

    item = services.rectification_create(user=people["office"], campaign=campaign, unit=units["C1"], title="整改",
                                         due_date=timezone.localdate() + dt.timedelta(days=10))
    with pytest.raises(ValidationError, match="不符"):
        services.rectification_report(user=people["assessed"], rectification=item, text="已整改",
                                      file=SimpleUploadedFile("报告.pdf", b"MZ\x90\x00", "application/pdf"))


def test_report_without_file_has_no_download(campaign, units, people, client_for):
    item = services.rectification_create(user=people["office"], campaign=campaign, unit=units["C1"], title="整改",
                                         due_date=timezone.localdate() + dt.timedelta(days=10))
    services.rectification_report(user=people["assessed"], rectification=item, text="已整改")
    report = RectificationReport.objects.get()
    assert client_for(people["office"]).get(
        reverse("reviews:rectification_report_file", args=[report.pk])).status_code == 404


@pytest.mark.parametrize("who,status", [
    ("office", 200), ("assessed", 403), ("assessing", 403), ("expert", 403), ("public", 403),
])
def test_letter_template_download_office_only(people, client_for, who, status):
    response = client_for(people[who]).get(reverse("reviews:template_download", args=["notice"]))
    assert response.status_code == status
