from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from fazhi.assessment.models import Score, ScoreStatus
from fazhi.testing.browser import login, wait_for_text

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_assessing_user_saves_and_submits_a_score(live_server, browser, transactional_db, scoring, units):
    login(browser, live_server.url, "assessing", "pw-Secret-1")
    browser.get(f"{live_server.url}/assessment/scoring/{scoring.pk}/?indicator=A1&unit=C1")
    row = browser.find_element(By.CSS_SELECTOR, "tr.score-row")
    row.find_element(By.NAME, "value").send_keys("37.5")
    row.find_element(By.NAME, "reason").send_keys("法治思想学习缺少专题研讨记录")
    row.find_element(By.CSS_SELECTOR, "button.save-score").click()
    wait_for_text(browser, "已保存")
    score = Score.objects.get(indicator__code="A1", unit=units["C1"])
    assert str(score.value) == "37.50" and score.status == ScoreStatus.DRAFT
    browser.find_element(By.ID, "submit-scores").click()
    # the consequences in numbers first (1 draft; the other cells of the assessor's still unscored), then confirm
    wait_for_text(browser, "将提交 1 项评分", within=(By.ID, "consequences"))
    assert "项尚未评分" in browser.find_element(By.ID, "consequences").text
    assert Score.objects.get(pk=score.pk).status == ScoreStatus.DRAFT
    browser.find_element(By.ID, "confirm").click()
    wait_for_text(browser, "已提交 1 项评分")
    score.refresh_from_db()
    assert score.status == ScoreStatus.SUBMITTED
