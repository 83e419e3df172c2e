"""Hostile query strings on the report pages: a 400 with a message naming the filter, never a 500."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from fazhi.reports.models import AnnualReport

BAD_YEARS = ["abc", "²", "-1", "0", "1e5", "99999999", "9" * 40, "\x00", "' OR 1=1--", "x" * 100_000]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("year", BAD_YEARS)
def test_report_list_bad_year(people, client_for, submitted_report, year):
    response = client_for(people["office"]).get("/reports/", {"year": year})
    assert response.status_code == 400
    assert any("年度" in m and "无效" in m for m in _messages(response))
    assert list(response.context["page"]) == [submitted_report]  # the filter is ignored, not guessed


def test_report_list_good_year_still_filters(people, client_for, submitted_report):
    response = client_for(people["office"]).get("/reports/", {"year": "2023"})
    assert response.status_code == 200 and list(response.context["page"]) == []


@pytest.mark.parametrize("year", BAD_YEARS)
def test_compare_bad_from(people, client_for, submitted_report, year):
    client = client_for(people["office"])
    response = client.get("/reports/compare/", {"from": year})
    assert response.status_code == 400
    assert any("起始年度" in m for m in _messages(response))
    export = client.get("/reports/compare/export.xlsx", {"from": year})
    assert export.status_code == 302 and export.url == "/reports/compare/"


@pytest.mark.parametrize("year", BAD_YEARS)
def test_submit_form_ignores_a_bad_initial_year(people, client_for, year):
    response = client_for(people["assessed"]).get("/reports/submit/", {"year": year})
    assert response.status_code == 200
    assert AnnualReport.objects.count() == 0


def test_submit_with_a_nul_in_the_text_saves_nothing(people, client_for):
    response = client_for(people["assessed"]).post("/reports/submit/", {"year": "2024", "text": "报告\x00全文"})
    assert response.status_code == 400
    assert AnnualReport.objects.count() == 0
