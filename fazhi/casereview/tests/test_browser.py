"""An expert signs in, opens an assigned case file from the home page card and scores it on the checklist."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from fazhi.casereview import services
from fazhi.casereview.models import Assignment
from fazhi.testing.browser import login, wait_for_text

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_expert_scores_a_file_in_the_browser(live_server, browser, transactional_db, staffed, people, experts):
    services.sample_draw(user=people["office"], review=staffed, seed="browser")
    services.assignments_make(user=people["office"], review=staffed)
    mine = Assignment.objects.filter(expert__user=experts["exp_free"]).select_related("file").first()
    program = staffed.items.get(text="程序合法")
    login(browser, live_server.url, "exp_free", "pw-Secret-1")
    browser.find_element(By.LINK_TEXT, "评查案卷").click()  # the home card's promise, one click away
    wait_for_text(browser, "我的评查案卷")
    browser.find_element(By.LINK_TEXT, mine.file.number).click()
    wait_for_text(browser, "每件案卷满分 100 分")
    browser.find_element(By.NAME, f"deduct_{program.pk}").send_keys("15")
    browser.find_element(By.CSS_SELECTOR, "#review-form button[type=submit]").click()
    wait_for_text(browser, "须写明理由")  # refused: a deduction without a reason
    browser.find_element(By.NAME, f"reason_{program.pk}").send_keys("未履行告知程序")
    browser.find_element(By.CSS_SELECTOR, "#review-form button[type=submit]").click()
    wait_for_text(browser, "评查结果已提交")
    mine.refresh_from_db()
    assert str(mine.score) == "85.00" and mine.deductions.get().reason == "未履行告知程序"
