"""The demo shows each method with realistic data, so a visitor can walk through them from the home page:
the expert's case files (a card, one click, files left to score), a field visit with a theory test (the team's
visits, the completed one with its calculation, the open one taking an import; 郑州市 sees its own sample once
completed), and a satisfaction import (the institute's round with its batches and the inputs beside the score)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.assessment import demo as assessment_demo
from fazhi.casereview import demo as casereview_demo
from fazhi.casereview.models import Assignment, CaseReview
from fazhi.fieldwork import demo as fieldwork_demo
from fazhi.fieldwork.models import FieldVisit, VisitStatus
from fazhi.orgs import demo as org_demo
from fazhi.surveys import demo as surveys_demo
from fazhi.surveys.models import ImportBatch, SurveyRound

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        units = org_demo.load_units()
        people = org_demo.load_people(units)
        out = io.StringIO()
        assessment_demo.load(units=units, people=people, stdout=out)
        for module in (casereview_demo, fieldwork_demo, surveys_demo):
            module.load(units=units, people=people, stdout=out)
        yield units, people
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _home_card(client, url: str) -> str:
    home = client.get(reverse("home")).content.decode()
    assert f'href="{url}"' in home, url  # the home page's promise is one click away
    return client.get(url).content.decode()


def test_case_file_review(demo):
    _units, people = demo
    expert = _client(people["expert"])
    page = _home_card(expert, reverse("casereview:my_files"))
    todo = Assignment.objects.filter(expert__user=people["expert"], submitted_at__isnull=True)
    assert todo.count() == casereview_demo.LEFT_FOR_VISITOR
    assert all(a.file.number in page for a in todo)
    assert expert.get(reverse("casereview:file_review", args=[todo.first().pk])).status_code == 200
    review = CaseReview.objects.get()
    office = _client(people["office"]).get(reverse("casereview:detail", args=[review.pk])).content.decode()
    assert casereview_demo.SEED in office and "fazhi sample verify" in office
    assert _client(people["office"]).get(reverse("casereview:population", args=[review.pk])).status_code == 200


def test_field_visit_with_a_theory_test(demo):
    units, people = demo
    field = _client(people["field"])
    listing = _home_card(field, reverse("fieldwork:list"))
    done = FieldVisit.objects.get(unit=units["410100"])
    open_visit = FieldVisit.objects.get(unit=units["411500"])
    assert done.status == VisitStatus.COMPLETED and open_visit.status == VisitStatus.SAMPLED
    assert done.unit.name in listing and open_visit.unit.name in listing
    page = field.get(reverse("fieldwork:detail", args=[done.pk])).content.decode()
    assert 'id="theory-value"' in page and "参考率" in page
    assert 'name="file"' in field.get(reverse("fieldwork:detail", args=[open_visit.pk])).content.decode()
    own = _client(people["assessed"])  # 郑州市: its completed visit and sample, with the published files
    assert own.get(reverse("fieldwork:detail", args=[done.pk])).status_code == 200
    assert own.get(reverse("fieldwork:population", args=[done.pk])).status_code == 200
    assert own.get(reverse("fieldwork:detail", args=[open_visit.pk])).status_code == 404


def test_satisfaction_import(demo):
    _units, people = demo
    survey = _client(people["survey"])
    _home_card(survey, reverse("surveys:list"))
    survey_round = SurveyRound.objects.get()
    page = survey.get(reverse("surveys:detail", args=[survey_round.pk])).content.decode()
    assert ImportBatch.objects.filter(round=survey_round).count() == 3
    assert all(b.filename in page for b in ImportBatch.objects.filter(round=survey_round))
    assert "第三方调查 S =" in page and 'action="' + reverse("surveys:import", args=[survey_round.pk, "survey"]) in page
