import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.assessment.models import CampaignStatus, Result, Score
from fazhi.audit.models import AuditEvent
from fazhi.audit.services import verify_chain
from fazhi.core.workdays import SHANGHAI
from fazhi.reviews import services
from fazhi.reviews.models import Feedback, FeedbackStatus, Notice, ReviewRequest, ReviewStatus
from fazhi.testing.lifecycle import advance, take

SENT = dt.datetime(2026, 2, 18, 10, 0, tzinfo=SHANGHAI)
IN_TIME = dt.datetime(2026, 2, 27, 10, 0, tzinfo=SHANGHAI)
LATE = dt.datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def feedback(campaign, a1, units, people, django_capture_on_commit_callbacks) -> Feedback:
    people["assessed"].email = "c1@example.org"
    people["assessed"].save()
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves once the change is committed
        return services.feedback_send(user=people["office"], campaign=campaign, unit=units["C1"], indicator=a1,
                                      text="依法决策制度执行情况请核实", sent_at=SENT)


def test_no_mail_for_a_change_that_rolls_back(campaign, a1, units, people, django_capture_on_commit_callbacks):
    from django.db import transaction

    people["assessed"].email = "c1@example.org"
    people["assessed"].save()
    with (django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError),
          transaction.atomic()):
        services.feedback_send(user=people["office"], campaign=campaign, unit=units["C1"], indicator=a1,
                               text="会回滚", sent_at=SENT)
        raise RuntimeError("roll back")
    assert callbacks == [] and mail.outbox == [] and not Feedback.objects.filter(text="会回滚").exists()


def _pdf(name="evidence.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4" + b"0" * size, content_type="application/pdf")


def test_send_sets_deadline_and_notifies(feedback, people):
    assert feedback.deadline == dt.datetime(2026, 2, 28, 23, 59, 59, tzinfo=SHANGHAI)
    assert Notice.objects.filter(user=people["assessed"]).exists()
    assert mail.outbox and mail.outbox[0].to == ["c1@example.org"]
    assert AuditEvent.objects.filter(action="feedback.send", unit=feedback.unit).exists()


def test_send_refused_for_non_member_and_other_office(campaign, units, people):
    with pytest.raises(ValidationError):
        services.feedback_send(user=people["office"], campaign=campaign, unit=units["D1"], text="x")
    with pytest.raises(PermissionDenied):
        services.feedback_send(user=people["other_office"], campaign=campaign, unit=units["C1"], text="x")
    with pytest.raises(ValidationError):
        services.feedback_send(user=people["office"], campaign=campaign, unit=units["C1"], text="  ")
    assert not Feedback.objects.exists()


def test_send_in_unknown_year_warns(campaign, units, people):
    item = services.feedback_send(user=people["office"], campaign=campaign, unit=units["C1"], text="x",
                                  sent_at=dt.datetime(2027, 6, 1, 9, tzinfo=SHANGHAI))
    assert item.deadline is None and "2027" in item.deadline_warning


def test_accept_in_time(feedback, people):
    services.feedback_accept(user=people["assessed"], feedback=feedback, response="无异议", now=IN_TIME)
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ACCEPTED and feedback.verified_by == people["assessed"]


def test_late_verification_refused(feedback, people):
    with pytest.raises(ValidationError, match="核实期限已过"):
        services.feedback_accept(user=people["assessed"], feedback=feedback, now=LATE)
    with pytest.raises(ValidationError, match="核实期限已过"):
        services.review_request(user=people["assessed"], feedback=feedback, text="不同意", now=LATE)
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.SENT and not ReviewRequest.objects.exists()


def test_other_unit_cannot_answer(feedback, people):
    with pytest.raises(PermissionDenied):
        services.feedback_accept(user=people["assessed_c2"], feedback=feedback, now=IN_TIME)


@pytest.mark.parametrize("upload,message", [
    (SimpleUploadedFile("virus.exe", b"MZ"), "只接受"),
    (SimpleUploadedFile("big.pdf", b"0" * 2048), "文件过大"),
])
def test_bad_files_refused(feedback, people, settings, upload, message):
    settings.FAZHI_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError, match=message):
        services.review_request(user=people["assessed"], feedback=feedback, text="不同意",
                                files=[_pdf(), upload], now=IN_TIME)
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.SENT and not ReviewRequest.objects.exists()


@pytest.fixture
def review(feedback, people):
    return services.review_request(user=people["assessed"], feedback=feedback, text="已提供会议纪要",
                                   files=[_pdf()], now=IN_TIME)


def test_review_request_with_evidence(review, people):
    assert review.evidence.count() == 1 and review.feedback.status == FeedbackStatus.REVIEW
    assert Notice.objects.filter(user=people["assessing"]).exists()  # the assessing unit is told
    assert Notice.objects.filter(user=people["office"]).exists()


def test_decision_without_reason_refused_nothing_changes(review, people, a1, units):
    score = Score.objects.get(indicator=a1, unit=units["C1"])
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="理由"):
        services.review_decide(user=people["assessing"], review=review, outcome="changed", new_value="90",
                               reason="  ")
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN
    assert Score.objects.get(pk=score.pk).value == score.value
    assert AuditEvent.objects.count() == events


def test_decision_changes_score_audits_and_recomputes(review, people, a1, units, campaign):
    before_total = Result.objects.get(campaign=campaign, unit=units["C1"]).total
    decision = services.review_decide(user=people["assessing"], review=review, outcome="changed",
                                      new_value="90.5", reason="会议纪要证明已落实", expected_version=1)
    assert decision.old_value == Decimal("80.00") and decision.new_value == Decimal("90.5")
    score = Score.objects.get(indicator=a1, unit=units["C1"])
    assert score.value == Decimal("90.50") and score.version == 2
    event = AuditEvent.objects.get(action="score.change_on_review")
    assert event.before["value"] == "80.00" and event.after["value"] == "90.50"
    assert event.reason == "会议纪要证明已落实" and event.actor == people["assessing"]
    assert Result.objects.get(campaign=campaign, unit=units["C1"]).total != before_total
    assert verify_chain().ok


def test_decision_version_conflict_refused(review, people, a1, units):
    with pytest.raises(ValidationError, match="版本"):
        services.review_decide(user=people["office"], review=review, outcome="changed", new_value="90",
                               reason="r", expected_version=7)
    assert Score.objects.get(indicator=a1, unit=units["C1"]).value == Decimal("80.00")


def test_decision_out_of_range_refused(review, people):
    with pytest.raises(ValidationError, match="0 到"):
        services.review_decide(user=people["office"], review=review, outcome="changed", new_value="101",
                               reason="r")


def test_decision_by_unrelated_roles_refused(review, people, make_user, units):
    other_assessing = make_user("other_assessing", "assessing", units["D2"])
    for user in (other_assessing, people["assessed"], people["other_office"], people["city_office"]):
        with pytest.raises(PermissionDenied):
            services.review_decide(user=user, review=review, outcome="upheld", reason="r")


def test_publish_refused_while_review_open(review, people, campaign):
    with pytest.raises(ValidationError, match="复核"):
        take(user=people["office"], campaign=campaign, action="submit")
    services.review_decide(user=people["office"], review=review, outcome="upheld", reason="证据不足")
    advance(campaign, "submit", "approve", "publish", office=people["office"], approver=people["approver"])
    assert campaign.status == CampaignStatus.PUBLISHED
    assert AuditEvent.objects.filter(action="campaign.publish", unit=campaign.owner).exists()


def test_publish_refused_while_review_opened_after_approval(feedback, people, campaign):
    advance(campaign, "submit", "approve", office=people["office"], approver=people["approver"])
    feedback.campaign.refresh_from_db()
    services.review_request(user=people["assessed"], feedback=feedback, text="异议", now=IN_TIME)
    with pytest.raises(ValidationError, match="复核"):
        take(user=people["office"], campaign=campaign, action="publish")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.APPROVED


def test_transitions_office_only_and_in_order(campaign, people):
    with pytest.raises(ValidationError):
        take(user=people["office"], campaign=campaign, action="publish")
    with pytest.raises(PermissionDenied):
        take(user=people["assessing"], campaign=campaign, action="submit")
    with pytest.raises(PermissionDenied):
        take(user=people["city_office"], campaign=campaign, action="submit")


def test_freeze_after_window_only(feedback, people, campaign):
    with pytest.raises(ValidationError, match="核实期内"):
        take(user=people["office"], campaign=campaign, action="freeze", now=IN_TIME)
    take(user=people["office"], campaign=campaign, action="freeze", now=LATE)
    campaign.refresh_from_db()
    assert campaign.frozen


def test_reminders(feedback, people, django_capture_on_commit_callbacks):
    from fazhi.reviews.tasks import send_reminders

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(dt.datetime(2026, 2, 27, 9, tzinfo=SHANGHAI).isoformat()) == 1
    assert len(mail.outbox) == 1 and "截止" in mail.outbox[0].body
    assert send_reminders(dt.datetime(2026, 2, 27, 15, tzinfo=SHANGHAI).isoformat()) == 0  # once a day
    assert send_reminders(dt.datetime(2026, 2, 20, 9, tzinfo=SHANGHAI).isoformat()) == 0  # not yet near
