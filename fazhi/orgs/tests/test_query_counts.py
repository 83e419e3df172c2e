"""Query counts of the orgs pages do not grow with the data (STYLE: no N+1; query-count tests on list pages).

Each page is measured with a small and a larger data set under the same bound: a query per row makes the
larger case exceed it.
"""

import pytest
from django.urls import reverse

from fazhi.orgs.models import Level, LoginRecord, Role, Unit, UnitKind, User

SIZES = [3, 20]


def grow_units(units, n: int) -> None:
    """``n`` departments under 郑州市 (C1), each with one person and one sign-in record."""
    for i in range(n):
        unit = Unit.objects.create(code=f"C1-Q{i:02d}", name=f"郑州市测试局{i:02d}", level=Level.CITY,
                                   kind=UnitKind.DEPARTMENT, parent=units["C1"], category=4)
        user = User.objects.create_user(username=f"q{i:02d}", password="pw-Secret-1",  # noqa: S106
                                        role=Role.ASSESSED, unit=unit)
        LoginRecord.objects.create(username=user.username, user=user, succeeded=bool(i % 2), ip_address="127.0.0.1")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("page", "bound"), [
    ("orgs:unit_list", 8), ("orgs:people", 8), ("orgs:login_log", 8), ("home", 22),
])
def test_office_list_pages_query_count_is_constant(people, units, client_for, django_assert_max_num_queries,
                                                   size, page, bound):
    grow_units(units, size)
    client = client_for(people["office"])
    with django_assert_max_num_queries(bound):
        response = client.get(reverse(page))
    assert response.status_code == 200
    if page != "home":
        assert f"{size - 1:02d}" in response.content.decode()  # the rows are really on the page


@pytest.mark.parametrize("size", SIZES)
def test_unit_detail_query_count_is_constant(people, units, client_for, django_assert_max_num_queries, size):
    grow_units(units, size)
    client = client_for(people["office"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("orgs:unit_detail", args=["C1"]))
    assert response.status_code == 200
    assert f"郑州市测试局{size - 1:02d}" in response.content.decode()
