"""Headless Chromium for browser tests (Debian's chromium + chromedriver, driven by Selenium)."""

from __future__ import annotations

import shutil
import tempfile

from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def make_driver(language: str = "zh-CN") -> webdriver.Chrome:
    """A headless Chromium with no background networking (the machine's network is closed)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1366,900", f"--lang={language}",
        f"--user-data-dir={tempfile.mkdtemp(prefix='fazhi-chromium-')}",
    ):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console, CSP reports included
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


def login(driver, base_url: str, username: str, password: str) -> None:
    driver.get(base_url + "/login/")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit].primary").click()
    WebDriverWait(driver, 10).until(expected_conditions.url_contains("/home/"))


def body_text(driver, within: tuple[str, str] = (By.TAG_NAME, "body")) -> str:
    """The visible text of the page (or of ``within``); an empty string while the page is being replaced."""
    try:
        return driver.find_element(*within).text
    except WebDriverException as exc:
        if _transient(exc):
            return ""
        raise


def _transient(exc: WebDriverException) -> bool:
    """Errors Chromium gives while the page is being replaced: the element or node is gone, not the test."""
    return isinstance(exc, StaleElementReferenceException | NoSuchElementException) or any(
        sign in str(exc) for sign in ("does not belong to the document", "no such execution context"))


def wait_until(driver, condition, timeout: int = 20):
    """Wait for ``condition(driver)`` to be truthy; a read that failed because the page changed under it counts
    as "not yet" and is asked again."""

    def tolerant(d):
        try:
            return condition(d)
        except WebDriverException as exc:
            if _transient(exc):
                return False
            raise

    return WebDriverWait(driver, timeout).until(tolerant)


def wait_for_text(driver, text: str, timeout: int = 20, within: tuple[str, str] = (By.TAG_NAME, "body")) -> None:
    """Wait until ``text`` shows in the page (or in the element ``within``, e.g. ``(By.ID, "status")``)."""
    wait_until(driver, lambda d: text in d.find_element(*within).text, timeout)
