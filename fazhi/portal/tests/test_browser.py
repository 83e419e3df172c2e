"""In Chromium: the public searches the portal and sees a highlighted hit; an assessed unit pastes its report
and sees the five-part check."""

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from fazhi.reports import services
from fazhi.testing.browser import login, wait_for_text

#: the seeds are other governments' reports submitted here as test data: confirmed with this reason
SEED_ELSEWHERE = "示例报告：原文来自其他单位"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"


def seed(number: str) -> str:
    return next(SEEDS.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture
def _clean_fts():
    """Transactional tests end with a flush, which does not know the FTS5 virtual table: empty it here."""
    yield
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM portal_search_fts")


def test_public_search_and_assessed_submission(live_server, browser, people, units, _clean_fts):
    report = services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["office"], unit=units["C2"], year=2024, text=seed("000"),
                                  status="accepted")
    browser.get(live_server.url + "/")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("纠错率")
    box.submit()
    wait_for_text(browser, report.title, timeout=40)
    marks = browser.find_elements(By.CSS_SELECTOR, ".snippet mark")
    assert marks and marks[0].text == "纠错率"

    login(browser, live_server.url, "assessed", "pw-Secret-1")
    browser.get(live_server.url + "/reports/submit/")
    year = browser.find_element(By.NAME, "year")
    year.clear()
    year.send_keys("2023")
    text = seed("002")
    # send_keys of 20 000 characters is slow: set the textarea's value directly
    browser.execute_script("document.querySelector('textarea[name=text]').value = arguments[0];", text)
    browser.find_element(By.CSS_SELECTOR, "#report-form button.primary").click()
    # seed 002 is 潢川县's report: 郑州市 is warned and confirms with a reason (issue 16)
    wait_for_text(browser, "文档来源与提交信息不符", timeout=60)
    warning = browser.find_element(By.ID, "provenance-warning").text
    assert "潢川县" in warning and "郑州市人民政府" in warning
    browser.find_element(By.NAME, "provenance_reason").send_keys("代潢川县转报")
    browser.find_element(By.CSS_SELECTOR, "#report-form button.primary").click()
    wait_for_text(browser, "文种与来源", timeout=60)  # only the report page has it (the form names the five parts too)
    parts = browser.find_element(By.ID, "parts").text
    assert "存在的不足和原因" in parts and "缺少" not in parts
    assert "已提交" in browser.find_element(By.ID, "report-status").text
