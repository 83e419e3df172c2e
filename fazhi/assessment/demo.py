"""Demo assessment data: Henan's 2024 campaign (published, for the public portal) and 2025 campaign
(computed, so the publication flow can be shown), with a "1+1+N" indicator tree (DOMAIN.md §4) and scores
for every unit. Scores are invented (deterministic), labelled as demo data by the layout banner.

Loading twice does nothing the second time (a campaign that exists is left as it is).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from . import lifecycle, policies, selectors, services
from .models import (
    Adjustment,
    Campaign,
    CampaignStatus,
    Indicator,
    Method,
    Score,
    ScoreStatus,
)

ALL = [1, 2, 3, 4, 5, 6, 7]
GOV = [1, 4, 7]  # 法治政府: cities, government departments, central units

# Who scores by method (DOMAIN.md §2, §5.1): 集中评查 the expert pool, 实地考核 the field team, 满意度调查 the
# third-party survey centre (demo users expert / field / survey belong to these units).
EXPERTS, FIELD, SURVEY = "HA-EXPERTS", "HA-FIELD", "HA-SURVEY"

# (code, title, points, method, categories, assessing unit codes, allow_subunits) under headings (code, title)
TREE = [
    (("1", "一、加强党的统一领导"), [
        ("1.1", "学习宣传贯彻习近平法治思想", 8, Method.DAILY, ALL, ["HA-P004"], False),
        ("1.2", "落实党中央和省委法治建设决策部署", 8, Method.SUPERVISION, ALL, ["HA-P002"], False),
        ("1.3", "发挥议事协调机构作用", 8, Method.FIELD, ALL, [FIELD], False),
        ("1.4", "法治宣传和理论研究", 8, Method.WEB, ALL, ["HA-P004"], False),
        ("1.5", "法治建设工作保障", 8, Method.FIELD, ALL, [FIELD], False),
    ]),
    (("2", "二、共同职责"), [
        ("2.1", "健全监督体制机制", 10, Method.SUPERVISION, ALL, ["HA-P001"], False),
        ("2.2", "依法化解社会矛盾纠纷", 10, Method.DAILY, ALL, ["HA-P019"], False),
        ("2.3", "提升工作人员法治思维和依法办事能力（法治理论测试）", 10, Method.FIELD, ALL, [FIELD], False),
    ]),
    (("3", "三、分类职责"), []),
    (("3.1", "（一）依法执政"), [
        ("3.1.1", "党内法规制度建设", 10, Method.REVIEW, [2], [EXPERTS], False),
        ("3.1.2", "党内规范性文件备案审查", 10, Method.REVIEW, [2], [EXPERTS], False),
        ("3.1.3", "依规治党责任落实", 10, Method.DAILY, [2], ["HA-P001"], False),
    ]),
    (("3.2", "（二）科学立法"), [
        ("3.2.1", "立法规划和计划执行", 10, Method.DAILY, [3], ["HA-P019"], False),
        ("3.2.2", "立法公开征求意见", 10, Method.WEB, [3], ["HA-P019"], False),
        ("3.2.3", "民主协商和立法协商", 10, Method.DAILY, [3], ["HA-P002"], False),
    ]),
    (("3.3", "（三）法治政府"), [
        ("3.3.1", "依法全面履行政府职能", 5, Method.DAILY, GOV, ["HA-P019"], False),
        ("3.3.2", "重大行政决策程序", 5, Method.REVIEW, GOV, [EXPERTS], False),
        ("3.3.3", "行政规范性文件监督管理", 5, Method.REVIEW, GOV, [EXPERTS], False),
        ("3.3.4", "严格规范公正文明执法", 5, Method.DAILY, GOV, ["HA-P019"], True),
        ("3.3.5", "政务公开和政务服务", 5, Method.SURVEY, GOV, [SURVEY], False),
        ("3.3.6", "行政复议和行政应诉", 5, Method.DAILY, GOV, ["HA-P019"], False),
    ]),
    (("3.4", "（四）公正司法"), [
        ("3.4.1", "司法责任制综合配套改革", 10, Method.DAILY, [5], ["HA-P006"], False),
        ("3.4.2", "司法公开", 10, Method.WEB, [5], ["HA-P006"], False),
        ("3.4.3", "执法司法制约监督", 10, Method.SUPERVISION, [5], ["HA-P006"], False),
    ]),
    (("3.5", "（五）法治社会"), [
        ("3.5.1", "普法责任制落实", 10, Method.DAILY, [6], ["HA-P019"], False),
        ("3.5.2", "社会组织依法自治", 10, Method.DAILY, [6], ["HA-P019"], False),
        ("3.5.3", "群众满意度（社情民意）", 10, Method.SURVEY, [6], [SURVEY], False),
    ]),
]

PARENT_OF = {"3.1": "3", "3.2": "3", "3.3": "3", "3.4": "3", "3.5": "3"}

ADJUSTMENTS = [
    ("410100", "bonus", "3", "获评全国法治政府建设示范市", "中央依法治国办通报", False, False, ""),
    ("411500", "bonus", "2", "行政执法协调监督工作体系建设经验被司法部推广", "司法部简报", False, False, ""),
    ("410500", "deduction", "4", "行政复议纠错率偏高，被省政府通报", "省政府办公厅通报", False, False, ""),
    ("HA-P030", "deduction", "3", "行政执法案卷评查不合格率高", "集中评查记录", False, False, ""),
    ("410900", "deduction", "12", "发生重大违法行政决策引发负面舆情", "媒体报道、网络检索记录", True, True,
     "考核办主任办公会研究决定：情节严重，扣分突破上限"),
]


def _build_tree(campaign: Campaign, units) -> None:
    sort = 0
    headings: dict[str, Indicator] = {}
    for (code, title), leaves in TREE:
        sort += 1
        parent = headings.get(PARENT_OF.get(code, ""))
        headings[code] = Indicator.objects.create(campaign=campaign, parent=parent, code=code, title=title, sort=sort)
        for leaf_code, leaf_title, points, method, categories, assessors, subunits in leaves:
            sort += 1
            leaf = Indicator.objects.create(
                campaign=campaign, parent=headings[code], code=leaf_code, title=leaf_title, points=Decimal(points),
                method=method, categories=list(categories), allow_subunits=subunits, sort=sort,
                description="按照年度工作安排逐项评价；未完成或完成质量不高的酌情扣分，须写明理由并上传佐证材料。")
            leaf.assessing_units.set([units[c] for c in assessors])


def _score_everything(campaign: Campaign, units, people, rng: random.Random) -> None:
    """Every cell scored and submitted, each by its indicator's assessing unit (and, where a demo user works in
    that unit with a scoring role — assessing, expert, field team, survey —, by that user)."""
    scorers: dict[int, object] = {}
    for person in people.values():
        if person.unit_id and person.role in policies.SCORER_ROLES:
            scorers.setdefault(person.unit_id, person)
    quality: dict[int, float] = {}
    rows = []
    for cell in selectors.campaign_cells(campaign):
        target = cell.subunit or cell.unit
        # a unit's quality is stable from year to year (so ranks move a little), plus this year's noise
        q = quality.setdefault(target.pk, random.Random(target.code).uniform(0.66, 0.99) + rng.uniform(-0.03, 0.03))
        points = cell.indicator.points
        share = min(1.0, max(0.3, q + rng.uniform(-0.08, 0.08)))
        value = (Decimal(str(round(float(points) * share * 2) / 2))).quantize(Decimal("0.01"))
        value = min(value, points)
        assessor = cell.indicator.assessing_units.all()[0]
        reason = "工作扎实，材料齐全" if value == points else f"部分任务未按期完成，扣{points - value}分（见佐证材料）"
        rows.append(Score(
            campaign=campaign, indicator=cell.indicator, unit=cell.unit, subunit=cell.subunit, value=value,
            reason=reason, status=ScoreStatus.SUBMITTED, submitted_at=timezone.now(),
            scored_by=scorers.get(assessor.pk),
            scored_by_unit=assessor))
    Score.objects.bulk_create(rows, batch_size=1000)


def _step(user, campaign: Campaign, action: str, **kwargs) -> None:
    """A lifecycle step as the user would take it: the preview (its one-time confirmation), then the step."""
    if lifecycle.STEPS[action].confirm:
        kwargs["confirmation"] = lifecycle.preview(user=user, campaign=campaign, action=action, **kwargs).token
    lifecycle.campaign_transition(user=user, campaign=campaign, action=action, **kwargs)


def _campaign(*, year: int, office, units, people, rng, adjustments) -> Campaign:
    campaign = services.campaign_create(user=office, year=year, name=f"{year}年度河南省法治政府建设考核（演示）",
                                        excellent_quota=Decimal("0.3"))
    _build_tree(campaign, units)
    _step(office, campaign, "start_scoring")
    campaign.refresh_from_db()
    _score_everything(campaign, units, people, rng)
    for code, kind, points, reason, source, serious, exceed, exceed_reason in adjustments:
        services.adjustment_create(user=office, campaign=campaign, unit=units[code], kind=kind, points=points,
                                   reason=reason, source=source, serious=serious, exceed_cap=exceed,
                                   exceed_reason=exceed_reason)
    services.campaign_compute(user=office, campaign=campaign)
    campaign.refresh_from_db()
    return campaign


def _publish(campaign: Campaign, office, approver) -> None:
    """Take a computed demo campaign through the real steps: freeze, submit (office), approve (the approver, with a
    document number), publish (office) — ``lifecycle.campaign_transition``. Every score is submitted and nothing is
    left open, so no guard objects."""
    campaign.refresh_from_db()
    if campaign.status != CampaignStatus.COMPUTED or not campaign.results.exists():
        raise RuntimeError(f"demo campaign {campaign} is not computed")
    if campaign.scores.exclude(status=ScoreStatus.SUBMITTED).exists():
        raise RuntimeError(f"demo campaign {campaign} has scores not submitted")
    for action in ("freeze", "submit", "approve", "publish"):
        by = approver if lifecycle.STEPS[action].who == lifecycle.APPROVER else office
        _step(by, campaign, action, document_number=f"豫法治委〔{campaign.year + 1}〕2号",
              decided_on=dt.date(campaign.year + 1, 3, 20))
    campaign.refresh_from_db()


# 郑州市's own assessment of its departments (分级考核), still in the scoring phase: what an assessing unit sees
# while it works. Assessed by 郑州市司法局 (demo user assessing_zz).
CITY_TREE = [
    ("Z1", "学习贯彻习近平法治思想", 20),
    ("Z2", "重大行政决策合法性审查", 20),
    ("Z3", "行政规范性文件备案审查", 20),
    ("Z4", "行政执法“三项制度”落实", 20),
    ("Z5", "行政复议和行政应诉", 20),
]


def _city_campaign(*, units, people, rng: random.Random) -> Campaign:
    """郑州市 2025 campaign over its departments, scoring under way: about half the cells scored as drafts."""
    office = people["office_zz"]
    campaign = services.campaign_create(user=office, year=2025, name="2025年度郑州市法治政府建设考核（演示）")
    heading = Indicator.objects.create(campaign=campaign, code="Z", title="市直部门法治政府建设", sort=1)
    for sort, (code, title, points) in enumerate(CITY_TREE, start=2):
        leaf = Indicator.objects.create(campaign=campaign, parent=heading, code=code, title=title,
                                        points=Decimal(points), method=Method.DAILY, categories=[4], sort=sort)
        leaf.assessing_units.set([units["410100-D01"]])
    _step(office, campaign, "start_scoring")
    scorer = people["assessing_zz"]
    for cell in selectors.campaign_cells(campaign):
        if rng.random() < 0.5:
            continue
        points = cell.indicator.points
        value = min(points, Decimal(rng.randint(int(points * 6), int(points * 10))) / 10)
        Score.objects.create(campaign=campaign, indicator=cell.indicator, unit=cell.unit, value=value,
                             reason="" if value == points else "部分工作未按期完成", status=ScoreStatus.DRAFT,
                             scored_by=scorer, scored_by_unit=scorer.unit)
    return campaign


def load(*, units, people, stdout) -> None:
    office = people["office"]
    province = units["410000"]
    if Campaign.objects.filter(owner=province, year__in=(2024, 2025)).exists():
        stdout.write("考核演示数据已存在，跳过 / assessment demo already loaded")
        return
    rng = random.Random(2025)
    c2024 = _campaign(year=2024, office=office, units=units, people=people, rng=rng, adjustments=ADJUSTMENTS[:3])
    _publish(c2024, office, people["approver"])
    c2025 = _campaign(year=2025, office=office, units=units, people=people, rng=rng, adjustments=ADJUSTMENTS)
    city = _city_campaign(units=units, people=people, rng=rng)
    stdout.write(f"考核演示数据 / assessment demo: {city.name}（评分中）")
    stdout.write(
        f"考核演示数据 / assessment demo: {c2024.name}（已公布）, {c2025.name}（已计算）; "
        f"{Score.objects.filter(campaign=c2025).count()} scores, {Adjustment.objects.filter(campaign=c2025).count()}"
        " adjustments")
