"""Province-sized assessment data for ``fazhi demo_scale``: the scaled province's campaigns.

- ``history`` published campaigns (every cell submitted, results computed by the engine through
  ``services.campaign_compute``, then published as the demo does, ``demo._publish``), the latest first in the
  free years before the current one;
- the current year's campaign in the scoring phase with nearly every cell scored (most submitted, some drafts,
  a few cells left open), a little evidence.

The tree has ``leaves`` indicator leaves; 省司法厅 (the demo ``assessing`` account's unit) scores about a third of
them, and most leaves that apply to the cities are scored per sub-unit (each city's departments and counties,
seed 001 §五(一)), which is where a province's cell count comes from.
Scores go in with ``fazhi.io.bulk.insert_rows`` (COPY on PostgreSQL).
"""

from __future__ import annotations

import random
from decimal import ROUND_DOWN, Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from fazhi.io.bulk import insert_rows

from . import selectors, services
from .demo import _publish
from .models import (
    Adjustment,
    AdjustmentKind,
    Campaign,
    CampaignStatus,
    Evidence,
    Indicator,
    IndicatorOverride,
    Method,
    OverrideAction,
    Score,
    ScoreStatus,
)

ALL = [1, 2, 3, 4, 5, 6, 7]
GOV = [1, 4, 7]
JUDICIAL_DEPT = "HA-P019"  # 省司法厅
SECTIONS = [
    ("1", "一、加强党的统一领导", ALL, [
        "学习宣传贯彻习近平法治思想", "落实党中央和省委法治建设决策部署", "发挥议事协调机构作用", "法治建设工作保障",
        "主要负责人履行推进法治建设第一责任人职责", "年度法治建设工作报告", "法治建设纳入发展规划",
        "法治督察发现问题整改", "领导干部述法", "法治建设考核结果运用",
    ]),
    ("2", "二、共同职责", ALL, [
        "健全监督体制机制", "依法化解社会矛盾纠纷", "提升工作人员法治思维和依法办事能力", "法律顾问和公职律师工作",
        "普法责任制落实", "合法性审查机制建设", "信访工作法治化", "政务诚信建设", "领导干部学法用法",
        "法治理论测试",
    ]),
    ("3", "三、法治政府建设", GOV, [
        "依法全面履行政府职能", "重大行政决策程序", "行政规范性文件监督管理", "严格规范公正文明执法",
        "政务公开和政务服务", "行政复议和行政应诉", "行政执法“三项制度”落实", "行政执法协调监督",
        "优化法治化营商环境", "数字法治政府建设", "行政裁决和行政调解", "突发事件应对法治化",
    ]),
    ("4", "四、依法执政", [2], ["党内法规制度建设", "党内规范性文件备案审查", "依规治党责任落实"]),
    ("5", "五、科学立法", [3], ["立法规划和计划执行", "立法公开征求意见", "民主协商和立法协商"]),
    ("6", "六、公正司法", [5], ["司法责任制综合配套改革", "司法公开", "执法司法制约监督"]),
    ("7", "七、法治社会", [6], ["普法责任制落实", "社会组织依法自治", "群众满意度（社情民意）"]),
]
METHODS = [Method.DAILY, Method.SUPERVISION, Method.REVIEW, Method.WEB, Method.FIELD, Method.SURVEY]
# who scores by method besides 省司法厅 (demo unit codes)
ASSESSORS = {Method.DAILY: ["HA-P002", "HA-P004", "HA-P001"], Method.SUPERVISION: ["HA-P001", "HA-P002"],
             Method.REVIEW: ["HA-EXPERTS"], Method.WEB: ["HA-P004"], Method.FIELD: ["HA-FIELD"],
             Method.SURVEY: ["HA-SURVEY"]}
WEIGHTS = [Decimal(p) for p in (2, 3, 4, 5, 5, 6, 8, 10)]
GOOD_REASON = "工作扎实，材料齐全"


def _leaf_plan(leaves: int) -> list[tuple[str, str, list[int]]]:
    """(heading code, title, categories) for each leaf: the sections' titles in turn, numbered past the first
    round (a province's tree repeats topics per field of work)."""
    plan = []
    rounds = 0
    while len(plan) < leaves:
        for code, _title, categories, titles in SECTIONS:
            share = max(1, round(leaves * {"1": 0.2, "2": 0.25, "3": 0.35}.get(code, 0.05) / len(titles)))
            for title in titles[: share * len(titles)]:
                if len(plan) >= leaves:
                    break
                plan.append((code, title if rounds == 0 else f"{title}（{rounds + 1}）", categories))
        rounds += 1
    return plan[:leaves]


def build_tree(campaign: Campaign, *, leaves: int, units: dict, rng: random.Random) -> list[Indicator]:
    """Headings and ``leaves`` leaves (bulk), their assessing units and a few 增减 overrides."""
    headings = Indicator.objects.bulk_create(
        [Indicator(campaign=campaign, code=code, title=title, sort=i * 1000) for i, (code, title, _c, _t)
         in enumerate(SECTIONS, start=1)])
    heading_by_code = {h.code: h for h in headings}
    numbers: dict[str, int] = {}
    rows = []
    assessors = []
    planned = _leaf_plan(leaves)
    # points: weights scaled so that no category's applicable total passes 90 (the engine refuses > 100; the
    # margin leaves room for a 增 override)
    weight_sum = {c: sum(WEIGHTS[i % len(WEIGHTS)] for i, (_h, _t, cats) in enumerate(planned) if c in cats)
                  for c in ALL}
    factor = Decimal(90) / max(weight_sum.values())
    for i, (code, title, categories) in enumerate(planned):
        numbers[code] = numbers.get(code, 0) + 1
        method = METHODS[i % len(METHODS)]
        assessor = JUDICIAL_DEPT if i % 3 == 0 else ASSESSORS[method][i % len(ASSESSORS[method])]
        subunits = 1 in categories and i % 5 != 4  # most city leaves are scored per department/county
        rows.append(Indicator(
            campaign=campaign, parent=heading_by_code[code], code=f"{code}.{numbers[code]}", title=title,
            points=max(Decimal("0.5"), (WEIGHTS[i % len(WEIGHTS)] * factor).quantize(Decimal("0.01"),
                                                                                  rounding=ROUND_DOWN)), method=method, categories=list(categories), allow_subunits=subunits,
            sort=int(code) * 1000 + numbers[code],
            description="按照年度工作安排逐项评价；未完成或完成质量不高的酌情扣分，须写明理由并上传佐证材料。"))
        assessors.append(units[assessor].pk)
    made = Indicator.objects.bulk_create(rows, batch_size=500)
    through = Indicator.assessing_units.through
    through.objects.bulk_create(
        [through(indicator_id=leaf.pk, unit_id=unit_id) for leaf, unit_id in zip(made, assessors, strict=True)],
        batch_size=1000)
    members = list(campaign.units.filter(unit__parent=campaign.owner).values_list("unit_id", "category"))
    overrides = []
    for i, leaf in enumerate(made):
        if i % 25 == 7:  # 减: one unit of the leaf's categories does not do this work
            candidates = [u for u, c in members if c in leaf.categories]
            if candidates:
                overrides.append(IndicatorOverride(indicator=leaf, unit_id=rng.choice(candidates),
                                                   action=OverrideAction.REMOVE, reason="该单位不承担此项职责"))
        elif i % 25 == 19 and len(made) >= 60:  # 增 (only in a large tree: a leaf there is worth little): a unit of another category takes it on
            candidates = [u for u, c in members if c not in leaf.categories]
            if candidates:
                overrides.append(IndicatorOverride(indicator=leaf, unit_id=rng.choice(candidates),
                                                   action=OverrideAction.ADD, reason="该单位承担此项工作"))
    IndicatorOverride.objects.bulk_create(overrides)
    return made


def _value(points: Decimal, quality: float, rng: random.Random) -> Decimal:
    share = min(1.0, max(0.3, quality + rng.uniform(-0.08, 0.08)))
    return min(points, Decimal(str(round(float(points) * share * 2) / 2)).quantize(Decimal("0.01")))


def fill_scores(campaign: Campaign, *, scorers: dict[int, int], rng: random.Random, scored: float = 1.0,
                submitted: float = 1.0) -> int:
    """Scores for ``scored`` of the cells, ``submitted`` of those submitted, the rest drafts (bulk)."""
    leaves = list(Indicator.objects.filter(campaign=campaign, points__isnull=False)
                  .prefetch_related("assessing_units"))
    assessor = {leaf.pk: leaf.assessing_units.all()[0].pk for leaf in leaves}
    now = timezone.now()
    quality: dict[int, float] = {}
    # built before the insert starts: on PostgreSQL the connection is busy with COPY while rows stream in
    cells = selectors.campaign_cells(campaign, leaves)

    def rows():
        for cell in cells:
            if scored < 1.0 and rng.random() > scored:
                continue
            target = cell.subunit or cell.unit
            q = quality.get(target.pk)
            if q is None:
                q = quality[target.pk] = random.Random(target.code).uniform(0.66, 0.99)
            points = cell.indicator.points
            value = _value(points, q, rng)
            done = submitted >= 1.0 or rng.random() < submitted
            by_unit = assessor[cell.indicator.pk]
            reason = GOOD_REASON if value == points else f"部分任务未按期完成，扣{points - value}分（见佐证材料）"
            yield (campaign.pk, cell.indicator.pk, cell.unit.pk, cell.subunit.pk if cell.subunit else None, value,
                   reason, ScoreStatus.SUBMITTED if done else ScoreStatus.DRAFT, scorers.get(by_unit), by_unit, 1,
                   now, now if done else None)

    return insert_rows(Score, ["campaign_id", "indicator_id", "unit_id", "subunit_id", "value", "reason", "status",
                               "scored_by_id", "scored_by_unit_id", "version", "updated_at", "submitted_at"], rows())


def add_adjustments(campaign: Campaign, *, office, rng: random.Random) -> int:
    members = list(campaign.units.values_list("unit_id", flat=True))
    rows = []
    for unit_id in rng.sample(members, max(1, len(members) // 12)):
        bonus = rng.random() < 0.5
        rows.append(Adjustment(
            campaign=campaign, unit_id=unit_id, kind=AdjustmentKind.BONUS if bonus else AdjustmentKind.DEDUCTION,
            points=Decimal(rng.choice([1, 2, 3])),
            reason="法治建设工作经验被上级推广" if bonus else "行政执法案卷评查发现问题，被通报",
            source="省依法治省办通报" if bonus else "集中评查记录", created_by=office))
    Adjustment.objects.bulk_create(rows)
    return len(rows)


def _evidence(campaign: Campaign, *, share: float, rng: random.Random) -> int:
    """Evidence rows on a sample of scores, all pointing to one small stored file (the files are not the point
    here; the counts on the worklist are)."""
    name = default_storage.save(f"assessment/{campaign.pk}/evidence/scale/佐证材料.txt",
                                ContentFile("演示佐证材料（规模化演示数据）".encode()))
    ids = list(Score.objects.filter(campaign=campaign).values_list("pk", flat=True))
    sample = rng.sample(ids, int(len(ids) * share))
    now = timezone.now()
    return insert_rows(Evidence, ["score_id", "file", "original_name", "size", "uploaded_at"],
                       ((pk, name, "佐证材料.txt", 42, now) for pk in sample))


def scale(*, ctx) -> None:
    office, units, rng = ctx.office, ctx.units, ctx.rng
    province = units["410000"]
    scorers = {p.unit_id: p.pk for p in ctx.people.values() if p.unit_id}
    taken = set(Campaign.objects.filter(owner=province).values_list("year", flat=True))
    current = max(timezone.localdate().year, max(taken, default=0) + 1)
    history, year = [], current - 1
    while len(history) < ctx.years - 1 and year > 2000:
        if year not in taken:
            history.append(year)
        year -= 1
    made = []
    for year in sorted(history):
        campaign = services.campaign_create(user=office, year=year, excellent_quota=Decimal("0.3"),
                                            name=f"{year}年度河南省法治政府建设考核（规模化演示）")
        build_tree(campaign, leaves=ctx.indicators, units=units, rng=rng)
        Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SCORING)
        campaign.refresh_from_db()
        count = fill_scores(campaign, scorers=scorers, rng=rng)
        add_adjustments(campaign, office=office, rng=rng)
        services.campaign_compute(user=office, campaign=campaign)
        _publish(campaign, office, ctx.people["approver"])
        ctx.stdout.write(f"  assessment: {campaign.name} — {campaign.units.count()} units, {count} scores, published")
        made.append(campaign)
    campaign = services.campaign_create(user=office, year=current, excellent_quota=Decimal("0.3"),
                                        name=f"{current}年度河南省法治政府建设考核（规模化演示）")
    build_tree(campaign, leaves=ctx.indicators, units=units, rng=rng)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SCORING)
    campaign.refresh_from_db()
    count = fill_scores(campaign, scorers=scorers, rng=rng, scored=0.97, submitted=0.8)
    add_adjustments(campaign, office=office, rng=rng)
    evidence = _evidence(campaign, share=0.02, rng=rng)
    made.append(campaign)
    ctx.campaigns = made
    ctx.stdout.write(f"  assessment: {campaign.name} — {campaign.units.count()} units, {count} scores, "
                     f"{evidence} evidence files, scoring")
