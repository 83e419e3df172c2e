"""实地考核: the draw before the visit (reproducible, immutable, hidden from the unit until completed), records with
photos, the theory-test import (all-or-nothing, duplicates and outside units refused), the rule's worked example
written through the score service, and the refusals of every other role."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from fazhi.assessment.models import Score
from fazhi.audit.models import AuditEvent
from fazhi.core import sampling
from fazhi.fieldwork import services
from fazhi.fieldwork.models import FieldVisit, SampledUnit, TestResult, VisitSample, VisitStatus
from fazhi.io.excel import ImportFailed, build_workbook

pytestmark = pytest.mark.django_db


def _results(rows):
    return build_workbook("法治理论测试", services.theory_columns(), rows)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_draw_reproducible_and_immutable(visit, people):
    sample = services.sample_draw(user=people["office"], visit=visit, seed="field-2025", confirm_size=6)
    items = sampling.parse_population(sample.population)
    assert {i.stratum for i in items} == {"department", "government"} and len(items) == 6  # the office is not drawn
    redraw = sampling.draw("field-2025", items, {"department": 2, "government": 1})
    assert sampling.format_population(redraw) == sample.drawn
    assert sorted(SampledUnit.objects.values_list("unit__code", flat=True)) == sorted(i.id for i in redraw)
    sample.seed = "x"
    with pytest.raises(ValidationError):
        sample.save()
    assert VisitSample.objects.get().seed == "field-2025"
    with pytest.raises(ValidationError, match="已抽样"):
        services.sample_draw(user=people["office"], visit=visit)


def test_draw_refused_once_the_visit_has_started(visit, people):
    FieldVisit.objects.filter(pk=visit.pk).update(start_date=dt.date(2020, 1, 1), end_date=dt.date(2020, 1, 2))
    visit.refresh_from_db()
    with pytest.raises(ValidationError, match="考核开始前"):
        services.sample_draw(user=people["office"], visit=visit)
    with pytest.raises(PermissionDenied):
        services.sample_draw(user=people["city_office"], visit=visit)


def test_unit_sees_the_sample_only_after_the_visit(visit, people, client_for, field_user):
    services.sample_draw(user=people["office"], visit=visit, seed="s")
    url = reverse("fieldwork:detail", args=[visit.pk])
    assessed = client_for(people["assessed"])
    assert assessed.get(url).status_code == 404  # drawn, but the visit is not done: the unit must not know
    assert client_for(people["assessed_c2"]).get(url).status_code == 404
    services.visit_complete(user=people["office"], visit=visit)
    page = assessed.get(url)
    drawn = SampledUnit.objects.select_related("unit").first().unit.name
    assert page.status_code == 200 and drawn in page.content.decode()
    assert "座谈访谈、现场查看和暗访记录" not in page.content.decode()  # team's working records stay with the team
    assert client_for(people["assessed_c2"]).get(url).status_code == 404
    assert client_for(people["public"]).get(url).status_code == 403
    assert client_for(people["other_office"]).get(url).status_code == 404


def test_records_with_photos_by_the_team_only(visit, people, field_user, units, client_for, make_user):
    services.sample_draw(user=people["office"], visit=visit, seed="s")
    photo = SimpleUploadedFile("现场.png", _png(), content_type="image/png")
    record = services.record_add(user=field_user, visit=visit, kind="unannounced", unit=units["C1"],
                                 happened_on=dt.date(2025, 11, 3), text="政务服务大厅窗口未公示办事指南", photos=[photo])
    assert record.photos.count() == 1
    with pytest.raises(ValidationError, match="被抽中"):
        services.record_add(user=field_user, visit=visit, kind="site", unit=units["C2"],
                            happened_on=dt.date(2025, 11, 3), text="x")
    other_team = make_user("field_b", "field_team", units["D2"])
    with pytest.raises(PermissionDenied):
        services.record_add(user=other_team, visit=visit, kind="site", unit=units["C1"],
                            happened_on=dt.date(2025, 11, 3), text="x")
    photo_url = reverse("fieldwork:photo", args=[record.photos.get().pk])
    assert client_for(field_user).get(photo_url).status_code == 200
    assert client_for(other_team).get(photo_url).status_code == 404
    assert client_for(people["assessed"]).get(photo_url).status_code == 403


def test_theory_import_all_or_nothing(visit, people, field_user, units, children):
    services.sample_draw(user=people["office"], visit=visit, seed="s")
    bad = _results([
        {"name": "张三", "post": "科长", "unit": "郑州市人民政府", "score": 90},
        {"name": "张三", "post": "科长", "unit": "郑州市人民政府", "score": 91},  # duplicate
        {"name": "李四", "post": "科员", "unit": "开封市人民政府", "score": 80},  # outside the visit
        {"name": "王五", "post": "科员", "unit": "郑州市人民政府", "score": 120},  # out of range
    ])
    with pytest.raises(ImportFailed) as failed:
        services.theory_import(user=field_user, visit=visit, data=bad)
    text = [str(e) for e in failed.value.errors]
    assert any("第3行" in t and "姓名" in t and "重复" in t for t in text), text
    assert any("第4行" in t and "单位" in t for t in text), text
    assert any("第5行" in t and "成绩" in t for t in text), text
    assert not TestResult.objects.exists()
    with pytest.raises(PermissionDenied):
        services.theory_import(user=people["office"], visit=visit, data=bad)


def test_theory_rule_worked_example_written_through_the_score_service(visit, people, field_user, units):
    services.sample_draw(user=people["office"], visit=visit, seed="s")
    # 4 of the 5 required sat (80% < 90%): average (90 + 85 + 80 + 85) / 4 = 85 → 10 × 0.85 × 0.8/0.9 = 7.56
    rows = [{"name": n, "post": "科员", "unit": "郑州市人民政府", "score": s}
            for n, s in (("甲", 90), ("乙", 85), ("丙", 80), ("丁", 85))]
    assert services.theory_import(user=field_user, visit=visit, data=_results(rows)) == 4
    outcome = services.theory_outcome(visit)
    assert outcome.value == Decimal("7.56")
    with pytest.raises(PermissionDenied):
        services.indicator_write(user=people["office"], visit=visit)
    score = services.indicator_write(user=field_user, visit=visit)
    assert Score.objects.get(pk=score.pk).value == Decimal("7.56") and "参考率 80%" in score.reason
    assert AuditEvent.objects.filter(action="assessment.score_save").exists()
    assert AuditEvent.objects.filter(action="fieldwork.indicator_write").exists()


def test_team_pages(visit, people, field_user, client_for):
    client = client_for(field_user)
    assert client.get(reverse("fieldwork:list")).status_code == 200
    body = client.get(reverse("fieldwork:detail", args=[visit.pk])).content.decode()
    assert "第一天：座谈" in body
    assert client.get(reverse("fieldwork:draw", args=[visit.pk])).status_code == 403
    office = client_for(people["office"])
    page = office.get(reverse("fieldwork:draw", args=[visit.pk])).content.decode()
    assert "3 个部门中抽取 2 个" in page
    assert office.post(reverse("fieldwork:draw", args=[visit.pk]), {"confirm": "yes", "size": "6"}).status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.SAMPLED
