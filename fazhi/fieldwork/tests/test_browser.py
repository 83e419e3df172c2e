"""A field team member reaches the visit from the home card in one click, sees the sample drawn before the visit,
imports a 法治理论测试 file that has a mistake (refused whole, with row and column), then the corrected file, and
sees the unit averages and the rule's calculation."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from fazhi.fieldwork import services
from fazhi.fieldwork.models import TestResult
from fazhi.io.excel import build_workbook
from fazhi.testing.browser import login, wait_for_text

pytestmark = [pytest.mark.browser]


def _upload(browser, path) -> None:
    form = browser.find_element(By.CSS_SELECTOR, "#theory-test form")
    form.find_element(By.NAME, "file").send_keys(str(path))
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


@pytest.mark.django_db(transaction=True)
def test_team_imports_a_theory_test_in_the_browser(live_server, browser, transactional_db, visit, people, field_user,
                                                   tmp_path):
    services.sample_draw(user=people["office"], visit=visit, seed="浏览器-2025")
    drawn = [s.unit for s in visit.sampled.select_related("unit")]
    rows = [{"name": f"测试{i}", "post": "科员", "unit": [visit.unit, *drawn][i % 4].name, "score": 80 + i}
            for i in range(4)]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(build_workbook("法治理论测试", services.theory_columns(),
                                   [*rows[:2], {"name": "外单位", "post": "科员", "unit": "开封市人民政府", "score": 90}]))
    good = tmp_path / "good.xlsx"
    good.write_bytes(build_workbook("法治理论测试", services.theory_columns(), rows))

    login(browser, live_server.url, "field_a", "pw-Secret-1")
    browser.find_element(By.CSS_SELECTOR, "a.stat-card[href$='/fieldwork/']").click()  # the home card
    browser.find_element(By.LINK_TEXT, visit.unit.name).click()
    wait_for_text(browser, "浏览器-2025")  # the published seed of the draw made before the visit
    for unit in drawn:
        wait_for_text(browser, unit.name)
    _upload(browser, bad)
    wait_for_text(browser, "第4行")  # the header is row 1: the third person is on row 4
    wait_for_text(browser, "“单位”列")
    assert not TestResult.objects.exists()  # all or nothing
    browser.find_element(By.PARTIAL_LINK_TEXT, "返回").click()
    _upload(browser, good)
    wait_for_text(browser, "已导入 4 人的法治理论测试成绩")
    assert TestResult.objects.count() == 4
    # 4 of 5 sat (80% of the 90% required), average 81.5 → 10 × 81.5 ÷ 100 × 80% ÷ 90% = 7.24
    wait_for_text(browser, "10 × 81.5 ÷ 100 × 80% ÷ 90% = 7.24", within=(By.ID, "theory-test"))
    assert browser.find_element(By.ID, "theory-value").text == "7.24"
