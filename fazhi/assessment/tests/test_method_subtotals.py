"""Method structure (DOMAIN §10): 加减分 is never a scored leaf (model, import, migration); results, exports,
pages, the API and the result notice carry the subtotals 日常工作落实 / 实地考核 / 满意度 / 加减分; optional weights.

The fixture campaign (conftest): C1 scores A1 36 (日常评价), A2 40 (实地考核), B1 mean(16, 12) = 14 (日常评价).
"""

from __future__ import annotations

import importlib
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.assessment import services
from fazhi.assessment.models import Adjustment, AdjustmentKind, Campaign, Indicator, Method, Result, Score
from fazhi.io.excel import ImportFailed, build_workbook

pytestmark = pytest.mark.django_db
D = Decimal


def test_an_adjustment_leaf_is_refused_on_edit(campaign):
    leaf = Indicator(campaign=campaign, code="J1", title="加减分", points=D(5), method=Method.ADJUSTMENT,
                     categories=[1])
    with pytest.raises(ValidationError) as exc:
        leaf.full_clean()
    assert "method" in exc.value.message_dict
    heading = Indicator(campaign=campaign, code="J0", title="七、加减分评定", method="")
    heading.full_clean()  # a heading has no method and no points: fine


def test_an_adjustment_leaf_is_refused_on_import_with_row_and_column(campaign, people):
    data = build_workbook("考核指标", services.indicator_columns(), [
        {"code": "A1", "title": "甲", "points": 90, "method": "日常评价", "categories": "1", "assessing": "D1"},
        {"code": "J1", "title": "加减分", "points": 10, "method": "加减分评定", "categories": "1", "assessing": "D1"},
    ])
    with pytest.raises(ImportFailed) as info:
        services.indicator_import(user=people["office"], campaign=campaign, data=data)
    assert [(e.row, e.column) for e in info.value.errors] == [(3, "考核方式")]
    assert "加减分" in info.value.errors[0].message
    assert campaign.indicators.count() == 5  # nothing replaced


def test_compute_stores_subtotals_that_add_up(scored, people):
    services.campaign_compute(user=people["office"], campaign=scored)
    c1 = Result.objects.get(campaign=scored, unit__code="C1")
    assert (c1.daily_work, c1.field_work, c1.survey, c1.adjustment, c1.total) == (
        D("50.00"), D("40.00"), D("0.00"), D("0.00"), D("90.00"))
    for r in Result.objects.filter(campaign=scored):
        assert r.daily_work + r.field_work + r.survey + r.adjustment == r.total


def test_subtotals_with_an_adjustment_and_conversion(scored, people, units):
    # D1 (category 4, 80 points): A1 40 daily, A2 32 field → base 90 = 50 + 40; deduction 3 → total 87.
    Adjustment.objects.create(campaign=scored, unit=units["D1"],
                              kind=AdjustmentKind.DEDUCTION, points=D(3), reason="通报", source="省政府通报")
    services.campaign_compute(user=people["office"], campaign=scored)
    d1 = Result.objects.get(campaign=scored, unit__code="D1")
    assert (d1.daily_work, d1.field_work, d1.adjustment, d1.total) == (D("50.00"), D("40.00"), D("-3.00"), D("87.00"))


def test_method_weights(scored, people):
    # Weights 70/30/0: C1 daily 50 of 60 → 58.33…; field 40 of 40 → 30; base 88.33.
    services.campaign_update_settings(user=people["office"], campaign=scored, weight_daily_work=D(70),
                                      weight_field_work=D(30), weight_survey=D(0))
    services.campaign_compute(user=people["office"], campaign=scored)
    c1 = Result.objects.get(campaign=scored, unit__code="C1")
    assert (c1.daily_work, c1.field_work, c1.total) == (D("58.33"), D("30.00"), D("88.33"))


@pytest.mark.parametrize("weights", [(D(70), D(30), None), (D(50), D(30), D(10))])
def test_weights_all_or_none_and_adding_up_to_100(scored, people, weights):
    with pytest.raises(ValidationError):
        services.campaign_update_settings(user=people["office"], campaign=scored, weight_daily_work=weights[0],
                                          weight_field_work=weights[1], weight_survey=weights[2])


def test_export_page_api_and_notice_show_subtotals(scored, people, client_for):
    services.campaign_compute(user=people["office"], campaign=scored)
    sheet = load_workbook(io.BytesIO(services.results_export(user=people["office"], campaign=scored))).worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))]
    rows = {row[1]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["C1"]["日常工作落实"] == 50 and rows["C1"]["实地考核"] == 40 and rows["C1"]["加减分"] == 0
    client = client_for(people["office"])
    page = client.get(reverse("assessment:result_detail", args=[scored.pk, "C1"])).content.decode()
    assert "日常工作落实 50.00" in page and "实地考核 40.00" in page
    api = client.get(f"/api/assessment/campaigns/{scored.pk}/results/")
    assert api.status_code == 200
    body = api.json()
    items = body.get("results", body) if isinstance(body, dict) else body
    assert {item["unit"]: item["daily_work"] for item in items}["C1"] == "50.00"
    from fazhi.reviews.letters import subtotals_sentence
    c1 = Result.objects.get(campaign=scored, unit__code="C1")
    assert subtotals_sentence(c1) == "其中日常工作落实50.00分、实地考核40.00分、满意度0.00分、加减分0.00分。"


def test_migration_turns_adjustment_leaves_into_deduction_items(units):
    """The data migration's function on rows as they were (a leaf with the method 加减分评定, written directly,
    as older code allowed); the app registry's models have every field the function touches."""
    from django.apps import apps

    migration = importlib.import_module("fazhi.assessment.migrations.0004_method_subtotals")
    open_c = Campaign.objects.create(owner=units["P"], year=2025, name="在办", status="scoring")
    done = Campaign.objects.create(owner=units["P"], year=2024, name="已公布", status="published")
    for campaign in (open_c, done):
        leaf = Indicator.objects.create(campaign=campaign, code="J1", title="加减分评定", points=D(10),
                                        method=Method.ADJUSTMENT, categories=[1])
        Score.objects.create(campaign=campaign, indicator=leaf, unit=units["C1"], value=D("6.5"),
                             reason="被省政府通报批评", status="submitted")
        Score.objects.create(campaign=campaign, indicator=leaf, unit=units["C2"], value=D(10), reason="",
                             status="submitted")
    migration.adjustment_leaves_to_items(apps, None)
    assert not Indicator.objects.filter(campaign=open_c, code="J1").exists()
    item = Adjustment.objects.get(campaign=open_c)
    assert item.unit_id == units["C1"].pk and item.kind == "deduction" and item.points == D("3.5")
    assert "J1" in item.reason and "被省政府通报批评" in item.reason
    # a published campaign keeps its record as it was
    assert Indicator.objects.filter(campaign=done, code="J1").exists()
    assert not Adjustment.objects.filter(campaign=done).exists()
