"""Demo 集中评查: the 2025 provincial campaign's indicator 3.3.3 (行政规范性文件监督管理, method 集中评查) reviewed on
case files of every unit it applies to. Files are registered (invented, deterministic), the sample drawn from a
published demo seed, assigned to two experts avoiding conflicts (专家 B works at 郑州市司法局, so never gets
郑州市's files), and all but three files scored — the visitor signs in as ``expert`` and scores those."""

from __future__ import annotations

import datetime as dt
import random

from fazhi.assessment.models import Campaign
from fazhi.orgs.demo import DEMO_PASSWORD
from fazhi.orgs.models import Role, User

from . import services
from .models import Assignment, CaseFile, CaseReview

CHECKLIST = [("执法主体合法，执法人员具备执法资格", 10), ("事实清楚，证据确凿充分", 25), ("适用法律依据正确", 20),
             ("程序合法（告知、听证、送达）", 25), ("自由裁量适当", 10), ("文书制作规范，立卷归档完整", 10)]
REASONS = {0: "未附执法证件号", 1: "关键证据缺少调查笔录", 2: "引用条款不准确", 3: "未告知陈述申辩权利",
           4: "罚款数额未说明裁量理由", 5: "卷内目录不全"}
SEED = "HN-2025-集中评查-演示"
LEFT_FOR_VISITOR = 3


def load(*, units, people, stdout) -> None:
    campaign = Campaign.objects.filter(owner=units["410000"], year=2025).first()
    if campaign is None or CaseReview.objects.filter(campaign=campaign).exists():
        return
    office, expert = people["office"], people["expert"]
    indicator = campaign.indicators.get(code="3.3.3")
    review = services.review_create(user=office, campaign=campaign, indicator=indicator,
                                    title="2025年度行政执法案卷集中评查（演示）", case_types=["penalty", "license"],
                                    files_per_unit=2)
    for text, points in CHECKLIST:
        services.checklist_item_add(user=office, review=review, text=text, max_deduction=points)
    rng = random.Random(2025)
    files = []
    for unit in services.target_units(review):
        for n in range(1, rng.randint(3, 5) + 1):
            kind = "penalty" if n % 3 else "license"
            files.append(CaseFile(review=review, unit=unit, number=f"{unit.name}{'罚' if kind == 'penalty' else '许'}"
                                  f"〔2025〕{n:02d}号", case_type=kind,
                                  title=("违法行为行政处罚案" if kind == "penalty" else "行政许可申请审查"),
                                  closed_on=dt.date(2025, rng.randint(1, 10), rng.randint(1, 28)),
                                  registered_by=office))
    CaseFile.objects.bulk_create(files)
    colleague, _created = User.objects.update_or_create(
        username="expert_b", defaults={"display_name": "评查专家 钱律师", "unit": expert.unit, "role": Role.EXPERT})
    colleague.set_password(DEMO_PASSWORD)
    colleague.save(update_fields=["password"])
    services.expert_add(user=office, review=review, expert=expert)
    services.expert_add(user=office, review=review, expert=colleague, employer=units["410100-D01"])
    services.sample_draw(user=office, review=review, seed=SEED)
    services.assignments_make(user=office, review=review)
    items = list(review.items.all())
    mine = list(Assignment.objects.filter(expert__user=expert).values_list("pk", flat=True))
    keep = set(mine[:LEFT_FOR_VISITOR])
    for assignment in Assignment.objects.filter(file__review=review).select_related("expert__user"):
        if assignment.pk in keep:
            continue
        deductions = {}
        for index, item in enumerate(items):
            if rng.random() < 0.3:
                deductions[item.pk] = (min(item.max_deduction, rng.choice([2, 3, 5])), REASONS[index])
        services.file_score(user=assignment.expert.user, assignment=assignment, deductions=deductions,
                            comment="案卷整体规范" if not deductions else "存在扣分项，详见各项理由")
    stdout.write(f"集中评查演示数据 / case review demo: {len(files)} files, seed {SEED}, "
                 f"{LEFT_FOR_VISITOR} files left for the expert account")
