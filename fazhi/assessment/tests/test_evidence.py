"""Evidence files are downloaded through a permission-checked view, never from MEDIA_URL; and the one upload
check of ``fazhi.io.uploads``."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.assessment import services
from fazhi.assessment.models import Campaign, CampaignStatus
from fazhi.io.uploads import EvidenceFileValidator, validate_evidence_file
from fazhi.testing.lifecycle import submit_scores

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 evidence"


@pytest.fixture
def evidence(scoring, people, units, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    score = services.score_save(user=people["assessing"], campaign=scoring, indicator=scoring.indicators.get(code="A1"),
                                unit=units["C1"], value="30", reason="部分未完成", expected_version=0)
    item = services.evidence_add(user=people["assessing"], score=score,
                                 upload=SimpleUploadedFile("会议纪要.pdf", PDF, "application/pdf"))
    submit_scores(user=people["assessing"], campaign=scoring)
    return item


def _get(client, item):
    return client.get(reverse("assessment:evidence_download", args=[item.pk]))


def test_office_and_scoring_unit_download_as_attachment(evidence, people, client_for):
    for who in ("office", "assessing"):
        response = _get(client_for(people[who]), evidence)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("who", ["city_office", "other_office", "assessed", "assessed_c2", "expert", "field_team",
                                 "survey"])
def test_everyone_else_gets_404_before_publication(evidence, people, client_for, who):
    assert _get(client_for(people[who]), evidence).status_code == 404


def test_public_role_403_and_anonymous_to_login(evidence, people, client_for, client):
    assert _get(client_for(people["public"]), evidence).status_code == 403
    response = _get(client, evidence)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_other_assessing_unit_404(evidence, make_user, units, client_for):
    other = make_user("assessing_d2", "assessing", units["D2"])  # scores A2, not A1
    assert _get(client_for(other), evidence).status_code == 404


def test_assessed_unit_only_its_own_and_only_after_publication(evidence, people, client_for):
    campaign = evidence.score.campaign
    for status in (CampaignStatus.COMPUTED, CampaignStatus.SUBMITTED, CampaignStatus.APPROVED):
        Campaign.objects.filter(pk=campaign.pk).update(status=status)
        assert _get(client_for(people["assessed"]), evidence).status_code == 404
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.PUBLISHED)
    assert _get(client_for(people["assessed"]), evidence).status_code == 200
    assert _get(client_for(people["assessed_c2"]), evidence).status_code == 404


def test_pages_link_to_the_checked_view_not_media(evidence, people, client_for):
    url = reverse("assessment:evidence_download", args=[evidence.pk])
    campaign = evidence.score.campaign
    detail = client_for(people["assessing"]).get(
        reverse("assessment:score_detail", args=[campaign.pk, evidence.score_id])).content.decode()
    assert url in detail and "/media/" not in detail
    breakdown = client_for(people["office"]).get(
        reverse("assessment:result_detail", args=[campaign.pk, "C1"])).content.decode()
    assert url in breakdown
    assert client_for(people["office"]).get("/media/" + evidence.file.name).status_code == 404


# --- fazhi.io.uploads ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,data", [
    ("a.pdf", b"%PDF-1.7 x"), ("a.docx", b"PK\x03\x04rest"), ("a.xlsx", b"PK\x03\x04rest"),
    ("a.jpg", b"\xff\xd8\xff\xe0rest"), ("a.JPEG", b"\xff\xd8\xff\xe1rest"), ("a.png", b"\x89PNG\r\n\x1a\nrest"),
])
def test_accepts_matching_content(name, data):
    upload = SimpleUploadedFile(name, data)
    validate_evidence_file(upload)
    assert upload.read() == data  # the position is kept for whoever saves the file


@pytest.mark.parametrize("name,data,message", [
    ("virus.exe", b"MZ", "不支持的文件类型"),
    ("notes.txt", b"text", "不支持的文件类型"),
    ("scan.pdf", b"MZ not a pdf", "文件内容与扩展名不符"),
    ("table.xlsx", b"%PDF-1.4", "文件内容与扩展名不符"),
    ("photo.png", b"\xff\xd8\xff\xe0", "文件内容与扩展名不符"),
    ("photo.jpg", b"\x89PNG\r\n", "文件内容与扩展名不符"),
    ("empty.pdf", b"", "文件为空"),
])
def test_refuses_with_clear_message(name, data, message):
    with pytest.raises(ValidationError, match=message) as info:
        validate_evidence_file(SimpleUploadedFile(name, data))
    assert name in info.value.messages[0]


def test_size_cap_from_settings(settings):
    settings.FAZHI_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError, match="文件过大（上限 1 KB）"):
        validate_evidence_file(SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 2000))


def test_other_extension_lists_share_the_rule():
    plans = EvidenceFileValidator(extensions=(".pdf", ".txt", ".zip"))
    plans(SimpleUploadedFile("a.txt", b"anything"))
    with pytest.raises(ValidationError, match="不符"):
        plans(SimpleUploadedFile("a.zip", b"not a zip"))
    assert plans == EvidenceFileValidator(extensions=(".PDF", ".txt", ".zip"))
    assert plans.deconstruct()[0] == "fazhi.io.uploads.EvidenceFileValidator"
