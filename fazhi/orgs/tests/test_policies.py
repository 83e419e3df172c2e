"""Data scope: an office sees its own subtree only; everyone else its own unit; the public nothing."""

import pytest

from fazhi.orgs import policies
from fazhi.orgs.models import Unit


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def test_province_office_manages_the_province_subtree_and_nothing_else(people, units):
    managed = codes(policies.managed_units(people["office"]))
    assert {"P", "C1", "C1-OFFICE", "C1-D1", "C2", "D1", "D2", "X1"} <= managed
    assert "P2" not in managed and "P2-OFFICE" not in managed


def test_city_office_sees_only_its_city(people):
    assert codes(policies.managed_units(people["city_office"])) == {"C1", "C1-OFFICE", "C1-D1"}


def test_another_province_office_sees_nothing_of_ours(people, units):
    managed = codes(policies.managed_units(people["other_office"]))
    assert managed == {"P2", "P2-OFFICE"}
    assert not policies.can_manage(people["other_office"], units["C1"])


@pytest.mark.parametrize("role", ["assessing", "assessed", "expert", "field_team", "survey"])
def test_non_office_roles_manage_nothing_and_see_only_their_unit(people, role):
    user = people[role]
    assert not policies.managed_units(user).exists()
    assert codes(policies.visible_units(user)) == {user.unit.code}


def test_public_and_anonymous_see_nothing(people):
    from django.contrib.auth.models import AnonymousUser

    assert not policies.visible_units(people["public"]).exists()
    assert not policies.visible_units(AnonymousUser()).exists()
    assert not policies.managed_units(AnonymousUser()).exists()


def test_office_without_unit_fails_closed(make_user):
    user = make_user("lost", "office", None)
    assert not policies.managed_units(user).exists()
    assert not policies.visible_units(user).exists()


def test_moving_a_unit_rewrites_the_paths_of_its_subtree(units):
    c1 = units["C1"]
    c1.parent = units["P2"]
    c1.save()
    dept = Unit.objects.get(code="C1-D1")
    assert dept.path.startswith(Unit.objects.get(code="P2").path)
    assert set(Unit.objects.subtree_of(units["P2"]).values_list("code", flat=True)) >= {"C1", "C1-D1", "C1-OFFICE"}
    assert "C1-D1" not in set(Unit.objects.subtree_of(Unit.objects.get(code="P")).values_list("code", flat=True))


def test_a_unit_cannot_be_moved_under_its_own_descendant(units):
    from django.core.exceptions import ValidationError

    c1 = units["C1"]
    c1.parent = units["C1-D1"]
    with pytest.raises(ValidationError):
        c1.full_clean()
