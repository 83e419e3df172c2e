"""In Chromium, the yearly cycle across roles (DOMAIN.md §1), driven through the real pages:

1. the province office imports the annual arrangement (seed 003): progress bar, preview, confirm; it names
   郑州市 (C1) the lead unit of one task and activates the plan;
2. 郑州市 (``assessed``) reports the task "已完成" under 我的任务;
3. the office creates the 2020 campaign (page), gives it a two-indicator tree (services: there is no page for
   single indicators), keeps only the two cities, links the task to indicator A1 (task page) and opens scoring;
4. 省司法厅 (``assessing``) sees the task's progress on the A1 × 郑州市 score page, saves four scores, submits;
5. the office computes (郑州市 95.00 优秀 rank 1, 开封市 78.00 合格 rank 2), submits, approves, publishes;
6. an anonymous visitor reads the published grades; 郑州市 reads its own result under 我的考核结果.

Selectors are ids, names, form actions and data values (not template wording, which is being edited).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import Select

from fazhi.assessment.models import Campaign, CampaignStatus, Indicator, Method, Result, Score, ScoreStatus
from fazhi.plans import services as plan_services
from fazhi.plans import views as plan_views
from fazhi.plans.models import ImportJob, ImportStatus, Plan, PlanStatus, ProgressReport, Task, TaskStatus
from fazhi.testing.browser import login, wait_for_text, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"

PASSWORD = "pw-Secret-1"  # the conftest users' password
TASK_TITLE = "持续优化法治化营商环境"  # seed 003, 一、(四)
REPORT_TEXT = "已出台优化营商环境若干措施，完成2020年营商环境评价自评。"
# (indicator, unit, value, reason): 郑州市 55 + 40 = 95 → 优秀; 开封市 48 + 30 = 78 → 合格 (90 / 80 / 60 lines)
SCORES = [
    ("A1", "C1", "55", "营商环境评价个别指标未达标"),
    ("A2", "C1", "40", ""),
    ("A1", "C2", "48", "信用体系建设滞后"),
    ("A2", "C2", "30", "部署落实不到位"),
]


def gone(selector: str):
    return lambda d: not d.find_elements(By.CSS_SELECTOR, selector)


def present(selector: str):
    return lambda d: d.find_elements(By.CSS_SELECTOR, selector)


def click(driver, selector: str) -> None:
    wait_until(driver, present(selector))[0].click()


def sign_in(driver, base: str, username: str | None) -> None:
    """Start a fresh session as ``username`` (None: an anonymous visitor)."""
    driver.delete_all_cookies()
    if username:
        login(driver, base, username, PASSWORD)


def campaign_action(driver, value: str) -> str:
    """Click a lifecycle button of the campaign page; an irreversible step first shows its consequences on the
    confirmation page (returned), which is confirmed there. Waits for the page after."""
    button = f"#campaign-actions button[name=action][value={value}]"
    click(driver, button)
    consequences = ""
    if value in ("start_scoring", "submit", "approve", "publish"):
        consequences = wait_until(driver, present("#consequences"))[0].text
        click(driver, "#confirm")
    wait_until(driver, gone("#confirm"))
    wait_until(driver, gone(button))
    return consequences


def cells(row) -> list[str]:
    return [td.text.strip() for td in row.find_elements(By.TAG_NAME, "td")]


@pytest.fixture
def worker(monkeypatch):
    """Stand in for the Celery worker: the upload only queues the job (the test settings would run it eagerly,
    so the progress bar would never show); ``run(job)`` then reads it, as the worker would."""
    monkeypatch.setattr(plan_views, "import_job_dispatch", lambda job: True)
    return SimpleNamespace(run=lambda job: plan_services.import_job_run(job_id=job.pk))


def test_yearly_cycle_across_roles(live_server, browser, people, units, worker):
    base = live_server.url
    driver = browser

    # ---- 1. office: import seed 003, wait for the progress bar, confirm, assign the lead unit, activate
    sign_in(driver, base, "office")
    driver.get(base + "/plans/import/")
    driver.find_element(By.NAME, "file").send_keys(str(next(SEEDS.glob("003_*.txt"))))
    driver.find_element(By.CSS_SELECTOR, "#main form button[type=submit].primary").click()
    bar = wait_until(driver, present("#import-progress [role=progressbar]"))[0]
    assert bar.get_attribute("aria-valuenow") == "0"
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PENDING
    # The test database is one SQLite connection shared with the live server: hold htmx's polling while the
    # "worker" writes, so the two threads never use it at once (PostgreSQL would not need this).
    driver.execute_script("""
        window.fazhiHold = true;
        document.body.addEventListener('htmx:beforeRequest', function (e) { if (window.fazhiHold) e.preventDefault(); });
    """)
    wait_until(driver, gone(".htmx-request"))
    assert worker.run(job).status == ImportStatus.READY
    driver.execute_script("window.fazhiHold = false;")
    # the next poll answers HX-Refresh: the page reloads into the preview
    wait_until(driver, present("#confirm-import"))
    assert len(driver.find_elements(By.CSS_SELECTOR, "#preview-table tbody tr")) == 54
    assert driver.find_element(By.NAME, "plan_title").get_attribute("value") == "河南省2020年度法治政府建设工作安排"
    driver.find_element(By.ID, "confirm-import").click()
    wait_until(driver, present("#task-tree"))
    plan = Plan.objects.get()
    assert plan.status == PlanStatus.DRAFT and plan.tasks.count() == 54 and plan.year == 2020
    task = Task.objects.get(plan=plan, title__startswith=TASK_TITLE)
    click(driver, f"#task-tree a[href='/plans/tasks/{task.pk}/']")
    Select(wait_until(driver, present("#assign-form select[name=lead_unit]"))[0]).select_by_value(
        str(units["C1"].pk))
    driver.find_element(By.CSS_SELECTOR, "#assign-form button[type=submit]").click()
    wait_until(driver, lambda d: d.find_element(By.CSS_SELECTOR, "dl.facts dd").text == "郑州市人民政府")
    task.refresh_from_db()
    assert task.lead_unit == units["C1"]
    click(driver, f".breadcrumb a[href='/plans/{plan.pk}/']")
    # issuing is refused while the other tasks have no lead unit: the office lands on the bulk page, listed
    click(driver, f"form[action='/plans/{plan.pk}/activate/'] button[type=submit]")
    wait_until(driver, present("#bulk-assign"))
    missing = plan.tasks.filter(lead_unit__isnull=True, children__isnull=True).count()
    assert f"有 {missing} 项任务没有牵头单位，计划未下发" in driver.find_element(By.TAG_NAME, "body").text
    driver.find_element(By.NAME, "lead_unit").send_keys("省司法厅")
    click(driver, "#bulk-assign button[name=scope][value=filtered]")
    wait_until(driver, lambda d: f"已为 {missing} 项任务分配责任单位" in d.find_element(By.TAG_NAME, "body").text)
    driver.get(f"{base}/plans/{plan.pk}/")
    click(driver, f"form[action='/plans/{plan.pk}/activate/'] button[type=submit]")
    # 下发执行 is irreversible: its consequences in numbers first, confirmed on the server
    consequences = wait_until(driver, present("#consequences"))[0].text
    assert "将下发" in consequences and "个责任单位" in consequences
    click(driver, "#confirm")
    wait_until(driver, gone("#confirm"))
    wait_until(driver, gone(f"form[action='/plans/{plan.pk}/activate/']"))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    row = driver.find_element(By.XPATH, f"//table[@id='task-tree']//tr[.//a[@href='/plans/tasks/{task.pk}/']]")
    assert "郑州市人民政府" in cells(row)

    # ---- 2. 郑州市: 我的任务 → the task → report 已完成 with a text
    sign_in(driver, base, "assessed")
    click(driver, "nav.mainnav a[href='/plans/mine/']")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#main a[href^='/plans/tasks/']")) == 1  # only its task
    click(driver, f"#main a[href='/plans/tasks/{task.pk}/']")
    Select(wait_until(driver, present("#report-form select[name=status]"))[0]).select_by_value(TaskStatus.DONE)
    driver.find_element(By.CSS_SELECTOR, "#report-form textarea[name=text]").send_keys(REPORT_TEXT)
    driver.find_element(By.CSS_SELECTOR, "#report-form button[type=submit]").click()
    wait_until(driver, lambda d: REPORT_TEXT in d.find_element(By.ID, "reports").text)
    report = ProgressReport.objects.get(task=task)
    assert (report.unit, report.status, report.text) == (units["C1"], TaskStatus.DONE, REPORT_TEXT)
    click(driver, "nav.mainnav a[href='/plans/mine/']")
    row = wait_until(driver, present(f"#main tr:has(a[href='/plans/tasks/{task.pk}/'])"))[0]
    assert "已完成" in row.text

    # ---- 3. office: campaign (page) + indicator tree (services) + link the task (page) + open scoring
    sign_in(driver, base, "office")
    click(driver, "nav.mainnav a[href='/assessment/campaigns/']")
    year = wait_until(driver, present("#main form.card input[name=year]"))[0]
    year.send_keys("2020")
    driver.find_element(By.CSS_SELECTOR, "#main form.card button[type=submit].primary").click()
    wait_until(driver, lambda d: re.search(r"/assessment/campaigns/\d+/$", d.current_url))
    campaign = Campaign.objects.get(pk=int(driver.current_url.rstrip("/").rsplit("/", 1)[1]))
    assert (campaign.year, campaign.status, campaign.owner) == (2020, CampaignStatus.DRAFT, units["P"])
    assert set(campaign.units.values_list("unit__code", flat=True)) == {"C1", "C2", "D1", "D2"}
    heading = Indicator.objects.create(campaign=campaign, code="H1", title="一、依法全面履行政府职能", sort=1)
    a1 = Indicator.objects.create(campaign=campaign, parent=heading, code="A1", title="优化法治化营商环境",
                                  points=Decimal(60), method=Method.DAILY, categories=[1], sort=2)
    a2 = Indicator.objects.create(campaign=campaign, parent=heading, code="A2", title="落实年度工作安排",
                                  points=Decimal(40), method=Method.DAILY, categories=[1], sort=3)
    for indicator in (a1, a2):
        indicator.assessing_units.set([units["D1"]])
    driver.refresh()
    for code in ("D1", "D2"):  # the indicators are for cities (category 1): assess the two cities only
        remove = f"form[action='/assessment/campaigns/{campaign.pk}/units/{code}/remove/']"
        click(driver, remove + " button[type=submit]")
        consequences = wait_until(driver, present("#consequences"))[0].text  # first what it does, in numbers
        assert "移出本年度考核" in consequences, consequences
        click(driver, "#confirm")
        wait_until(driver, gone("#confirm"))
        wait_until(driver, gone(remove))
    assert set(campaign.units.values_list("unit__code", flat=True)) == {"C1", "C2"}

    driver.get(f"{base}/plans/tasks/{task.pk}/")
    link_form = f"form[action='/plans/tasks/{task.pk}/indicators/']"
    Select(wait_until(driver, present(link_form + " select[name=indicators]"))[0]).select_by_value(str(a1.pk))
    old_form = driver.find_element(By.CSS_SELECTOR, link_form)
    old_form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_until(driver, staleness_of(old_form))  # the option is :checked before the post too: wait for the reload
    wait_until(driver, present(link_form + f" option[value='{a1.pk}']:checked"))
    assert list(task.indicators.all()) == [a1]

    driver.get(f"{base}/assessment/campaigns/{campaign.pk}/")
    assert "将开始评分：2 个考核对象、2 项末级指标，应评 4 项" in campaign_action(driver, "start_scoring")
    wait_until(driver, present("#campaign-actions button[name=action][value=compute]"))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SCORING

    # ---- 4. 省司法厅: worklist → save four scores → the A1 × 郑州市 score page shows the task → submit
    sign_in(driver, base, "assessing")
    click(driver, "nav.mainnav a[href='/assessment/scoring/']")
    click(driver, f"#main a[href='/assessment/scoring/{campaign.pk}/']")
    indicators = {"A1": a1, "A2": a2}
    wait_until(driver, present("tr.score-row"))
    assert len(driver.find_elements(By.CSS_SELECTOR, "tr.score-row")) == len(SCORES)
    for ind, unit, value, reason in SCORES:
        row_id = f"#cell-{indicators[ind].pk}-{units[unit].pk}-0"
        row = driver.find_element(By.CSS_SELECTOR, row_id)
        row.find_element(By.NAME, "value").send_keys(value)
        if reason:
            row.find_element(By.NAME, "reason").send_keys(reason)
        row.find_element(By.CSS_SELECTOR, "button.save-score").click()
        wait_until(driver, present(f"{row_id} [role=status]"))  # the row came back saved (htmx swap)
    saved = {(s.indicator.code, s.unit.code): s for s in Score.objects.select_related("indicator", "unit")}
    assert {k: str(s.value) for k, s in saved.items()} == {
        ("A1", "C1"): "55.00", ("A2", "C1"): "40.00", ("A1", "C2"): "48.00", ("A2", "C2"): "30.00"}
    assert {s.status for s in saved.values()} == {ScoreStatus.DRAFT}

    click(driver, f"#cell-{a1.pk}-{units['C1'].pk}-0 a[href$='/scores/{saved['A1', 'C1'].pk}/']")
    row = wait_until(driver, lambda d: d.find_elements(By.XPATH, f"//tr[td[1][contains(., '{TASK_TITLE}')]]"))[0]
    assert "已完成" in cells(row)[1]  # the unit's reported status, for the assessor (安排什么考核什么)
    assert cells(row)[2] != "—"  # date of the latest report
    driver.back()
    click(driver, "#submit-scores")
    assert "将提交 4 项评分" in wait_until(driver, present("#consequences"))[0].text
    click(driver, "#confirm")
    wait_until(driver, gone("button.save-score"))
    assert Score.objects.filter(status=ScoreStatus.SUBMITTED).count() == len(SCORES)

    # ---- 5. office: compute, check the results table, then submit → approve → publish
    sign_in(driver, base, "office")
    driver.get(f"{base}/assessment/campaigns/{campaign.pk}/")
    click(driver, "#campaign-actions button[name=action][value=compute]")
    wait_until(driver, present("#results tbody tr td a"))
    table = {cells(r)[1]: cells(r) for r in driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")}
    # rank, unit, applicable, earned, base, bonus, deduction, total, grade, lists
    assert table["郑州市人民政府"][:9] == ["1", "郑州市人民政府", "100.00", "95.00", "95.00", "0.00", "0.00",
                                      "95.00", "优秀"]
    assert table["开封市人民政府"][:9] == ["2", "开封市人民政府", "100.00", "78.00", "78.00", "0.00", "0.00",
                                      "78.00", "合格"]
    click(driver, f"a[href='/assessment/campaigns/{campaign.pk}/']")
    assert "将把 2 个单位的结果报请审定：优秀 1 个、良好 0 个、合格 1 个" in campaign_action(driver, "submit")
    # 审定: the province's approver (never the office that prepared it) approves with the document number
    sign_in(driver, base, people["approver"].username)
    click(driver, "nav.mainnav a[href='/assessment/approvals/']")
    click(driver, f"#main a[href='/assessment/approvals/{campaign.pk}/']")
    wait_until(driver, present("#document-number"))[0].send_keys("豫法治委〔2021〕3号")
    click(driver, "#approval-form button[value=approve]")
    assert "豫法治委〔2021〕3号" in wait_until(driver, present("#consequences"))[0].text
    click(driver, "#confirm")
    wait_until(driver, gone("#approval-form"))
    sign_in(driver, base, "office")
    driver.get(f"{base}/assessment/campaigns/{campaign.pk}/")
    assert "公众可以看到 2 个单位的考核等次" in campaign_action(driver, "publish")
    campaign.refresh_from_db()
    assert campaign.approved_by == people["approver"] and campaign.approval_number == "豫法治委〔2021〕3号"
    assert campaign.status == CampaignStatus.PUBLISHED
    assert Result.objects.get(campaign=campaign, unit=units["C1"]).total == Decimal("95.00")

    # ---- 6. anyone: the public results page; 郑州市: 我的考核结果
    sign_in(driver, base, None)
    driver.get(base + "/public/results/")
    click(driver, f"#main a[href='/public/results/{campaign.pk}/']")
    rows = wait_until(driver, present("table.results[data-category='1'] tbody tr"))
    # the office did not choose to publish scores: grades only, in grade order (issue 11, ``disclosure``)
    assert [cells(r) for r in rows] == [["郑州市人民政府", "优秀"], ["开封市人民政府", "合格"]]
    assert "95.00" not in driver.find_element(By.ID, "main").text

    sign_in(driver, base, "assessed")
    click(driver, "nav.mainnav a[href='/reviews/results/']")
    card = wait_until(driver, present("#main .card.result"))
    assert len(card) == 1 and campaign.name in card[0].text
    assert card[0].find_element(By.CSS_SELECTOR, ".grade").text == "优秀"
    assert "95.00" in card[0].text
    scores = {cells(r)[0].split()[0]: cells(r)[2] for r in card[0].find_elements(By.CSS_SELECTOR, "tbody tr")}
    assert scores == {"A1": "55.00 / 60.00", "A2": "40.00 / 40.00"}
    wait_for_text(driver, SCORES[0][3])  # the reason given for the lost points reaches the assessed unit
