"""The approver's side and the last step, in a real browser (issue 11): the office submits (consequences first,
confirmed on the server), the approver returns it with a reason (refused without one), the office submits again,
the approver approves with the 审定文号, and the office chooses 通报 — the public then sees nothing of it."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from fazhi.assessment import services
from fazhi.assessment.models import Campaign, CampaignStatus
from fazhi.audit.models import AuditEvent
from fazhi.testing.browser import body_text, login, wait_for_text

PASSWORD = "pw-Secret-1"


def _as(browser, live_server, username):
    browser.delete_all_cookies()
    login(browser, live_server.url, username, PASSWORD)


def _submit(browser, base, campaign):
    browser.get(f"{base}/reviews/campaigns/{campaign.pk}/")
    browser.find_element(By.CSS_SELECTOR, "#campaign-actions button[value=submit]").click()
    wait_for_text(browser, "将把 4 个单位的结果报请审定", within=(By.ID, "consequences"))
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.COMPUTED  # nothing happened yet
    browser.find_element(By.ID, "confirm").click()
    wait_for_text(browser, "报请审定", within=(By.ID, "campaign-status"))


@pytest.mark.browser
def test_approver_returns_then_approves_and_the_office_notifies(transactional_db, live_server, browser, scored,
                                                                 people):
    services.campaign_compute(user=people["office"], campaign=scored)
    campaign = Campaign.objects.get(pk=scored.pk)
    base = live_server.url
    approver = people["approver"].username

    _as(browser, live_server, "office")
    _submit(browser, base, campaign)

    # 退回: the approver must give a reason; without one nothing changes
    _as(browser, live_server, approver)
    browser.get(f"{base}/assessment/approvals/")
    browser.find_element(By.LINK_TEXT, campaign.name).click()
    wait_for_text(browser, "报请审定", within=(By.ID, "campaign-status"))
    browser.execute_script("document.getElementById('return-reason').removeAttribute('required')")
    browser.find_element(By.CSS_SELECTOR, "#return-form button[value=return]").click()
    wait_for_text(browser, "必须说明理由")
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.SUBMITTED
    browser.find_element(By.ID, "return-reason").send_keys("开封市满意度数据需复查")
    browser.find_element(By.CSS_SELECTOR, "#return-form button[value=return]").click()
    wait_for_text(browser, "已退回")
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.COMPUTED
    event = AuditEvent.objects.filter(action="campaign.return", target_id=str(campaign.pk)).get()
    assert event.reason == "开封市满意度数据需复查" and event.actor_id == people["approver"].pk
    assert campaign.name not in body_text(browser)  # back on the list: nothing left to decide

    # submitted again, then approved with the document number (consequences first)
    _as(browser, live_server, "office")
    _submit(browser, base, campaign)
    _as(browser, live_server, approver)
    browser.get(f"{base}/assessment/approvals/{campaign.pk}/")
    browser.find_element(By.ID, "document-number").send_keys("豫法治委〔2026〕9号")
    browser.find_element(By.CSS_SELECTOR, "#approval-form button[value=approve]").click()
    wait_for_text(browser, "将审定通过 4 个单位的结果", within=(By.ID, "consequences"))
    browser.find_element(By.ID, "confirm").click()
    wait_for_text(browser, "已审定", within=(By.ID, "campaign-status"))

    # the office chooses 通报: the consequences say the public sees nothing
    _as(browser, live_server, "office")
    browser.get(f"{base}/reviews/campaigns/{campaign.pk}/")
    wait_for_text(browser, "请选择发布方式", within=(By.ID, "publication-choice"))
    browser.find_element(By.CSS_SELECTOR, "#campaign-actions button[value=notify]").click()
    wait_for_text(browser, "公众看不到本次考核的任何结果", within=(By.ID, "consequences"))
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.APPROVED
    browser.find_element(By.ID, "confirm").click()
    wait_for_text(browser, "已通报", within=(By.ID, "campaign-status"))

    browser.delete_all_cookies()
    browser.get(f"{base}/public/results/")
    assert campaign.name not in body_text(browser)
    _as(browser, live_server, "assessed")
    browser.get(f"{base}/reviews/results/")
    wait_for_text(browser, campaign.name)
    assert "已通报" in body_text(browser)
