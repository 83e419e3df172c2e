from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from fazhi.selfreport.demo import pdf_bytes
from fazhi.selfreport.models import ReportStatus
from fazhi.testing.browser import login, make_driver, wait_for_text

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_unit_submits_and_assessor_returns_for_more_material(live_server, browser, report, people, tmp_path):
    files = []
    for name in ("plan.pdf", "records.pdf", "records-q2.pdf"):
        path = tmp_path / name
        path.write_bytes(pdf_bytes(name))
        files.append(path)
    login(browser, live_server.url, "assessed", "pw-Secret-1")
    browser.find_element(By.LINK_TEXT, "自评填报").click()  # the home card (or the navigation)
    browser.find_element(By.LINK_TEXT, "填报").click()
    wait_for_text(browser, "年度学法计划")
    for index in range(2):  # one file for each required item of the list
        row = browser.find_elements(By.CSS_SELECTOR, "tr.material-row")[index]
        row.find_element(By.NAME, "file").send_keys(str(files[index]))
        row.find_element(By.CSS_SELECTOR, "form.upload button").click()
        wait_for_text(browser, "材料已上传")
    browser.find_element(By.NAME, "account").send_keys("已制定年度学法计划，按月开展学法。")
    browser.find_element(By.ID, "submit-report").click()
    wait_for_text(browser, "已提交，等待考核主体评分")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.attachments.count() == 2

    assessor = make_driver()
    try:
        login(assessor, live_server.url, "assessing", "pw-Secret-1")
        assessor.get(live_server.url + "/selfreport/review/")
        assessor.find_element(By.LINK_TEXT, "审阅评分").click()
        wait_for_text(assessor, "已制定年度学法计划")
        form = assessor.find_element(By.ID, "return-form")
        form.find_element(By.XPATH, ".//label[contains(., '学法记录')]/input").click()
        form.find_element(By.NAME, "reason").send_keys("学法记录只有一季度，请补充全年记录。")
        assessor.find_element(By.ID, "return-report").click()
        wait_for_text(assessor, "已退回 郑州市人民政府 补充材料")
    finally:
        assessor.quit()
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    browser.get(f"{live_server.url}/selfreport/reports/{report.pk}/")
    wait_for_text(browser, "学法记录只有一季度")
    assert "要求补充" in browser.find_element(By.ID, "materials").text
    row = browser.find_elements(By.CSS_SELECTOR, "tr.material-row")[1]
    row.find_element(By.NAME, "file").send_keys(str(files[2]))
    row.find_element(By.CSS_SELECTOR, "form.upload button").click()
    wait_for_text(browser, "材料已上传")
    browser.find_element(By.ID, "submit-report").click()
    wait_for_text(browser, "已提交，等待考核主体评分")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
