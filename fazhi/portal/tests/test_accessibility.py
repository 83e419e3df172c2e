"""Every public page, in Chromium: no serious or critical accessibility violation (axe-core, installed from npm
into frontend/node_modules and injected by the test — never served), and no horizontal scroll at 375 px, the
width of a phone. Run in Chinese and in English."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from fazhi.reports import services as report_services
from fazhi.testing.browser import make_driver

from .test_portal import _campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[3] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
SEED = next((Path(__file__).resolve().parents[2] / "demo" / "seeds").glob("000_*.txt"))


@pytest.fixture
def public_data(people, units):
    report = report_services.report_save(user=people["assessed"], unit=units["C1"], year=2024,
                                         text=SEED.read_text(encoding="utf-8"),
                                         published_on=datetime.date(2025, 3, 27),
                                         provenance_reason="示例报告：原文来自其他单位")
    report_services.report_review(user=people["office"], report=report, action="accept", text="已核实：示例报告")
    campaign = _campaign(units, "published")
    return {"report": report.pk, "campaign": campaign.pk}


def _pages(data) -> list[str]:
    return ["/", "/public/reports/", f"/public/reports/{data['report']}/", "/public/search/?q=法治",
            "/public/results/", f"/public/results/{data['campaign']}/", "/public/opinion/",
            "/public/opinion/status/", "/public/opinion/status/?ref=MY2026-AAAAAAAA", "/login/"]


def _serious(driver) -> list[str]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(function (r) { done(r.violations.map(function (v) {"
        " return [v.id, v.impact, v.nodes.length, v.nodes.slice(0, 2).map(function (n) { return n.target.join(' '); })];"
        " })); });")
    return [v for v in result if v[1] in ("serious", "critical")]


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_public_pages_meet_axe_and_fit_a_phone(live_server, public_data, language):
    assert AXE.exists(), "run `npm ci` in frontend/ (make setup)"
    driver = make_driver(language)
    driver.set_script_timeout(60)
    try:
        problems, wide = {}, {}
        for path in _pages(public_data):
            driver.set_window_size(1366, 900)
            driver.get(live_server.url + path)
            found = _serious(driver)
            if found:
                problems[path] = found
            driver.set_window_size(375, 800)
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
            if overflow > 1:
                wide[path] = overflow
        assert problems == {}, f"serious or critical accessibility violations: {problems}"
        assert wide == {}, f"pages wider than a 375 px phone (px of horizontal scroll): {wide}"
    finally:
        driver.quit()
