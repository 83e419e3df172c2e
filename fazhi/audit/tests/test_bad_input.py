"""Hostile query strings on the audit log page: a message naming the bad filter and a 400, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi.audit.models import AuditEvent


@pytest.mark.parametrize("key", ["target_type", "target_id", "action", "unit"])
@pytest.mark.parametrize("bad", ["a\x00b", "x" * 101, "\x1b[31m"])
def test_bad_filter_is_named_and_ignored(client_for, people, key, bad):
    before = list(AuditEvent.objects.order_by("pk").values())
    client = client_for(people["office"])
    client.raise_request_exception = False
    response = client.get(reverse("audit:event_list"), {key: bad})
    assert response.status_code == 400
    text = response.content.decode()
    assert "筛选条件无效" in text
    assert list(AuditEvent.objects.order_by("pk").values()) == before


@pytest.mark.parametrize("page", ["abc", "²", "9" * 30, "-1", "\x00"])
def test_bad_page_falls_back(client_for, people, page):
    client = client_for(people["office"])
    client.raise_request_exception = False
    assert client.get(reverse("audit:event_list"), {"page": page}).status_code == 200


def test_filters_of_ordinary_length_still_work(client_for, people):
    client = client_for(people["office"])
    response = client.get(reverse("audit:event_list"), {"target_type": "assessment.score", "target_id": "12"})
    assert response.status_code == 200
