"""Finding 10 of issue 14, end to end: points of "1e-999999" were accepted by the engine (the applicable points
rounded to 0 and the total came out 100); full-width digits were accepted but a full-width decimal point was
refused. Every entry point now reads numbers with ``fazhi.core.numbers.read_decimal``."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fazhi.assessment import services
from fazhi.assessment.forms import AdjustmentForm
from fazhi.core.scoring import ScoringError
from fazhi.core.scoring.io import parse_input

URL = "/api/assessment/compute/"


def _engine_input(points, score="0"):
    return {"indicators": [{"code": "A1", "points": points, "categories": [1]},
                           {"code": "A2", "points": "100", "categories": [1]}],
            "units": [{"code": "U1", "category": 1}],
            "scores": [{"unit": "U1", "indicator": "A1", "score": score},
                       {"unit": "U1", "indicator": "A2", "score": "50"}]}


@pytest.mark.parametrize("points", ["1e-999999", "NaN", "Infinity", "1e400", "1" * 40])
def test_the_compute_api_refuses_the_number(client_for, people, points):
    body = json.dumps(_engine_input(points)).replace(f'"{points}"', points if points == "1e-999999" else
                                                     f'"{points}"')
    response = client_for(people["office"]).post(URL, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["path"] == "indicators[0].points"


def test_the_engine_refuses_a_json_number_1e_minus_999999():
    with pytest.raises(ScoringError):
        parse_input(json.loads(json.dumps(_engine_input("X")).replace('"X"', "1e-999999"), parse_float=Decimal))


def test_full_width_digits_and_point_are_read(client_for, people):
    body = _engine_input("５０．５", score="２５．５")
    body["indicators"][1]["points"] = "49.5"
    body["scores"][1]["score"] = "49.5"
    response = client_for(people["office"]).post(URL, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["units"][0]["total"] == "75.00"


def test_score_save_reads_full_width_and_refuses_tiny(people, scoring, units):
    a1 = scoring.indicators.get(code="A1")
    score = services.score_save(user=people["assessing"], campaign=scoring, indicator=a1, unit=units["C1"],
                                value="３５．５", reason="扣分理由")
    assert score.value == Decimal("35.5")
    with pytest.raises(ValidationError) as caught:
        services.score_save(user=people["assessing"], campaign=scoring, indicator=a1, unit=units["C2"],
                            value="1e-999999", reason="扣分理由")
    assert "小数位数过多" in " ".join(caught.value.messages)


def test_indicator_points_from_excel_use_the_same_reader():
    assert services._points("１２．５") == Decimal("12.50")
    for bad in ("1e-999999", "NaN", "9,5"):
        with pytest.raises(ValueError):
            services._points(bad)


def test_the_adjustment_form_takes_a_full_width_point(units):
    form = AdjustmentForm({"unit": "C1", "kind": "bonus", "points": "１．５", "reason": "国家级示范",
                           "source": "通报"}, units=[units["C1"]])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["points"] == Decimal("1.5")
    form = AdjustmentForm({"unit": "C1", "kind": "bonus", "points": "1e-999999", "reason": "x", "source": "y"},
                          units=[units["C1"]])
    assert not form.is_valid() and "points" in form.errors
