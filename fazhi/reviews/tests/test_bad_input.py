"""Hostile and malformed input to the reviews pages: a redirect with an error message (the pages' style), never a
500, and nothing written (every relevant row is the same before and after)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.assessment.models import Campaign, Score
from fazhi.audit.models import AuditEvent
from fazhi.reviews import letters, services
from fazhi.reviews.models import (
    CalendarOverride,
    CalendarYear,
    Decision,
    Feedback,
    LetterKind,
    LetterTemplate,
    Rectification,
    ReviewRequest,
)

BAD_IDS = ["abc", "²", "1e5", "9" * 30, "\x00", "-1", ""]


def snapshot():
    return {model.__name__: list(model.objects.order_by("pk").values())
            for model in (Campaign, Score, CalendarOverride, CalendarYear, Feedback, ReviewRequest, Decision,
                          Rectification, LetterTemplate, AuditEvent)}


def _client(client_for, user):
    client = client_for(user)
    client.raise_request_exception = False
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- calendar --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", BAD_IDS)
def test_calendar_delete_with_malformed_id_is_404(client_for, people, units, bad):
    services.calendar_override_save(user=people["office"], date=__import__("datetime").date(2026, 5, 6),
                                    is_working_day=False, note="调休")
    before = snapshot()
    client = _client(client_for, people["office"])
    assert client.post(reverse("reviews:calendar"), {"op": "delete", "pk": bad}).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("data,expected", [
    ({"op": "add", "date": "2026-05-01", "note": "劳动节\x00"}, "控制字符"),
    ({"op": "add", "date": "2026-05-01", "note": "长" * 201}, "200"),
    ({"op": "add", "date": "2026-13-45", "note": "x"}, "日期"),
    ({"op": "year", "year": "²"}, "年度"),
    ({"op": "year", "year": "9" * 30}, "年度"),
    ({"op": "year", "year": "2026", "note": "\x00"}, "控制字符"),
])
def test_calendar_bad_input_is_refused(client_for, people, units, data, expected):
    before = snapshot()
    client = _client(client_for, people["office"])
    response = client.post(reverse("reviews:calendar"), data)
    assert response.status_code == 302
    assert any(expected in m for m in _messages(response)), _messages(response)
    assert snapshot() == before


# --- campaign actions, feedback, rectifications --------------------------------------------------------------

@pytest.mark.parametrize("next_url", ["abc", "²", "-1", "//evil.example/x", "https://evil.example/"])
def test_campaign_action_ignores_a_next_that_is_not_a_local_path(client_for, people, campaign, next_url):
    client = _client(client_for, people["office"])
    response = client.post(reverse("assessment:campaign_action", args=[campaign.pk]),
                           {"action": "nonsense", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:campaign_detail", args=[campaign.pk])


def test_campaign_action_with_nul_reason_is_refused(client_for, people, campaign):
    before = snapshot()
    client = _client(client_for, people["office"])
    response = client.post(reverse("assessment:campaign_action", args=[campaign.pk]),
                           {"action": "submit", "reason": "报\x00"})
    assert response.status_code == 302 and any("控制字符" in m for m in _messages(response))
    # nothing changed but the trace of the refused step
    assert AuditEvent.objects.filter(action="campaign.refused").count() == 1
    after = snapshot()
    after["AuditEvent"] = [e for e in after["AuditEvent"] if e["action"] != "campaign.refused"]
    assert after == before


@pytest.mark.parametrize("field", ["unit", "indicator"])
@pytest.mark.parametrize("bad", ["abc", "²", "1e5", "9" * 30, "\x00"])
def test_feedback_send_with_malformed_ids_is_refused(client_for, people, campaign, a1, units, field, bad):
    before = snapshot()
    client = _client(client_for, people["office"])
    data = {"unit": units["C1"].pk, "indicator": a1.pk, "text": "请核实", field: bad}
    response = client.post(reverse("reviews:feedback_send", args=[campaign.pk]), data)
    assert response.status_code == 302 and _messages(response)
    assert snapshot() == before


@pytest.mark.parametrize("text", ["核实\x00", "长" * 5001])
def test_feedback_send_with_bad_text_is_refused(client_for, people, campaign, a1, units, text):
    before = snapshot()
    client = _client(client_for, people["office"])
    response = client.post(reverse("reviews:feedback_send", args=[campaign.pk]),
                           {"unit": units["C1"].pk, "indicator": a1.pk, "text": text})
    assert response.status_code == 302
    assert snapshot() == before


@pytest.mark.parametrize("data", [
    {"unit": "abc", "due_date": "2099-01-01", "title": "整改"},
    {"unit": "²", "due_date": "2099-01-01", "title": "整改"},
    {"unit": "C1", "due_date": "2099-02-30", "title": "整改"},
    {"unit": "C1", "due_date": "2099-01-01", "title": "整\x00改"},
    {"unit": "C1", "due_date": "2099-01-01", "title": "长" * 301},
    {"unit": "C1", "due_date": "2099-01-01", "title": "整改", "detail": "\x00"},
])
def test_rectification_create_bad_input_is_refused(client_for, people, campaign, units, data):
    if data["unit"] == "C1":
        data = {**data, "unit": units["C1"].pk}
    before = snapshot()
    client = _client(client_for, people["office"])
    response = client.post(reverse("reviews:rectification_create", args=[campaign.pk]), data)
    assert response.status_code == 302 and _messages(response)
    assert snapshot() == before


def test_feedback_accept_with_nul_response_is_refused(client_for, people, campaign, a1, units):
    item = services.feedback_send(user=people["office"], campaign=campaign, unit=units["C1"], indicator=a1,
                                  text="扣分")
    before = snapshot()
    client = _client(client_for, people["assessed"])
    response = client.post(reverse("reviews:feedback_accept", args=[item.pk]), {"response": "同意\x00"})
    assert response.status_code == 302 and any("控制字符" in m for m in _messages(response))
    assert snapshot() == before


# --- re-review decision ----------------------------------------------------------------------------------------

@pytest.fixture
def review(campaign, a1, units, people):
    item = services.feedback_send(user=people["office"], campaign=campaign, unit=units["C1"], indicator=a1,
                                  text="扣分")
    services.review_request(user=people["assessed"], feedback=item, text="不同意")
    return item


@pytest.mark.parametrize("data,expected", [
    ({"outcome": "changed", "new_value": "9,5"}, "小数点请用"),
    ({"outcome": "changed", "new_value": "NaN"}, "不是数字"),
    ({"outcome": "changed", "new_value": "1e400"}, "超出允许的范围"),
    ({"outcome": "changed", "new_value": "85.125"}, "两位小数"),
    ({"outcome": "changed", "new_value": "85", "version": "²"}, "已被他人修改"),
    ({"outcome": "changed", "new_value": "85", "version": "9" * 30}, "已被他人修改"),
    ({"outcome": "upheld", "reason": "维持\x00"}, "控制字符"),
    ({"outcome": "\x00"}, "复核决定"),
])
def test_review_decide_bad_input_changes_nothing(client_for, people, review, data, expected):
    before = snapshot()
    client = _client(client_for, people["office"])
    response = client.post(reverse("reviews:review_decide", args=[review.pk]),
                           {"reason": "复核理由", "version": "1", **data})
    assert response.status_code == 302
    assert any(expected in m for m in _messages(response)), _messages(response)
    assert snapshot() == before


# --- letter templates ------------------------------------------------------------------------------------------

def _template_with(owner, text: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(letters.template_bytes(owner, LetterKind.RECOMMENDATION)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"</w:body>", f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body>".encode())
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize(("text", "reason"), [
    ("{{ unit_name", "占位符写法有误"), ("{% for %}", "占位符写法有误"),
    ("{{ unit_name|nosuchfilter }}", "模板无法生成文书"), ("{{ unit_nam }}", "未知的占位符：{{ unit_nam }}"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "模板无法生成文书"),
    ("{{ 'x' * 1000000000 }}", "模板无法生成文书"), ("{{ 10 ** 10 ** 10 }}", "模板无法生成文书"),
    ("{% for i in range(100000000) %}x{% endfor %}", "不能使用循环"),
    ("{% for u in units %}{{ u }}{% endfor %}", "不能使用循环"),
    ("{% macro m() %}x{% endmacro %}", "不能使用宏"),
])
def test_template_upload_refuses_broken_or_hostile_jinja(client_for, people, units, text, reason):
    """Refused at upload with the reason, and nothing stored."""
    before = snapshot()
    client = _client(client_for, people["office"])
    upload = SimpleUploadedFile("模板.docx", _template_with(units["P"], text))
    response = client.post(reverse("reviews:templates"), {"kind": LetterKind.RECOMMENDATION, "file": upload})
    assert response.status_code == 302
    assert any(reason in m for m in _messages(response)), _messages(response)
    assert snapshot() == before


@pytest.mark.parametrize("payload", [b"", b"plain text, not a docx", b"PK\x03\x04broken", b"\x00" * 64])
def test_template_upload_refuses_files_that_are_not_docx(client_for, people, units, payload):
    before = snapshot()
    client = _client(client_for, people["office"])
    response = client.post(reverse("reviews:templates"), {"kind": LetterKind.RECOMMENDATION,
                                                          "file": SimpleUploadedFile("模板.docx", payload)})
    assert response.status_code == 302 and _messages(response)
    assert snapshot() == before


def test_template_with_known_placeholders_is_still_accepted(client_for, people, units):
    client = _client(client_for, people["office"])
    upload = SimpleUploadedFile("模板.docx", _template_with(units["P"], "{{ unit_name }}{{ rank_text }}"))
    response = client.post(reverse("reviews:templates"), {"kind": LetterKind.RECOMMENDATION, "file": upload})
    assert response.status_code == 302
    assert LetterTemplate.objects.filter(kind=LetterKind.RECOMMENDATION).exists()


def test_letter_from_a_stored_template_that_no_longer_renders_is_a_message(client_for, people, campaign, units):
    """A template accepted before placeholders were checked strictly: the letter page says so instead of a 500."""
    from django.core.files.base import ContentFile

    from fazhi.assessment.models import CampaignStatus

    item = LetterTemplate(owner=units["P"], kind=LetterKind.RECOMMENDATION, original_name="旧模板.docx")
    item.file.save("recommendation.docx", ContentFile(_template_with(units["P"], "{{ unit_nam }}")), save=True)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.APPROVED)
    result = campaign.results.filter(grade__in=("合格", "不合格")).select_related("unit").first()
    assert result is not None
    client = _client(client_for, people["office"])
    response = client.get(reverse("reviews:letter", args=[campaign.pk, LetterKind.RECOMMENDATION, result.unit.code]))
    assert response.status_code == 302 and any("未知的占位符：{{ unit_nam }}" in m for m in _messages(response))
