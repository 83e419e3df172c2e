from __future__ import annotations

import datetime as dt

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from fazhi.assessment import services as assessment_services
from fazhi.findings.models import Finding
from fazhi.reviews.models import RectificationStatus
from fazhi.selfreport.demo import pdf_bytes
from fazhi.testing.browser import login, make_driver, wait_for_text

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_office_registers_a_finding_and_the_scorer_sees_it(live_server, browser, campaign, people, units, tmp_path):
    proof = tmp_path / "notice.pdf"
    proof.write_bytes(pdf_bytes("notice"))
    login(browser, live_server.url, "office", "pw-Secret-1")
    browser.get(f"{live_server.url}/findings/campaigns/{campaign.pk}/")
    form = browser.find_element(By.ID, "finding-form")
    Select(form.find_element(By.NAME, "unit")).select_by_visible_text("郑州市人民政府")
    Select(form.find_element(By.NAME, "source")).select_by_visible_text("复议纠错")
    browser.execute_script("arguments[0].value = '2025-05-20'", form.find_element(By.NAME, "found_on"))
    form.find_element(By.NAME, "problem").send_keys("行政复议被纠错 2 件")
    Select(form.find_element(By.NAME, "indicators")).select_by_visible_text("A1 指标A1")
    form.find_element(By.NAME, "evidence").send_keys(str(proof))
    form.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for_text(browser, "已登记")
    browser.find_element(By.LINK_TEXT, "行政复议被纠错 2 件").click()
    rectify = browser.find_element(By.ID, "rectify-form")
    browser.execute_script("arguments[0].value = arguments[1]", rectify.find_element(By.NAME, "due_date"),
                           (dt.date.today() + dt.timedelta(days=30)).isoformat())
    rectify.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for_text(browser, "已交办整改")
    finding = Finding.objects.get()
    assert finding.evidence_name == "notice.pdf" and finding.rectification.status == RectificationStatus.OPEN

    score = assessment_services.score_save(user=people["assessing"], campaign=campaign,
                                           indicator=campaign.indicators.get(code="A1"), unit=units["C1"],
                                           value="18", reason="复议纠错")
    scorer = make_driver()
    try:
        login(scorer, live_server.url, "assessing", "pw-Secret-1")
        scorer.get(f"{live_server.url}/assessment/scoring/{campaign.pk}/scores/{score.pk}/")
        wait_for_text(scorer, "行政复议被纠错 2 件")
        assert "整改中" in scorer.find_element(By.ID, "findings-panel").text
    finally:
        scorer.quit()
