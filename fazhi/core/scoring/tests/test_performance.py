"""Guard against accidental per-cell overhead: 10 000 units × 100 indicators (1M score cells)."""

from __future__ import annotations

import time

from fazhi.core.scoring import compute, parse_input, synthetic


def test_one_million_cells_in_a_few_seconds():
    data = synthetic.generate(10_000, 100, seed=7, common_share=1.0)
    assert len(data["scores"]) >= 1_000_000
    start = time.perf_counter()
    result = compute(parse_input(data))
    elapsed = time.perf_counter() - start
    assert len(result.units) == 10_000
    # ~2 s on a developer machine; the bound is generous for slow CI, and catches quadratic behaviour.
    assert elapsed < 20, f"parse + compute took {elapsed:.1f}s"
