"""Shared fixtures: the five seeds (read-only) and their cleaned text, computed once per session."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

import fazhi
from fazhi.core.text.cleaning import CleanResult, clean

SEEDS = Path(fazhi.__file__).parent / "demo" / "seeds"
SEED_FILES = {p.name[:3]: p for p in sorted(SEEDS.glob("*.txt"))}


@cache
def cleaned(seed: str) -> CleanResult:
    return clean(SEED_FILES[seed].read_text(encoding="utf-8"))


@pytest.fixture(params=sorted(SEED_FILES))
def seed_id(request) -> str:
    return request.param
