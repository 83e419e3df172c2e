"""Home-page cards of 集中评查 (registered with ``orgs.home.register_cards`` in ``apps.py``)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from fazhi.orgs.home import Card

from . import policies
from .models import ReviewStatus


def expert_cards(user) -> list[Card]:
    counts = policies.assignments_for(user).aggregate(
        total=Count("pk"), todo=Count("pk", filter=Q(submitted_at__isnull=True)))  # one query
    todo = counts["todo"]
    return [Card(_("评查案卷"), str(todo), _("分配给您、尚未提交评查结果的案卷；共分配 %(n)s 件") % {"n": counts["total"]},
                 reverse("casereview:my_files"), "warn" if todo else "ok")]


def office_cards(user) -> list[Card]:
    reviews = policies.reviews_for(user, "manage")
    open_reviews = reviews.exclude(status=ReviewStatus.WRITTEN).count()
    return [Card(_("集中评查"), str(open_reviews), _("进行中的案卷集中评查"), reverse("casereview:list"),
                 "warn" if open_reviews else "ok")]

