"""Home-page cards of 满意度测评 (registered in ``apps.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from fazhi.orgs.home import Card

from . import policies


def survey_cards(user) -> list[Card]:
    rounds = policies.rounds_for(user, "import").count()
    return [Card(_("上传满意度调查"), str(rounds), _("委托本机构的满意度测评：导入问卷调查、神秘办事人和好差评数据"),
                 reverse("surveys:list"), "warn" if rounds else "ok")]

