"""A review is working material, never published: every page and file of it refuses the anonymous visitor (sent
to sign in), the public account and roles outside the review, whatever was drawn or scored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.casereview import services
from fazhi.casereview.models import Assignment, CaseFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(staffed, people):
    scan = SimpleUploadedFile("扫描件.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    services.file_register(user=people["assessed"], review=staffed, number="郑罚〔2025〕99号", case_type="penalty",
                           title="扫描件案", closed_on=dt.date(2025, 5, 1), attachment=scan)
    services.sample_draw(user=people["office"], review=staffed, seed="s")
    services.assignments_make(user=people["office"], review=staffed)
    return staffed


def _urls(review) -> list[str]:
    with_scan = CaseFile.objects.get(number="郑罚〔2025〕99号")
    assignment = Assignment.objects.first()
    return [reverse("casereview:list"), reverse("casereview:detail", args=[review.pk]),
            reverse("casereview:population", args=[review.pk]), reverse("casereview:drawn", args=[review.pk]),
            reverse("casereview:file_template", args=[review.pk]), reverse("casereview:attachment", args=[with_scan.pk]),
            reverse("casereview:my_files"), reverse("casereview:file_review", args=[assignment.pk]),
            f"/api/casereview/reviews/{review.pk}/sample/", f"/api/casereview/assignments/{assignment.pk}/"]


def test_anonymous_and_public_never_see_it(everything, people, client_for):
    for url in _urls(everything):
        anonymous = client_for(None).get(url)
        assert anonymous.status_code in (302, 401), url  # pages: to sign in; the API: 401
        if anonymous.status_code == 302:
            assert "/login/" in anonymous["Location"], url
        assert client_for(people["public"]).get(url).status_code in (403, 404), url


@pytest.mark.parametrize("who", ["other_office", "assessing", "field_team", "survey"])
def test_other_roles_never_see_it(everything, people, client_for, who):
    client = client_for(people[who])
    for url in _urls(everything):
        response = client.get(url)
        if url == reverse("casereview:list") and response.status_code == 200:  # an office's own (empty) list
            assert everything.title not in response.content.decode()
        else:
            assert response.status_code in (403, 404), url
