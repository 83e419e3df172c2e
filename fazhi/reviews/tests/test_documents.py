"""Issued documents: numbers from the register (never reused, never edited), versions on regeneration with their
hashes in the audit chain, who may see what, the campaign ZIP with its index, and the issue page's refusals."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.assessment.models import Campaign, CampaignStatus
from fazhi.audit.models import AuditEvent
from fazhi.documents import services
from fazhi.documents.models import Document, DocumentVersion, FileRole, NumberRegister
from fazhi.reviews import letters
from fazhi.reviews.models import LetterKind


@pytest.fixture
def approved(campaign, people, units):
    services.profile_save(user=people["office"], office=units["P-OFFICE"], code="豫法治办")
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.APPROVED)
    campaign.refresh_from_db()
    return campaign


def _issue(campaign, people, kind=LetterKind.NOTICE, target="C1"):
    return letters.issue(user=people["office"], campaign=campaign, kind=kind, target=target)


def test_numbers_count_up_per_office_and_year_and_are_never_given_twice(approved, people):
    first = _issue(approved, people, LetterKind.NOTICE, "C1")
    second = _issue(approved, people, LetterKind.NOTICE, "C2")
    year = first.signed_on.year
    assert (first.number, second.number) == (f"豫法治办〔{year}〕1号", f"豫法治办〔{year}〕2号")
    with pytest.raises(ValidationError, match="该文书已制发"):
        _issue(approved, people, LetterKind.NOTICE, "C1")
    # a refused issue (the 法治建议书 is for 合格/不合格 units only) takes no number
    with pytest.raises(ValidationError, match="法治建议书只制发给"):
        _issue(approved, people, LetterKind.RECOMMENDATION, "C2")
    third = _issue(approved, people, LetterKind.RECOMMENDATION, "D2")
    assert third.number == f"豫法治办〔{year}〕3号"
    assert NumberRegister.objects.get(year=year).last == 3


def test_no_number_without_the_office_code(campaign, people):
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.APPROVED)
    campaign.refresh_from_db()
    with pytest.raises(ValidationError, match="机关代字"):
        _issue(campaign, people)
    assert not Document.objects.exists() and not NumberRegister.objects.exists()


def test_an_issued_number_cannot_be_edited(approved, people):
    document = _issue(approved, people)
    document.number = "豫法治办〔2026〕99号"
    with pytest.raises(ValidationError, match="不能修改发文字号"):
        document.save()
    document.refresh_from_db()
    document.seq = 99
    with pytest.raises(ValidationError):
        document.save()
    assert Document.objects.get(pk=document.pk).number.endswith(f"〔{document.year}〕1号")


def test_regenerating_keeps_the_number_and_records_a_new_version(approved, people, units, client_for):
    document = _issue(approved, people)
    v1 = document.versions.get()
    issue_event = AuditEvent.objects.get(action="document.issue")
    assert issue_event.after["number"] == document.number and issue_event.after["sha256"] == v1.sha256
    with v1.files.get(role=FileRole.DOCX).file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == v1.sha256
    client = client_for(people["office"])
    response = client.post(reverse("documents:regenerate", args=[document.pk]), {"reason": ""}, follow=True)
    assert "请说明重新生成的原因" in response.content.decode() and document.versions.count() == 1
    client.post(reverse("documents:regenerate", args=[document.pk]), {"reason": "更正模板后重新生成"})
    document.refresh_from_db()
    assert document.versions.count() == 2 and document.number.endswith("1号")
    v2 = document.versions.order_by("-version").first()
    event = AuditEvent.objects.get(action="document.regenerate")
    assert event.before == {"version": 1, "sha256": v1.sha256}
    assert event.after["version"] == 2 and event.after["sha256"] == v2.sha256 and event.reason
    # the legacy letter link now serves the latest issued file
    response = client.get(reverse("reviews:letter", args=[approved.pk, "notice", "C1"]))
    assert response.status_code == 302 and f"/documents/{document.pk}/files/" in response["Location"]
    # another office may not regenerate (404: not its document), a unit may not either (403)
    assert client_for(people["other_office"]).post(
        reverse("documents:regenerate", args=[document.pk]), {"reason": "x"}).status_code == 404
    assert client_for(people["assessed"]).post(
        reverse("documents:regenerate", args=[document.pk]), {"reason": "x"}).status_code == 403
    assert document.versions.count() == 2


def test_who_sees_which_document(approved, people, client_for, units):
    notice = _issue(approved, people, LetterKind.NOTICE, "C1")
    recommendation = _issue(approved, people, LetterKind.RECOMMENDATION, "D2")
    c1, c2 = client_for(people["assessed"]), client_for(people["assessed_c2"])
    detail = reverse("documents:detail", args=[notice.pk])
    # not published yet: the addressed unit does not see its notice
    assert c1.get(detail).status_code == 404
    Campaign.objects.filter(pk=approved.pk).update(status=CampaignStatus.PUBLISHED)
    assert c1.get(detail).status_code == 200
    listing = c1.get(reverse("documents:list")).content.decode()
    assert notice.number in listing and recommendation.number not in listing
    file_pk = notice.versions.get().files.get(role=FileRole.DOCX).pk
    assert c1.get(reverse("documents:file", args=[notice.pk, file_pk])).status_code == 200
    # another unit, another province's office, the public: nothing
    assert c2.get(detail).status_code == 404
    assert c2.get(reverse("documents:file", args=[notice.pk, file_pk])).status_code == 404
    assert client_for(people["other_office"]).get(detail).status_code == 404
    assert client_for(people["public"]).get(detail).status_code == 403
    assert client_for(None).get(detail).status_code == 302
    # the 法治建议书 names 省委办公厅 but is addressed to the bodies that grant titles, not to it
    assert recommendation.main_to.startswith("省委组织部") and "省委办公厅" not in recommendation.main_to
    assert not recommendation.recipients.filter(unit=units["D2"]).exists()
    # a file of another document through this document's URL
    other_file = recommendation.versions.get().files.first().pk
    assert c1.get(reverse("documents:file", args=[notice.pk, other_file])).status_code == 404
    # the city office sees documents addressed to its city (its jurisdiction) once published, not others
    city = client_for(people["city_office"])
    assert city.get(detail).status_code == 200
    assert city.get(reverse("documents:detail", args=[recommendation.pk])).status_code == 404


def test_graded_only_units_get_no_scores_beyond_themselves(approved, people):
    """D2 is category 2: the 法治建议书 (to other bodies) and the copy (附件 table) carry its grade only."""
    from docx import Document as Docx

    recommendation = _issue(approved, people, LetterKind.RECOMMENDATION, "D2")
    copy = _issue(approved, people, LetterKind.COPY, "zuzhibu")
    result = approved.results.get(unit__code="D2")
    total = format(result.total, "f")

    def text_of(document):
        item = document.versions.get().files.get(role=FileRole.DOCX)
        with item.file.open("rb") as handle:
            doc = Docx(io.BytesIO(handle.read()))
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)

    assert total not in text_of(recommendation) and "分" not in text_of(recommendation).split("二、")[0][-40:]
    copy_text = text_of(copy)
    assert "省委办公厅" in copy_text and total not in copy_text
    sheet = copy.versions.get().files.get(role=FileRole.XLSX)
    with sheet.file.open("rb") as handle:
        rows = list(load_workbook(io.BytesIO(handle.read())).worksheets[0].iter_rows(values_only=True))
    d2 = next(r for r in rows if r[1] == "省委办公厅")
    assert d2[4] == "—" and d2[5] == "—"


def test_campaign_zip_has_every_document_and_an_index(approved, people, client_for):
    documents = [_issue(approved, people, LetterKind.NOTICE, code) for code in ("C1", "C2")]
    response = client_for(people["office"]).get(reverse("reviews:documents_zip", args=[approved.pk]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        index = load_workbook(io.BytesIO(archive.read("目录.xlsx"))).worksheets[0]
    assert all(any(n.startswith(d.number) and n.endswith(".docx") for n in names) for d in documents)
    numbers = [row[1] for row in index.iter_rows(min_row=2, values_only=True)]
    assert numbers == [d.number for d in documents]
    assert client_for(people["other_office"]).get(
        reverse("reviews:documents_zip", args=[approved.pk])).status_code == 404
    assert client_for(people["assessed"]).get(
        reverse("reviews:documents_zip", args=[approved.pk])).status_code == 403


def test_issue_page_needs_confirmation_and_shows_the_number(approved, people, client_for):
    client = client_for(people["office"])
    url = reverse("reviews:letter_issue", args=[approved.pk, "notice", "C1"])
    page = client.get(url).content.decode()
    year = NumberRegister.objects.filter().first()
    assert "豫法治办〔" in page and "1号" in page and year is None
    response = client.post(url, {"main_to": "郑州市人民政府"}, follow=True)
    assert "请勾选确认" in response.content.decode() and not Document.objects.exists()
    response = client.post(url, {"main_to": "郑州市人民政府", "confirm": "1"})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("documents:detail", args=[document.pk])
    # nobody but the office of the campaign issues
    assert client_for(people["other_office"]).post(url, {"confirm": "1"}).status_code == 404
    assert client_for(people["assessed"]).post(url, {"confirm": "1"}).status_code == 403
    assert client_for(people["assessed"]).get(reverse("documents:settings")).status_code == 403
    assert Document.objects.count() == 1 and DocumentVersion.objects.count() == 1
    # a unit outside the campaign, an unknown kind
    assert client.get(reverse("reviews:letter_issue", args=[approved.pk, "notice", "P2"])).status_code == 404
    assert client.get(reverse("reviews:letter_issue", args=[approved.pk, "nosuch", "C1"])).status_code == 404


def test_before_approval_only_feedback_notices(campaign, people, client_for, units):
    services.profile_save(user=people["office"], office=units["P-OFFICE"], code="豫法治办")
    client = client_for(people["office"])
    response = client.post(reverse("reviews:letter_issue", args=[campaign.pk, "notice", "C1"]), {"confirm": "1"},
                           follow=True)
    assert "考核结果审定后才能制发文书" in response.content.decode() and not Document.objects.exists()
    from fazhi.reviews import services as review_services

    review_services.feedback_send(user=people["office"], campaign=campaign, unit=units["C1"], text="请核实")
    feedback = letters.issue(user=people["office"], campaign=campaign, kind=LetterKind.FEEDBACK, target="C1")
    # addressed to the unit about its own feedback: it sees it before publication
    assert client_for(people["assessed"]).get(reverse("documents:detail", args=[feedback.pk])).status_code == 200


def test_settings_refuse_a_bad_code_and_change_nothing(people, client_for, units):
    client = client_for(people["office"])
    response = client.post(reverse("documents:settings"), {"code": "豫〔法〕"}, follow=True)
    assert "机关代字应为" in response.content.decode()
    assert not AuditEvent.objects.filter(action="documents.profile_save").exists()
    client.post(reverse("documents:settings"), {"code": "豫法治办"})
    assert AuditEvent.objects.filter(action="documents.profile_save").count() == 1


@pytest.mark.parametrize("size", [2, 12])
def test_document_list_query_count_is_constant(approved, people, client_for, units, size,
                                               django_assert_max_num_queries):
    from fazhi.assessment.models import CampaignUnit, Result
    from fazhi.orgs.models import Level, Unit, UnitKind

    base = approved.results.get(unit__code="C1")
    for i in range(size):
        unit = Unit.objects.create(code=f"N{i:02d}", name=f"测试市{i:02d}", level=Level.CITY,
                                   kind=UnitKind.GOVERNMENT, parent=units["P"], category=1)
        CampaignUnit.objects.create(campaign=approved, unit=unit, category=1)
        Result.objects.create(campaign=approved, unit=unit, category=1, applicable_points=base.applicable_points,
                              earned=base.earned, base=base.base, bonus=base.bonus, deduction=base.deduction,
                              total=base.total, grade=base.grade, rank=20 + i, computed_at=base.computed_at)
        _issue(approved, people, LetterKind.NOTICE, unit.code)
    client = client_for(people["office"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("documents:list"))
    assert response.status_code == 200 and response.content.decode().count("豫法治办〔") >= size


def test_without_libreoffice_the_docx_is_still_there_and_the_page_says_why(approved, people, client_for,
                                                                          monkeypatch,
                                                                          django_capture_on_commit_callbacks):
    """A server without LibreOffice (no ``soffice`` on any path we look): the version says so, the print view
    explains it and offers the Word file."""
    from fazhi.documents.models import PdfStatus
    from fazhi.io import pdf

    monkeypatch.setattr(pdf, "_CANDIDATES", ("no-such-soffice", "/nonexistent/soffice"))
    with django_capture_on_commit_callbacks(execute=True):
        document = _issue(approved, people)
    version = document.versions.get()
    assert version.pdf_status == PdfStatus.UNAVAILABLE
    assert list(version.files.values_list("role", flat=True)) == [FileRole.DOCX, FileRole.XLSX]
    client = client_for(people["office"])
    page = client.get(reverse("documents:print", args=[document.pk])).content.decode()
    assert "服务器未安装 LibreOffice" in page and f"/documents/{document.pk}/files/" in page
    detail = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "服务器未安装 LibreOffice" in detail
    response = client.post(reverse("documents:pdf_retry", args=[document.pk]), follow=True)
    assert "服务器未安装 LibreOffice" in response.content.decode()
    assert not version.files.filter(role=FileRole.PDF).exists()
