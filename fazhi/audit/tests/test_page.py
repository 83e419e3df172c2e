"""The audit page reads as sentences (who did what to which unit, when), in Chinese and English, with no raw
dicts, codes or Python values; filterable by person, unit, kind and dates (in SQL), paged, exportable to Excel."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from fazhi.audit import describe
from fazhi.audit.models import AuditEvent
from fazhi.audit.services import record_event


@pytest.fixture
def score_change(people, units):
    people["assessing"].display_name = "赵主任"
    people["assessing"].save()
    event = record_event(actor=people["assessing"], action="score.change", target=units["C1"],
                         before={"value": Decimal("4.00"), "version": 3}, after={"value": Decimal("3.50"), "version": 4},
                         reason="材料不全")
    moment = timezone.make_aware(dt.datetime(2026, 11, 3, 14, 5))
    with connection.cursor() as cursor:  # a fixed time for the sentence (the chain is not what this test checks)
        cursor.execute("UPDATE audit_auditevent SET created_at = %s WHERE id = %s", [moment, event.pk])
    return AuditEvent.objects.get(pk=event.pk)


def test_a_change_reads_as_a_sentence(score_change, units):
    with translation.override("zh-hans"):
        text = describe.sentence(score_change)
    assert text.startswith("省司法厅 赵主任 于 2026-11-03 14:05 修改了得分")
    assert "郑州市人民政府" in text and "由 4.00 改为 3.50" in text and text.endswith("，理由：材料不全。")
    assert "version" not in text and "{" not in text and "score.change" not in text


def test_the_page_in_chinese_and_english(score_change, people, client_for):
    client = client_for(people["office"])
    body = client.get(reverse("audit:event_list")).content.decode()
    assert "省司法厅 赵主任 于 2026-11-03 14:05" in body and "材料不全" in body
    assert "score.change" not in body and "{&#x27;" not in body and "Decimal" not in body
    client.cookies["django_language"] = "en"
    english = client.get(reverse("audit:event_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "赵主任 on 2026-11-03 14:05 changed a score" in english and "reason: 材料不全" in english


def test_unknown_actions_never_show_their_code(people, units):
    created = record_event(actor=people["office"], action="newapp.thing_create", target=units["C2"], before=None,
                           after={"title": "新事项", "internal_id": 7, "nested": {"a": 1}})
    with translation.override("zh-hans"):
        text = describe.sentence(created)
    assert "新建了" in text and "标题 新事项" in text
    assert "newapp" not in text and "internal_id" not in text and "{" not in text


def test_filters_by_person_unit_kind_and_date(score_change, people, units, client_for):
    record_event(actor=people["office"], action="plans.task_create", target=units["C2"], before=None,
                 after={"title": "任务甲"}, reason="开封任务")
    client = client_for(people["office"])
    page = lambda **q: client.get(reverse("audit:event_list"), q).content.decode()  # noqa: E731
    assert "材料不全" in page(actor="赵") and "开封任务" not in page(actor="赵")
    assert "开封任务" in page(unit="C2") and "材料不全" not in page(unit="C2")
    assert "开封任务" in page(unit="开封") and "材料不全" not in page(unit="开封")
    assert "材料不全" in page(kind="score") and "开封任务" not in page(kind="score")
    assert "材料不全" in page(date_from="2026-11-03", date_to="2026-11-03")
    assert "材料不全" not in page(date_from="2026-11-04")
    bad = client.get(reverse("audit:event_list"), {"date_from": "2026-13-45"})
    assert bad.status_code == 400 and "应为日期" in bad.content.decode()
    assert client.get(reverse("audit:event_list"), {"kind": "nonsense"}).status_code == 400


def test_export_to_excel_is_filtered_scoped_and_audited(score_change, people, units, client_for):
    record_event(actor=people["other_office"], action="x.y", target=units["P2"], before=None, after=None,
                 reason="外省")
    response = client_for(people["office"]).get(reverse("audit:event_export"), {"kind": "score"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    texts = " ".join(str(v) for row in rows for v in row if v)
    assert "由 4.00 改为 3.50" in texts and "外省" not in texts
    assert AuditEvent.objects.filter(action="export.download", actor=people["office"]).exists()


@pytest.mark.parametrize("who", ["assessed", "assessing", "expert", "public"])
def test_export_refused_to_other_roles(people, client_for, who):
    assert client_for(people[who]).get(reverse("audit:event_export")).status_code == 403
