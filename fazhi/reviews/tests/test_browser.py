"""Office → assessed unit → office, in a real browser: feedback, re-review, decision, approval, publication."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from fazhi.testing.browser import login, wait_for_text

PASSWORD = "pw-Secret-1"


def _switch(browser, live_server, username):
    browser.delete_all_cookies()
    login(browser, live_server.url, username, PASSWORD)


@pytest.mark.browser
def test_feedback_review_decision_publication(transactional_db, live_server, browser, campaign, people, units):
    base = live_server.url
    # office sends feedback on A1 to 郑州市
    _switch(browser, live_server, "office")
    browser.get(f"{base}/reviews/campaigns/{campaign.pk}/")
    form = browser.find_element(By.CSS_SELECTOR, f"form[action='/reviews/campaigns/{campaign.pk}/feedback/']")
    Select(form.find_element(By.NAME, "unit")).select_by_visible_text("郑州市人民政府")
    Select(form.find_element(By.NAME, "indicator")).select_by_index(1)
    form.find_element(By.NAME, "text").send_keys("学习制度落实情况请核实")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for_text(browser, "反馈已发送")

    # the assessed unit sees it with its deadline and applies for re-review
    _switch(browser, live_server, "assessed")
    browser.get(f"{base}/reviews/mine/")
    wait_for_text(browser, "有一条反馈待核实")
    browser.find_element(By.LINK_TEXT, "学习制度落实情况请核实").click()
    wait_for_text(browser, "核实截止")
    browser.find_element(By.CSS_SELECTOR, "textarea[name=text]").send_keys("已提供学习记录，请复核")
    browser.find_element(By.ID, "request-review").click()
    wait_for_text(browser, "复核申请已提交")

    # the office cannot submit for approval while the re-review is open; it decides with a reason
    _switch(browser, live_server, "office")
    browser.get(f"{base}/reviews/campaigns/{campaign.pk}/")
    browser.find_element(By.CSS_SELECTOR, "button[value=submit]").click()
    wait_for_text(browser, "复核申请未决定")
    browser.find_element(By.LINK_TEXT, "学习制度落实情况请核实").click()
    Select(browser.find_element(By.ID, "outcome")).select_by_value("changed")
    browser.find_element(By.ID, "new-value").send_keys("88")
    browser.find_element(By.ID, "decide").click()
    wait_for_text(browser, "复核决定必须说明理由")  # refused, nothing changed
    assert browser.find_element(By.ID, "current-score").text == "80.00"
    Select(browser.find_element(By.ID, "outcome")).select_by_value("changed")
    browser.find_element(By.ID, "new-value").send_keys("88")
    browser.find_element(By.ID, "decision-reason").send_keys("学习记录完整")
    browser.find_element(By.ID, "decide").click()
    wait_for_text(browser, "复核决定已保存")
    assert browser.find_element(By.ID, "current-score").text == "88.00"

    browser.get(f"{base}/reviews/campaigns/{campaign.pk}/")
    browser.find_element(By.CSS_SELECTOR, "button[value=submit]").click()
    wait_for_text(browser, "将把 3 个单位的结果报请审定", within=(By.ID, "consequences"))  # confirmed on the server
    browser.find_element(By.ID, "confirm").click()
    wait_for_text(browser, "报请审定", within=(By.ID, "campaign-status"))
    _switch(browser, live_server, people["approver"].username)  # 审定 by the approver, with the document number
    browser.get(f"{base}/assessment/approvals/{campaign.pk}/")
    browser.find_element(By.ID, "document-number").send_keys("豫法治委〔2027〕1号")
    browser.find_element(By.CSS_SELECTOR, "#approval-form button[value=approve]").click()
    wait_for_text(browser, "豫法治委〔2027〕1号", within=(By.ID, "consequences"))
    browser.find_element(By.ID, "confirm").click()
    wait_for_text(browser, "已审定", within=(By.ID, "campaign-status"))
    _switch(browser, live_server, "office")
    browser.get(f"{base}/reviews/campaigns/{campaign.pk}/")
    browser.find_element(By.CSS_SELECTOR, "button[value=publish]").click()
    wait_for_text(browser, "公众可以看到 3 个单位的考核等次", within=(By.ID, "consequences"))
    browser.find_element(By.ID, "confirm").click()
    wait_for_text(browser, "已公布", within=(By.ID, "campaign-status"))

    # the assessed unit now sees its own published result with the changed score
    _switch(browser, live_server, "assessed")
    browser.get(f"{base}/reviews/results/")
    wait_for_text(browser, "2026年度法治政府建设考核")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "88.00" in body and "等次" in body


@pytest.mark.browser
def test_batch_feedback_confirm_and_object(transactional_db, live_server, browser, campaign, people, units, tmp_path):
    """初步结果反馈: the office sends every unit its draft (numbers confirmed on the server); 郑州 confirms its score
    item and objects to its deduction item with a reason and evidence; the office's overview counts both."""
    from decimal import Decimal

    from fazhi.assessment.models import Adjustment
    from fazhi.reviews.models import Feedback, FeedbackStatus

    Adjustment.objects.create(campaign=campaign, unit=units["C1"], kind="deduction", points=Decimal(2),
                              reason="行政复议纠错率偏高", source="省司法厅通报", created_by=people["office"])
    base = live_server.url
    _switch(browser, live_server, "office")
    browser.get(f"{base}/reviews/campaigns/{campaign.pk}/")
    browser.find_element(By.LINK_TEXT, "向全部被考核单位发送初步结果").click()
    browser.find_element(By.ID, "batch-send").click()
    wait_for_text(browser, "将向 3 个被考核单位发送初步结果，共 4 项扣分", within=(By.ID, "consequences"))
    browser.find_element(By.ID, "confirm").click()
    wait_for_text(browser, "已向 3 个被考核单位发送初步结果，共 4 项扣分")
    wait_for_text(browser, "反馈核实中", within=(By.ID, "campaign-status"))

    _switch(browser, live_server, "assessed")
    browser.get(f"{base}/reviews/mine/")
    browser.find_element(By.CSS_SELECTOR, "#draft-rounds a").click()
    wait_for_text(browser, "本单位初步得分", within=(By.ID, "draft-summary"))
    table = browser.find_element(By.ID, "draft-items").text
    assert "80.00 / 100.00" in table and "行政复议纠错率偏高（省司法厅通报）" in table and "开封" not in table
    score_item = Feedback.objects.get(unit=units["C1"], score__isnull=False)
    deduction_item = Feedback.objects.get(unit=units["C1"], adjustment__isnull=False)
    browser.find_element(By.CSS_SELECTOR, f"#item-{score_item.pk} button[name=accept]").click()
    wait_for_text(browser, "已确认反馈")
    assert browser.find_element(By.CSS_SELECTOR, f"#item-{score_item.pk} .state").text == "已确认"
    row = browser.find_element(By.ID, f"item-{deduction_item.pk}")
    row.find_element(By.TAG_NAME, "summary").click()
    row.find_element(By.NAME, "text").send_keys("该案已由复议机关撤销纠错决定，请复核")
    evidence = tmp_path / "撤销决定书.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    row.find_element(By.NAME, "files").send_keys(str(evidence))
    row.find_element(By.CSS_SELECTOR, "button[name=object]").click()
    wait_for_text(browser, "复核申请已提交")
    assert browser.find_element(By.CSS_SELECTOR, f"#item-{deduction_item.pk} .state").text == "申请复核"
    deduction_item.refresh_from_db()
    assert deduction_item.status == FeedbackStatus.REVIEW and deduction_item.review.evidence.count() == 1

    _switch(browser, live_server, "office")
    browser.get(f"{base}/reviews/campaigns/{campaign.pk}/feedback-round/")
    totals = browser.find_element(By.ID, "round-totals")
    assert totals.find_element(By.CSS_SELECTOR, "[data-state=accepted]").text == "1"
    assert totals.find_element(By.CSS_SELECTOR, "[data-state=review]").text == "1"
    assert totals.find_element(By.CSS_SELECTOR, "[data-state=sent]").text == "2"
