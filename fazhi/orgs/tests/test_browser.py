"""The base layout in headless Chromium: sign in, the role's menu, the language switch, a refusal."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from fazhi.testing.browser import login, wait_for_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_signs_in_sees_its_menu_and_switches_to_english(live_server, browser, people):
    login(browser, live_server.url, "office", "pw-Secret-1")
    menu = browser.find_element(By.CSS_SELECTOR, "nav.mainnav").text
    assert "年度考核" in menu and "系统管理" in menu
    browser.find_element(By.CSS_SELECTOR, "details.navmenu summary").click()
    browser.find_element(By.LINK_TEXT, "单位管理").click()
    wait_for_text(browser, "郑州市司法局")
    assert "另一省人民政府" not in browser.find_element(By.TAG_NAME, "body").text
    Select(browser.find_element(By.NAME, "language")).select_by_value("en")
    wait_for_text(browser, "Unit management")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"


def test_assessed_unit_has_no_office_menu_and_is_refused(live_server, browser, people):
    login(browser, live_server.url, "assessed", "pw-Secret-1")
    menu = browser.find_element(By.CSS_SELECTOR, "nav.mainnav").text
    assert "系统管理" not in menu and "年度考核" not in menu
    browser.get(live_server.url + "/orgs/units/")
    wait_for_text(browser, "您没有访问此页面的权限")
    assert "郑州市司法局" not in browser.find_element(By.TAG_NAME, "body").text


def test_wrong_password_is_refused_with_a_message(live_server, browser, people):
    browser.get(live_server.url + "/login/")
    browser.find_element(By.NAME, "username").send_keys("office")
    browser.find_element(By.NAME, "password").send_keys("wrong")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit].primary").click()
    wait_for_text(browser, "用户名或密码不正确")
