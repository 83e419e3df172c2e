"""Reads: published results per role, the public engine bundle, lists and copy exports."""

from __future__ import annotations

from collections import defaultdict

from fazhi.assessment import disclosure
from fazhi.assessment.models import Adjustment, Campaign, Result, Score
from fazhi.io.excel import Column, build_workbook
from fazhi.orgs.models import Category

#: Recipients of copies of the results (抄送, DOMAIN.md §5.7 / seed 001 §六). ``categories``: None = all units.
COPY_RECIPIENTS = [
    {"key": "jiwei", "name": "省纪委监委", "categories": None},
    {"key": "zuzhibu", "name": "省委组织部", "categories": None},
    {"key": "wenmingban", "name": "省文明办", "categories": None},
    {"key": "zhengfawei", "name": "省委政法委", "categories": None},
    {"key": "fagaiwei", "name": "省发展改革委", "categories": None},
    {"key": "ministries", "name": "国家有关部委（中央驻地单位）", "categories": [7]},
]
LISTS = {
    "commendation": ("表彰名单", "commendation"),
    "warning": ("通报警示名单", "warning"),
    "recommendation": ("法治建议书名单", "recommendation_letter"),
}


def shows_rank(result: Result) -> bool:
    """Ranks only for ranked categories (seed 001 §六(一)); graded-only categories never show one."""
    return disclosure.shows_rank(result)


def published_results_for_unit(unit):
    """A unit's own results, from released campaigns (公布 or 通报: the unit sees its own either way)."""
    return disclosure.results_for_unit(unit)


def own_published_detail(result: Result) -> dict:
    return own_published_details([result])[0]


def own_published_details(results) -> list[dict]:
    """``own_published_detail`` of each result, with a fixed number of queries however many years there are:
    scores (with indicator, sub-unit and evidence) and adjustments are read once and grouped in memory."""
    results = list(results)
    if not results:
        return []
    campaign_ids = {r.campaign_id for r in results}
    unit_ids = {r.unit_id for r in results}
    scores: dict[tuple[int, int], list[Score]] = defaultdict(list)
    for score in (
        Score.objects.filter(campaign__in=campaign_ids, unit__in=unit_ids)
        .select_related("indicator", "subunit")
        .prefetch_related("evidence")
        .order_by("indicator__sort", "indicator__code")
    ):
        scores[(score.campaign_id, score.unit_id)].append(score)
    adjustments: dict[tuple[int, int], list[Adjustment]] = defaultdict(list)
    for adjustment in Adjustment.objects.filter(campaign__in=campaign_ids, unit__in=unit_ids):
        adjustments[(adjustment.campaign_id, adjustment.unit_id)].append(adjustment)
    return [
        {"result": r, "show_rank": shows_rank(r), "scores": scores[(r.campaign_id, r.unit_id)],
         "adjustments": adjustments[(r.campaign_id, r.unit_id)]}
        for r in results
    ]


def _dec(value) -> str:
    return format(value.quantize(type(value)("0.01")), "f")


def publishes_scores(campaign: Campaign) -> bool:
    """Whether totals and ranks of ranked categories go beyond the unit (``disclosure.beyond_unit``)."""
    return bool(campaign.publish_scores)


def commitment_root(campaign: Campaign) -> str:
    """The Merkle commitment root printed on result notices; empty until the campaign has one."""
    return str(getattr(campaign, "commitment_root", "") or "")


def beyond_unit_figures(result: Result) -> dict[str, str]:
    """Total and rank as a document going beyond the unit itself may print them (``disclosure.beyond_unit``):
    graded-only categories (2, 3, 5, 6) never (§10 "只评定等次"); ranked ones when the office publishes scores."""
    seen = disclosure.beyond_unit(result)
    total = _dec(result.total) if seen.total else ""
    rank = f"，在同类单位中排第{result.rank}名" if seen.rank else ""
    return {"total": total, "rank_text": rank}


def disclosure_order(results) -> list[Result]:
    """Results in an order that reveals no hidden figure (``disclosure.public_order``)."""
    return disclosure.public_order(results)


def public_bundle(campaign: Campaign) -> dict:
    """What a published campaign publishes: the engine input (sub-units pseudonymised: their scores are internal)
    and the results (grade for all, rank only for ranked categories), so anyone can run
    ``fazhi assess compute input.json`` and compare."""
    from fazhi.assessment import selectors as assessment_selectors

    data = assessment_selectors.engine_input(campaign)
    pseudonyms: dict[str, str] = {}
    for row in data["scores"]:
        if row.get("subunit"):
            row["subunit"] = pseudonyms.setdefault(row["subunit"], f"S{len(pseudonyms) + 1:03d}")
    results = campaign.results.select_related("unit", "campaign").order_by("category", "-total", "unit__path")
    return {
        "campaign": {"name": campaign.name, "year": campaign.year, "owner": campaign.owner.name,
                     "status": campaign.status},
        "how_to_recompute": "fazhi assess compute THIS_FILE.json — recomputes 'input' and compares it with 'result'",
        "input": _jsonable(data),
        "result": {
            "units": [
                {"unit": r.unit.code, "name": r.unit.name, "category": r.category,
                 "applicable_points": _dec(r.applicable_points), "earned": _dec(r.earned), "base": _dec(r.base),
                 "bonus": _dec(r.bonus), "deduction": _dec(r.deduction), "total": _dec(r.total),
                 "grade": r.grade, "rank": r.rank if shows_rank(r) else None, "serious": r.serious}
                for r in results
            ],
            # keyed like the engine's output (the Result flag names), so `fazhi assess compute` can compare
            "lists": {flag: [r.unit.code for r in results if getattr(r, flag)] for _t, flag in LISTS.values()},
        },
    }


def _jsonable(value):
    from decimal import Decimal

    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def result_columns(show_lists: bool = False) -> list[Column]:
    cols = [
        Column("name", "单位", width=32), Column("code", "编码"), Column("category", "考核类别"),
        Column("total", "总分", required=False), Column("grade", "等次"), Column("rank", "排名", required=False),
    ]
    return cols


def _result_row(r: Result) -> dict:
    """A row of a list or copy: these go beyond the unit (``disclosure.beyond_unit``)."""
    figures = beyond_unit_figures(r)
    seen = disclosure.beyond_unit(r)
    return {"name": r.unit.name, "code": r.unit.code, "category": f"{r.category} {Category(r.category).label}",
            "total": figures["total"] or None, "grade": r.grade, "rank": r.rank if seen.rank else None}


def list_results(campaign: Campaign, key: str) -> list[Result]:
    _title, flag = LISTS[key]
    return disclosure_order(campaign.results.filter(**{flag: True}).select_related("unit", "campaign"))


NOTE_GRADED_ONLY = ("只评定等次的类别（2、3、5、6 类）不显示总分和排名，按等次和单位顺序排列；排名类别（1、4、7 类）的总分和排名"
                    "仅在考核办决定公布总分和排名时显示。")


def list_workbook(campaign: Campaign, key: str) -> bytes:
    title, _flag = LISTS[key]
    return build_workbook(title, result_columns(), (_result_row(r) for r in list_results(campaign, key)),
                          instructions=[f"{campaign.name} · {title}", NOTE_GRADED_ONLY])


def copy_workbook(campaign: Campaign, recipient: dict) -> bytes:
    results = campaign.results.select_related("unit", "campaign")
    if recipient["categories"] is not None:
        results = results.filter(category__in=recipient["categories"])
    return build_workbook(
        "考核结果", result_columns(), (_result_row(r) for r in disclosure_order(results)),
        instructions=[f"抄送：{recipient['name']}", f"{campaign.name}（{campaign.get_status_display()}）",
                      "供各单位在本系统考核评价中参考使用（DOMAIN §5.7）。" + NOTE_GRADED_ONLY],
    )
