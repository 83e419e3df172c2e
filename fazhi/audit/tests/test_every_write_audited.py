"""Every write audited (STYLE "Every write audited, side effects after commit"; issue 14 §5).

Services are found by introspection: every public function of every module of every domain app that is
decorated ``@transaction.atomic``. Each must have a case below that runs it for real and finds the audit row it
wrote (same transaction, so a row found means the write was audited). A new service without a case fails
``test_every_atomic_service_has_a_case``; a case whose service wrote no audit row fails its run.

``STATIC_ONLY``: the services of assessment and reviews (whose campaign lifecycle is being rewritten in parallel)
and the document issue of the documents app are checked from their source — they must call the audit function in their own body — until their cases are
written; the list may only shrink.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import importlib.util
import inspect
import io
import pkgutil
import textwrap
import zipfile

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.audit.models import AuditEvent
from fazhi.testing.lifecycle import activate_plan, take

#: the seeds are other governments' reports submitted here as test data: confirmed with this reason
SEED_ELSEWHERE = "示例报告：原文来自其他单位"

APPS = sorted(config.name.removeprefix("fazhi.") for config in django_apps.get_app_configs()
              if config.name.startswith("fazhi."))
SKIP_PACKAGES = {"tests", "migrations", "management", "templatetags"}
AUDIT_CALLS = {"record_event", "_audit", "record_security_event", "record_download", "checkpoint_event"}


def discover() -> dict[str, object]:
    found = {}
    for app in APPS:
        package = importlib.import_module(f"fazhi.{app}")
        for info in pkgutil.iter_modules(package.__path__):
            if info.name in SKIP_PACKAGES or info.name == "demo":
                continue
            module = importlib.import_module(f"fazhi.{app}.{info.name}")
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if name.startswith("_") or function.__module__ != module.__name__:
                    continue
                head = inspect.getsource(function).split("def ", 1)[0]
                if "transaction.atomic" in head:
                    found[f"{app}.{info.name}.{name}"] = function
    return found


SERVICES = discover()

STATIC_ONLY = {
    "assessment.services.campaign_create", "assessment.services.campaign_update_settings",
    "assessment.services.campaign_publish_scores_set",  # its audit row is checked in test_disclosure_matrix
    "assessment.services.campaign_copy_tree",
    "assessment.services.indicator_override_set", "assessment.services.indicator_override_delete",
    "assessment.services.campaign_unit_add", "assessment.services.campaign_unit_remove",
    "assessment.services.indicator_import", "assessment.services.score_save", "assessment.services.scores_submit",
    "assessment.services.score_reopen", "assessment.services.evidence_add",
    "assessment.services.score_batch_import", "assessment.services.adjustment_create",
    "assessment.services.adjustment_delete",
    # the 应评价清单 and the missing-evaluation rule (their audit rows are checked in assessment/tests/test_expected)
    "assessment.services.expected_add", "assessment.services.expected_remove",
    "assessment.services.expected_fill_defaults", "assessment.services.expected_import",
    "assessment.services.campaign_missing_rule_set",
    "reviews.services.calendar_override_save", "reviews.services.calendar_override_delete",
    "reviews.services.calendar_year_declare", "reviews.services.feedback_send", "reviews.services.feedback_accept",
    "reviews.services.review_request", "reviews.services.review_decide", "reviews.services.rectification_create",
    "reviews.services.rectification_report", "reviews.services.rectification_signoff",
    "reviews.letters.template_upload",
    # official documents (the documents app, built in parallel): issue and versions need a whole campaign
    "documents.services.document_issue", "documents.services.document_regenerate", "documents.services.pdf_retry",
}

DOC = "2026年工作安排\n一、总体要求\n（一）加强领导。6月底前完成。\n二、重点任务\n（一）推进立法。\n".encode()
REPORT = "{name}2023年法治政府建设情况报告\n一、主要举措\n推进依法行政。\n二、存在问题\n三、下一步安排\n"


class World:
    """What the cases act on, made through the services themselves."""

    def __init__(self, people, units):
        from fazhi.plans import services as plans

        self.people, self.units = people, units
        self.office = people["office"]
        self.plan = plans.plan_create(user=self.office, title="审计测试计划", year=2026)
        self.task = plans.task_create(user=self.office, plan=self.plan, title="任务A")
        plans.task_assign(user=self.office, task=self.task, lead_unit=units["C1"])
        self.milestone = plans.milestone_create(user=self.office, task=self.task, title="节点",
                                                due=dt.date(2020, 1, 31))
        activate_plan(user=self.office, plan=self.plan)

    def draft_plan_activated(self):
        from fazhi.plans import services as plans

        plan = plans.plan_create(user=self.office, title="另一计划", year=2026)
        task = plans.task_create(user=self.office, plan=plan, title="任务B")
        plans.task_assign(user=self.office, task=task, lead_unit=self.units["C1"])
        return activate_plan(user=self.office, plan=plan)

    def import_job(self):
        from fazhi.plans import services as plans

        job = plans.import_job_create(user=self.office, upload=SimpleUploadedFile("a.txt", DOC), year=2026)
        return plans.import_job_run(job_id=job.pk)

    def report(self):
        from fazhi.reports import services as reports

        return reports.report_save(provenance_reason=SEED_ELSEWHERE, user=self.people["assessed"], unit=self.units["C1"], year=2023,
                                   text=REPORT.format(name=self.units["C1"].name))

    def bulk_zip(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("c2.txt", REPORT.format(name=self.units["C2"].name))
        return buffer.getvalue()

    def opinion(self):
        from fazhi.portal import services as portal

        return portal.opinion_submit(text="建议公开更多执法信息。", about_unit=self.units["C1"], ip="192.0.2.1")


def _plans():
    from fazhi.plans import services as s
    from fazhi.plans.models import ImportStatus, Reminder

    def stale(w):
        job = w.import_job()
        type(job).objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING,
                                                   updated_at=timezone.now() - dt.timedelta(days=1))
        s.import_jobs_requeue(cutoff=timezone.now() - dt.timedelta(hours=1))
        return "plans.import_job_requeue"

    def confirm(w):
        job = w.import_job()
        s.import_job_confirm(user=w.office, job=job, rows=job.preview["rows"])
        return "plans.import_job_confirm"

    def mark_read(w):
        reminder = s.reminder_create(user=w.office, task=w.task, unit=w.units["C1"], message="请推进")
        s.reminder_mark_read(user=w.people["assessed"], reminder=Reminder.objects.get(pk=reminder.pk))
        return "plans.reminder_mark_read"

    return {
        "plans.services.plan_create": lambda w: (s.plan_create(user=w.office, title="新计划", year=2027),
                                                 "plans.plan_create")[1],
        "plans.services.plan_activate": lambda w: (w.draft_plan_activated(), "plans.plan_activate")[1],
        "plans.services.import_job_create": lambda w: (w.import_job(), "plans.import_job_create")[1],
        "plans.services.import_job_fail": lambda w: (s.import_job_fail(job=w.import_job(), message="队列不可用"),
                                                     "plans.import_job_fail")[1],
        "plans.services.import_jobs_requeue": stale,
        "plans.services.import_job_confirm": confirm,
        "plans.services.import_job_save_preview": lambda w: (s.import_job_save_preview(
            user=w.office, job=(j := w.import_job()), rows=j.preview["rows"], title="改名"),
            "plans.import_job_save_preview")[1],
        "plans.services.task_create": lambda w: (s.task_create(user=w.office, plan=w.plan, title="任务B"),
                                                 "plans.task_create")[1],
        "plans.services.task_update": lambda w: (s.task_update(user=w.office, task=w.task, title="任务A改"),
                                                 "plans.task_update")[1],
        "plans.services.task_delete": lambda w: (s.task_delete(user=w.office, task=w.task), "plans.task_delete")[1],
        "plans.services.task_assign": lambda w: (s.task_assign(user=w.office, task=w.task, lead_unit=w.units["C2"]),
                                                 "plans.task_assign")[1],
        "plans.services.tasks_assign_bulk": lambda w: (s.tasks_assign_bulk(
            user=w.office, plan=w.plan, tasks=w.plan.tasks.all(), lead_unit=w.units["C2"]), "plans.tasks_assign_bulk")[1],
        "plans.services.task_link_indicators": lambda w: (s.task_link_indicators(user=w.office, task=w.task,
                                                                                 indicators=[]),
                                                          "plans.task_link_indicators")[1],
        "plans.services.milestone_create": lambda w: (s.milestone_create(user=w.office, task=w.task, title="节点2",
                                                                         due=dt.date(2026, 6, 30)),
                                                      "plans.milestone_create")[1],
        "plans.services.milestone_set_done": lambda w: (s.milestone_set_done(user=w.office, milestone=w.milestone),
                                                        "plans.milestone_set_done")[1],
        "plans.services.progress_report_create": lambda w: (s.progress_report_create(
            user=w.people["assessed"], task=w.task, status="in_progress", text="已启动"),
            "plans.progress_report_create")[1],
        "plans.services.supervision_note_create": lambda w: (s.supervision_note_create(
            user=w.office, task=w.task, text="加快进度"), "plans.supervision_note_create")[1],
        "plans.services.reminder_create": lambda w: (s.reminder_create(user=w.office, task=w.task,
                                                                       unit=w.units["C1"], message="请推进"),
                                                     "plans.reminder_create")[1],
        "plans.services.reminders_for_overdue": lambda w: (s.reminders_for_overdue(
            user=w.office, plan=w.plan, on=dt.date(2026, 12, 31)), "plans.reminders_for_overdue")[1],
        "plans.services.reminder_mark_read": mark_read,
    }


def _reports():
    from fazhi.reports import bulk
    from fazhi.reports import services as s
    from fazhi.reports.models import BulkImportJob, JobStatus

    def requeue(w):
        job = bulk.bulk_import_create(user=w.office, data=w.bulk_zip(), filename="r.zip", default_year=2023,
                                      accept=False)
        BulkImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING,
                                                       updated_at=timezone.now() - dt.timedelta(days=1))
        bulk.bulk_imports_requeue(cutoff=timezone.now() - dt.timedelta(hours=1))
        return "reports.bulk_import_requeue"

    def fail(w):
        job = bulk.bulk_import_create(user=w.office, data=w.bulk_zip(), filename="r.zip", default_year=2023,
                                      accept=False)
        bulk.bulk_import_fail(job=job, message="队列不可用")
        return "reports.bulk_import_fail"

    return {
        "reports.services.report_settings_set": lambda w: (s.report_settings_set(
            user=w.office, year=2026, deadline=dt.date(2027, 3, 31)), "reports.settings")[1],
        "reports.services.report_save": lambda w: (w.report(), "reports.report_save")[1],
        "reports.services.report_review": lambda w: (s.report_review(user=w.office, report=w.report(),
                                                                     action="accept", text="来源已核实"), "reports.report_review")[1],
        "reports.services.report_set_public": lambda w: (s.report_set_public(user=w.office, report=w.report(),
                                                                             public=True),
                                                         "reports.report_public")[1],
        "reports.bulk.bulk_import_create": lambda w: (bulk.bulk_import_create(
            user=w.office, data=w.bulk_zip(), filename="r.zip", default_year=2023, accept=False),
            "reports.bulk_import_create")[1],
        "reports.bulk.bulk_import_fail": fail,
        "reports.bulk.bulk_imports_requeue": requeue,
    }


def _portal_orgs_audit():
    from fazhi.io.excel import build_workbook
    from fazhi.orgs import services as orgs
    from fazhi.portal import services as portal

    def unit_import(w):
        data = orgs.unit_export(user=w.office)
        rows = [{"code": "C9", "name": "新乡市人民政府", "parent": "P", "level": "市级", "kind": "人民政府",
                 "category": 1}, {"code": "C2", "name": "开封市人民政府", "parent": "C1", "level": "市级",
                                  "kind": "人民政府", "category": 1}]
        assert data
        orgs.unit_import(user=w.people["admin"], data=build_workbook("单位", orgs.unit_columns(), rows))
        assert AuditEvent.objects.filter(action="orgs.unit_move", target_id=str(w.units["C2"].pk)).exists()
        return "orgs.unit_create"

    def profile_save(w):
        from fazhi.documents import services as documents

        documents.profile_save(user=w.office, office=w.office.unit, code="豫法办")
        return "documents.profile_save"

    def scoring_remind(w):
        from decimal import Decimal

        from fazhi.assessment.models import Campaign, CampaignStatus, CampaignUnit, Indicator
        from fazhi.reviews.reminders import scoring_reminders_send

        campaign = Campaign.objects.create(owner=w.units["P"], year=2031, name="催办测试",
                                           status=CampaignStatus.SCORING)
        CampaignUnit.objects.create(campaign=campaign, unit=w.units["C1"], category=1)
        indicator = Indicator.objects.create(campaign=campaign, code="A1", title="指标", points=Decimal(10),
                                             method="daily", categories=[1])
        indicator.assessing_units.add(w.units["D1"])
        scoring_reminders_send(user=w.office, campaign=campaign)
        return "reviews.scoring_reminders_send"

    def evidence_delete(w):
        from decimal import Decimal

        from fazhi.assessment import services as assessment
        from fazhi.assessment.models import Campaign, CampaignStatus, CampaignUnit, Indicator

        campaign = Campaign.objects.create(owner=w.units["P"], year=2032, name="佐证测试",
                                           status=CampaignStatus.SCORING)
        CampaignUnit.objects.create(campaign=campaign, unit=w.units["C1"], category=1)
        indicator = Indicator.objects.create(campaign=campaign, code="A1", title="指标", points=Decimal(10),
                                             method="daily", categories=[1])
        indicator.assessing_units.add(w.units["D1"])
        score = assessment.score_save(user=w.people["assessing"], campaign=campaign, indicator=indicator,
                                      unit=w.units["C1"], value="8", reason="扣分", expected_version=0)
        evidence = assessment.evidence_add(user=w.people["assessing"], score=score,
                                           upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", "application/pdf"))
        assessment.evidence_delete(user=w.people["assessing"], evidence=evidence)
        return "assessment.evidence_delete"

    return {
        "assessment.services.evidence_delete": evidence_delete,
        "reviews.reminders.scoring_reminders_send": scoring_remind,
        "documents.services.profile_save": profile_save,
        "portal.services.opinion_submit": lambda w: (w.opinion(), "portal.opinion_submit")[1],
        "portal.services.opinion_moderate": lambda w: (portal.opinion_moderate(
            user=w.office, opinion=w.opinion(), status="approved"), "portal.opinion_moderate")[1],
        "portal.services.opinion_set_public": lambda w: (portal.opinion_set_public(
            user=w.office, opinion=w.opinion(), public=True), "portal.opinion_set_public")[1],
        "portal.services.opinion_forward": lambda w: (portal.opinion_forward(
            user=w.office, opinion=w.opinion(), unit=w.units["C1"]), "portal.opinion_forward")[1],
        "portal.services.opinion_reply": lambda w: (portal.opinion_reply(
            user=w.office, opinion=w.opinion(), text="已答复"), "portal.opinion_reply")[1],
        "orgs.services.unit_import": unit_import,
    }


def _computed_campaign(w):
    """A computed province campaign (C1, C2 scored on one indicator by D1), through the lifecycle."""
    from decimal import Decimal

    from fazhi.assessment import services as assessment
    from fazhi.assessment.models import Indicator, Score, ScoreStatus

    campaign = assessment.campaign_create(user=w.office, year=2026)
    leaf = Indicator.objects.create(campaign=campaign, code="A1", title="学习宣传", points=Decimal(100),
                                    method="daily", categories=[1, 2, 3, 4, 5, 6, 7])
    leaf.assessing_units.set([w.units["D1"]])
    take(user=w.office, campaign=campaign, action="start_scoring")
    for member in campaign.units.all():
        Score.objects.create(campaign=campaign, indicator=leaf, unit=member.unit, value=Decimal(90), reason="r",
                             status=ScoreStatus.SUBMITTED)
    take(user=w.office, campaign=campaign, action="compute")
    return campaign


def _assessment():
    from fazhi.assessment import services as s

    def recompute(w):
        s.results_recompute(user=w.office, campaign=_computed_campaign(w), reason="复核")
        return "assessment.results_recompute"

    def change(w):
        campaign = _computed_campaign(w)
        s.score_change_on_review(user=w.office, score=campaign.scores.first(), new_value="80", reason="复核")
        return "score.change_on_review"

    def confirm(w):
        from fazhi.audit.confirm import confirmation_issue

        confirmation_issue(user=w.office, action="campaign.publish", target=w.plan, consequences=["将公布"])
        return "confirmation.issue"

    return {"assessment.services.results_recompute": recompute, "assessment.services.score_change_on_review": change,
            "audit.confirm.confirmation_issue": confirm}


def _app_cases():
    """Cases an app keeps beside its own tests: ``fazhi/<app>/tests/audit_cases.py`` with ``CASES`` (name → case)."""
    found = {}
    for app in APPS:
        if importlib.util.find_spec(f"fazhi.{app}.tests") and importlib.util.find_spec(f"fazhi.{app}.tests.audit_cases"):
            found.update(importlib.import_module(f"fazhi.{app}.tests.audit_cases").CASES)
    return found


def _accounts():
    from fazhi.accounts import services as s

    return {
        "accounts.services.token_create": lambda w: (s.token_create(user=w.office, name="脚本", days=30),
                                                     "accounts.token_create")[1],
        "accounts.services.token_revoke": lambda w: (s.token_revoke(
            user=w.office, token=s.token_create(user=w.office, name="脚本", days=30)[0]), "accounts.token_revoke")[1],
        "accounts.services.password_change": lambda w: (s.password_change(
            user=w.office, old_password="pw-Secret-1", new_password="New-Passw0rd-2026"),
            "accounts.password_change")[1],
        "accounts.services.password_reset": lambda w: (s.password_reset(
            user=w.office, person=w.people["assessed"], new_password="Reset-Passw0rd-26"),
            "accounts.password_reset")[1],
    }


def _selfreport():
    from decimal import Decimal

    from fazhi.assessment import services as assessment
    from fazhi.assessment.models import Indicator, Method
    from fazhi.selfreport import services as s
    from fazhi.selfreport.demo import pdf_bytes

    def requirement(w, publish=True):
        campaign = assessment.campaign_create(user=w.office, year=2025)
        indicator = Indicator.objects.create(campaign=campaign, code="S1", title="自评指标", points=Decimal(10),
                                             method=Method.DAILY, categories=[1])
        indicator.assessing_units.set([w.units["D1"]])
        take(user=w.office, campaign=campaign, action="start_scoring")
        item = s.requirement_save(user=w.office, indicator=indicator, items=["计划"], working_days=5)
        if publish:
            s.requirement_publish(user=w.office, requirement=item, on=dt.date(2025, 6, 2))
        return item

    def report(w):
        return requirement(w).reports.get(unit=w.units["C1"])

    def upload():
        return SimpleUploadedFile("计划.pdf", pdf_bytes("audit"))

    def submitted(w):
        r = report(w)
        s.attachment_add(user=w.people["assessed"], report=r, item=r.requirement.items.get(), upload=upload())
        s.report_save(user=w.people["assessed"], report=r, account="说明")
        return s.report_submit(user=w.people["assessed"], report=r)

    def delete(w):
        r = report(w)
        attachment = s.attachment_add(user=w.people["assessed"], report=r, upload=upload())
        s.attachment_delete(user=w.people["assessed"], attachment=attachment)
        return "selfreport.attachment_delete"

    def remind(w):
        requirement(w)
        s.reminders_send(today=dt.date(2025, 6, 6))
        return "selfreport.reminder"

    return {
        "selfreport.services.requirement_save": lambda w: (requirement(w, publish=False),
                                                           "selfreport.requirement_save")[1],
        "selfreport.services.requirement_publish": lambda w: (requirement(w), "selfreport.requirement_publish")[1],
        "selfreport.services.report_save": lambda w: (s.report_save(user=w.people["assessed"], report=report(w),
                                                                    account="说明"), "selfreport.report_save")[1],
        "selfreport.services.attachment_add": lambda w: (s.attachment_add(
            user=w.people["assessed"], report=report(w), upload=upload()), "selfreport.attachment_add")[1],
        "selfreport.services.attachment_delete": delete,
        "selfreport.services.report_submit": lambda w: (submitted(w), "selfreport.report_submit")[1],
        "selfreport.services.report_return": lambda w: (s.report_return(
            user=w.people["assessing"], report=submitted(w), reason="补充"), "selfreport.report_return")[1],
        "selfreport.services.reminders_send": remind,
    }


def _findings():
    from decimal import Decimal

    from fazhi.assessment import services as assessment
    from fazhi.assessment.models import Indicator, Method
    from fazhi.findings import services as s
    from fazhi.io.excel import build_workbook
    from fazhi.selfreport.demo import pdf_bytes

    def campaign(w):
        item = assessment.campaign_create(user=w.office, year=2025)
        leaf = Indicator.objects.create(campaign=item, code="F1", title="督察指标", points=Decimal(10),
                                        method=Method.WEB, categories=[1])
        leaf.assessing_units.set([w.units["D1"]])
        return item

    def finding(w):
        return s.finding_create(user=w.office, campaign=campaign(w), unit=w.units["C1"], source="audit",
                                problem="问题", found_on=dt.date(2025, 3, 1))

    def upload(name="证明.pdf"):
        return SimpleUploadedFile(name, pdf_bytes("audit"))

    def imported(w):
        rows = [{"unit": "C1", "source": "审计", "problem": "问题", "found_on": "2025-03-01"}]
        s.finding_import(user=w.office, campaign=campaign(w), data=build_workbook("督察发现", s.finding_columns(), rows))
        return "findings.finding_import"

    def web(w):
        item = campaign(w)
        s.web_record_create(user=w.office, campaign=item, unit=w.units["C1"], indicator=item.indicators.get(),
                            url="https://example.org/a", found_on=dt.date(2025, 3, 1), snapshot=upload("页.pdf"))
        return "findings.web_record_create"

    return {
        "findings.services.finding_create": lambda w: (finding(w), "findings.finding_create")[1],
        "findings.services.finding_attach_evidence": lambda w: (s.finding_attach_evidence(
            user=w.office, finding=finding(w), upload=upload()), "findings.finding_evidence")[1],
        "findings.services.finding_open_rectification": lambda w: (s.finding_open_rectification(
            user=w.office, finding=finding(w), due_date=dt.date(2099, 1, 1)), "findings.finding_rectify")[1],
        "findings.services.finding_import": imported,
        "findings.services.web_record_create": web,
    }


CASES = {**_plans(), **_reports(), **_portal_orgs_audit(), **_selfreport(), **_findings(), **_accounts(),
         **_assessment(), **_app_cases()}


@pytest.fixture
def world(people, units, make_user):
    from fazhi.orgs.models import Role

    people["admin"] = make_user("admin", Role.OFFICE, None, is_superuser=True, is_staff=True)
    return World(people, units)


def test_every_atomic_service_has_a_case():
    missing = sorted(set(SERVICES) - set(CASES) - STATIC_ONLY)
    assert not missing, f"services without an audit case (add one to CASES): {missing}"
    assert not (set(CASES) | STATIC_ONLY) - set(SERVICES), "cases for services that no longer exist"
    assert len(SERVICES) >= 55  # the discovery really walks the apps


def _calls(function) -> set[str]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            target = node.func
            names.add(target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", ""))
    return names


def _audits(function, depth: int = 2) -> bool:
    """The function calls the audit itself, or through a function of its own module that does (a batch import
    that saves each row with the audited single-row service)."""
    called = _calls(function)
    if called & AUDIT_CALLS:
        return True
    module = inspect.getmodule(function)
    return depth > 0 and any(
        _audits(getattr(module, name), depth - 1) for name in called
        if inspect.isfunction(getattr(module, name, None)) and getattr(module, name).__module__ == module.__name__)


@pytest.mark.parametrize("name", sorted(set(SERVICES) - STATIC_ONLY))
def test_service_writes_its_audit_row(name, world):
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    expected = CASES[name](world)
    actions = list(AuditEvent.objects.filter(id__gt=last).values_list("action", flat=True))
    assert expected in actions, f"{name} wrote {actions}, expected an audit row {expected!r}"


@pytest.mark.parametrize("name", sorted(STATIC_ONLY & set(SERVICES)))
def test_service_calls_the_audit_in_its_body(name):
    assert _audits(SERVICES[name]), f"{name} does not call record_event"


def test_an_unaudited_service_would_be_caught(tmp_path, monkeypatch):
    """A new atomic function in a service module is discovered, and has no case: the first test would fail."""
    from django.db import transaction

    import fazhi.portal.services as portal_services

    @transaction.atomic
    def opinion_purge(*, user):  # a write that records nothing
        return None

    opinion_purge.__module__ = portal_services.__name__
    monkeypatch.setattr(portal_services, "opinion_purge", opinion_purge, raising=False)
    monkeypatch.setattr(inspect, "getsource", lambda f, _orig=inspect.getsource: (
        "@transaction.atomic\ndef opinion_purge(*, user):\n    return None\n" if f is opinion_purge else _orig(f)))
    found = discover()
    assert "portal.services.opinion_purge" in found
    assert "portal.services.opinion_purge" not in CASES and "portal.services.opinion_purge" not in STATIC_ONLY
    assert not _audits(opinion_purge)
