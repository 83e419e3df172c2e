"""Evidence in the page (预览) and removing a file from a score still in draft."""

from __future__ import annotations

import base64
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from selenium.webdriver.common.by import By

from fazhi.assessment import services
from fazhi.assessment.models import Evidence
from fazhi.audit.models import AuditEvent
from fazhi.testing.browser import login, wait_until
from fazhi.testing.lifecycle import submit_scores

#: A real 2×2 PNG and a one-page PDF (both pass the upload's content check).
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAAZ9gIBdUhXxgAAAABJRU5ErkJggg==")
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF")


@pytest.fixture
def draft(scoring, people, units, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    score = services.score_save(user=people["assessing"], campaign=scoring, indicator=scoring.indicators.get(code="A1"),
                                unit=units["C1"], value="30", reason="部分未完成", expected_version=0)
    pdf = services.evidence_add(user=people["assessing"], score=score,
                                upload=SimpleUploadedFile("会议纪要.pdf", PDF, "application/pdf"))
    png = services.evidence_add(user=people["assessing"], score=score,
                                upload=SimpleUploadedFile("现场照片.png", PNG, "image/png"))
    return score, pdf, png


@pytest.mark.django_db
def test_inline_answers_for_previewable_files_only(draft, people, client_for):
    _score, pdf, png = draft
    client = client_for(people["assessing"])
    url = reverse("assessment:evidence_download", args=[pdf.pk])
    shown = client.get(url + "?inline=1")
    assert shown["Content-Type"] == "application/pdf" and shown["X-Frame-Options"] == "SAMEORIGIN"
    assert not shown["Content-Disposition"].startswith("attachment")
    assert client.get(url)["Content-Disposition"].startswith("attachment")
    assert client_for(people["assessed_c2"]).get(url + "?inline=1").status_code == 404  # out of scope
    image = client.get(reverse("assessment:evidence_download", args=[png.pk]) + "?inline=1")
    assert image["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_delete_while_draft_and_not_after_submission(draft, people, client_for, scoring,
                                                     django_capture_on_commit_callbacks):
    score, pdf, png = draft
    client = client_for(people["assessing"])
    stored = pdf.file.path
    assert client_for(people["assessed_c2"]).post(reverse("assessment:evidence_delete", args=[pdf.pk])).status_code \
        == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessment:evidence_delete", args=[pdf.pk]), follow=True)
    assert "已删除佐证材料“会议纪要.pdf”" in response.content.decode()
    assert not Evidence.objects.filter(pk=pdf.pk).exists()
    assert not os.path.exists(stored)  # the file left the storage after commit
    assert AuditEvent.objects.filter(action="assessment.evidence_delete").exists()
    submit_scores(user=people["assessing"], campaign=scoring)
    response = client.post(reverse("assessment:evidence_delete", args=[png.pk]), follow=True)
    assert "不能删除佐证材料" in response.content.decode()
    assert Evidence.objects.filter(pk=png.pk).exists()
    assert score.evidence.count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_scorer_previews_a_pdf_and_an_image_in_the_page(live_server, browser, draft, scoring):
    score, pdf, png = draft
    login(browser, live_server.url, "assessing", "pw-Secret-1")
    browser.get(f"{live_server.url}/assessment/scoring/{scoring.pk}/scores/{score.pk}/")
    for summary in browser.find_elements(By.CSS_SELECTOR, "details.preview summary"):
        summary.click()
    image = browser.find_element(By.CSS_SELECTOR, f"#evidence-{png.pk} img.preview-image")
    wait_until(browser, lambda d: d.execute_script("return arguments[0].naturalWidth", image) == 2)
    frame = browser.find_element(By.CSS_SELECTOR, f"#evidence-{pdf.pk} iframe.preview-frame")
    assert frame.get_attribute("src").endswith("?inline=1")
    # the frame is allowed (same origin) and holds the PDF, not an error page
    answer = browser.execute_script(
        "return fetch(arguments[0]).then(function (r) { return [r.status, r.headers.get('content-type'),"
        " r.headers.get('x-frame-options')]; });", frame.get_attribute("src"))
    assert answer == [200, "application/pdf", "SAMEORIGIN"]
