from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.assessment import services as assessment_services
from fazhi.assessment.models import CampaignStatus, Score, ScoreStatus
from fazhi.audit.models import AuditEvent
from fazhi.reviews.models import Notice
from fazhi.selfreport import selectors, services
from fazhi.selfreport.models import ReportStatus, SelfReport
from fazhi.testing.lifecycle import activate_plan, submit_scores

from .conftest import pdf


def test_publish_opens_a_report_per_applicable_unit_with_a_working_day_deadline(requirement, units):
    reports = SelfReport.objects.filter(requirement=requirement)
    assert sorted(reports.values_list("unit__code", flat=True)) == ["C1", "C2"]
    assert set(reports.values_list("status", flat=True)) == {ReportStatus.PENDING}
    # Mon 2025-09-29 + 5 working days: 09-30, then the 10-01…10-08 holiday, 10-09, 10-10, Sat 10-11 (调休), 10-13
    assert requirement.deadline == dt.date(2025, 10, 13)
    assert Notice.objects.filter(user__unit=units["C1"], text__contains="2025-10-13").exists()


def test_publish_again_opens_reports_only_for_new_units(requirement, people, units, campaign):
    assert services.requirement_publish(user=people["office"], requirement=requirement) == 0
    assert requirement.reports.count() == 2


def test_material_list_is_validated(campaign, people):
    indicator = campaign.indicators.get(code="A2")
    with pytest.raises(ValidationError, match="重复"):
        services.requirement_save(user=people["office"], indicator=indicator, items=["计划", "计划"])
    with pytest.raises(ValidationError, match="1–60"):
        services.requirement_save(user=people["office"], indicator=indicator, items=["计划"], working_days=0)
    requirement = services.requirement_save(user=people["office"], indicator=indicator, items=[])
    with pytest.raises(ValidationError, match="列出需要提供的材料"):
        services.requirement_publish(user=people["office"], requirement=requirement)


def test_only_the_office_of_the_campaign_sets_requirements(campaign, people):
    indicator = campaign.indicators.get(code="A2")
    for who in ("other_office", "assessing", "assessed", "city_office"):
        with pytest.raises(PermissionDenied):
            services.requirement_save(user=people[who], indicator=indicator, items=["计划"])


def test_submit_refused_until_the_account_and_every_required_item_are_there(report, people):
    user = people["assessed"]
    with pytest.raises(ValidationError) as info:
        services.report_submit(user=user, report=report)
    assert "请填写自评说明" in info.value.messages[0]
    assert "年度学法计划" in info.value.messages[1] and "学法记录" in info.value.messages[1]
    assert "培训照片" not in info.value.messages[1]  # optional
    plan = report.requirement.items.get(title="年度学法计划")
    services.attachment_add(user=user, report=report, item=plan, upload=pdf())
    services.report_save(user=user, report=report, account="已制定计划")
    with pytest.raises(ValidationError, match="缺少材料：学法记录"):
        services.report_submit(user=user, report=report)
    services.attachment_add(user=user, report=report, item=report.requirement.items.get(title="学法记录"),
                            upload=pdf("记录.pdf"))
    report = services.report_submit(user=user, report=report)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == user
    with pytest.raises(ValidationError, match="已提交"):
        services.attachment_add(user=user, report=report, upload=pdf("迟到.pdf"))


def test_upload_goes_through_the_platform_file_checks(report, people):
    fake = SimpleUploadedFile("计划.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    with pytest.raises(ValidationError, match=r"计划\.pdf.*不是有效的 PDF"):
        services.attachment_add(user=people["assessed"], report=report, upload=fake)
    with pytest.raises(ValidationError, match="不支持的文件类型"):
        services.attachment_add(user=people["assessed"], report=report,
                                upload=SimpleUploadedFile("a.exe", b"MZ\x90\x00"))
    assert not report.attachments.exists()


def test_another_unit_cannot_write_the_report(report, people):
    for who in ("assessed_c2", "assessing", "office"):
        with pytest.raises(PermissionDenied):
            services.report_save(user=people[who], report=report, account="冒名")
        with pytest.raises(PermissionDenied):
            services.attachment_add(user=people[who], report=report, upload=pdf())


def test_task_evidence_links_only_the_units_own_files(report, people, units):
    from fazhi.plans import services as plans

    plan = plans.plan_create(user=people["office"], title="计划", year=2025)
    task = plans.task_create(user=people["office"], plan=plan, title="学法")
    plans.task_assign(user=people["office"], task=task, lead_unit=units["C1"], cooperating_units=[units["C2"]])
    plans.task_link_indicators(user=people["office"], task=task, indicators=[report.indicator])
    activate_plan(user=people["office"], plan=plan)
    mine = plans.progress_report_create(user=people["assessed"], task=task, status="in_progress", text="已启动",
                                        files=[pdf("进展.pdf")])
    theirs = plans.progress_report_create(user=people["assessed_c2"], task=task, status="in_progress",
                                          text="已启动", files=[pdf("开封.pdf")])
    own = mine.evidence.get()
    assert list(services.linkable_evidence(report)) == [own]
    services.report_save(user=people["assessed"], report=report, account="见任务进展", task_evidence=[own.pk])
    assert list(report.task_evidence.all()) == [own]
    with pytest.raises(ValidationError, match="只能关联本单位"):
        services.report_save(user=people["assessed"], report=report, account="x",
                             task_evidence=[theirs.evidence.get().pk])


def test_return_for_more_material_then_resubmit(submitted, people):
    assessor = people["assessing"]
    records = submitted.requirement.items.get(title="学法记录")
    with pytest.raises(ValidationError, match="请说明需要补充什么材料"):
        services.report_return(user=assessor, report=submitted, reason="  ")
    for who in ("assessed", "assessed_c2", "office", "expert"):
        with pytest.raises(PermissionDenied):
            services.report_return(user=people[who], report=submitted, reason="补充")
    report = services.report_return(user=assessor, report=submitted, reason="学法记录只有一季度", items=[records])
    assert report.status == ReportStatus.RETURNED and report.return_count == 1
    assert Notice.objects.filter(user=people["assessed"], text__contains="学法记录只有一季度").exists()
    with pytest.raises(ValidationError, match="只有已提交"):
        services.report_return(user=assessor, report=report, reason="再退")
    user = people["assessed"]
    # the requested item already had a file, but one uploaded since the return is required
    with pytest.raises(ValidationError, match="缺少材料：学法记录"):
        services.report_submit(user=user, report=report)
    services.attachment_add(user=user, report=report, item=records, upload=pdf("全年学法记录.pdf"))
    report = services.report_submit(user=user, report=report)
    assert report.status == ReportStatus.SUBMITTED and not report.requested_items.exists()


def test_material_is_fixed_once_the_score_is_submitted(submitted, people, campaign):
    assessor = people["assessing"]
    assessment_services.score_save(user=assessor, campaign=campaign, indicator=submitted.indicator,
                                   unit=submitted.unit, value="40")
    services.report_return(user=assessor, report=submitted, reason="补充照片")
    submit_scores(user=assessor, campaign=campaign)
    assert Score.objects.get(indicator=submitted.indicator, unit=submitted.unit).status == ScoreStatus.SUBMITTED
    with pytest.raises(ValidationError, match="评分已提交"):
        services.attachment_add(user=people["assessed"], report=submitted, upload=pdf("照片.pdf"))
    with pytest.raises(ValidationError, match="评分已提交"):
        services.report_save(user=people["assessed"], report=submitted, account="改")


def test_material_is_fixed_once_the_campaign_is_computed(report, people, campaign):
    campaign.status = CampaignStatus.COMPUTED
    campaign.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="已计算"):
        services.attachment_add(user=people["assessed"], report=report, upload=pdf())
    with pytest.raises(ValidationError, match="已计算"):
        services.requirement_save(user=people["office"], indicator=report.indicator, items=["x"])


def test_progress_aggregates_by_unit_and_by_indicator(submitted, requirement, people, units):
    rows = {r["unit__code"]: r for r in selectors.progress_by_unit(submitted.campaign)}
    assert rows["C1"]["submitted"] == 1 and rows["C1"]["missing"] == 0
    assert rows["C2"]["pending"] == 1 and rows["C2"]["missing"] == 1  # nothing uploaded yet
    by_indicator = list(selectors.progress_by_indicator(submitted.campaign))
    assert [(r["indicator__code"], r["total"], r["submitted"], r["missing"]) for r in by_indicator] == [
        ("A1", 2, 1, 1)]
    assert next(iter(selectors.progress_by_unit(submitted.campaign, "-missing")))["unit__code"] == "C2"
    assert selectors.totals(submitted.campaign) == {"total": 2, "submitted": 1, "returned": 0, "draft": 0,
                                                    "pending": 1, "missing": 1}


def test_every_write_is_audited(submitted, people):
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"selfreport.requirement_save", "selfreport.requirement_publish", "selfreport.attachment_add",
            "selfreport.report_save", "selfreport.report_submit"} <= actions


def test_reminders_before_the_deadline_once_a_day(requirement, people, units, mailoutbox,
                                                  django_capture_on_commit_callbacks):
    people["assessed"].email = "c1@example.org"
    people["assessed"].save()
    # 2025-10-10: deadline 10-13 is 2 working days away (10-11 is a make-up working day)
    with django_capture_on_commit_callbacks(execute=True):
        from fazhi.selfreport.tasks import send_deadline_reminders

        assert send_deadline_reminders.delay("2025-10-10").get() == 2  # C1 and C2
    assert len(mailoutbox) == 1 and "自评" in mailoutbox[0].subject
    assert Notice.objects.filter(user=people["assessed"], text__contains="2025-10-13").count() == 2  # publish+remind
    assert services.reminders_send(today=dt.date(2025, 10, 10)) == 0  # once a day
    assert services.reminders_send(today=dt.date(2025, 9, 30)) == 0  # too early: 4 working days left


def test_no_reminder_for_submitted_reports(submitted):
    assert services.reminders_send(today=dt.date(2025, 10, 10)) == 1  # only C2
