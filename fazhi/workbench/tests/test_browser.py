"""In Chromium, Chinese and English: signing in lands on the workbench with its 待办; a 待办 link opens its page."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from fazhi.testing.browser import login, make_driver, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {"zh-CN": ("待办", "近期截止", "最近动态"), "en": ("To do", "Deadlines ahead", "Recent activity")}


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_signing_in_lands_on_the_workbench(live_server, people, language):
    driver = make_driver(language)
    try:
        login(driver, live_server.url, "office", "pw-Secret-1")
        assert driver.current_url == live_server.url + "/home/"
        for heading in HEADINGS[language]:
            assert heading in driver.find_element(By.TAG_NAME, "main").text
        links = driver.find_elements(By.CSS_SELECTOR, "#todo a")
        assert len(links) >= 5
        target = links[0].get_attribute("href")
        links[0].click()
        wait_until(driver, lambda d: d.current_url == target)
        assert "500" not in driver.title
    finally:
        driver.quit()
