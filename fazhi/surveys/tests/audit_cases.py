"""Audit cases of the 满意度测评 services for ``fazhi/audit/tests/test_every_write_audited.py``."""

from __future__ import annotations

from decimal import Decimal

from fazhi.testing.lifecycle import take


def _round(w):
    from fazhi.assessment import services as assessment
    from fazhi.assessment.models import Indicator, Method
    from fazhi.orgs.models import Role, User
    from fazhi.surveys import services

    institute = w.units["X1"]
    member = User.objects.create_user(username="aud_survey", password="x-Secret-1", role=Role.SURVEY, unit=institute)
    campaign = assessment.campaign_create(user=w.office, year=2033)
    s1 = Indicator.objects.create(campaign=campaign, code="S1", title="满意度", points=Decimal(100),
                                  method=Method.SURVEY, categories=[1], sort=1)
    s1.assessing_units.set([institute])
    take(user=w.office, campaign=campaign, action="start_scoring")
    campaign.refresh_from_db()
    survey_round = services.round_create(user=w.office, campaign=campaign, indicator=s1, institute=institute,
                                         title="测评")
    return survey_round, member


def _import(w, survey_round, member):
    from fazhi.io.excel import build_workbook
    from fazhi.surveys import services

    rows = [{"unit": w.units[code].name, "good": 9, "neutral": 1, "bad": 0} for code in ("C1", "C2")]
    services.data_import(user=member, survey_round=survey_round, kind="rating",
                         data=build_workbook("好差评", services.columns("rating"), rows))


def _case(step):
    def case(w):
        from fazhi.surveys import services

        survey_round, member = _round(w)
        if step == "round_create":
            return "surveys.round_create"
        _import(w, survey_round, member)
        if step == "data_import":
            return "surveys.import"
        services.indicator_write(user=member, survey_round=survey_round)
        return "surveys.indicator_write"
    return case


CASES = {f"surveys.services.{step}": _case(step) for step in ("round_create", "data_import", "indicator_write")}
