"""改派: the office moves a drawn file to another expert — never to one with a conflict, never once scored, always
with a reason, audited with the expert before and after; the moved file leaves the first expert's list."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.audit.models import AuditEvent
from fazhi.casereview import policies, services
from fazhi.casereview.models import Assignment, CaseFile, ReviewExpert

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(staffed, people):
    services.sample_draw(user=people["office"], review=staffed, seed="s")
    services.assignments_make(user=people["office"], review=staffed)
    return staffed


def _member(review, username):
    return ReviewExpert.objects.get(review=review, user__username=username)


def test_move_to_a_free_expert_with_reason_is_audited(assigned, people, experts):
    assignment = Assignment.objects.filter(file__unit__code="C1").exclude(expert__user__username="exp_free").first()
    if assignment is None:  # every C1 file went to the free expert: move one to the expert of D1's system
        assignment = Assignment.objects.filter(file__unit__code="C1").first()
        target = _member(assigned, "exp_sys")
    else:
        target = _member(assigned, "exp_free")
    before = assignment.expert.user
    services.assignment_set(user=people["office"], case_file=assignment.file, expert=target, reason="原专家回避不及")
    assignment.refresh_from_db()
    assert assignment.expert == target
    assert not policies.assignments_for(before).filter(pk=assignment.pk).exists()
    assert policies.assignments_for(target.user).filter(pk=assignment.pk).exists()
    event = AuditEvent.objects.get(action="casereview.assignment_set")
    assert event.before["expert"] == before.username and event.after["expert"] == target.user.username
    assert event.reason == "原专家回避不及"


def test_conflicts_submitted_no_reason_and_wrong_people_refused(assigned, people, experts):
    c1_file = CaseFile.objects.filter(review=assigned, unit__code="C1", drawn=True).first()
    with pytest.raises(ValidationError, match="利益冲突"):  # the expert employed by 郑州市司法局 (under C1)
        services.assignment_set(user=people["office"], case_file=c1_file, expert=_member(assigned, "exp_zz"),
                                reason="试试")
    c2_file = CaseFile.objects.filter(review=assigned, unit__code="C2", drawn=True).first()
    with pytest.raises(ValidationError, match="利益冲突"):  # exp_sys declared C2 as its system
        services.assignment_set(user=people["office"], case_file=c2_file, expert=_member(assigned, "exp_sys"),
                                reason="试试")
    free = _member(assigned, "exp_free")
    other = next(m for m in (_member(assigned, "exp_zz"), free) if m.pk != c2_file.assignment.expert_id)
    with pytest.raises(ValidationError, match="理由"):
        services.assignment_set(user=people["office"], case_file=c2_file, expert=other, reason=" ")
    for who in ("city_office", "other_office"):
        with pytest.raises(PermissionDenied):
            services.assignment_set(user=people[who], case_file=c2_file, expert=other, reason="x")
    with pytest.raises(PermissionDenied):
        services.assignment_set(user=experts["exp_free"], case_file=c2_file, expert=other, reason="x")
    undrawn = CaseFile.objects.filter(review=assigned, drawn=False).first()
    with pytest.raises(ValidationError, match="抽中"):
        services.assignment_set(user=people["office"], case_file=undrawn, expert=free, reason="x")
    scored = c2_file.assignment
    services.file_score(user=scored.expert.user, assignment=scored, deductions={})
    with pytest.raises(ValidationError, match="已提交"):
        services.assignment_set(user=people["office"], case_file=c2_file, expert=other, reason="x")
    assert not AuditEvent.objects.filter(action="casereview.assignment_set").exists()
    assert Assignment.objects.get(pk=scored.pk).expert_id == scored.expert_id


def test_reassign_from_the_page(assigned, people, client_for, experts):
    from django.urls import reverse

    office = client_for(people["office"])
    page = office.get(reverse("casereview:detail", args=[assigned.pk])).content.decode()
    assert 'class="inline reassign"' in page
    assignment = Assignment.objects.filter(file__unit__code="C2").exclude(expert__user__username="exp_free").first() \
        or Assignment.objects.filter(file__unit__code="C2").first()
    target = next(m for m in ReviewExpert.objects.filter(review=assigned)
                  if m.pk != assignment.expert_id and not services.conflicts(m, assignment.file.unit))
    url = reverse("casereview:assignment_set", args=[assigned.pk, assignment.file.pk])
    refused = office.post(url, {"expert": target.pk, "reason": ""})
    assert refused.status_code == 400 and "改派理由" in refused.content.decode()
    conflicted = _member(assigned, "exp_sys")  # declared C2 as its system
    refused = office.post(url, {"expert": conflicted.pk, "reason": "试试"})
    assert refused.status_code == 400 and "利益冲突" in refused.content.decode()
    assert office.post(url, {"expert": target.pk, "reason": "工作调整"}).status_code == 302
    assert Assignment.objects.get(pk=assignment.pk).expert == target
    for who in (people["city_office"], people["assessed"], experts["exp_free"]):
        assert client_for(who).post(url, {"expert": target.pk, "reason": "x"}).status_code in (403, 404)
