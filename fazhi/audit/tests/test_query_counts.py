"""Query counts of the audit log page do not grow with the number of events (STYLE: query-count tests)."""

import pytest
from django.urls import reverse

from fazhi.audit.services import record_event

SIZES = [3, 30]


@pytest.mark.parametrize("size", SIZES)
def test_event_list_query_count_is_constant(units, people, client_for, django_assert_max_num_queries, size):
    for i in range(size):
        record_event(actor=people["office"], action="test.change", target=units["C1" if i % 2 else "D1"],
                     before={"n": i}, after={"n": i + 1}, reason=f"理由{i:02d}")
    client = client_for(people["office"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("audit:event_list"))
    assert response.status_code == 200
    assert f"理由{size - 1:02d}" in response.content.decode()
