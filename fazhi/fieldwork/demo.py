"""Demo 实地考核 on the 2025 provincial campaign's indicator 2.3 (法治理论测试): 郑州市 — two of its departments drawn
from a published seed, visit records with a photo, 37 of 40 people tested (imported from a real Excel file), visit
completed so the 郑州市 account sees its sample; 信阳市 — two of its counties drawn, the visit under way, for the
``field`` account to record and import a test."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.assessment.models import Campaign
from fazhi.io.excel import build_workbook

from . import services
from .models import FieldVisit

MEMBERS = [("吴组长", "official", "省依法治省办", True), ("陈代表", "npc", "省人大代表", False),
           ("刘委员", "cppcc", "省政协委员", False), ("周教授", "scholar", "郑州大学法学院", False),
           ("黄律师", "lawyer", "河南某律师事务所", False), ("马记者", "journalist", "河南日报", False)]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
POSTS = ["科长", "副科长", "科员", "副局长", "执法大队队长", "法制审核员"]


def _photo() -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), (235, 240, 245))
    ImageDraw.Draw(image).rectangle((20, 20, 300, 180), outline=(160, 30, 30), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return SimpleUploadedFile("政务服务大厅暗访.jpg", buffer.getvalue(), content_type="image/jpeg")


def load(*, units, people, stdout) -> None:
    campaign = Campaign.objects.filter(owner=units["410000"], year=2025).first()
    if campaign is None or FieldVisit.objects.filter(campaign=campaign).exists():
        return
    office, field = people["office"], people["field"]
    indicator = campaign.indicators.get(code="2.3")
    today = timezone.localdate()
    rng = random.Random(23)
    zz = services.visit_create(
        user=office, campaign=campaign, indicator=indicator, unit=units["410100"], team_unit=units["HA-FIELD"],
        start_date=today, end_date=today + dt.timedelta(days=1), required_count=40, departments_k=2,
        governments_k=0, schedule="第一天上午：听取汇报、座谈访谈\n第一天下午：法治理论测试\n第二天：抽中部门现场查看、政务服务大厅暗访")
    xy = services.visit_create(
        user=office, campaign=campaign, indicator=indicator, unit=units["411500"], team_unit=units["HA-FIELD"],
        start_date=today + dt.timedelta(days=7), end_date=today + dt.timedelta(days=8), required_count=30,
        departments_k=0, governments_k=2, schedule="第一天：座谈访谈、法治理论测试\n第二天：抽中县区现场查看和暗访")
    for visit in (zz, xy):
        for name, kind, organisation, leader in MEMBERS:
            services.member_add(user=office, visit=visit, name=name, kind=kind, organisation=organisation,
                                is_leader=leader)
    services.sample_draw(user=office, visit=zz, seed="HN-2025-实地考核-郑州-演示")
    services.sample_draw(user=office, visit=xy, seed="HN-2025-实地考核-信阳-演示")
    drawn = list(zz.sampled.select_related("unit"))
    services.record_add(user=field, visit=zz, kind="interview", unit=units["410100"], happened_on=today,
                        place="市政府第一会议室", text="与市政府分管负责同志、市司法局座谈，了解重大行政决策合法性审查情况。")
    services.record_add(user=field, visit=zz, kind="unannounced", unit=units["410100"], happened_on=today,
                        place="市政务服务中心", text="暗访政务服务大厅：2个窗口未公示办事指南，咨询人员答复准确。",
                        photos=[_photo()])
    services.record_add(user=field, visit=zz, kind="site", unit=drawn[0].unit, happened_on=today,
                        place=drawn[0].unit.name, text="查阅2025年行政执法案卷10卷，法制审核意见齐全。")
    rows = [{"name": rng.choice(SURNAMES) + rng.choice(SURNAMES) + str(i), "post": rng.choice(POSTS),
             "unit": rng.choice([units["410100"]] + [s.unit for s in drawn]).name,
             "score": rng.randint(70, 98)} for i in range(1, 38)]
    services.theory_import(user=field, visit=zz, data=build_workbook("法治理论测试", services.theory_columns(), rows))
    services.visit_complete(user=office, visit=zz)
    outcome = services.theory_outcome(zz)
    stdout.write(f"实地考核演示数据 / field assessment demo: 郑州市 completed (theory test {outcome.value}), "
                 f"信阳市 sampled ({', '.join(s.unit.name for s in xy.sampled.select_related('unit'))})")
