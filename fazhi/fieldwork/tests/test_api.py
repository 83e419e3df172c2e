"""The field-visit API checks the same policies as the pages: the office its visits, the field team its own, the
assessed unit its own visit only once completed (the sample stays hidden from it until then), nobody else."""

from __future__ import annotations

import pytest

from fazhi.fieldwork import services
from fazhi.io.excel import build_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def tested(visit, people, field_user):
    services.sample_draw(user=people["office"], visit=visit, seed="api", confirm_size=6)
    units = [visit.unit] + [s.unit for s in visit.sampled.select_related("unit")]
    rows = [{"name": f"干部{i}", "post": "科员", "unit": units[i % len(units)].name, "score": 80 + i} for i in range(4)]
    services.theory_import(user=field_user, visit=visit, data=build_workbook("测试", services.theory_columns(), rows))
    return visit


def test_office_and_team_see_the_sample_and_the_theory_test(tested, people, field_user, client_for):
    for client in (client_for(people["office"]), client_for(field_user)):
        assert [v["id"] for v in client.get("/api/fieldwork/visits/").json()["results"]] == [tested.pk]
        sample = client.get(f"/api/fieldwork/visits/{tested.pk}/sample/").json()
        assert sample["k"] == "department=2,government=1" and len(sample["units"]) == 3
        assert {u["stratum"] for u in sample["units"]} == {"department", "government"}
        theory = client.get(f"/api/fieldwork/visits/{tested.pk}/theory/", HTTP_ACCEPT_LANGUAGE="en").json()
        assert theory["sat"] == 4 and theory["required_count"] == 5
        assert theory["steps"][0]["code"] == "theory.rate" and theory["steps"][0]["params"]["rate"] == "80"
        assert theory["steps"][0]["text"].startswith("5 required, 4 sat the test")


def test_unit_only_after_completion_and_others_never(tested, people, client_for, make_user, units):
    unit = client_for(people["assessed"])
    assert unit.get("/api/fieldwork/visits/").json()["results"] == []
    for tail in ("", "sample/", "theory/"):
        assert unit.get(f"/api/fieldwork/visits/{tested.pk}/{tail}").status_code == 404
    services.visit_complete(user=people["office"], visit=tested)
    assert unit.get(f"/api/fieldwork/visits/{tested.pk}/sample/").status_code == 200
    for who in ("assessed_c2", "other_office", "city_office", "expert", "survey", "public", "field_team"):
        client = client_for(people[who])  # field_team: a team member of another team unit
        assert client.get("/api/fieldwork/visits/").json()["results"] == [], who
        assert client.get(f"/api/fieldwork/visits/{tested.pk}/sample/").status_code == 404, who
    assert client_for(None).get("/api/fieldwork/visits/").status_code == 401
