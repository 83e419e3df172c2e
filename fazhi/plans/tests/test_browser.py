"""In Chromium: the office imports seed 003, reviews the preview, confirms, and opens the dashboard's map."""

import pytest
from selenium.webdriver.common.by import By

from fazhi.testing.browser import login, wait_for_text, wait_until

from .conftest import SEEDS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_imports_seed_003_and_sees_the_map(live_server, browser, people):
    login(browser, live_server.url, "office", "pw-Secret-1")
    browser.get(live_server.url + "/plans/import/")
    seed = next(SEEDS.glob("003_*.txt"))
    browser.find_element(By.NAME, "file").send_keys(str(seed))
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit].primary").click()
    wait_for_text(browser, "确认导入", timeout=20)
    rows = browser.find_elements(By.CSS_SELECTOR, "#preview-table tbody tr")
    assert len(rows) == 54
    title = browser.find_element(By.NAME, "plan_title").get_attribute("value")
    assert title == "河南省2020年度法治政府建设工作安排"
    browser.find_element(By.ID, "confirm-import").click()
    wait_for_text(browser, "已导入 54 个条目", timeout=20)
    assert "持续强化“1211”法治政府建设推进机制" in browser.find_element(By.ID, "task-tree").text
    browser.find_element(By.LINK_TEXT, "督导看板").click()
    wait_until(browser, lambda d: d.find_element(By.ID, "chart-map").get_attribute("data-ready") == "1")
    assert browser.find_elements(By.CSS_SELECTOR, "#chart-map canvas")
    names = browser.execute_script(
        "return echarts.getMap('henan').geoJSON.features.map(function (f) { return f.properties.name; });")
    assert "郑州市" in names and "济源市" in names and len(names) == 18


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_editing_a_task_keeps_its_deadline(live_server, people, small_plan, language):
    """The edit form is pre-filled with the task's deadline in the date picker, in Chinese and in English;
    saving another field keeps the deadline (it used to be pre-filled as 2020/07/31 and saved empty)."""
    import datetime

    from fazhi.testing.browser import make_driver

    driver = make_driver(language)
    try:
        task = small_plan.tasks.get(title="任务A")
        login(driver, live_server.url, "office", "pw-Secret-1")
        driver.get(f"{live_server.url}/plans/tasks/{task.pk}/")
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang").startswith(language[:2])
        form = driver.find_element(By.CSS_SELECTOR, f"form[action='/plans/tasks/{task.pk}/edit/']")
        deadline = form.find_element(By.NAME, "deadline")
        assert deadline.get_attribute("type") == "date"
        assert deadline.get_attribute("value") == "2020-07-31"  # the picker holds it (an invalid value reads "")
        title = form.find_element(By.NAME, "title")
        title.clear()
        title.send_keys("任务A（改）")
        form.find_element(By.CSS_SELECTOR, "button.primary").click()
        wait_until(driver, lambda d: "任务A（改）" in d.find_element(By.TAG_NAME, "h1").text)
        task.refresh_from_db()
        assert task.title == "任务A（改）" and task.deadline == datetime.date(2020, 7, 31)
        form = driver.find_element(By.CSS_SELECTOR, f"form[action='/plans/tasks/{task.pk}/edit/']")
        assert form.find_element(By.NAME, "deadline").get_attribute("value") == "2020-07-31"
    finally:
        driver.quit()


def test_bulk_assign_with_the_searchable_unit_chooser(live_server, browser, people, units):
    """The office ticks every task of the page, finds the lead unit by typing its name and a cooperating unit
    by filtering the list, and assigns them all in one go."""
    from fazhi.plans import services

    office = people["office"]
    plan = services.plan_create(user=office, title="批量分配计划", year=2026)
    chapter = services.task_create(user=office, plan=plan, title="第一章")
    for i in range(3):
        services.task_create(user=office, plan=plan, parent=chapter, title=f"任务{i}")
    login(browser, live_server.url, "office", "pw-Secret-1")
    browser.get(f"{live_server.url}/plans/{plan.pk}/assign/")
    assert "3 项任务没有牵头单位" in browser.find_element(By.ID, "missing-lead").text
    browser.find_element(By.NAME, "lead_unit").send_keys("省司法厅")
    search = browser.find_element(By.CSS_SELECTOR, "input[data-filter-for='cooperating-units']")
    search.send_keys("开封")
    options = browser.find_elements(By.CSS_SELECTOR, "#cooperating-units option")
    visible = browser.execute_script(  # Selenium counts every option of a shown list as displayed
        "return Array.from(document.querySelectorAll('#cooperating-units option'))"
        ".filter(function (o) { return !o.hidden; }).map(function (o) { return o.text; });")
    assert visible == ["开封市人民政府"], visible
    next(o for o in options if o.text == "开封市人民政府").click()
    browser.find_element(By.ID, "select-all").click()
    assert all(box.is_selected() for box in browser.find_elements(By.NAME, "tasks"))
    browser.find_element(By.CSS_SELECTOR, "button[name=scope][value=selected]").click()
    wait_for_text(browser, "已为 3 项任务分配责任单位")
    for task in plan.tasks.exclude(pk=chapter.pk):
        assert task.lead_unit == units["D1"]
        assert list(task.cooperating_units.all()) == [units["C2"]]
