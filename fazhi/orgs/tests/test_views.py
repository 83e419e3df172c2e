"""Pages of the orgs app: who gets in, who is refused, and what each sees."""

import pytest
from django.urls import reverse

OFFICE_PAGES = ["orgs:unit_list", "orgs:unit_export", "orgs:unit_import", "orgs:people", "orgs:login_log"]
NON_OFFICE = ["assessing", "assessed", "expert", "field_team", "survey", "public"]


@pytest.mark.parametrize("page", OFFICE_PAGES)
@pytest.mark.parametrize("role", NON_OFFICE)
def test_office_pages_refuse_every_other_role(people, client_for, page, role):
    response = client_for(people[role]).get(reverse(page))
    assert response.status_code == 403


@pytest.mark.parametrize("page", OFFICE_PAGES)
def test_office_pages_send_anonymous_users_to_login(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unit_list_shows_the_subtree_only(people, client_for):
    body = client_for(people["city_office"]).get(reverse("orgs:unit_list")).content.decode()
    assert "郑州市司法局" in body
    assert "开封市人民政府" not in body
    assert "另一省人民政府" not in body


def test_unit_detail_outside_scope_is_404(people, units, client_for):
    url = reverse("orgs:unit_detail", args=["C2"])
    assert client_for(people["city_office"]).get(url).status_code == 404
    assert client_for(people["other_office"]).get(url).status_code == 404
    assert client_for(people["office"]).get(url).status_code == 200


@pytest.mark.parametrize("role", ["office", "assessing", "assessed", "expert", "field_team", "survey"])
def test_every_role_has_a_home_page(people, client_for, role):
    user = people[role]
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    assert user.get_role_display() in response.content.decode()


def test_the_public_is_sent_to_the_portal(people, client_for):
    response = client_for(people["public"]).get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("portal:index")


def test_home_requires_login(client):
    assert client.get(reverse("home")).status_code == 302


def test_navigation_differs_by_role(people, client_for):
    office_page = client_for(people["office"]).get(reverse("home")).content.decode()
    assessed_page = client_for(people["assessed"]).get(reverse("home")).content.decode()
    unit_list = reverse("orgs:unit_list")
    assert f'href="{unit_list}"' in office_page
    assert f'href="{unit_list}"' not in assessed_page


def test_language_switch_to_english(people, client_for):
    client = client_for(people["office"])
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    body = client.get(reverse("orgs:unit_list")).content.decode()
    assert "Unit management" in body
    assert 'lang="en"' in body


def test_api_units_are_scoped(people, client_for):
    data = client_for(people["city_office"]).get("/api/orgs/units/").json()
    assert {row["code"] for row in data["results"]} == {"C1", "C1-OFFICE", "C1-D1"}
    data = client_for(people["assessed"]).get("/api/orgs/units/").json()
    assert [row["code"] for row in data["results"]] == ["C1"]
    assert client_for(people["public"]).get("/api/orgs/units/").json()["results"] == []
    assert client_for(None).get("/api/orgs/units/").status_code == 401  # anonymous: 401 with WWW-Authenticate: Bearer
    assert client_for(people["city_office"]).get("/api/orgs/units/C2/").status_code == 404


def test_openapi_schema_is_served(people, client_for):
    response = client_for(people["office"]).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/orgs/units/" in response.content


def test_admin_list_is_scoped_for_staff_offices(people, client_for, units):
    user = people["city_office"]
    user.is_staff = True
    user.save()
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="view_unit"))
    body = client_for(user).get("/admin/orgs/unit/").content.decode()
    assert "郑州市司法局" in body
    assert "开封市人民政府" not in body
