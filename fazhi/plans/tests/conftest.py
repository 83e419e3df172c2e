"""Fixtures for the plans tests: the seeds as uploads, an imported seed 003, a plan with assignments."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.plans import services
from fazhi.plans.models import Plan, PlanStatus
from fazhi.testing.lifecycle import activate_plan

SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"


def seed_bytes(number: str) -> bytes:
    return next(SEEDS.glob(f"{number}_*.txt")).read_bytes()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


def import_seed(user, number: str = "003", year: int | None = None) -> Plan:
    """Run the whole import flow through the services (upload → job → read → confirm)."""
    job = services.import_job_create(user=user, upload=upload(f"{number}.txt", seed_bytes(number)), year=year)
    job = services.import_job_run(job_id=job.pk)
    assert job.status == "ready", job.error
    return services.import_job_confirm(user=user, job=job, rows=job.preview["rows"])


@pytest.fixture
def plan_003(people) -> Plan:
    return import_seed(people["office"], "003")


@pytest.fixture
def small_plan(people, units) -> Plan:
    """A province plan with one chapter and two tasks: task A led by 省司法厅 (D1) with 郑州市 (C1)
    cooperating, task B led by 开封市 (C2). Active."""
    office = people["office"]
    plan = services.plan_create(user=office, title="测试年度工作安排", year=2020)
    chapter = services.task_create(user=office, plan=plan, title="第一章")
    a = services.task_create(user=office, plan=plan, parent=chapter, title="任务A",
                             deadline=datetime.date(2020, 7, 31))
    b = services.task_create(user=office, plan=plan, parent=chapter, title="任务B")
    services.task_assign(user=office, task=a, lead_unit=units["D1"], cooperating_units=[units["C1"]])
    services.task_assign(user=office, task=b, lead_unit=units["C2"])
    activate_plan(user=office, plan=plan)
    plan.status = PlanStatus.ACTIVE
    return plan
