"""Issued documents under the disclosure policy (issue 11, ``fazhi.assessment.disclosure``): a result notice
reaches its unit once the results are released, 公布 or 通报, never before and never another unit; documents that go
beyond the unit (the copy 抄送 to other bodies, Word and Excel) carry totals and ranks of the ranked categories only
when the office publishes scores, and a graded-only unit's grade only."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.assessment import services as assessment_services
from fazhi.assessment.models import Campaign, CampaignStatus
from fazhi.documents import services
from fazhi.documents.models import FileRole
from fazhi.reviews import letters
from fazhi.reviews.models import LetterKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(campaign, people, units):
    services.profile_save(user=people["office"], office=units["P-OFFICE"], code="豫法治办")
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.APPROVED)
    campaign.refresh_from_db()
    return campaign


def _text(document) -> tuple[str, list[tuple]]:
    from docx import Document as Docx

    item = document.versions.get().files.get(role=FileRole.DOCX)
    with item.file.open("rb") as handle:
        doc = Docx(io.BytesIO(handle.read()))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    sheet = document.versions.get().files.get(role=FileRole.XLSX)
    with sheet.file.open("rb") as handle:
        rows = list(load_workbook(io.BytesIO(handle.read())).worksheets[0].iter_rows(values_only=True))
    return "\n".join([p.text for p in doc.paragraphs] + cells), rows


@pytest.mark.parametrize("released", [CampaignStatus.PUBLISHED, CampaignStatus.NOTIFIED])
def test_a_result_notice_reaches_its_unit_once_released(approved, people, client_for, released):
    notice = letters.issue(user=people["office"], campaign=approved, kind=LetterKind.NOTICE, target="C1")
    detail = reverse("documents:detail", args=[notice.pk])
    own, other = client_for(people["assessed"]), client_for(people["assessed_c2"])
    assert own.get(detail).status_code == 404  # approved, not yet released
    Campaign.objects.filter(pk=approved.pk).update(status=released)
    assert own.get(detail).status_code == 200
    text, _rows = _text(notice)
    total = format(approved.results.get(unit__code="C1").total, "f")
    assert total in text  # the unit's own notice carries its own total
    assert other.get(detail).status_code == 404
    assert client_for(people["public"]).get(detail).status_code == 403


@pytest.mark.parametrize("publish_scores", [False, True], ids=["grades_only", "with_scores"])
def test_a_copy_to_other_bodies_follows_publish_scores(approved, people, publish_scores):
    if publish_scores:
        assessment_services.campaign_publish_scores_set(user=people["office"], campaign=approved,
                                                        publish_scores=True, reason="省委同意")
        approved.refresh_from_db()
    copy = letters.issue(user=people["office"], campaign=approved, kind=LetterKind.COPY, target="zuzhibu")
    text, rows = _text(copy)
    c1_total = format(approved.results.get(unit__code="C1").total, "f")
    d2_total = format(approved.results.get(unit__code="D2").total, "f")
    assert "郑州市人民政府" in text and "省委办公厅" in text
    assert (c1_total in text) is publish_scores
    assert d2_total not in text  # category 2 is graded only
    c1 = next(r for r in rows if r[1] == "郑州市人民政府")
    d2 = next(r for r in rows if r[1] == "省委办公厅")
    assert (c1[4] != "—", c1[5] != "—") == (publish_scores, publish_scores)  # total, rank
    assert (d2[4], d2[5]) == ("—", "—")
