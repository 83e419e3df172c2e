"""The workbench cards count only what the user's scope holds."""

import datetime
from pathlib import Path

from fazhi.orgs.home import cards_for
from fazhi.reports import services as report_services

SEED = next((Path(__file__).resolve().parents[2] / "demo" / "seeds").glob("002_*.txt"))


def card(user, title):
    return next(c for c in cards_for(user) if c.title == title)


def test_report_card_counts_submitted_reports_in_scope_only(people, units):
    assert card(people["office"], "年度报告").value == "0"
    report_services.report_save(user=people["assessed"], unit=units["C1"], year=2023,
                                text=SEED.read_text(encoding="utf-8"), published_on=datetime.date(2024, 3, 1))
    assert card(people["office"], "年度报告").value == "1"
    assert card(people["city_office"], "年度报告").value == "1"
    assert card(people["other_office"], "年度报告").value == "0"


def test_roles_get_their_own_cards(people):
    assert {c.title for c in cards_for(people["assessed"])} >= {"我的任务", "考核反馈", "我的考核结果"}
    # the base cards, plus those other apps register (register_cards): self-reports, findings
    assert {c.title for c in cards_for(people["assessing"])} >= {"考核评分", "复核申请", "自评材料"}
    assert cards_for(people["public"]) == []
    survey = {c.title for c in cards_for(people["survey"])}
    assert "考核评分" in survey and "复核申请" not in survey  # re-reviews are decided by assessing units


def test_home_page_shows_the_cards(people, client_for):
    body = client_for(people["assessed"]).get("/home/").content.decode()
    assert "stat-card" in body and "考核反馈" in body


def test_office_card_shows_its_own_level_campaign(people, units):
    from fazhi.assessment.models import Campaign

    Campaign.objects.create(owner=units["P"], year=2025, name="省级考核")
    Campaign.objects.create(owner=units["C1"], year=2025, name="郑州市考核")  # newer, but a lower level's
    assert "省级考核" in card(people["office"], "年度考核").note
    assert "郑州市考核" in card(people["city_office"], "年度考核").note
