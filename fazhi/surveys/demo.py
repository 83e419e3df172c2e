"""Demo 满意度测评 on the 2025 provincial campaign's indicator 3.3.5 (政务公开和政务服务, method 满意度调查): the
survey centre (``survey`` account) has imported, from real Excel files, per-unit phone and online survey results,
神秘办事人 visits of the cities' service halls and the year's 好差评 counts; 社情民意 joins from the portal. The office
sees the inputs beside the resulting score; the 2025 campaign is already computed, so the scores are shown, not
written."""

from __future__ import annotations

import datetime as dt
import random

from fazhi.assessment.models import Campaign
from fazhi.io.excel import build_workbook
from fazhi.orgs.models import UnitKind

from . import services
from .models import SurveyRound


def load(*, units, people, stdout) -> None:
    campaign = Campaign.objects.filter(owner=units["410000"], year=2025).first()
    if campaign is None or SurveyRound.objects.filter(campaign=campaign).exists():
        return
    office, survey = people["office"], people["survey"]
    survey_round = services.round_create(user=office, campaign=campaign, indicator=campaign.indicators.get(code="3.3.5"),
                                         institute=units["HA-SURVEY"], title="2025年度政务服务群众满意度测评（演示）")
    rng = random.Random(335)
    targets = services.target_units(survey_round)
    surveys, visits, ratings = [], [], []
    for unit in targets:
        base = rng.uniform(78, 94)
        surveys.append({"unit": unit.name, "mode": "电话调查", "sample_size": rng.randint(300, 600),
                        "score": round(base + rng.uniform(-2, 2), 2), "margin": round(rng.uniform(2.5, 4.5), 2)})
        if unit.kind == UnitKind.GOVERNMENT:
            surveys.append({"unit": unit.name, "mode": "网络调查", "sample_size": rng.randint(100, 300),
                            "score": round(base + rng.uniform(-5, 1), 2), "margin": round(rng.uniform(4, 7), 2)})
            for n in range(2):
                visits.append({"unit": unit.name, "visited_on": dt.date(2025, 9, 3 + n * 14).isoformat(),
                               "place": f"{unit.region or unit.name}政务服务中心" + ("" if n == 0 else "（分中心）"),
                               "score": rng.randint(75, 98),
                               "note": rng.choice(["", "取号等候超过30分钟", "窗口人员一次性告知到位", "自助终端故障未及时处理"])})
        total = rng.randint(2000, 90000)
        good = int(total * rng.uniform(0.93, 0.995))
        bad = rng.randint(0, (total - good) // 3)
        ratings.append({"unit": unit.name, "good": good, "neutral": total - good - bad, "bad": bad})
    for kind, rows, name in (("survey", surveys, "2025年问卷调查结果.xlsx"), ("mystery", visits, "2025年神秘办事人记录.xlsx"),
                             ("rating", ratings, "2025年好差评数据.xlsx")):
        services.data_import(user=survey, survey_round=survey_round, kind=kind, filename=name,
                             data=build_workbook("数据", services.columns(kind), rows))
    stdout.write(f"满意度测评演示数据 / satisfaction demo: {len(targets)} units, {len(surveys)} survey rows, "
                 f"{len(visits)} mystery visits, {len(ratings)} 好差评 rows")
