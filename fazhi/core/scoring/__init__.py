"""Assessment scoring engine (年度考核计分), pure Python, no Django.

Public API::

    from fazhi.core.scoring import compute, parse_input, result_to_dict, compute_dict, ScoringError

    result = compute(parse_input(data))   # data: the JSON input dict; result: model.Result
    output = result_to_dict(result)       # JSON output dict (decimals as "93.50" strings)
    applicable_indicators(unit, indicators)  # the indicator codes a unit must be scored on

The rules and their sources are in :mod:`fazhi.core.scoring.engine`.
"""

from .engine import applicable_indicators, compute, validate_settings
from .errors import ScoringError
from .io import compute_dict, parse_input, result_to_dict
from .model import (
    GRADES,
    Adjustment,
    CampaignInput,
    Indicator,
    Previous,
    Result,
    Score,
    Settings,
    Unit,
    UnitResult,
)

__all__ = [
    "GRADES",
    "Adjustment",
    "CampaignInput",
    "Indicator",
    "Previous",
    "Result",
    "Score",
    "ScoringError",
    "Settings",
    "Unit",
    "UnitResult",
    "applicable_indicators",
    "compute",
    "compute_dict",
    "parse_input",
    "result_to_dict",
    "validate_settings",
]
