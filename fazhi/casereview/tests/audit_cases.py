"""Audit cases of the 集中评查 services for ``fazhi/audit/tests/test_every_write_audited.py``: each runs the service
for real on the shared test world and returns the audit action it must have written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fazhi.testing.lifecycle import take


def _world_review(w):
    from fazhi.assessment import services as assessment
    from fazhi.assessment.models import Indicator, Method
    from fazhi.casereview import services
    from fazhi.orgs.models import Level, Role, Unit, UnitKind, User

    pool = Unit.objects.create(code="AUD-EXP", name="专家库", level=Level.PROVINCE, kind=UnitKind.OTHER,
                               parent=w.units["P"])
    expert = User.objects.create_user(username="aud_expert", password="x-Secret-1", role=Role.EXPERT, unit=pool)
    campaign = assessment.campaign_create(user=w.office, year=2031)
    r1 = Indicator.objects.create(campaign=campaign, code="R1", title="案卷评查", points=Decimal(100),
                                  method=Method.REVIEW, categories=[1], sort=1)
    r1.assessing_units.set([pool])
    take(user=w.office, campaign=campaign, action="start_scoring")
    campaign.refresh_from_db()
    review = services.review_create(user=w.office, campaign=campaign, indicator=r1, title="评查",
                                    case_types=["penalty"], files_per_unit=1)
    return review, expert


def _full(w, *, score=True):
    from fazhi.casereview import services
    from fazhi.casereview.models import Assignment

    review, expert = _world_review(w)
    services.checklist_item_add(user=w.office, review=review, text="程序", max_deduction="10")
    for user, number in ((w.people["assessed"], "A1"), (w.people["assessed_c2"], "B1")):
        services.file_register(user=user, review=review, number=number, case_type="penalty", title="案",
                               closed_on=dt.date(2031, 1, 1))
    services.expert_add(user=w.office, review=review, expert=expert)
    services.sample_draw(user=w.office, review=review, seed="audit")
    services.assignments_make(user=w.office, review=review)
    if score:
        for a in Assignment.objects.filter(file__review=review):
            services.file_score(user=expert, assignment=a, deductions={})
    return review, expert


def _import(w):
    from fazhi.casereview import services
    from fazhi.io.excel import build_workbook

    review, _expert = _world_review(w)
    data = build_workbook("案卷", services.file_columns(), [
        {"number": "X1", "case_type": "行政处罚", "title": "案", "closed_on": "2031-01-02"}])
    services.file_import(user=w.people["assessed"], review=review, data=data)
    return "casereview.file_import"


def _score(w):
    from fazhi.casereview import services
    from fazhi.casereview.models import Assignment

    _review, expert = _full(w, score=False)
    services.file_score(user=expert, assignment=Assignment.objects.first(), deductions={})
    return "casereview.file_score"


def _write(w):
    from fazhi.casereview import services

    review, expert = _full(w)
    services.indicator_write(user=expert, review=review)
    return "casereview.indicator_write"


def _step(service, action):
    def case(w):
        from fazhi.casereview import services

        review, expert = _world_review(w)
        if service == "checklist_item_add":
            services.checklist_item_add(user=w.office, review=review, text="主体", max_deduction="5")
        elif service == "expert_add":
            services.expert_add(user=w.office, review=review, expert=expert)
        elif service == "file_register":
            services.file_register(user=w.people["assessed"], review=review, number="N1", case_type="penalty",
                                   title="案", closed_on=dt.date(2031, 1, 1))
        return action
    return case


def _draw(w):
    _full(w, score=False)
    return "casereview.sample_draw"


def _assign(w):
    _full(w, score=False)
    return "casereview.assignments_make"


def _reassign(w):
    from fazhi.casereview import services
    from fazhi.casereview.models import Assignment
    from fazhi.orgs.models import Role, User

    review, expert = _full(w, score=False)
    other = User.objects.create_user(username="aud_expert2", password="x-Secret-1", role=Role.EXPERT,
                                     unit=expert.unit)
    member = services.expert_add(user=w.office, review=review, expert=other)
    services.assignment_set(user=w.office, case_file=Assignment.objects.first().file, expert=member,
                            reason="原专家因病请假")
    return "casereview.assignment_set"


CASES = {
    "casereview.services.review_create": lambda w: (_world_review(w), "casereview.review_create")[1],
    "casereview.services.checklist_item_add": _step("checklist_item_add", "casereview.checklist_item_add"),
    "casereview.services.expert_add": _step("expert_add", "casereview.expert_add"),
    "casereview.services.file_register": _step("file_register", "casereview.file_register"),
    "casereview.services.file_import": _import,
    "casereview.services.sample_draw": _draw,
    "casereview.services.assignments_make": _assign,
    "casereview.services.file_score": _score,
    "casereview.services.assignment_set": _reassign,
    "casereview.services.indicator_write": _write,
}
