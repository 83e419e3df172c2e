"""The strict Content-Security-Policy in a real browser (issue 14, item 3): a refused script, handler or style
shows only there. Chromium opens the key pages — sign-in, the portal and a campaign's published results with the
grade map, the plan dashboard's ECharts (tooltips shown), the office's campaign results, the report comparison,
the API documentation — and every ``securitypolicyviolation`` event and every CSP message of the console is
collected: there must be none. The moved behaviour still works (the language switch, the delete confirmation)."""

from __future__ import annotations

import datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from fazhi.plans import services as plan_services
from fazhi.plans.models import Task
from fazhi.testing.browser import login, wait_for_text, wait_until
from fazhi.testing.lifecycle import activate_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: runs before any script of every page (CDP), so not even a violation during parsing is missed
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push([e.violatedDirective, e.blockedURI, e.sourceFile + ":" + e.lineNumber, e.sample].join(" | "));
});
"""


@pytest.fixture
def watched(browser):
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LISTEN})
    browser.get_log("browser")  # start from an empty console
    return browser


def _violations(driver) -> list[str]:
    found = list(driver.execute_script("return window.__csp || ['listener missing'];"))
    found += [entry["message"] for entry in driver.get_log("browser")
              if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]]
    return found


@pytest.fixture
def data(people, units):
    from fazhi.portal.tests.test_portal import _campaign

    units["C1"].region = "郑州市"
    units["C1"].save(update_fields=["region"])
    campaign = _campaign(units, "published")
    office = people["office"]
    plan = plan_services.plan_create(user=office, title="测试年度工作安排", year=2020)
    chapter = plan_services.task_create(user=office, plan=plan, title="第一章")
    task = plan_services.task_create(user=office, plan=plan, parent=chapter, title="任务A",
                                     deadline=datetime.date(2020, 7, 31))
    plan_services.task_assign(user=office, task=task, lead_unit=units["D1"], cooperating_units=[units["C1"]])
    plan_services.milestone_create(user=office, task=task, title="节点一", due=datetime.date(2020, 6, 30))
    activate_plan(user=office, plan=plan)
    return {"campaign": campaign.pk, "plan": plan.pk, "task": task.pk}


def test_key_pages_raise_no_csp_violation(live_server, watched, data):
    driver, url = watched, live_server.url
    seen: dict[str, list[str]] = {}

    def note(where):
        found = _violations(driver)
        if found:
            seen[where] = found

    def visit(path, ready=None):
        driver.get(url + path)
        if ready:
            wait_until(driver, lambda d: d.execute_script(ready))
        note(path)

    visit("/login/")
    visit("/")
    visit(f"/public/results/{data['campaign']}/", "return document.getElementById('grade-map').dataset.ready === '1'")
    driver.execute_script("echarts.getInstanceByDom(document.getElementById('grade-map')).dispatchAction("
                          "{type: 'showTip', seriesIndex: 0, name: '郑州市'});")
    note("grade map tooltip")

    login(driver, url, "office", "pw-Secret-1")
    visit("/home/")
    visit(f"/plans/{data['plan']}/dashboard/",
          "return !!(window.fazhiDashboard && window.fazhiDashboard.charts['chart-timeline'])")
    for chart in ("chart-unit", "chart-timeline"):  # tooltips are HTML ECharts writes: style attributes allowed
        driver.execute_script(f"window.fazhiDashboard.charts['{chart}'].dispatchAction("
                              "{type: 'showTip', seriesIndex: 0, dataIndex: 0});")
    note("dashboard tooltips")
    visit(f"/assessment/campaigns/{data['campaign']}/results/")
    visit("/reports/compare/")
    driver.execute_script("var c = echarts.getInstanceByDom(document.getElementById('compare-chart'));"
                          "c.dispatchAction({type: 'showTip', x: 200, y: 150});")
    note("compare tooltip")
    visit(f"/plans/tasks/{data['task']}/")
    visit("/api/docs/", "return !!document.querySelector('#swagger-ui .info')")
    assert seen == {}, f"CSP violations: {seen}"


def test_the_moved_handlers_still_work(live_server, watched, data):
    driver, url = watched, live_server.url
    login(driver, url, "office", "pw-Secret-1")
    # the language switch submits on change (data-autosubmit, fazhi.js)
    select = driver.find_element(By.NAME, "language")
    select.find_element(By.CSS_SELECTOR, "option[value=en]").click()
    wait_for_text(driver, "Sign out")
    # the delete button asks first (data-confirm); dismissing keeps the task
    driver.get(f"{url}/plans/tasks/{data['task']}/")
    driver.find_element(By.CSS_SELECTOR, "button[name=action][value=delete]").click()
    alert = WebDriverWait(driver, 10).until(expected_conditions.alert_is_present())
    assert "delete" in alert.text.lower()
    alert.dismiss()
    assert Task.objects.filter(pk=data["task"]).exists()
    assert _violations(driver) == []
