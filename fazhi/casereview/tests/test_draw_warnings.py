"""Before an irreversible draw the office is told what it would not get: no file registered at all (no draw
offered, the POST refused), targeted units without files or with fewer than the sample size. The record keeps its
sizes and refuses bulk writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fazhi.casereview import services
from fazhi.casereview.models import CaseReview, Sample

pytestmark = pytest.mark.django_db


def test_empty_population_no_draw_offered_and_post_refused(review, people, client_for):
    office = client_for(people["office"])
    url = reverse("casereview:draw", args=[review.pk])
    page = office.get(url).content.decode()
    assert "draw-warnings" in page and "还没有单位登记案卷，不能抽样" in page and 'name="confirm"' not in page
    response = office.post(url, {"confirm": "yes", "size": "0"})
    assert response.status_code == 400 and "还没有单位登记案卷" in response.content.decode()
    assert not Sample.objects.exists() and CaseReview.objects.get(pk=review.pk).status == "registering"


def test_units_without_or_with_few_files_are_named(review, people, client_for):
    services.file_register(user=people["assessed"], review=review, number="郑罚1", case_type="penalty", title="一",
                           closed_on=dt.date(2025, 5, 1))
    page = client_for(people["office"]).get(reverse("casereview:draw", args=[review.pk])).content.decode()
    assert "以下单位没有登记案卷" in page and "开封市人民政府" in page
    assert "以下单位登记的案卷少于 2 件，将全部抽取：郑州市人民政府" in page
    assert 'name="confirm"' in page  # a partial population may still be drawn, knowingly


def test_sizes_recorded_and_bulk_writes_refused(staffed, people):
    sample = services.sample_draw(user=people["office"], review=staffed, seed="s", confirm_files=7)
    assert sample.k == "2"
    with pytest.raises(ValidationError):
        Sample.objects.filter(pk=sample.pk).update(seed="x")
    with pytest.raises(ValidationError):
        Sample.objects.all().delete()
    assert Sample.objects.get().seed == "s"
