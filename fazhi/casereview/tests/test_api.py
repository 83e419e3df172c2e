"""The case-review API checks the same policies as the pages: the office sees its reviews, every file, the
calculation; a unit its own files and its own stratum of the draw; an expert only the files assigned to them;
everyone else nothing (404 for an object out of scope, an empty list for a list)."""

from __future__ import annotations

import pytest

from fazhi.casereview import services
from fazhi.casereview.models import Assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(staffed, people):
    services.sample_draw(user=people["office"], review=staffed, seed="api-2025")
    services.assignments_make(user=people["office"], review=staffed)
    return staffed


def test_office_sees_the_review_files_sample_and_outcomes(assigned, people, client_for):
    office = client_for(people["office"])
    assert [r["id"] for r in office.get("/api/casereview/reviews/").json()["results"]] == [assigned.pk]
    sample = office.get(f"/api/casereview/reviews/{assigned.pk}/sample/").json()
    assert sample["whole"] and sample["seed"] == "api-2025" and sample["k"] == "2"
    assert sample["population_size"] == 7 and len(sample["population"]) == 7 and len(sample["drawn"]) == 4
    files = office.get(f"/api/casereview/reviews/{assigned.pk}/files/").json()["results"]
    assert len(files) == 7 and {"expert", "score"} <= set(files[0])
    assignment = Assignment.objects.select_related("expert__user").first()
    services.file_score(user=assignment.expert.user, assignment=assignment, deductions={})
    outcomes = office.get(f"/api/casereview/reviews/{assigned.pk}/outcomes/",
                          HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    scored = next(o for o in outcomes if o["scored"])
    assert scored["value"] == "10.00" and scored["steps"][0]["code"] == "review.scores"
    assert scored["steps"][0]["text"] == "File scores 100"


def test_unit_sees_its_own_files_and_stratum_only(assigned, people, client_for):
    unit = client_for(people["assessed"])
    files = unit.get(f"/api/casereview/reviews/{assigned.pk}/files/").json()["results"]
    assert {f["unit"] for f in files} == {"C1"} and len(files) == 4 and "score" not in files[0]
    sample = unit.get(f"/api/casereview/reviews/{assigned.pk}/sample/").json()
    assert not sample["whole"] and {i["stratum"] for i in sample["population"] + sample["drawn"]} == {"C1"}
    assert sample["population_size"] == 7  # the whole population's size and digest stay published
    assert unit.get(f"/api/casereview/reviews/{assigned.pk}/outcomes/").status_code == 404


def test_expert_sees_only_assigned_files(assigned, experts, client_for):
    for name, expert in experts.items():
        rows = client_for(expert).get("/api/casereview/assignments/").json()["results"]
        mine = set(Assignment.objects.filter(expert__user=expert).values_list("pk", flat=True))
        assert {r["id"] for r in rows} == mine, name
        for other in Assignment.objects.exclude(pk__in=mine):
            assert client_for(expert).get(f"/api/casereview/assignments/{other.pk}/").status_code == 404
        # the review itself, its files and its draw are the office's and the units'
        assert client_for(expert).get("/api/casereview/reviews/").json()["results"] == []
        assert client_for(expert).get(f"/api/casereview/reviews/{assigned.pk}/files/").status_code == 404
    zz = client_for(experts["exp_zz"]).get("/api/casereview/assignments/").json()["results"]
    assert all(row["file"]["unit"] != "C1" for row in zz)  # conflict of interest: never their own city's files


@pytest.mark.parametrize("who", ["other_office", "city_office", "assessing", "survey", "field_team", "public"])
def test_everyone_else_is_refused(assigned, people, client_for, who):
    client = client_for(people[who])
    assert client.get("/api/casereview/reviews/").json()["results"] == []
    assert client.get("/api/casereview/assignments/").json()["results"] == []
    for tail in ("", "sample/", "files/", "outcomes/"):
        assert client.get(f"/api/casereview/reviews/{assigned.pk}/{tail}").status_code == 404


def test_anonymous_is_refused(assigned, client_for):
    assert client_for(None).get("/api/casereview/reviews/").status_code == 401
    assert client_for(None).get(f"/api/casereview/reviews/{assigned.pk}/sample/").status_code == 401


def test_no_sample_before_the_draw(staffed, people, client_for):
    assert client_for(people["office"]).get(f"/api/casereview/reviews/{staffed.pk}/sample/").status_code == 404
