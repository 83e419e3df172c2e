"""Hostile input on the plans pages: refused with a message naming the problem, and nothing written."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from fazhi.plans import services
from fazhi.plans.models import ImportJob, ImportStatus, SupervisionNote

from .conftest import seed_bytes, upload

NOT_IDS = ["abc", "²", "1e5", "-1", "0", "9" * 40, "\x00", "<script>alert(1)</script>", "' OR 1=1--", "x" * 100_000]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def task_a(small_plan):
    return small_plan.tasks.get(title="任务A")


@pytest.mark.parametrize("unit", NOT_IDS)
def test_note_with_a_unit_that_is_not_an_id_is_refused(people, client_for, task_a, unit):
    response = client_for(people["office"]).post(f"/plans/tasks/{task_a.pk}/notes/", {"text": "请加快进度", "unit": unit})
    assert response.status_code == 302
    assert any("督导意见未发送" in m for m in _messages(response))
    assert not SupervisionNote.objects.exists()


def test_note_to_a_unit_outside_the_scope_is_refused_not_broadcast(people, units, client_for, task_a):
    # before: an out-of-scope unit silently became "no unit" — the note went to every unit of the task
    response = client_for(people["office"]).post(f"/plans/tasks/{task_a.pk}/notes/",
                                                  {"text": "请加快进度", "unit": units["P2"].pk})
    assert any("不在您的管理范围内" in m for m in _messages(response))
    assert not SupervisionNote.objects.exists()


def test_note_to_a_managed_unit_still_works(people, units, client_for, task_a):
    client_for(people["office"]).post(f"/plans/tasks/{task_a.pk}/notes/", {"text": "请加快进度", "unit": units["D1"].pk})
    assert SupervisionNote.objects.get().unit == units["D1"]


@pytest.fixture
def indicator(units):
    from fazhi.assessment.models import Campaign, Indicator

    campaign = Campaign.objects.create(owner=units["P"], year=2020, name="2020年度考核")
    return Indicator.objects.create(campaign=campaign, code="3.1", title="推进法治政府建设", points=10)


@pytest.mark.parametrize("bad", ["²", "9" * 40, "abc", "999999", "\x00"])
def test_indicator_links_are_all_or_nothing(people, client_for, task_a, indicator, bad):
    office = people["office"]
    services.task_link_indicators(user=office, task=task_a, indicators=[indicator])
    response = client_for(office).post(f"/plans/tasks/{task_a.pk}/indicators/", {"indicators": [indicator.pk, bad]})
    assert response.status_code == 302
    assert any("关联考核指标未保存" in m for m in _messages(response))
    assert list(task_a.indicators.all()) == [indicator]  # unchanged, not reduced to the one valid id


def test_indicator_of_another_jurisdiction_is_refused(people, units, client_for, task_a, indicator):
    from fazhi.assessment.models import Campaign, Indicator

    other = Indicator.objects.create(campaign=Campaign.objects.create(owner=units["P2"], year=2020, name="另一省"),
                                     code="1", title="外省指标", points=5)
    response = client_for(people["office"]).post(f"/plans/tasks/{task_a.pk}/indicators/", {"indicators": [other.pk]})
    assert any("关联考核指标未保存" in m for m in _messages(response))
    assert not task_a.indicators.exists()


def test_indicator_links_can_still_be_cleared(people, client_for, task_a, indicator):
    services.task_link_indicators(user=people["office"], task=task_a, indicators=[indicator])
    client_for(people["office"]).post(f"/plans/tasks/{task_a.pk}/indicators/", {})
    assert not task_a.indicators.exists()


@pytest.fixture
def ready_job(people):
    job = services.import_job_create(user=people["office"], upload=upload("003.txt", seed_bytes("003")))
    job = services.import_job_run(job_id=job.pk)
    assert job.status == ImportStatus.READY
    return job


@pytest.mark.parametrize("action", ["save", "confirm"])
@pytest.mark.parametrize("field", ["title_0", "plan_title", "deadline_1", "level_0", "lead_0"])
def test_import_preview_with_a_nul_byte_saves_nothing(people, client_for, ready_job, action, field):
    before = (ready_job.title, ready_job.preview)
    response = client_for(people["office"]).post(f"/plans/import/{ready_job.pk}/", {
        "action": action, "plan_title": "计划", "title_0": "第一章", "level_0": "1", "include_0": "on",
        field: "a\x00b",
    })
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    ready_job.refresh_from_db()
    assert (ready_job.title, ready_job.preview) == before
    assert ready_job.status == ImportStatus.READY and ready_job.plan is None


@pytest.mark.parametrize(("field", "value", "message"), [
    ("level_0", "abc", "层级应为"), ("level_0", "9" * 40, "层级应为"), ("deadline_0", "2025-13-45", "不是有效日期"),
    ("lead_0", "abc", "不在您的管理范围内"), ("title_0", "x" * 301, "不能超过 300 字"),
])
def test_import_confirm_with_bad_rows_creates_no_plan(people, client_for, ready_job, field, value, message):
    from fazhi.plans.models import Plan

    response = client_for(people["office"]).post(f"/plans/import/{ready_job.pk}/", {
        "action": "confirm", "plan_title": "计划", "title_0": "第一章", "level_0": "1", "include_0": "on", field: value,
    })
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Plan.objects.filter(title="计划").exists()
    assert ImportJob.objects.get(pk=ready_job.pk).status == ImportStatus.READY
