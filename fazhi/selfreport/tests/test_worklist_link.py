"""A worklist row (assessment 评分) links to the unit's self-report on that indicator — through the assessment
hook, for the reports the scorer may read (submitted or returned), never a unit's draft; a save of the row keeps
the link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi.selfreport.models import SelfReport

pytestmark = pytest.mark.django_db


def test_row_links_to_the_submitted_report_only(submitted, people, client_for, units):
    client = client_for(people["assessing"])
    page = client.get(reverse("assessment:worklist", args=[submitted.campaign.pk])).content.decode()
    link = reverse("selfreport:assess", args=[submitted.pk])
    assert f'href="{link}"' in page and page.count('class="row-link"') == 1
    draft = SelfReport.objects.get(indicator=submitted.indicator, unit=units["C2"])
    assert reverse("selfreport:assess", args=[draft.pk]) not in page
    assert client.get(link).status_code == 200  # one click from the row to the report
    row = client.post(reverse("assessment:score_save", args=[submitted.campaign.pk]),
                      {"indicator": submitted.indicator.pk, "unit": units["C1"].pk, "value": "30", "reason": "材料齐全",
                       "version": "0"}, HTTP_HX_REQUEST="true").content.decode()
    assert f'href="{link}"' in row


def test_english_label(submitted, people, client_for):
    client = client_for(people["assessing"])
    client.cookies["django_language"] = "en"
    page = client.get(reverse("assessment:worklist", args=[submitted.campaign.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Self-report material" in page
