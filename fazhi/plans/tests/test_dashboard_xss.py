"""Finding 3 of issue 14: a milestone title ``<img src=x onerror=…>`` ran in the dashboard's timeline tooltip
(the ECharts formatter built HTML from it). In Chromium: the tooltip shows the title as text; nothing runs."""

import datetime

import pytest
from selenium.webdriver.common.by import By

from fazhi.plans import services
from fazhi.testing.browser import login, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = '<img src=x onerror="window.__xss=1">'


def test_a_hostile_milestone_title_is_shown_as_text_in_the_tooltip(live_server, browser, people, small_plan):
    task = small_plan.tasks.get(title="任务A")
    services.milestone_create(user=people["office"], task=task, title=HOSTILE, due=datetime.date(2020, 6, 30))
    login(browser, live_server.url, "office", "pw-Secret-1")
    browser.get(f"{live_server.url}/plans/{small_plan.pk}/dashboard/")
    wait_until(browser, lambda d: d.execute_script("return !!(window.fazhiDashboard && "
                                                   "window.fazhiDashboard.charts['chart-timeline'])"))
    index = browser.execute_script(
        "var data = window.fazhiDashboard.data.timeline;"
        "for (var i = 0; i < data.length; i++) { if (data[i].title.indexOf('<img') >= 0) { return i; } } return -1;")
    assert index >= 0
    browser.execute_script(
        "window.fazhiDashboard.charts['chart-timeline'].dispatchAction("
        "{type: 'showTip', seriesIndex: 0, dataIndex: arguments[0]});", index)
    wait_until(browser, lambda d: HOSTILE in d.find_element(By.ID, "chart-timeline").text)
    assert not browser.find_elements(By.CSS_SELECTOR, "#chart-timeline img")
    assert browser.execute_script("return window.__xss === undefined")
