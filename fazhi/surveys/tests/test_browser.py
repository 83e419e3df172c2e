"""The survey institute reaches its round from the home card in one click, imports survey results with a mistake
(refused whole, with row and column), then the corrected file, and sees the inputs beside the score with the
formula's calculation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from selenium.webdriver.common.by import By

from fazhi.assessment import services as assessment_services
from fazhi.assessment.models import Indicator, Method
from fazhi.io.excel import build_workbook
from fazhi.surveys import services
from fazhi.surveys.models import SurveyResult
from fazhi.testing.browser import login, wait_for_text
from fazhi.testing.lifecycle import take

pytestmark = [pytest.mark.browser]


def _upload(browser, kind: str, path) -> None:
    form = browser.find_element(By.CSS_SELECTOR, f"form[action$='/import/{kind}/']")
    form.find_element(By.NAME, "file").send_keys(str(path))
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


@pytest.mark.django_db(transaction=True)
def test_institute_imports_survey_results_in_the_browser(live_server, browser, transactional_db, units, people,
                                                         tmp_path):
    campaign = assessment_services.campaign_create(user=people["office"], year=dt.date.today().year)
    s1 = Indicator.objects.create(campaign=campaign, code="S1", title="群众满意度", points=Decimal(5),
                                  method=Method.SURVEY, categories=[1], sort=1)
    s1.assessing_units.set([units["X1"]])
    take(user=people["office"], campaign=campaign, action="start_scoring")
    survey_round = services.round_create(user=people["office"], campaign=campaign, indicator=s1,
                                         institute=units["X1"], title="浏览器满意度测评")
    columns = services.columns("survey")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(build_workbook("数据", columns, [
        {"unit": "郑州市人民政府", "mode": "电话调查", "sample_size": 400, "score": 88, "margin": 3.1},
        {"unit": "郑州市人民政府", "mode": "电话调查", "sample_size": 100, "score": 78, "margin": 5.2}]))
    good = tmp_path / "问卷.xlsx"
    good.write_bytes(build_workbook("数据", columns, [
        {"unit": "郑州市人民政府", "mode": "电话调查", "sample_size": 400, "score": 88, "margin": 3.1},
        {"unit": "郑州市人民政府", "mode": "网络调查", "sample_size": 100, "score": 78, "margin": 5.2},
        {"unit": "开封市人民政府", "mode": "电话调查", "sample_size": 300, "score": 80, "margin": 3.5}]))

    login(browser, live_server.url, "survey", "pw-Secret-1")
    browser.find_element(By.CSS_SELECTOR, "a.stat-card[href$='/surveys/']").click()  # the home card
    browser.find_element(By.LINK_TEXT, survey_round.title).click()
    _upload(browser, "survey", bad)
    wait_for_text(browser, "第3行")  # the duplicate (same unit and mode) on row 3
    assert not SurveyResult.objects.exists()  # all or nothing
    browser.find_element(By.PARTIAL_LINK_TEXT, "返回").click()
    _upload(browser, "survey", good)
    wait_for_text(browser, "问卷.xlsx")  # the batch, with its file name, in the import records
    assert SurveyResult.objects.count() == 3
    # 郑州: S = (400×88 + 100×78) ÷ 500 = 86; no accepted opinion, O = 100; no visit, no rating: their weights
    # drop out → (0.5×86 + 0.1×100) ÷ 0.6 = 88.33 → 5 × 88.33 ÷ 100 = 4.42
    wait_for_text(browser, "第三方调查 S = 86（样本量加权，共 500 个样本）", within=(By.ID, "inputs"))
    wait_for_text(browser, "（缺少：神秘办事人、好差评，其权重不计）", within=(By.ID, "inputs"))
    wait_for_text(browser, "5 × 88.33 ÷ 100 = 4.42", within=(By.ID, "inputs"))
