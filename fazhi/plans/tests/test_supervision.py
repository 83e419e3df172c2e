"""Milestones, overdue by node, progress with evidence, supervision notes and reminders, dashboards, exports."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.plans import selectors, services
from fazhi.plans.models import Milestone, Reminder, TaskStatus

pytestmark = pytest.mark.django_db

D = datetime.date


def _tasks(plan):
    return plan.tasks.get(title="任务A"), plan.tasks.get(title="任务B")


def test_overdue_by_node(small_plan, people):
    office = people["office"]
    a, b = _tasks(small_plan)
    late = services.milestone_create(user=office, task=a, title="起草", due=D(2020, 5, 31))
    due_today = services.milestone_create(user=office, task=a, title="审议", due=D(2020, 6, 15))
    done = services.milestone_create(user=office, task=a, title="印发", due=D(2020, 4, 30))
    services.milestone_set_done(user=office, milestone=done)
    on = D(2020, 6, 15)
    assert late.is_overdue(on) and not due_today.is_overdue(on)
    assert not Milestone.objects.get(pk=done.pk).is_overdue(on)
    items = selectors.overdue_items(small_plan, on=on)
    assert [(i["task"].title, [m.title for m in i["nodes"]], i["days"]) for i in items] == [("任务A", ["起草"], 15)]
    # a task without nodes is judged by its own deadline
    services.task_update(user=office, task=b, deadline=D(2020, 3, 31))
    items = selectors.overdue_items(small_plan, on=on)
    assert [i["task"].title for i in items] == ["任务B", "任务A"]
    assert selectors.dashboard(small_plan, on=on)["totals"]["overdue"] == 2


def test_report_progress_with_evidence_marks_node_and_task(small_plan, people, make_user, units):
    office = people["office"]
    a, _b = _tasks(small_plan)
    node = services.milestone_create(user=office, task=a, title="起草", due=D(2020, 5, 31))
    lead = make_user("d1_assessed", "assessed", units["D1"])
    pdf = SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    report = services.progress_report_create(user=lead, task=a, status=TaskStatus.DONE, text="已完成起草",
                                             milestone=node, files=[pdf])
    a.refresh_from_db()
    node.refresh_from_db()
    assert a.status == TaskStatus.DONE and node.done_at is not None
    assert report.evidence.get().name == "会议纪要.pdf"
    # a cooperating unit's report does not change the task's status
    coop = people["assessed"]
    services.progress_report_create(user=coop, task=a, status=TaskStatus.LAGGING, text="配合工作滞后")
    a.refresh_from_db()
    assert a.status == TaskStatus.DONE


def test_evidence_type_and_size_are_checked(small_plan, people, settings):
    a, _b = _tasks(small_plan)
    coop = people["assessed"]
    exe = SimpleUploadedFile("run.exe", b"MZ....")
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        services.progress_report_create(user=coop, task=a, status="in_progress", text="x", files=[exe])
    fake = SimpleUploadedFile("scan.pdf", b"not a pdf")
    with pytest.raises(ValidationError, match="不符"):
        services.progress_report_create(user=coop, task=a, status="in_progress", text="x", files=[fake])
    settings.FAZHI_MAX_UPLOAD_BYTES = 10
    big = SimpleUploadedFile("big.txt", b"x" * 11)
    with pytest.raises(ValidationError, match="文件过大"):
        services.progress_report_create(user=coop, task=a, status="in_progress", text="x", files=[big])
    assert not a.reports.exists()


def test_report_view_uploads_evidence_and_the_office_downloads_it(small_plan, people, client_for):
    a, _b = _tasks(small_plan)
    client = client_for(people["assessed"])
    response = client.post(reverse("plans:report_add", args=[a.pk]), {
        "status": "in_progress", "text": "正在推进", "files": [SimpleUploadedFile("说明.txt", "材料".encode())]})
    assert response.status_code == 302
    evidence = a.reports.get().evidence.get()
    download = client_for(people["office"]).get(reverse("plans:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == "材料".encode()
    assert client_for(people["assessed_c2"]).get(
        reverse("plans:evidence_download", args=[evidence.pk])).status_code == 404


def test_supervision_notes_and_reminders(small_plan, people, units, client_for):
    office = people["office"]
    a, _b = _tasks(small_plan)
    client = client_for(office)
    client.post(reverse("plans:note_add", args=[a.pk]), {"text": "请加快进度", "unit": units["C1"].pk})
    client.post(reverse("plans:reminder_add", args=[a.pk]), {"unit": units["C1"].pk, "message": "请于本周报送"})
    assert a.notes.get().text == "请加快进度"
    reminder = Reminder.objects.get()
    page = client_for(people["assessed"]).get(reverse("plans:my_tasks")).content.decode()
    assert "请于本周报送" in page and "任务A" in page
    client_for(people["assessed"]).post(reverse("plans:reminder_read", args=[reminder.pk]))
    reminder.refresh_from_db()
    assert reminder.read_at is not None


def test_one_click_reminders_for_overdue_nodes(small_plan, people):
    office = people["office"]
    a, _b = _tasks(small_plan)
    services.milestone_create(user=office, task=a, title="起草", due=timezone.localdate() - datetime.timedelta(days=3))
    assert services.reminders_for_overdue(user=office, plan=small_plan).sent == 1
    assert Reminder.objects.get().unit == a.lead_unit


def test_dashboard_json(small_plan, people, units, client_for, make_user):
    a, b = _tasks(small_plan)
    units["C1"].region = "郑州市"
    units["C1"].save()
    services.progress_report_create(user=people["assessed"], task=a, status=TaskStatus.DONE, text="完成")
    services.progress_report_create(user=people["assessed_c2"], task=b, status=TaskStatus.IN_PROGRESS, text="推进")
    response = client_for(people["office"]).get(reverse("plans:dashboard_data", args=[small_plan.pk]))
    data = response.json()
    assert data["totals"]["tasks"] == 2
    by_unit = {r["unit"]: r for r in data["by_unit"]}
    assert by_unit["郑州市人民政府"]["rate"] == 100.0 and by_unit["开封市人民政府"]["rate"] == 0.0
    assert by_unit["省司法厅"]["total"] == 1
    assert data["map"] == [{"name": "郑州市", "value": 100.0, "done": 1, "total": 1}]
    assert data["by_chapter"][0]["chapter"] == "第一章" and data["by_chapter"][0]["total"] == 2
    assert data["timeline"][0]["date"] == "2020-07-31"
    page = client_for(people["office"]).get(reverse("plans:dashboard", args=[small_plan.pk])).content.decode()
    assert "vendor/echarts.min.js" in page and "vendor/henan.json" in page and 'id="chart-map"' in page


def _campaign_with_results(owner, units, *, year, status, totals):
    from decimal import Decimal

    from fazhi.assessment.models import Campaign, Result

    campaign = Campaign.objects.create(owner=owner, year=year, name=f"{year}年度考核", status=status)
    for code, (total, grade) in totals.items():
        Result.objects.create(campaign=campaign, unit=units[code], category=units[code].category or 4,
                              applicable_points=Decimal(100), earned=Decimal(total), base=Decimal(total),
                              bonus=Decimal(0), deduction=Decimal(0), total=Decimal(total), grade=grade,
                              computed_at=timezone.now())
    return campaign


def test_dashboard_json_score_map_only_from_published_campaign(small_plan, people, units, client_for):
    from fazhi.assessment.models import CampaignStatus

    for code, region in (("C1", "郑州市"), ("C2", "开封市"), ("D1", "省直")):
        units[code].region = region
        units[code].save()
    url = reverse("plans:dashboard_data", args=[small_plan.pk])
    client = client_for(people["office"])
    assert "score_map" not in client.get(url).json()  # no campaign at all

    # Only an unpublished campaign: its scores are never served, not even the fact that they exist.
    _campaign_with_results(small_plan.owner, units, year=2020, status=CampaignStatus.APPROVED,
                           totals={"C1": ("77.70", "合格"), "C2": ("66.60", "合格")})
    data = client.get(url).json()
    assert "score_map" not in data
    assert "77.70" not in str(data) and "66.60" not in str(data)

    # A published earlier campaign: its category-1 cities (with a region) are served; the newer
    # unpublished one still is not, and category-4 units are left out.
    published = _campaign_with_results(small_plan.owner, units, year=2019, status=CampaignStatus.PUBLISHED,
                                       totals={"C1": ("91.50", "优秀"), "C2": ("82.25", "良好"), "D1": ("95.00", "优秀")})
    data = client.get(url).json()
    assert data["score_map"]["campaign"] == {"id": published.pk, "name": "2019年度考核", "year": 2019}
    assert data["score_map"]["regions"] == [
        {"name": "郑州市", "value": "91.50", "grade": "优秀", "unit": "郑州市人民政府"},
        {"name": "开封市", "value": "82.25", "grade": "良好", "unit": "开封市人民政府"},
    ]
    assert "77.70" not in str(data) and "95.00" not in str(data)
    page = client.get(reverse("plans:dashboard", args=[small_plan.pk])).content.decode()
    assert 'id="map-modes"' in page and 'data-mode="score"' in page


@pytest.mark.parametrize("what,header", [("tasks", "标题 *"), ("progress", "任务 *"), ("overdue", "任务 *")])
def test_excel_exports_open_in_openpyxl(small_plan, people, client_for, what, header):
    a, _b = _tasks(small_plan)
    services.progress_report_create(user=people["assessed"], task=a, status="in_progress", text="推进中")
    response = client_for(people["office"]).get(reverse("plans:export", args=[small_plan.pk, what]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert header in rows[0]
    if what == "tasks":
        assert [r[2] for r in rows[1:]] == ["第一章", "任务A", "任务B"]
        assert rows[2][4] == "郑州市人民政府"
    if what == "progress":
        assert rows[1][3] == "推进中" or rows[1][4] == "推进中"
    if what == "overdue":
        assert rows[1][0] == "任务A"  # deadline 2020-07-31 has passed
