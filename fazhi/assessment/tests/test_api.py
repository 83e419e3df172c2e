from __future__ import annotations

import json

import pytest

from fazhi.assessment import services

pytestmark = pytest.mark.django_db

INPUT = {
    "settings": {"grades": {"优秀": 90, "良好": 80, "合格": 60}, "bonus_cap": 5, "deduction_cap": 10,
                 "excellent_quota": None, "ranked_categories": [1, 4, 7], "warning_rank_drop": 5},
    "indicators": [{"code": "A1", "points": 60, "categories": [1]}, {"code": "A2", "points": 40, "categories": [1]}],
    "units": [{"code": "U1", "category": 1, "add": [], "remove": []}, {"code": "U2", "category": 1}],
    "scores": [{"unit": "U1", "indicator": "A1", "score": 57.5}, {"unit": "U1", "indicator": "A2", "score": "35"},
               {"unit": "U2", "indicator": "A1", "score": 50}, {"unit": "U2", "indicator": "A2", "score": 20}],
    "adjustments": [{"unit": "U1", "kind": "bonus", "points": 2, "reason": "示范", "serious": False,
                     "exceed_cap": False}],
    "previous": [],
}


def _post(client, data):
    return client.post("/api/assessment/compute/", json.dumps(data), content_type="application/json")


def test_compute_200(client_for, people):
    response = _post(client_for(people["office"]), INPUT)
    assert response.status_code == 200
    body = response.json()
    u1 = next(u for u in body["units"] if u["unit"] == "U1")
    assert u1["total"] == "94.50" and u1["grade"] == "优秀" and u1["rank"] == 1
    assert body["lists"]["warning"] == ["U2"]


def test_compute_400_with_engine_message(client_for, people):
    bad = {**INPUT, "scores": [*INPUT["scores"][:3], {"unit": "U2", "indicator": "A2", "score": 41}]}
    response = _post(client_for(people["office"]), bad)
    assert response.status_code == 400
    body = response.json()
    assert body["unit"] == "U2" and body["indicator"] == "A2" and "41" in body["detail"]
    assert _post(client_for(people["office"]), [1, 2]).status_code == 400
    response = client_for(people["office"]).post("/api/assessment/compute/", "{oops", content_type="application/json")
    assert response.status_code == 400


def test_compute_refused_for_non_office(client_for, people, client):
    assert _post(client_for(people["assessed"]), INPUT).status_code == 403
    assert _post(client, INPUT).status_code in (401, 403)


def test_campaign_and_results_scope(client_for, people, scored):
    services.campaign_compute(user=people["office"], campaign=scored)
    office = client_for(people["office"])
    assert [c["id"] for c in office.get("/api/assessment/campaigns/").json()["results"]] == [scored.pk]
    results = office.get(f"/api/assessment/campaigns/{scored.pk}/results/").json()["results"]
    assert {r["unit"] for r in results} == {"C1", "C2", "D1", "D2"}
    for who in ("city_office", "other_office", "assessed", "public"):
        client = client_for(people[who])
        assert client.get("/api/assessment/campaigns/").json()["results"] == []
        assert client.get(f"/api/assessment/campaigns/{scored.pk}/results/").status_code == 404
    assessing = client_for(people["assessing"])
    assert [c["id"] for c in assessing.get("/api/assessment/campaigns/").json()["results"]] == [scored.pk]
    assert assessing.get(f"/api/assessment/campaigns/{scored.pk}/results/").status_code == 404


def test_schema_documents_compute(client_for, people):
    response = client_for(people["office"]).get("/api/schema/")
    assert response.status_code == 200 and b"/api/assessment/compute/" in response.content
