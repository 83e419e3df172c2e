"""Home-page cards of 实地考核 (registered in ``apps.py``)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from fazhi.orgs.home import Card

from . import policies
from .models import VisitStatus


def field_cards(user) -> list[Card]:
    counts = policies.visits_for(user, "work").aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status=VisitStatus.SAMPLED)))  # one query
    open_visits = counts["open"]
    return [Card(_("实地考核与法治理论测试"), str(open_visits),
                 _("已抽样、待本组考核记录和导入法治理论测试成绩的实地考核；共 %(n)s 次") % {"n": counts["total"]},
                 reverse("fieldwork:list"), "warn" if open_visits else "ok")]

