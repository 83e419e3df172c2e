"""Audit cases of the 实地考核 services for ``fazhi/audit/tests/test_every_write_audited.py``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fazhi.testing.lifecycle import take


def _visit(w, *, drawn=False):
    from django.utils import timezone

    from fazhi.assessment import services as assessment
    from fazhi.assessment.models import Indicator, Method
    from fazhi.fieldwork import services
    from fazhi.orgs.models import Level, Role, Unit, UnitKind, User

    team = Unit.objects.create(code="AUD-FIELD", name="考核组", level=Level.PROVINCE, kind=UnitKind.OTHER,
                               parent=w.units["P"])
    member = User.objects.create_user(username="aud_field", password="x-Secret-1", role=Role.FIELD_TEAM, unit=team)
    campaign = assessment.campaign_create(user=w.office, year=2032)
    t1 = Indicator.objects.create(campaign=campaign, code="T1", title="测试", points=Decimal(100),
                                  method=Method.FIELD, categories=[1], sort=1)
    t1.assessing_units.set([team])
    take(user=w.office, campaign=campaign, action="start_scoring")
    campaign.refresh_from_db()
    today = timezone.localdate()
    visit = services.visit_create(user=w.office, campaign=campaign, indicator=t1, unit=w.units["C1"], team_unit=team,
                                  start_date=today + dt.timedelta(days=1), end_date=today + dt.timedelta(days=2),
                                  required_count=2)
    if drawn:
        services.sample_draw(user=w.office, visit=visit, seed="audit")
    return visit, member


def _results(w, visit, member):
    from fazhi.fieldwork import services
    from fazhi.io.excel import build_workbook

    data = build_workbook("测试", services.theory_columns(), [
        {"name": "甲", "post": "科员", "unit": w.units["C1"].name, "score": 90}])
    services.theory_import(user=member, visit=visit, data=data)


def _case(step):
    def case(w):
        from fazhi.fieldwork import services

        visit, member = _visit(w, drawn=step not in ("visit_create", "member_add", "sample_draw"))
        if step == "member_add":
            services.member_add(user=w.office, visit=visit, name="张委员", kind="cppcc")
        elif step == "sample_draw":
            services.sample_draw(user=w.office, visit=visit, seed="audit")
        elif step == "record_add":
            services.record_add(user=member, visit=visit, kind="interview", unit=w.units["C1"],
                                happened_on=dt.date(2032, 1, 1), text="座谈")
        elif step == "theory_import":
            _results(w, visit, member)
        elif step == "indicator_write":
            _results(w, visit, member)
            services.indicator_write(user=member, visit=visit)
        elif step == "visit_complete":
            services.visit_complete(user=w.office, visit=visit)
        return f"fieldwork.{step}"
    return case


CASES = {f"fieldwork.services.{step}": _case(step) for step in (
    "visit_create", "member_add", "sample_draw", "record_add", "theory_import", "indicator_write", "visit_complete")}
