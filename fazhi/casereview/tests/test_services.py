"""集中评查 from set-up to the indicator score: registration (single and Excel, all-or-nothing), the published
draw (redrawn independently, immutable), conflict-free assignment, scoring on the checklist, the aggregate
written through the assessment score service, and every write audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.assessment.models import Score
from fazhi.audit.models import AuditEvent
from fazhi.casereview import services
from fazhi.casereview.models import Assignment, CaseFile, ReviewStatus, Sample
from fazhi.core import sampling
from fazhi.io.excel import Column, ImportFailed, build_workbook

pytestmark = pytest.mark.django_db


def _xlsx(rows):
    columns = [Column(c.key, c.header, required=False) for c in services.file_columns()]
    return build_workbook("案卷登记", columns, rows)


def test_excel_import_is_all_or_nothing_with_row_and_column(review, people):
    bad = _xlsx([
        {"number": "郑罚1", "case_type": "行政处罚", "title": "甲", "closed_on": "2025-03-01"},
        {"number": "郑罚1", "case_type": "行政处罚", "title": "乙", "closed_on": "2025-03-02"},  # duplicate
        {"number": "郑罚3", "case_type": "行政强制", "title": "丙", "closed_on": "2025-03-03"},  # type not reviewed
        {"number": "郑罚4", "case_type": "行政处罚", "title": "丁", "closed_on": "三月"},  # bad date
    ])
    with pytest.raises(ImportFailed) as failed:
        services.file_import(user=people["assessed"], review=review, data=bad)
    text = [str(e) for e in failed.value.errors]
    assert any("第3行" in t and "案卷编号" in t and "第2行重复" in t for t in text), text
    assert any("第4行" in t and "案件类型" in t for t in text), text
    assert any("第5行" in t and "办结日期" in t for t in text), text
    assert CaseFile.objects.count() == 0  # nothing written
    good = _xlsx([{"number": f"郑罚{i}", "case_type": "行政许可", "title": "许可", "closed_on": "2025-03-01"}
                  for i in range(1, 4)])
    assert services.file_import(user=people["assessed"], review=review, data=good) == 3
    assert set(CaseFile.objects.values_list("unit__code", flat=True)) == {"C1"}
    assert AuditEvent.objects.filter(action="casereview.file_import").exists()


def test_only_a_targeted_unit_registers_its_own_files(review, people):
    with pytest.raises(PermissionDenied):  # an office does not register files
        services.file_register(user=people["office"], review=review, number="X", case_type="penalty", title="x",
                               closed_on=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError, match="考核范围"):  # D1 is category 4: R1 does not apply to it
        from fazhi.orgs.models import Role
        dept = type(people["assessed"]).objects.create_user(username="d1", password="x-Secret-1", role=Role.ASSESSED,
                                                           unit=people["assessing"].unit)
        services.file_register(user=dept, review=review, number="X", case_type="penalty", title="x",
                               closed_on=dt.date(2025, 1, 1))


def test_draw_is_reproducible_recorded_and_immutable(staffed, people):
    sample = services.sample_draw(user=people["office"], review=staffed, seed="公开抽签-2025-12-01", confirm_files=7)
    # an independent redraw from what is published gives the same files
    items = sampling.parse_population(sample.population)
    assert len(items) == sample.population_size == 7
    assert sampling.population_digest(items) == sample.population_digest
    redraw = sampling.draw(sample.seed, items, 2)
    assert sampling.format_population(redraw) == sample.drawn
    drawn = set(CaseFile.objects.filter(drawn=True).values_list("number", flat=True))
    assert drawn == {item.id for item in redraw} and len(drawn) == 4
    # recorded before the draw: the population event precedes the draw event
    fix, draw = (AuditEvent.objects.get(action=a) for a in ("casereview.population_fix", "casereview.sample_draw"))
    assert fix.pk < draw.pk and fix.after["population_digest"] == sample.population_digest
    # and never changed after
    sample.seed = "another"
    with pytest.raises(ValidationError):
        sample.save()
    assert Sample.objects.get(pk=sample.pk).seed == "公开抽签-2025-12-01"
    with pytest.raises(ValidationError, match="已抽样"):
        services.sample_draw(user=people["office"], review=staffed)
    with pytest.raises(ValidationError, match="截止"):
        services.file_register(user=people["assessed"], review=staffed, number="late", case_type="penalty",
                               title="迟到", closed_on=dt.date(2025, 6, 1))


def test_draw_refused_when_population_changed_after_confirmation(staffed, people):
    with pytest.raises(ValidationError, match="重新确认"):
        services.sample_draw(user=people["office"], review=staffed, confirm_files=6)
    assert not Sample.objects.exists()
    with pytest.raises(PermissionDenied):
        services.sample_draw(user=people["city_office"], review=staffed)


def test_assignment_avoids_conflicts(staffed, people, experts):
    services.sample_draw(user=people["office"], review=staffed, seed="s")
    assert services.assignments_make(user=people["office"], review=staffed) == 4
    for a in Assignment.objects.select_related("file__unit", "expert__user"):
        if a.expert.user == experts["exp_zz"]:
            assert a.file.unit.code != "C1"  # its own city (C1-D1 is under C1)
        if a.expert.user == experts["exp_sys"]:
            assert a.file.unit.code != "C2"  # declared as its system


def test_assignment_refused_when_only_conflicted_experts(registered, people, experts, units):
    services.expert_add(user=people["office"], review=registered, expert=experts["exp_zz"], employer=units["C1"])
    services.sample_draw(user=people["office"], review=registered, seed="s")
    with pytest.raises(ValidationError, match="郑罚"):
        services.assignments_make(user=people["office"], review=registered)
    assert not Assignment.objects.exists()


def _score_all(review, experts, deductions_by_number):
    for a in Assignment.objects.filter(file__review=review).select_related("expert__user", "file"):
        items = {i.text: i.pk for i in review.items.all()}
        d = {items[text]: value for text, value in deductions_by_number.get(a.file.number, {}).items()}
        services.file_score(user=a.expert.user, assignment=a, deductions=d, comment="")


def test_expert_scores_on_the_checklist_with_reasons(staffed, people, experts):
    services.sample_draw(user=people["office"], review=staffed, seed="s")
    services.assignments_make(user=people["office"], review=staffed)
    a = Assignment.objects.select_related("expert__user").first()
    program = staffed.items.get(text="程序合法")
    with pytest.raises(ValidationError, match="理由"):
        services.file_score(user=a.expert.user, assignment=a, deductions={program.pk: ("5", "")})
    with pytest.raises(ValidationError, match="0 到 30"):
        services.file_score(user=a.expert.user, assignment=a, deductions={program.pk: ("31", "超")})
    other = next(u for u in experts.values() if u != a.expert.user)
    from django.http import Http404
    with pytest.raises(Http404):  # another expert cannot touch it
        services.file_score(user=other, assignment=a, deductions={})
    done = services.file_score(user=a.expert.user, assignment=a, deductions={program.pk: ("12.5", "未告知陈述申辩权")})
    assert done.score == Decimal("87.50")
    with pytest.raises(ValidationError, match="已提交"):
        services.file_score(user=a.expert.user, assignment=a, deductions={})


def test_indicator_written_through_score_service_with_the_calculation(staffed, people, experts, units):
    services.sample_draw(user=people["office"], review=staffed, seed="s")
    services.assignments_make(user=people["office"], review=staffed)
    expert = experts["exp_free"]
    with pytest.raises(ValidationError, match="未评查完毕"):
        services.indicator_write(user=expert, review=staffed)
    drawn = list(CaseFile.objects.filter(drawn=True).order_by("unit__code", "draw_rank"))
    c1 = [f.number for f in drawn if f.unit.code == "C1"]
    c2 = [f.number for f in drawn if f.unit.code == "C2"]
    # C1: 100 and 80 (−20 主体) → mean 90 → 10 × 90/100 = 9.00; C2: 70 (−30) and 50 (−20 −30) → mean 60 → 6.00
    _score_all(staffed, experts, {c1[1]: {"主体合法": ("20", "委托无依据")},
                                  c2[0]: {"程序合法": ("30", "未听证")},
                                  c2[1]: {"主体合法": ("20", "超越职权"), "程序合法": ("30", "未送达")}})
    with pytest.raises(PermissionDenied):  # the office prepares the review but does not score the indicator
        services.indicator_write(user=people["office"], review=staffed)
    assert services.indicator_write(user=expert, review=staffed) == 2
    scores = {s.unit.code: s for s in Score.objects.filter(indicator=staffed.indicator).select_related("unit")}
    assert scores["C1"].value == Decimal("9.00") and scores["C2"].value == Decimal("6.00")
    assert "平均分 90" in scores["C1"].reason and "10 × 90 ÷ 100 = 9" in scores["C1"].reason
    assert AuditEvent.objects.filter(action="assessment.score_save").count() == 2
    staffed.refresh_from_db()
    assert staffed.status == ReviewStatus.WRITTEN
