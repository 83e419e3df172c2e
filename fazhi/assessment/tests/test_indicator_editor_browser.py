"""In Chromium, in Chinese and English: the office builds part of the indicator tree in the browser — a heading, a
leaf whose assessing unit is found by typing its name — moves the heading up in place (htmx, no reload) and
deletes the leaf after confirming."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from fazhi.testing.browser import login, make_driver, wait_for_text, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "zh-CN": {"added": "已添加“H3 四、普法责任”", "tree": "添加一级标题"},
    "en": {"added": "Added “H3 四、普法责任”", "tree": "Add top-level heading"},
}


def codes(driver) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#indicator-table tbody tr[data-code]'))"
        ".map(function (r) { return r.dataset.code; });")


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_office_edits_the_tree_in_the_browser(live_server, campaign, units, language):
    text = TEXT[language]
    driver = make_driver(language)
    try:
        login(driver, live_server.url, "office", "pw-Secret-1")
        tree_url = f"{live_server.url}/assessment/campaigns/{campaign.pk}/indicators/"
        driver.get(tree_url)
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang").startswith(language[:2])
        assert text["tree"] in driver.find_element(By.ID, "add-heading").text

        # a heading at the top level
        driver.find_element(By.ID, "add-heading").click()
        code = driver.find_element(By.NAME, "code")
        code.clear()
        code.send_keys("H3")
        driver.find_element(By.NAME, "title").send_keys("四、普法责任")
        driver.find_element(By.ID, "save-indicator").click()
        wait_for_text(driver, text["added"])
        assert codes(driver) == ["H1", "A1", "A2", "H2", "B1", "H3"]

        # a leaf under it: the assessing unit found by typing part of its name, never its code
        h3 = campaign.indicators.get(code="H3")
        driver.find_element(By.CSS_SELECTOR, f"#ind-{h3.pk} a[href$='?parent={h3.pk}']").click()
        assert driver.find_element(By.NAME, "code").get_attribute("value") == "H3.1"
        driver.find_element(By.NAME, "title").send_keys("落实普法责任清单")
        driver.find_element(By.NAME, "points").send_keys("10")
        for category in ("2", "4"):
            driver.find_element(By.CSS_SELECTOR, f"input[name=categories][value='{category}']").click()
        driver.find_element(By.ID, "assessing-search").send_keys("办公")
        shown = driver.execute_script(
            "return Array.from(document.querySelectorAll('#id_assessing_units label'))"
            ".filter(function (l) { return l.offsetParent !== null; }).map(function (l) { return l.textContent.trim(); });")
        assert shown == ["省委办公厅"], shown
        driver.find_element(By.CSS_SELECTOR, f"input[name=assessing_units][value='{units['D2'].pk}']").click()
        driver.find_element(By.ID, "save-indicator").click()
        wait_until(driver, lambda d: "H3.1" in codes(d))
        leaf = campaign.indicators.get(code="H3.1")
        assert leaf.parent == h3 and str(leaf.points) == "10.00" and leaf.categories == [2, 4]
        assert [u.name for u in leaf.assessing_units.all()] == ["省委办公厅"]
        assert "省委办公厅" in driver.find_element(By.ID, f"ind-{leaf.pk}").text

        # move the heading up: the tree is redrawn in place (the page is not reloaded)
        driver.execute_script("window.fazhiSamePage = true;")
        driver.find_element(By.CSS_SELECTOR, f"#ind-{h3.pk} button.move-up").click()
        wait_until(driver, lambda d: codes(d) == ["H1", "A1", "A2", "H3", "H3.1", "H2", "B1"])
        assert driver.execute_script("return window.fazhiSamePage === true;")

        # delete the leaf, after confirming
        driver.find_element(By.CSS_SELECTOR, f"#ind-{leaf.pk} button.delete-indicator").click()
        WebDriverWait(driver, 10).until(expected_conditions.alert_is_present())
        driver.switch_to.alert.accept()
        wait_until(driver, lambda d: "H3.1" not in codes(d))
        assert not campaign.indicators.filter(code="H3.1").exists()
        assert list(campaign.indicators.order_by("sort").values_list("code", flat=True)) == [
            "H1", "A1", "A2", "H3", "H2", "B1"]
    finally:
        driver.quit()
