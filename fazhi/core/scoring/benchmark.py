"""Benchmark: ``python -m fazhi.core.scoring.benchmark [UNITS] [INDICATORS]`` (default 10 000 × 100 = 1M cells).

Times JSON parsing, :func:`~fazhi.core.scoring.io.parse_input`, :func:`~fazhi.core.scoring.engine.compute` and
:func:`~fazhi.core.scoring.io.result_to_dict` on a :mod:`~fazhi.core.scoring.synthetic` campaign.
"""

from __future__ import annotations

import json
import sys
import time
from decimal import Decimal
from typing import Any

from .engine import compute
from .io import parse_input, result_to_dict
from .synthetic import generate

__all__ = ["run"]


def run(n_units: int = 10_000, n_indicators: int = 100, seed: int = 1) -> dict[str, Any]:
    """Time each stage (seconds) on a campaign where every indicator applies to every unit."""
    text = json.dumps(generate(n_units, n_indicators, seed, common_share=1.0), ensure_ascii=False)
    timings: dict[str, Any] = {}
    start = time.perf_counter()
    data = json.loads(text, parse_float=Decimal)
    timings["json_load"] = time.perf_counter() - start
    timings["score_rows"] = len(data["scores"])
    start = time.perf_counter()
    campaign = parse_input(data)
    timings["parse_input"] = time.perf_counter() - start
    start = time.perf_counter()
    result = compute(campaign)
    timings["compute"] = time.perf_counter() - start
    start = time.perf_counter()
    result_to_dict(result)
    timings["result_to_dict"] = time.perf_counter() - start
    return timings


def main(argv: list[str] | None = None) -> None:
    args = [int(a) for a in (sys.argv[1:] if argv is None else argv)]
    for key, value in run(*args).items():
        print(f"{key:>15}: {value:.3f}" if isinstance(value, float) else f"{key:>15}: {value}")


if __name__ == "__main__":
    main()
