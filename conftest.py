"""Shared test fixtures: a small unit tree with two independent levels, and users of every role.

Tree (codes):
    P   河南省人民政府 (province)            P2  另一省人民政府 (a second, unrelated root)
    ├── P-OFFICE  省依法治省办 (office)      └── P2-OFFICE (office)
    ├── C1  郑州市 (category 1)
    │   ├── C1-OFFICE 郑州市依法治市办 (office)
    │   └── C1-D1 郑州市司法局 (category 4 of the city campaign)
    ├── C2  开封市 (category 1)
    ├── D1  省司法厅 (category 4)
    ├── D2  省委办公厅 (category 2)
    └── X1  第三方机构 (no category)
"""

from __future__ import annotations

import pytest
from django.test import Client

from fazhi.orgs.models import Level, Role, Unit, UnitKind, User


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate limits, login locks, the demo-mode flag)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _platform_language():
    """Each test ends in the platform's language: a request sent with ``Accept-Language: en`` leaves English active
    in the thread (``LocaleMiddleware`` does not reset it), and the next test's messages would be English."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def units(db) -> dict[str, Unit]:
    def make(code, name, level, kind, parent=None, category=None):
        return Unit.objects.create(code=code, name=name, level=level, kind=kind, parent=parent, category=category)

    u: dict[str, Unit] = {}
    u["P"] = make("P", "河南省人民政府", Level.PROVINCE, UnitKind.GOVERNMENT)
    u["P-OFFICE"] = make("P-OFFICE", "省依法治省办", Level.PROVINCE, UnitKind.OFFICE, u["P"])
    u["C1"] = make("C1", "郑州市人民政府", Level.CITY, UnitKind.GOVERNMENT, u["P"], 1)
    u["C1-OFFICE"] = make("C1-OFFICE", "郑州市依法治市办", Level.CITY, UnitKind.OFFICE, u["C1"])
    u["C1-D1"] = make("C1-D1", "郑州市司法局", Level.CITY, UnitKind.DEPARTMENT, u["C1"], 4)
    u["C2"] = make("C2", "开封市人民政府", Level.CITY, UnitKind.GOVERNMENT, u["P"], 1)
    u["D1"] = make("D1", "省司法厅", Level.PROVINCE, UnitKind.DEPARTMENT, u["P"], 4)
    u["D2"] = make("D2", "省委办公厅", Level.PROVINCE, UnitKind.PARTY_ORGAN, u["P"], 2)
    u["X1"] = make("X1", "第三方调查机构", Level.PROVINCE, UnitKind.THIRD_PARTY, u["P"])
    u["P2"] = make("P2", "另一省人民政府", Level.PROVINCE, UnitKind.GOVERNMENT)
    u["P2-OFFICE"] = make("P2-OFFICE", "另一省依法治省办", Level.PROVINCE, UnitKind.OFFICE, u["P2"])
    return u


@pytest.fixture
def make_user(db):
    def make(username: str, role: str, unit: Unit | None = None, **extra) -> User:
        user = User.objects.create_user(
            username=username, password="pw-Secret-1", role=role, unit=unit, **extra  # noqa: S106
        )
        return user

    return make


@pytest.fixture
def people(units, make_user) -> dict[str, User]:
    """One user per role, plus a city office and another province's office."""
    return {
        "office": make_user("office", Role.OFFICE, units["P-OFFICE"]),
        "city_office": make_user("city_office", Role.OFFICE, units["C1-OFFICE"]),
        "other_office": make_user("other_office", Role.OFFICE, units["P2-OFFICE"]),
        "assessing": make_user("assessing", Role.ASSESSING, units["D1"]),
        "assessed": make_user("assessed", Role.ASSESSED, units["C1"]),
        "assessed_c2": make_user("assessed_c2", Role.ASSESSED, units["C2"]),
        "expert": make_user("expert", Role.EXPERT, units["P-OFFICE"]),
        "field_team": make_user("field_team", Role.FIELD_TEAM, units["P-OFFICE"]),
        "survey": make_user("survey", Role.SURVEY, units["X1"]),
        "public": make_user("public", Role.PUBLIC, None),
        # 审定人 of the province and of 郑州市 (they approve their own level's campaign, never prepare it)
        # (usernames unlike the demo accounts ``approver`` / ``approver_zz``, which some tests load as well)
        "approver": make_user("p_approver", Role.APPROVER, units["P-OFFICE"]),
        "city_approver": make_user("c_approver", Role.APPROVER, units["C1-OFFICE"]),
    }


@pytest.fixture
def client_for():
    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def browser():
    """A headless Chromium driven by Selenium; closed after the test."""
    from fazhi.testing.browser import make_driver

    driver = make_driver()
    yield driver
    driver.quit()


@pytest.fixture
def broker_down():
    """The task queue as production has it (not eager), pointed at a closed loopback port: Redis is down."""
    from config.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url)
    def forget_connections():  # the producer and connection pools keep the broker they were made with
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.task_always_eager, app.conf.broker_url = False, "redis://127.0.0.1:9/15"
    forget_connections()
    yield app
    app.conf.task_always_eager, app.conf.broker_url = saved
    forget_connections()
