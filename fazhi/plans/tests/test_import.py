"""Importing a plan or annual arrangement: seeds 003 and 001, bad input, all-or-nothing confirm."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fazhi.plans import services
from fazhi.plans.models import ImportJob, ImportStatus, Plan, Task

from .conftest import import_seed, seed_bytes, upload

pytestmark = pytest.mark.django_db


def test_seed_003_gives_10_chapters_and_44_tasks_in_order_with_deadlines(people, units):
    plan = import_seed(people["office"], "003")
    assert plan.title == "河南省2020年度法治政府建设工作安排"
    assert plan.year == 2020
    assert plan.owner == units["P"]
    chapters = list(plan.tasks.filter(parent__isnull=True).order_by("sort"))
    tasks = list(plan.tasks.filter(parent__isnull=False).order_by("sort"))
    assert len(chapters) == 10 and len(tasks) == 44
    assert [c.title for c in chapters][:2] == ["依法全面履行政府职能", "加强政府立法及行政规范性文件管理"]
    assert [t.ordinal for t in tasks] == list(range(1, 45))
    assert tasks[0].label == "（一）" and tasks[0].title == "为推动经济高质量发展提供法治保障"
    assert tasks[43].parent == chapters[9]
    by_ordinal = {t.ordinal: t for t in tasks}
    assert by_ordinal[42].deadline == datetime.date(2020, 7, 31)
    assert "7月底前" in by_ordinal[42].deadline_rule
    assert by_ordinal[6].deadline == datetime.date(2020, 12, 31)
    assert "每季度" in by_ordinal[37].deadline_rule and by_ordinal[37].deadline is None
    assert plan.source_file.name


def test_seed_001_plan_is_imported_without_the_appended_assessment_scheme(people):
    office = people["office"]
    job = services.import_job_create(user=office, upload=upload("001.txt", seed_bytes("001")))
    job = services.import_job_run(job_id=job.pk)
    assert job.status == ImportStatus.READY
    assert job.year == 2021
    assert "实施方案" in job.title
    assert any("考核方案" in note for note in job.preview["notes"])
    plan = services.import_job_confirm(user=office, job=job, rows=job.preview["rows"])
    assert plan.tasks.filter(level=1).count() == 10
    assert plan.tasks.filter(level=2).count() == 38
    five = plan.tasks.get(level=2, ordinal=5)
    assert five.title == "深入推进“放管服”改革"
    assert five.deadline == datetime.date(2021, 12, 31)


def test_document_without_numbering_gives_a_message_and_creates_nothing(people):
    office = people["office"]
    plans, tasks = Plan.objects.count(), Task.objects.count()
    text = "关于做好法治政府建设工作的通知\n请各单位认真做好有关工作，按时报送材料。\n特此通知。\n".encode()
    job = services.import_job_create(user=office, upload=upload("notice.txt", text), year=2020)
    job = services.import_job_run(job_id=job.pk)
    assert job.status == ImportStatus.FAILED and job.no_outline
    assert "编号结构" in job.error
    assert (Plan.objects.count(), Task.objects.count()) == (plans, tasks)


def test_no_numbering_page_links_to_building_the_tree_by_hand(people, client_for):
    client = client_for(people["office"])
    text = "请各单位认真做好有关工作。\n".encode()
    response = client.post(reverse("plans:import_start"), {"file": upload("a.txt", text), "kind": "annual"})
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "未能在文档中识别出编号结构" in body
    assert reverse("plans:plan_create") in body
    assert Plan.objects.count() == 0


def test_binary_and_empty_documents_are_refused_with_a_clear_message(people):
    office = people["office"]
    job = services.import_job_create(user=office, upload=upload("x.bin", b"\x00\x01\x02binary\x00" * 50), year=2020)
    job = services.import_job_run(job_id=job.pk)
    assert job.status == ImportStatus.FAILED and not job.no_outline
    assert "不支持" in job.error
    with pytest.raises(ValidationError):
        services.import_job_create(user=office, upload=upload("empty.txt", b""), year=2020)
    job = services.import_job_create(user=office, upload=upload("blank.txt", b"   \n  \n"), year=2020)
    assert services.import_job_run(job_id=job.pk).error.startswith("文档为空")
    assert Plan.objects.count() == 0


def test_oversized_upload_is_refused(people, settings):
    settings.FAZHI_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError, match="文件过大"):
        services.import_job_create(user=people["office"], upload=upload("big.txt", b"x" * 101), year=2020)


def _ready_job(office) -> ImportJob:
    job = services.import_job_create(user=office, upload=upload("003.txt", seed_bytes("003")))
    return services.import_job_run(job_id=job.pk)


def test_confirm_is_all_or_nothing_when_rows_are_invalid(people):
    office = people["office"]
    job = _ready_job(office)
    rows = [dict(r) for r in job.preview["rows"]]
    rows[5]["title"] = ""
    rows[0]["include"] = False  # the first chapter deleted: its tasks now jump from level 0 to 2
    rows[8]["deadline"] = "2020-02-30"
    with pytest.raises(services.PreviewInvalid) as info:
        services.import_job_confirm(user=office, job=job, rows=rows)
    messages = str(info.value)
    assert "标题不能为空" in messages and "跳级" in messages and "不是有效日期" in messages
    assert Plan.objects.count() == 0 and Task.objects.count() == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.READY


def test_confirm_rolls_back_when_a_write_fails_half_way(people):
    office = people["office"]
    job = _ready_job(office)
    real_save = Task.save
    calls = {"n": 0}

    def failing_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 30:
            raise RuntimeError("disk full")
        return real_save(self, *args, **kwargs)

    with mock.patch.object(Task, "save", failing_save), pytest.raises(RuntimeError):
        services.import_job_confirm(user=office, job=job, rows=job.preview["rows"])
    assert Plan.objects.count() == 0 and Task.objects.count() == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.READY and job.plan is None


def test_office_edits_the_preview_before_saving(people, units, client_for):
    office = people["office"]
    client = client_for(office)
    response = client.post(reverse("plans:import_start"),
                           {"file": upload("003.txt", seed_bytes("003")), "kind": "annual", "title": ""})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("plans:import_job", args=[job.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200 and "title_53" in page.content.decode()
    form = {"plan_title": "2020年度工作安排（修订）", "action": "confirm"}
    for index, row in enumerate(job.preview["rows"]):
        form.update({f"title_{index}": row["title"], f"level_{index}": row["level"],
                     f"deadline_{index}": row["deadline"], f"rule_{index}": row["deadline_rule"]})
        if index != 2:  # row 2 (task （二）) deleted
            form[f"include_{index}"] = "on"
    form["title_1"] = "改过的标题"
    form["deadline_1"] = "2020-06-30"
    form["lead_1"] = str(units["D1"].pk)
    response = client.post(reverse("plans:import_job", args=[job.pk]), form)
    plan = Plan.objects.get()
    assert response["Location"] == reverse("plans:plan_detail", args=[plan.pk])
    assert plan.title == "2020年度工作安排（修订）"
    assert plan.tasks.count() == 53
    first = plan.tasks.get(sort=2)
    assert (first.title, first.deadline, first.lead_unit) == ("改过的标题", datetime.date(2020, 6, 30), units["D1"])
    assert not plan.tasks.filter(title="全面提高依法防控依法治理能力").exists()
    # a confirmed job cannot be confirmed twice
    assert client.post(reverse("plans:import_job", args=[job.pk]), form).status_code == 302
    assert Plan.objects.count() == 1


def test_preview_with_errors_is_shown_again_with_the_edits_kept(people, client_for):
    client = client_for(people["office"])
    client.post(reverse("plans:import_start"), {"file": upload("003.txt", seed_bytes("003")), "kind": "annual"})
    job = ImportJob.objects.get()
    form = {"plan_title": "x", "action": "confirm"}
    for index, row in enumerate(job.preview["rows"]):
        form.update({f"title_{index}": row["title"], f"level_{index}": row["level"], f"include_{index}": "on"})
    form["title_3"] = ""
    response = client.post(reverse("plans:import_job", args=[job.pk]), form)
    assert response.status_code == 400
    assert "第4行：标题不能为空" in response.content.decode()
    assert Plan.objects.count() == 0


def test_progress_fragment_polls_while_running_and_refreshes_when_done(people, client_for):
    office = people["office"]
    job = services.import_job_create(user=office, upload=upload("003.txt", seed_bytes("003")), year=2020)
    client = client_for(office)
    page = client.get(reverse("plans:import_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'role="progressbar"' in page
    fragment = client.get(reverse("plans:import_progress", args=[job.pk]))
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    services.import_job_run(job_id=job.pk)
    done = client.get(reverse("plans:import_progress", args=[job.pk]))
    assert done["HX-Refresh"] == "true"


def test_progress_is_saved_in_steps(people):
    job = services.import_job_create(user=people["office"], upload=upload("003.txt", seed_bytes("003")), year=2020)
    seen = []
    real_update = ImportJob.objects.filter(pk=job.pk).update

    with mock.patch("fazhi.plans.services.ImportJob.objects.filter") as filt:
        filt.return_value.update.side_effect = lambda **kw: seen.append(kw.get("progress")) or real_update(**kw)
        filt.side_effect = None
        services.import_job_run(job_id=job.pk)
    assert seen == sorted(seen) and len(seen) >= 4 and seen[-1] < 100
