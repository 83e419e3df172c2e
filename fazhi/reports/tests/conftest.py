from __future__ import annotations

import datetime
from pathlib import Path

import pytest

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

    return services.report_save(user=people["assessed"], unit=units["C1"], year=2024, text=seed000,
                                published_on=datetime.date(2025, 3, 27))
