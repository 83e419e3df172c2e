"""Builders of engine input dicts for the tests."""

from __future__ import annotations

from typing import Any

from fazhi.core.scoring import compute, parse_input
from fazhi.core.scoring.model import Result

ALL = [1, 2, 3, 4, 5, 6, 7]


def totals_input(units: dict[str, tuple[int, Any]], **extra: Any) -> dict[str, Any]:
    """One indicator ``T`` worth 100 for every category, so each unit's score is its base: {code: (category, score)}."""
    data: dict[str, Any] = {
        "indicators": [{"code": "T", "points": 100, "categories": ALL}],
        "units": [{"code": code, "category": cat} for code, (cat, _) in units.items()],
        "scores": [{"unit": code, "indicator": "T", "score": score} for code, (_, score) in units.items()],
    }
    data.update(extra)
    return data


def run(data: dict[str, Any]) -> Result:
    return compute(parse_input(data))
