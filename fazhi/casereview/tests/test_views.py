"""Pages of 集中评查 and their refusals: an expert sees only assigned files; a unit only its own files and its
own part of the published population; other offices, the public and wrong roles are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi.audit.models import AuditEvent
from fazhi.casereview import services
from fazhi.casereview.models import Assignment, Sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(staffed, people):
    services.sample_draw(user=people["office"], review=staffed, seed="view-seed")
    services.assignments_make(user=people["office"], review=staffed)
    return staffed


def test_office_sees_everything_and_the_calculation(assigned, people, client_for):
    page = client_for(people["office"]).get(reverse("casereview:detail", args=[assigned.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "view-seed" in body and "汴罚〔2025〕1号" in body and "郑罚〔2025〕1号" in body and "指标得分计算" in body


def test_other_office_public_and_wrong_roles_refused(assigned, people, client_for):
    url = reverse("casereview:detail", args=[assigned.pk])
    assert client_for(people["other_office"]).get(url).status_code == 404
    assert client_for(people["public"]).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302  # to the sign-in page
    assert client_for(people["expert"]).get(url).status_code == 403
    draw = reverse("casereview:draw", args=[assigned.pk])
    assert client_for(people["assessed"]).post(draw, {"confirm": "yes"}).status_code == 403
    assert client_for(people["other_office"]).post(reverse("casereview:assign", args=[assigned.pk])).status_code == 404


def test_unit_sees_only_its_own_files_and_own_stratum(assigned, people, client_for):
    client = client_for(people["assessed"])
    body = client.get(reverse("casereview:detail", args=[assigned.pk])).content.decode()
    assert "郑罚〔2025〕1号" in body and "汴罚" not in body and "view-seed" in body
    population = client.get(reverse("casereview:population", args=[assigned.pk])).content.decode()
    assert "郑罚" in population and "汴罚" not in population
    assert AuditEvent.objects.filter(action="export.download").exists()


def test_expert_sees_only_assigned_files(assigned, experts, client_for):
    mine = Assignment.objects.filter(expert__user=experts["exp_free"]).first()
    theirs = Assignment.objects.exclude(expert__user=experts["exp_free"]).first()
    client = client_for(experts["exp_free"])
    listing = client.get(reverse("casereview:my_files")).content.decode()
    assert mine.file.number in listing and theirs.file.number not in listing
    assert client.get(reverse("casereview:file_review", args=[mine.pk])).status_code == 200
    assert client.get(reverse("casereview:file_review", args=[theirs.pk])).status_code == 404


def test_expert_posts_a_score_and_a_bad_one_is_explained(assigned, experts, client_for):
    mine = Assignment.objects.filter(expert__user=experts["exp_free"]).first()
    item = assigned.items.get(text="程序合法")
    client = client_for(experts["exp_free"])
    url = reverse("casereview:file_review", args=[mine.pk])
    bad = client.post(url, {f"deduct_{item.pk}": "10", f"reason_{item.pk}": ""})
    assert bad.status_code == 400 and "须写明理由" in bad.content.decode()
    ok = client.post(url, {f"deduct_{item.pk}": "10", f"reason_{item.pk}": "未告知"})
    assert ok.status_code == 302
    mine.refresh_from_db()
    assert str(mine.score) == "90.00"


def test_draw_page_shows_numbers_then_draws_on_confirmation(staffed, people, client_for):
    client = client_for(people["office"])
    url = reverse("casereview:draw", args=[staffed.pk])
    page = client.get(url).content.decode()
    assert "7 件案卷" in page and "共抽取 4 件" in page
    assert client.post(url, {}).status_code == 200 and not Sample.objects.exists()  # no confirmation: no draw
    assert client.post(url, {"confirm": "yes", "size": "7"}).status_code == 302
    assert Sample.objects.get().population_size == 7


def test_import_errors_page(review, people, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(people["assessed"]).post(reverse("casereview:file_import", args=[review.pk]),
                                                   {"file": SimpleUploadedFile("a.xlsx", b"not excel")})
    assert response.status_code == 400 and "Excel" in response.content.decode()


def test_scanned_file_only_for_office_own_unit_and_assigned_expert(review, people, experts, client_for, units):
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    scan = SimpleUploadedFile("卷.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")
    case_file = services.file_register(user=people["assessed"], review=review, number="郑扫1", case_type="penalty",
                                       title="扫描件案", closed_on=dt.date(2025, 3, 1), attachment=scan)
    services.file_register(user=people["assessed_c2"], review=review, number="汴1", case_type="penalty", title="x",
                           closed_on=dt.date(2025, 3, 1))
    services.expert_add(user=people["office"], review=review, expert=experts["exp_free"])
    services.expert_add(user=people["office"], review=review, expert=experts["exp_sys"])
    services.sample_draw(user=people["office"], review=review, seed="scan")
    services.assignments_make(user=people["office"], review=review)
    url = reverse("casereview:attachment", args=[case_file.pk])
    holder = case_file.assignment.expert.user
    other = experts["exp_sys"] if holder == experts["exp_free"] else experts["exp_free"]
    assert client_for(people["office"]).get(url).status_code == 200
    assert client_for(people["assessed"]).get(url).status_code == 200
    assert client_for(holder).get(url).status_code == 200
    assert client_for(other).get(url).status_code == 404
    assert client_for(people["assessed_c2"]).get(url).status_code == 404
