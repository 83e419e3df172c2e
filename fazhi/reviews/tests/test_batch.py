"""初步结果反馈: one confirmed action sends every assessed unit its draft detail; the unit confirms or objects item
by item within 5 working days; reminders; the office's overview with counts by state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone

from fazhi.assessment import lifecycle
from fazhi.assessment.models import Adjustment, CampaignStatus, Score
from fazhi.audit.models import AuditEvent
from fazhi.reviews import batch, services
from fazhi.reviews.models import Feedback, FeedbackRound, FeedbackStatus, Notice
from fazhi.reviews.tasks import send_reminders

# A score's item (no adjustment) before a deduction's item on every database (PostgreSQL sorts NULL last).
SCORES_FIRST = F("adjustment_id").asc(nulls_first=True)


@pytest.fixture
def deduction(campaign, units, people) -> Adjustment:
    """郑州 has a 2-point deduction item besides its 80/100 on A1."""
    return Adjustment.objects.create(campaign=campaign, unit=units["C1"], kind="deduction", points=Decimal(2),
                                     reason="行政复议纠错率偏高", source="省司法厅通报", created_by=people["office"])


def _send(user, campaign):
    issued = batch.feedback_batch_preview(user=user, campaign=campaign)
    return issued, batch.feedback_batch_send(user=user, campaign=campaign, confirmation=issued.token)


def test_worked_example_every_deduction_goes_to_its_unit(campaign, people, units, deduction):
    # scores: 郑州 80/100, 开封 96/100, 省委办公厅 70/100 (all below full marks), plus 郑州's 2-point deduction
    issued = batch.feedback_batch_preview(user=people["office"], campaign=campaign)
    assert issued.consequences[0].startswith("将向 3 个被考核单位发送初步结果，共 4 项扣分（未得满分的评分 3 项、扣分事项 1 项）")
    assert "5 个工作日内" in issued.consequences[1]
    round_ = batch.feedback_batch_send(user=people["office"], campaign=campaign, confirmation=issued.token)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.FEEDBACK  # the lifecycle's open_feedback step, by its one writer
    assert AuditEvent.objects.filter(action="campaign.open_feedback").count() == 1
    assert (round_.units, round_.items) == (3, 4)
    mine = Feedback.objects.filter(round=round_, unit=units["C1"]).order_by(SCORES_FIRST)
    score_item, deduction_item = list(mine)
    assert (score_item.draft_value, score_item.full_points, score_item.lost_points) == (80, 100, 20)
    assert score_item.text == "扣分理由" and score_item.indicator.code == "A1"
    assert (deduction_item.draft_value, deduction_item.lost_points) == (-2, 2)
    assert deduction_item.text == "行政复议纠错率偏高（省司法厅通报）"
    assert deduction_item.assessing_unit == units["P-OFFICE"]
    # one deadline, the end of the 5th working day; every item answerable
    assert round_.deadline is not None and all(f.deadline == round_.deadline for f in mine)
    assert all(f.status == FeedbackStatus.SENT for f in Feedback.objects.filter(round=round_))
    # each unit's people are told their own draft total and count
    notice = Notice.objects.get(user=people["assessed"])
    assert "初步得分" in notice.text and "共 2 项扣分" in notice.text
    assert AuditEvent.objects.filter(action="feedback.batch_send").count() == 1


def test_sub_unit_cells_below_full_marks_are_items(campaign, people, units):
    from fazhi.assessment.models import Indicator
    from fazhi.assessment.services import compute_results

    b1 = Indicator.objects.create(campaign=campaign, code="B1", title="部门依法行政", points=Decimal(10),
                                  method="daily", categories=[], allow_subunits=True)
    b1.assessing_units.add(units["D1"])
    from fazhi.assessment.models import IndicatorOverride

    IndicatorOverride.objects.create(indicator=b1, unit=units["C1"], action="add", reason="郑州试点")
    a1 = campaign.indicators.get(code="A1")  # 郑州 is assessed on B1 only (its applicable points stay at most 100)
    IndicatorOverride.objects.create(indicator=a1, unit=units["C1"], action="remove", reason="郑州试点")
    Score.objects.filter(indicator=a1, unit=units["C1"]).delete()
    Score.objects.create(campaign=campaign, indicator=b1, unit=units["C1"], subunit=units["C1-D1"], value=Decimal(7),
                         status="submitted", reason="执法公示不全", scored_by=people["assessing"],
                         scored_by_unit=units["D1"])
    compute_results(campaign=campaign)
    _issued, round_ = _send(people["office"], campaign)
    item = Feedback.objects.get(round=round_, indicator=b1)
    assert (item.unit, item.subunit, item.assessing_unit) == (units["C1"], units["C1-D1"], units["D1"])
    assert item.lost_points == 3


def test_refused_without_confirmation_twice_or_before_results(campaign, people, deduction):
    with pytest.raises(ValidationError, match="须先查看操作后果"):
        batch.feedback_batch_send(user=people["office"], campaign=campaign, confirmation=None)
    assert not FeedbackRound.objects.exists() and not Feedback.objects.exists()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.COMPUTED
    issued, _round = _send(people["office"], campaign)
    with pytest.raises(ValidationError, match="不能重复发送"):  # replayed, or a second round
        batch.feedback_batch_send(user=people["office"], campaign=campaign, confirmation=issued.token)
    assert Feedback.objects.count() == 4


def test_numbers_changed_since_the_preview_refuse_the_send(campaign, people, units, deduction):
    issued = batch.feedback_batch_preview(user=people["office"], campaign=campaign)
    Score.objects.filter(unit=units["C2"]).update(value=Decimal(100))  # 开封 now has full marks
    with pytest.raises(ValidationError, match="情况已有变化"):
        batch.feedback_batch_send(user=people["office"], campaign=campaign, confirmation=issued.token)
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("who", ["city_office", "other_office", "assessing", "assessed"])
def test_only_the_campaigns_office_sends(campaign, people, who):
    with pytest.raises(PermissionDenied):
        batch.feedback_batch_preview(user=people[who], campaign=campaign)
    with pytest.raises(PermissionDenied):
        batch.feedback_batch_send(user=people[who], campaign=campaign, confirmation="x")


def test_not_while_scoring(campaign, people):
    campaign.status = CampaignStatus.SCORING
    campaign.save()
    with pytest.raises(ValidationError, match="计算结果后才能发送"):
        batch.feedback_batch_preview(user=people["office"], campaign=campaign)


def test_unit_answers_item_by_item_inside_the_window_only(campaign, people, units, deduction):
    _issued, round_ = _send(people["office"], campaign)
    score_item, deduction_item = Feedback.objects.filter(round=round_, unit=units["C1"]).order_by(SCORES_FIRST)
    services.feedback_accept(user=people["assessed"], feedback=score_item, response="无异议")
    late = round_.deadline + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="核实期限已过"):
        services.feedback_accept(user=people["assessed"], feedback=deduction_item, now=late)
    with pytest.raises(ValidationError, match="核实期限已过"):
        services.review_request(user=people["assessed"], feedback=deduction_item, text="有异议", now=late)
    deduction_item.refresh_from_db()
    assert deduction_item.status == FeedbackStatus.SENT
    # another unit can never answer 郑州's item
    with pytest.raises(PermissionDenied):
        services.feedback_accept(user=people["assessed_c2"], feedback=deduction_item)


def test_publication_waits_for_items_inside_the_window(campaign, people, deduction):
    _issued, round_ = _send(people["office"], campaign)
    found = lifecycle.collect_blockers(campaign, "publish")
    assert any("在核实期内" in b.message and not b.overridable for b in found)
    after = round_.deadline + dt.timedelta(hours=1)
    found = lifecycle.collect_blockers(campaign, "publish", now=after)
    assert [b.overridable for b in found] == [True]  # unanswered past the window: a reason lets the office go on


def test_overview_counts_by_state(campaign, people, units, deduction):
    _issued, round_ = _send(people["office"], campaign)
    c1_items = list(Feedback.objects.filter(round=round_, unit=units["C1"]).order_by(SCORES_FIRST))
    services.feedback_accept(user=people["assessed"], feedback=c1_items[0])
    services.review_request(user=people["assessed"], feedback=c1_items[1], text="扣分依据有误")
    totals = batch.round_totals(round_)
    assert {k: totals[k] for k in ("total", "sent", "overdue", "accepted", "review", "decided")} == {
        "total": 4, "sent": 2, "overdue": 0, "accepted": 1, "review": 1, "decided": 0}
    assert totals["units_waiting"] == 2  # 开封 and 省委办公厅 have not answered
    rows = {r["unit__code"]: r for r in batch.round_units(round_)}
    assert (rows["C1"]["accepted"], rows["C1"]["review"], rows["C1"]["sent"]) == (1, 1, 0)
    assert [r["unit__code"] for r in batch.round_units(round_, "sent")] == ["C2", "D2"]
    later = round_.deadline + dt.timedelta(days=1)
    assert batch.round_totals(round_, now=later)["overdue"] == 2


def test_overview_page_is_paged_and_office_only(campaign, people, client_for, deduction, django_assert_max_num_queries):
    _issued, round_ = _send(people["office"], campaign)
    for item in Feedback.objects.filter(round=round_, unit=people["assessed"].unit):
        services.feedback_accept(user=people["assessed"], feedback=item)
    office = client_for(people["office"])
    with django_assert_max_num_queries(25):
        page = office.get(f"/reviews/campaigns/{campaign.pk}/feedback-round/?state=sent")
    assert page.status_code == 200
    body = page.content.decode()
    assert "开封市人民政府" in body and "郑州市人民政府" not in body.split('id="round-units"')[1]
    assert client_for(people["city_office"]).get(f"/reviews/campaigns/{campaign.pk}/feedback-round/").status_code == 404
    assert client_for(people["assessed"]).get(f"/reviews/campaigns/{campaign.pk}/feedback-round/").status_code == 403


def test_send_through_the_pages_shows_the_numbers_first(campaign, people, client_for, deduction):
    office = client_for(people["office"])
    preview = office.post(f"/reviews/campaigns/{campaign.pk}/feedback-round/send/")
    assert "将向 3 个被考核单位发送初步结果，共 4 项扣分" in preview.content.decode()
    assert not Feedback.objects.exists()
    token = preview.context["issued"].token
    forged = office.post(f"/reviews/campaigns/{campaign.pk}/feedback-round/send/", {"confirmation": "forged"},
                         follow=True)
    assert "确认无效" in forged.content.decode() and not Feedback.objects.exists()
    assert AuditEvent.objects.filter(action="confirmation.refused").count() == 1
    done = office.post(f"/reviews/campaigns/{campaign.pk}/feedback-round/send/", {"confirmation": token}, follow=True)
    assert "已向 3 个被考核单位发送初步结果，共 4 项扣分" in done.content.decode()
    assert Feedback.objects.count() == 4


def test_unit_sees_its_own_draft_only(campaign, people, client_for, units, deduction):
    _issued, round_ = _send(people["office"], campaign)
    mine = client_for(people["assessed"]).get(f"/reviews/drafts/{campaign.pk}/")
    body = mine.content.decode()
    assert mine.status_code == 200
    assert "行政复议纠错率偏高" in body and "80.00 / 100.00" in body
    result_total = campaign.results.get(unit=units["C1"]).total
    assert f'id="draft-total">{result_total}<' in body
    theirs = client_for(people["assessed_c2"]).get(f"/reviews/drafts/{campaign.pk}/").content.decode()
    assert "行政复议纠错率偏高" not in theirs and "96.00 / 100.00" in theirs
    c1_item = Feedback.objects.filter(round=round_, unit=units["C1"]).first()
    # 开封 cannot open, confirm or object to 郑州's item
    c2 = client_for(people["assessed_c2"])
    assert c2.get(f"/reviews/feedback/{c1_item.pk}/").status_code == 404
    assert c2.post(f"/reviews/feedback/{c1_item.pk}/accept/", {"back": "draft"}).status_code == 404
    c1_item.refresh_from_db()
    assert c1_item.status == FeedbackStatus.SENT
    # no draft page for other roles, or before the round is sent
    assert client_for(people["office"]).get(f"/reviews/drafts/{campaign.pk}/").status_code == 403
    Feedback.objects.all().delete()
    FeedbackRound.objects.all().delete()
    assert client_for(people["assessed"]).get(f"/reviews/drafts/{campaign.pk}/").status_code == 404


def test_draft_is_never_public_before_publication(campaign, people, client_for, units, deduction):
    _send(people["office"], campaign)
    results = client_for(people["assessed"]).get("/reviews/results/").content.decode()
    assert campaign.name not in results  # only published campaigns appear among the unit's results
    public = client_for(None).get(f"/reviews/drafts/{campaign.pk}/")
    assert public.status_code in (302, 403)


def test_answer_from_the_draft_page_returns_to_it(campaign, people, client_for, units, deduction):
    _issued, round_ = _send(people["office"], campaign)
    item = Feedback.objects.filter(round=round_, unit=units["C1"]).first()
    response = client_for(people["assessed"]).post(f"/reviews/feedback/{item.pk}/accept/", {"back": "draft"})
    assert response.status_code == 302 and response["Location"].endswith(f"/reviews/drafts/{campaign.pk}/#item-{item.pk}")
    item.refresh_from_db()
    assert item.status == FeedbackStatus.ACCEPTED


def test_reminders_one_per_unit_and_day_before_the_deadline(campaign, people, units, deduction):
    _issued, round_ = _send(people["office"], campaign)
    Notice.objects.all().delete()
    early = round_.sent_at + dt.timedelta(minutes=5)
    if round_.deadline - early > dt.timedelta(days=2):
        assert send_reminders.delay(now_iso=early.isoformat()).get() == 0  # not yet near
    near = round_.deadline - dt.timedelta(hours=20)
    assert send_reminders.delay(now_iso=near.isoformat()).get() == 3  # 3 units, one reminder each (郑州: 2 items)
    texts = list(Notice.objects.filter(user=people["assessed"]).values_list("text", flat=True))
    assert len(texts) == 1 and "还有 2 项未答复" in texts[0]
    assert send_reminders.delay(now_iso=(near + dt.timedelta(hours=1)).isoformat()).get() == 0  # once a day
    services.feedback_accept(user=people["assessed"], feedback=Feedback.objects.filter(unit=units["C1"]).first(),
                             now=near)
    next_day = timezone.localtime(near) + dt.timedelta(days=1)
    assert send_reminders.delay(now_iso=next_day.isoformat()).get() == 3
    assert "还有 1 项未答复" in Notice.objects.filter(user=people["assessed"]).first().text
