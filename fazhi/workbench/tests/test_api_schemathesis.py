"""The API against its own OpenAPI description (issue 14, "Figures"): schemathesis generates requests for every
operation of /api/schema/ (drf-spectacular) — valid ones and invalid ones — and sends them, signed in as the
province's office (session cookie and CSRF token, as the browser does), through the WSGI application in this
process. Every answer must be no server error (5xx) and must match the schema: status code documented, content
type and body as described. Bounded: a few examples per operation and a deadline, so it stays in the normal suite.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CSRF = "a" * 32  # an unmasked CSRF secret: the cookie and the header carry the same value


@pytest.fixture
def api_data(people, units):
    """Something behind each kind of object, so generated ids and codes sometimes hit a real one."""
    from fazhi.assessment.models import Campaign, Result
    from fazhi.plans import services as plan_services

    office = people["office"]
    campaign = Campaign.objects.create(owner=units["P"], year=2024, name="河南省2024年度考核", status="published")
    Result.objects.create(campaign=campaign, unit=units["C1"], category=1, applicable_points=Decimal(100),
                          earned=Decimal(90), base=Decimal(90), bonus=Decimal(0), deduction=Decimal(0),
                          total=Decimal("90.5"), grade="优秀", rank=1, computed_at=timezone.now())
    plan = plan_services.plan_create(user=office, title="测试年度工作安排", year=2024)
    task = plan_services.task_create(user=office, plan=plan, title="任务一", deadline=datetime.date(2024, 7, 31))
    plan_services.task_assign(user=office, task=task, lead_unit=units["D1"])
    return {"campaign": campaign, "plan": plan}


@pytest.fixture
def office_session(people, api_data):
    from django.test import Client

    client = Client()
    client.force_login(people["office"])
    return client.cookies["sessionid"].value


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The test database lives in this test's transaction: keep the connection open across requests, as
    Django's own test client does (schemathesis sends them through the WSGI application directly)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _load_schema():
    """The same document /api/schema/ serves (drf-spectacular), made without a request or the database."""
    from drf_spectacular.generators import SchemaGenerator

    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = WSGIHandler()
    return loaded


schema = _load_schema()


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=8, deadline=datetime.timedelta(seconds=20), derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_schema_says(case, office_session):
    response = case.call_and_validate(
        cookies={"sessionid": office_session, "csrftoken": CSRF}, headers={"X-CSRFToken": CSRF},
        checks=CHECKS,
    )
    # 401/403 are documented (anyone may be refused), so make sure the run really was signed in: the office may
    # call every operation — unless schemathesis sent an Authorization header of its own (the Bearer scheme): a
    # made-up token is refused (401), another scheme is ignored and the session answers
    if "authorization" not in {key.lower() for key in (case.headers or {})}:
        assert response.status_code not in (401, 403), response.content[:200]


# --- what the run found, each fixed in the API (and kept by a test of its own) -----------------------------

def test_every_operation_documents_its_refusals():
    document = schema.raw_schema
    assert "Error" in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)


def test_a_nullable_unit_code_is_documented_as_nullable():
    units = schema.raw_schema["components"]["schemas"]
    assert units["Unit"]["properties"]["parent"].get("nullable") is True
    assert units["Task"]["properties"]["lead_unit"].get("nullable") is True


@pytest.mark.django_db
def test_an_unknown_api_path_answers_in_json(client_for, people):
    response = client_for(people["office"]).get("/api/reports/public/not-a-number/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    assert "text/html" in client_for(None).get("/no-such-page/")["Content-Type"]  # pages keep the HTML page


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["[null, null]", "{not json", '"text"'])
def test_the_engine_refuses_a_body_that_is_not_an_object_in_its_documented_shape(client_for, people, body):
    response = client_for(people["office"]).post("/api/assessment/compute/", body, content_type="application/json")
    assert response.status_code == 400
    data = response.json()
    assert set(data) == {"detail", "message_zh", "message_en", "unit", "indicator", "path"}
    assert data["unit"] is None and data["message_zh"] and data["message_en"]
