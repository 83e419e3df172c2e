"""Synthetic campaign inputs for tests and benchmarks (deterministic for a given seed).

The shape follows seed 001 考核方案: 7 categories (§二, proportions roughly Henan's), "1+1+N" indicators (§四:
common indicators worth 80 points for every category plus category duties worth 20, so categories without duties
of their own are converted from 80), per-unit additions and removals, sub-unit scores for cities (§五(一)),
bonuses, deductions (some serious, some beyond the cap) and a previous campaign.
"""

from __future__ import annotations

import random
from typing import Any

__all__ = ["generate"]

CATEGORY_WEIGHTS = {1: 18, 2: 20, 3: 2, 4: 45, 5: 2, 6: 8, 7: 15}


def _split(total_cents: int, parts: int) -> list[int]:
    base, rest = divmod(total_cents, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def _number(cents: int) -> int | float:
    """A JSON number for an amount in cents (floats only for transport: the engine converts via ``str()``)."""
    return cents // 100 if cents % 100 == 0 else cents / 100


def generate(
    n_units: int,
    n_indicators: int,
    seed: int = 0,
    *,
    common_share: float = 0.7,
    excellent_quota: str | None = "0.3",
) -> dict[str, Any]:
    """A valid engine input dict with ``n_units`` units and ``n_indicators`` indicators.

    ``common_share`` of the indicators apply to every category (80 points, or 100 when all are common);
    the rest are category duties (20 points per category that has any). ``common_share=1`` gives exactly
    ``n_units × n_indicators`` score cells (plus 2 extra sub-unit rows per category-1 unit).
    """
    if n_units < 1 or n_indicators < 1 or not 0 < common_share <= 1:
        raise ValueError("need at least 1 unit, 1 indicator and 0 < common_share <= 1")
    rng = random.Random(seed)
    n_common = min(n_indicators, max(1, round(n_indicators * common_share)))
    n_specific = n_indicators - n_common
    all_categories = list(CATEGORY_WEIGHTS)

    indicators: list[dict[str, Any]] = []
    cents_of: dict[str, int] = {}
    for i, cents in enumerate(_split(8000 if n_specific else 10000, n_common)):
        code = f"C{i + 1:03d}"
        indicators.append({"code": code, "points": _number(cents), "categories": all_categories})
        cents_of[code] = cents
    specific_by_category: dict[int, list[str]] = {c: [] for c in all_categories}
    for j in range(n_specific):
        specific_by_category[all_categories[j % len(all_categories)]].append(f"N{j + 1:03d}")
    for codes in specific_by_category.values():
        if codes:
            for code, cents in zip(codes, _split(2000, len(codes)), strict=True):
                cents_of[code] = cents
    for j in range(n_specific):
        code = f"N{j + 1:03d}"
        cat = all_categories[j % len(all_categories)]
        indicators.append({"code": code, "points": _number(cents_of[code]), "categories": [cat]})
    common_codes = [f"C{i + 1:03d}" for i in range(n_common)]

    units: list[dict[str, Any]] = []
    scores: list[dict[str, Any]] = []
    adjustments: list[dict[str, Any]] = []
    categories = rng.choices(all_categories, weights=list(CATEGORY_WEIGHTS.values()), k=n_units)
    for u, cat in enumerate(categories):
        code = f"U{u + 1:05d}"
        applicable = common_codes + specific_by_category[cat]
        unit: dict[str, Any] = {"code": code, "category": cat}
        if len(applicable) > 1 and rng.random() < 0.05:
            removed = rng.choice(applicable)
            applicable = [c for c in applicable if c != removed]
            unit["remove"] = [removed]
            others = [
                c
                for k, codes in specific_by_category.items()
                if k != cat
                for c in codes
                if cents_of[c] <= cents_of[removed]
            ]
            if others and rng.random() < 0.5:
                added = rng.choice(others)
                applicable.append(added)
                unit["add"] = [added]
        units.append(unit)
        quality = rng.uniform(0.5, 1.0)
        for ind in applicable:
            top = cents_of[ind]
            if cat == 1 and ind == common_codes[0]:
                for s in range(3):
                    cents = min(top, max(0, round(top * (quality + rng.uniform(-0.15, 0.15)))))
                    scores.append(
                        {
                            "unit": code,
                            "indicator": ind,
                            "score": _number(cents),
                            "subunit": f"{code}-{s + 1}",
                        }
                    )
                continue
            cents = min(top, max(0, round(top * (quality + rng.uniform(-0.1, 0.1)))))
            scores.append({"unit": code, "indicator": ind, "score": _number(cents)})
        roll = rng.random()
        if roll < 0.15:
            for _ in range(rng.randint(1, 3)):
                adjustments.append(
                    {
                        "unit": code,
                        "kind": "bonus",
                        "points": rng.randint(1, 3),
                        "reason": "获评法治政府建设示范项目",
                    }
                )
        elif roll < 0.30:
            for _ in range(rng.randint(1, 3)):
                adjustments.append(
                    {
                        "unit": code,
                        "kind": "deduction",
                        "points": _number(rng.randint(1, 12) * 50),
                        "reason": "被通报批评",
                        "serious": rng.random() < 0.1,
                        "exceed_cap": rng.random() < 0.05,
                    }
                )

    previous: list[dict[str, Any]] = []
    by_category: dict[int, list[str]] = {}
    for unit in units:
        by_category.setdefault(unit["category"], []).append(unit["code"])
    for cat, codes in by_category.items():
        ranks = list(range(1, len(codes) + 1))
        rng.shuffle(ranks)
        for code, rank in zip(codes, ranks, strict=True):
            if rng.random() < 0.9:
                grade = rng.choices(["优秀", "良好", "合格", "不合格"], weights=[3, 4, 2, 1])[0]
                previous.append({"unit": code, "grade": grade, "rank": rank if cat in (1, 4, 7) else None})

    return {
        "settings": {
            "grades": {"优秀": 90, "良好": 80, "合格": 60},
            "bonus_cap": 5,
            "deduction_cap": 10,
            "excellent_quota": excellent_quota,
            "ranked_categories": [1, 4, 7],
            "warning_rank_drop": 5,
        },
        "indicators": indicators,
        "units": units,
        "scores": scores,
        "adjustments": adjustments,
        "previous": previous,
    }
