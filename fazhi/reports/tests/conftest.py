from __future__ import annotations

import datetime
from pathlib import Path

import pytest

#: the seeds are other governments' reports submitted here as test data: confirmed with this reason
SEED_ELSEWHERE = "示例报告：原文来自其他单位"

SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"


def seed_text(number: str) -> str:
    return next(SEEDS.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture
def seed000() -> str:
    return seed_text("000")


@pytest.fixture
def seed002() -> str:
    return seed_text("002")


@pytest.fixture
def submitted_report(people, units, seed000):
    from fazhi.reports import services

    return services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed"], unit=units["C1"], year=2024, text=seed000,
                                published_on=datetime.date(2025, 3, 27))
