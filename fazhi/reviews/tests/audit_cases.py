"""Audit cases of the reviews services for ``fazhi/audit/tests/test_every_write_audited.py``: each runs the service
for real on the shared test world and returns the audit action it must have written."""

from __future__ import annotations


def _computed(w):
    from fazhi.audit.tests.test_every_write_audited import _computed_campaign

    return _computed_campaign(w)


def batch_send(w):
    from fazhi.reviews import batch

    campaign = _computed(w)
    issued = batch.feedback_batch_preview(user=w.office, campaign=campaign)
    batch.feedback_batch_send(user=w.office, campaign=campaign, confirmation=issued.token)
    return "feedback.batch_send"


CASES = {"reviews.batch.feedback_batch_send": batch_send}
