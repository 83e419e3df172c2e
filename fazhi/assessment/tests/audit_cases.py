"""Audit cases of the assessment services (read by ``fazhi/audit/tests/test_every_write_audited.py``): each runs
the service for real and names the audit row it must have written."""

from __future__ import annotations

from decimal import Decimal


def _draft(w):
    from fazhi.assessment import services

    campaign = services.campaign_create(user=w.office, year=2027)
    heading = services.indicator_create(user=w.office, campaign=campaign, heading=True, code="H1", title="一、标题")
    leaf = services.indicator_create(user=w.office, campaign=campaign, heading=False, code="A1", title="指标",
                                     parent=heading, points=Decimal(10), method="daily", categories=[1],
                                     assessing_units=[w.units["D1"]])
    return campaign, heading, leaf


def create(w):
    _draft(w)
    return "assessment.indicator_create"


def update(w):
    from fazhi.assessment import services

    _campaign, heading, leaf = _draft(w)
    services.indicator_update(user=w.office, indicator=leaf, code="A1", title="指标（改）", parent=heading,
                              points=Decimal(8), method="daily", categories=[1], assessing_units=[w.units["D1"]])
    return "assessment.indicator_update"


def move(w):
    from fazhi.assessment import services

    campaign, _heading, _leaf = _draft(w)
    second = services.indicator_create(user=w.office, campaign=campaign, heading=True, code="H2", title="二、标题")
    services.indicator_move(user=w.office, indicator=second, direction="up")
    return "assessment.indicator_move"


def delete(w):
    from fazhi.assessment import services

    _campaign, _heading, leaf = _draft(w)
    services.indicator_delete(user=w.office, indicator=leaf)
    return "assessment.indicator_delete"


CASES = {
    "assessment.services.indicator_create": create,
    "assessment.services.indicator_update": update,
    "assessment.services.indicator_move": move,
    "assessment.services.indicator_delete": delete,
}
