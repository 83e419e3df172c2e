"""One permission vocabulary (STYLE): every app's ``policies.py`` has ``<things>_for(user, action)`` and
``get_<thing>_or_404(user, pk, action)``; an unknown action is an error (fail closed), an object outside the scope
answers 404 and anyone unknown gets nothing."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

#: the seeds are other governments' reports submitted here as test data: confirmed with this reason
SEED_ELSEWHERE = "示例报告：原文来自其他单位"

APPS = sorted(config.name.removeprefix("fazhi.") for config in django_apps.get_app_configs()
              if config.name.startswith("fazhi."))


def _verbs(app):
    module = importlib.import_module(f"fazhi.{app}.policies")
    functions = dict(inspect.getmembers(module, inspect.isfunction))
    scopes = {n: f for n, f in functions.items() if n.endswith("_for") and f.__module__ == module.__name__
              and list(inspect.signature(f).parameters)[:2] == ["user", "action"]}
    getters = {n: f for n, f in functions.items() if n.startswith("get_") and n.endswith("_or_404")
               and list(inspect.signature(f).parameters)[:3] == ["user", "pk", "action"]}
    return scopes, getters


@pytest.mark.parametrize("app", APPS)
def test_every_app_speaks_the_same_verbs(app):
    scopes, getters = _verbs(app)
    assert scopes and getters, f"fazhi/{app}/policies.py needs <things>_for(user, action) and get_<thing>_or_404"
    for function in scopes.values():
        with pytest.raises(ValueError):
            function(AnonymousUser(), "obliterate")


@pytest.mark.parametrize("app", APPS)
def test_anyone_unknown_gets_nothing(app, db):
    scopes, _getters = _verbs(app)
    for name, function in scopes.items():
        if app == "portal" and name == "reports_for":
            continue  # published reports are public
        action = inspect.signature(function).parameters["action"].default
        assert not function(AnonymousUser(), action).exists(), name


def test_out_of_scope_objects_answer_404(people, units):
    from fazhi.orgs import policies as orgs
    from fazhi.portal import policies as portal
    from fazhi.portal import services
    from fazhi.reports import policies as reports
    from fazhi.reports import services as report_services

    opinion = services.opinion_submit(text="关于开封市的意见。", about_unit=units["C2"], ip="192.0.2.9")
    assert portal.get_opinion_or_404(people["office"], opinion.pk) == opinion
    with pytest.raises(Http404):
        portal.get_opinion_or_404(people["city_office"], opinion.pk)  # 开封 is not in 郑州's subtree
    report = report_services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed"], unit=units["C1"], year=2023,
                                         text="郑州市人民政府2023年法治政府建设情况报告\n一、主要举措\n")
    assert reports.get_report_or_404(people["assessed"], report.pk) == report
    for outsider in (people["assessed_c2"], people["other_office"], people["expert"]):
        with pytest.raises(Http404):
            reports.get_report_or_404(outsider, report.pk)
    with pytest.raises(Http404):
        reports.get_report_or_404(people["assessed"], report.pk, "review")  # a unit reads, never reviews
    with pytest.raises(Http404):
        orgs.get_unit_or_404(people["city_office"], units["C2"].pk, "manage")
    assert orgs.get_unit_or_404(people["city_office"], units["C1-D1"].pk, "manage") == units["C1-D1"]
