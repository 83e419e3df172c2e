"""Hostile and malformed input to the assessment pages and API: a clear refusal (4xx or a redirect with an error
message), never a 500, and nothing written (every relevant row is the same before and after)."""

from __future__ import annotations

import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from fazhi.assessment import services
from fazhi.assessment.models import (
    Adjustment,
    Campaign,
    CampaignUnit,
    Evidence,
    Indicator,
    IndicatorOverride,
    Result,
    Score,
)
from fazhi.audit.models import AuditEvent

#: What a form field or hidden input might carry instead of an id: letters, a superscript digit ("²".isdigit() is
#: true, int("²") fails), scientific notation, more digits than a 64-bit column holds, a NUL byte, a negative.
BAD_IDS = ["abc", "²", "1e5", "9" * 30, "\x00", "-1", "1.0"]
BAD_NUMBERS = ["NaN", "Infinity", "-Infinity", "9,5", "1e400", "abc", "\x00", "1e999999999", "1e-999999999"]


def snapshot():
    return {model.__name__: list(model.objects.order_by("pk").values())
            for model in (Campaign, CampaignUnit, Indicator, IndicatorOverride, Score, Evidence, Adjustment, Result,
                          AuditEvent)}


def _client(client_for, user):
    client = client_for(user)
    client.raise_request_exception = False  # a crash must show as a 500 here, not as an exception in the test
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _cell(scoring, units, **extra):
    a1 = scoring.indicators.get(code="A1")
    return {"indicator": a1.pk, "unit": units["C1"].pk, "value": "30", "reason": "扣分理由", "version": "0", **extra}


# --- scoring ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("field", ["indicator", "unit", "subunit"])
@pytest.mark.parametrize("bad", BAD_IDS)
def test_score_save_malformed_ids_are_404(client_for, people, scoring, units, field, bad):
    before = snapshot()
    client = _client(client_for, people["assessing"])
    response = client.post(reverse("assessment:score_save", args=[scoring.pk]), _cell(scoring, units, **{field: bad}))
    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_score_save_refuses_values_that_are_not_numbers(client_for, people, scoring, units, bad):
    before = snapshot()
    client = _client(client_for, people["assessing"])
    response = client.post(reverse("assessment:score_save", args=[scoring.pk]), _cell(scoring, units, value=bad),
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["X-Fazhi-Status"] == "400"
    text = response.content.decode()
    assert any(m in text for m in ("不是数字", "超出允许的范围", "小数位数过多", "得分应在"))
    assert snapshot() == before


def test_comma_decimal_says_to_use_a_point(client_for, people, scoring, units):
    client = _client(client_for, people["assessing"])
    response = client.post(reverse("assessment:score_save", args=[scoring.pk]), _cell(scoring, units, value="9,5"))
    assert response.status_code == 400
    assert "小数点请用" in response.content.decode()
    assert not Score.objects.exists()


def test_negative_zero_is_stored_as_zero(people, scoring, units):
    a1 = scoring.indicators.get(code="A1")
    score = services.score_save(user=people["assessing"], campaign=scoring, indicator=a1, unit=units["C1"],
                                value="-0", reason="未开展")
    score.refresh_from_db()
    assert score.value == 0 and not str(score.value).startswith("-")


@pytest.mark.parametrize("reason", ["扣分\x00理由", "扣分\x07", "长" * 5001])
def test_score_reason_with_control_characters_or_too_long_is_refused(client_for, people, scoring, units, reason):
    before = snapshot()
    client = _client(client_for, people["assessing"])
    response = client.post(reverse("assessment:score_save", args=[scoring.pk]), _cell(scoring, units, reason=reason))
    assert response.status_code == 400
    assert "理由" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("version", ["abc", "²", "9" * 30, "-3", "1e0"])
def test_score_save_malformed_version_is_a_conflict(client_for, people, scoring, units, version):
    a1 = scoring.indicators.get(code="A1")
    services.score_save(user=people["assessing"], campaign=scoring, indicator=a1, unit=units["C1"], value="30",
                        reason="扣分理由")
    before = snapshot()
    client = _client(client_for, people["assessing"])
    response = client.post(reverse("assessment:score_save", args=[scoring.pk]),
                           _cell(scoring, units, value="31", version=version))
    assert response.status_code == 409
    assert snapshot() == before


def test_score_for_an_indicator_the_unit_does_not_score(client_for, people, scoring, units):
    before = snapshot()
    client = _client(client_for, people["assessing"])  # D1 scores A1 and B1, not A2
    a2 = scoring.indicators.get(code="A2")
    response = client.post(reverse("assessment:score_save", args=[scoring.pk]),
                           _cell(scoring, units, indicator=a2.pk))
    assert response.status_code in (403, 404)
    assert snapshot() == before


def test_score_of_another_campaign_indicator_is_404(client_for, people, scoring, units):
    other = services.campaign_create(user=people["city_office"], year=2025)
    foreign = Indicator.objects.create(campaign=other, code="Z1", title="外单位指标", points=10, method="daily",
                                       categories=[4])
    before = snapshot()
    client = _client(client_for, people["assessing"])
    response = client.post(reverse("assessment:score_save", args=[scoring.pk]),
                           _cell(scoring, units, indicator=foreign.pk))
    assert response.status_code == 404
    assert snapshot() == before


# --- office pages ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("category", ["²", "abc", "9" * 30, "0", "8", "\x00"])
def test_unit_add_with_a_bad_category_is_refused(client_for, people, campaign, units, category):
    CampaignUnit.objects.filter(campaign=campaign, unit=units["D2"]).delete()
    before = snapshot()
    client = _client(client_for, people["office"])
    response = client.post(reverse("assessment:campaign_unit_add", args=[campaign.pk]),
                           {"code": "D2", "category": category})
    assert response.status_code == 302
    assert any("考核类别" in m for m in _messages(response))
    assert snapshot() == before


@pytest.mark.parametrize("bad", BAD_IDS)
def test_indicator_copy_and_override_delete_with_malformed_ids_are_404(client_for, people, campaign, bad):
    b1 = campaign.indicators.get(code="B1")
    before = snapshot()
    client = _client(client_for, people["office"])
    assert client.post(reverse("assessment:indicator_copy", args=[campaign.pk]), {"source": bad}).status_code == 404
    response = client.post(reverse("assessment:indicator_overrides", args=[campaign.pk, b1.pk]),
                           {"op": "delete", "pk": bad, "reason": "撤销"})
    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("reason", ["退回\x00", "长" * 5001])
def test_status_change_with_a_bad_reason_is_refused(client_for, people, scoring, reason):
    before = snapshot()
    client = _client(client_for, people["office"])
    response = client.post(reverse("assessment:campaign_action", args=[scoring.pk]),
                           {"action": "back_to_draft", "reason": reason})
    assert response.status_code == 302
    assert any("理由" in m for m in _messages(response))
    # nothing changed but the trace of the refused step (``campaign.refused``)
    refused = AuditEvent.objects.filter(action="campaign.refused")
    assert refused.count() == 1 and refused.get().after["action"] == "back_to_draft"
    after = snapshot()
    after["AuditEvent"] = [e for e in after["AuditEvent"] if e["action"] != "campaign.refused"]
    assert after == before


def test_unit_remove_and_reopen_with_nul_reason_are_refused(client_for, people, scored, units):
    score = Score.objects.filter(campaign=scored).first()
    before = snapshot()
    client = _client(client_for, people["office"])
    response = client.post(reverse("assessment:score_reopen", args=[scored.pk, score.pk]), {"reason": "改\x00"})
    assert response.status_code == 302 and any("控制字符" in m for m in _messages(response))
    assert snapshot() == before


def test_adjustment_service_refuses_bad_kind_points_and_text(people, scoring, units):
    before = snapshot()
    from django.core.exceptions import ValidationError

    for kwargs in ({"kind": "gift"}, {"points": "NaN"}, {"points": "1e400"}, {"source": "通报\x00"},
                   {"reason": "x" * 5001}):
        args = {"kind": "bonus", "points": "1", "reason": "国家级示范", "source": "文件", **kwargs}
        with pytest.raises(ValidationError):
            services.adjustment_create(user=people["office"], campaign=scoring, unit=units["C1"], **args)
    assert snapshot() == before


@pytest.mark.parametrize("query", [{"category": "²"}, {"category": "9" * 30}, {"sort": "\x00"}, {"category": "abc"}])
def test_results_page_with_bad_query_falls_back(client_for, people, scored, query):
    services.campaign_compute(user=people["office"], campaign=scored)
    client = _client(client_for, people["office"])
    assert client.get(reverse("assessment:results", args=[scored.pk]), query).status_code == 200


def test_worklist_with_bad_filters_and_page(client_for, people, scoring):
    client = _client(client_for, people["assessing"])
    for bad in ("\x00", "9" * 30, "²", "x" * 10000):
        response = client.get(reverse("assessment:worklist", args=[scoring.pk]),
                              {"page": bad, "indicator": bad, "unit": bad, "status": bad})
        assert response.status_code == 200


# --- API -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("category", ["²", "abc", "9" * 30, "0", "\x00"])
def test_api_results_bad_category_is_400(client_for, people, scored, category):
    services.campaign_compute(user=people["office"], campaign=scored)
    client = _client(client_for, people["office"])
    response = client.get(f"/api/assessment/campaigns/{scored.pk}/results/", {"category": category})
    assert response.status_code == 400
    assert "category" in response.json()["detail"]


@pytest.mark.parametrize("query", [{"year": "abc"}, {"year": "NaN"}, {"status": "\x00"}, {"page": "9" * 30}])
def test_api_campaign_filters_refuse_bad_values(client_for, people, campaign, query):
    client = _client(client_for, people["office"])
    assert client.get("/api/assessment/campaigns/", query).status_code in (400, 404)


def test_api_campaign_filter_year_out_of_range_matches_nothing(client_for, people, campaign):
    client = _client(client_for, people["office"])
    response = client.get("/api/assessment/campaigns/", {"year": "9" * 30})
    assert response.status_code == 200 and response.json()["count"] == 0


ENGINE = {"indicators": [{"code": "A1", "points": 100, "categories": [1]}], "units": [{"code": "U", "category": 1}],
          "scores": [{"unit": "U", "indicator": "A1", "score": 90}]}


@pytest.mark.parametrize("body,where", [
    ("[" * 100000, "嵌套"),
    (json.dumps(ENGINE).replace('"score": 90', '"score": 1e400'), "scores[0].score"),
    (json.dumps(ENGINE).replace('"points": 100', '"points": 1e400'), "indicators[0].points"),
    (json.dumps(ENGINE).replace('"score": 90', '"score": NaN'), "scores[0].score"),
    (json.dumps(ENGINE).replace('"score": 90', '"score": "9,5"'), "scores[0].score"),
    (json.dumps(ENGINE).replace('"score": 90', '"score": [90]'), "scores[0].score"),
    ('["not", "an", "object"]', "JSON"),
    ('{"indicators": ', "JSON"),
])
def test_compute_api_refuses_bad_engine_json(client_for, people, body, where):
    client = _client(client_for, people["office"])
    response = client.post("/api/assessment/compute/", body, content_type="application/json")
    assert response.status_code == 400
    assert where in response.json()["detail"]


# --- path parameters -------------------------------------------------------------------------------------------

def test_path_parameters_that_cannot_be_codes_or_ids_are_404(client_for, people, scored):
    services.campaign_compute(user=people["office"], campaign=scored)
    before = snapshot()
    client = _client(client_for, people["office"])
    pk, huge = scored.pk, "9" * 30
    for url in (f"/assessment/campaigns/{pk}/results/%00/", f"/assessment/campaigns/{pk}/results/{'x' * 5000}/",
                f"/reviews/campaigns/{pk}/letters/recommendation/%00.docx", f"/reviews/campaigns/{pk}/lists/%00.xlsx",
                "/reviews/templates/%00.docx", f"/assessment/campaigns/{huge}/", f"/reviews/feedback/{huge}/",
                f"/api/assessment/campaigns/{huge}/", "/api/assessment/campaigns/abc/results/",
                f"/assessment/evidence/{huge}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/assessment/campaigns/{pk}/units/%00/remove/").status_code == 404
    assert snapshot() == before
