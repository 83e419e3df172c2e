"""JSON in and out of the scoring engine.

Input (every ``settings`` key optional, defaults in :class:`~fazhi.core.scoring.model.Settings`)::

    {"settings": {"grades": {"优秀": 90, "良好": 80, "合格": 60}, "bonus_cap": 5, "deduction_cap": 10,
                  "excellent_quota": null, "ranked_categories": [1, 4, 7], "warning_rank_drop": 5,
                  "method_weights": null,            # or {"daily_work": 60, "field_work": 20, "survey": 20}
                  "missing_subunits": {"rule": "block", "reason": ""}},   # or "zero" / "exclude" + reason
     "indicators": [{"code": "A1", "points": 10, "categories": [1, 2, 3, 4, 5, 6, 7], "method": "daily"}],
     "units": [{"code": "410100", "category": 1, "add": [], "remove": []}],
     "scores": [{"unit": "410100", "indicator": "A1", "score": "9.5", "subunit": null}],
     "adjustments": [{"unit": "410100", "kind": "deduction", "points": 2, "reason": "...",
                      "serious": false, "exceed_cap": false, "source": "..."}],
     "previous": [{"unit": "410100", "grade": "优秀", "rank": 3}],
     "expected": [{"unit": "410100", "indicator": "A1", "subunits": ["410101", "410102"]}]}

``method`` (default ``daily``) is one of daily, supervision, review, web (→ subtotal ``daily_work``), field
(→ ``field_work``), survey (→ ``survey``); ``adjustment`` is refused: 加减分 are adjustments, never a leaf.
``expected`` (optional) lists the sub-units whose evaluations a cell must have; ``missing_subunits`` says what
a missing one does (``block`` refuses to compute). Each output unit carries ``subtotals`` (daily_work,
field_work, survey, adjustment) that add up to ``total`` exactly.

Numbers may be JSON numbers or strings; they become :class:`~decimal.Decimal` via ``str()`` (floats are never used
in arithmetic; read JSON with ``parse_float=Decimal`` to keep every digit). Unknown keys are errors, so that a typo in
a setting cannot silently fall back to a default. Errors name the path (``scores[12].score``), unit and indicator.

Output: decimals are JSON **strings with exactly 2 decimal places** (``"93.50"``), so that no JSON reader turns
them into binary floats; ``rank`` is an integer or ``null``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from ..numbers import MAX_MAGNITUDE, MAX_PLACES, NumberError, read_decimal
from .engine import compute
from .errors import ScoringError
from .model import (
    BONUS,
    DEDUCTION,
    GRADE_EXCELLENT,
    GRADE_GOOD,
    GRADE_PASS,
    Adjustment,
    CampaignInput,
    Expected,
    Indicator,
    Previous,
    Result,
    Score,
    Settings,
    Unit,
)

__all__ = ["compute_dict", "parse_input", "result_to_dict"]

_TOP_KEYS = frozenset({"settings", "indicators", "units", "scores", "adjustments", "previous", "expected"})
_SETTINGS_KEYS = frozenset(
    {"grades", "bonus_cap", "deduction_cap", "excellent_quota", "ranked_categories", "warning_rank_drop",
     "method_weights", "missing_subunits"}
)
_MISSING_KEYS = frozenset({"rule", "reason"})
_EXPECTED_KEYS = frozenset({"unit", "indicator", "subunits"})
_GRADE_KEYS = {GRADE_EXCELLENT: "excellent_min", GRADE_GOOD: "good_min", GRADE_PASS: "pass_min"}
_INDICATOR_KEYS = frozenset({"code", "points", "categories", "name", "method"})
_UNIT_KEYS = frozenset({"code", "category", "add", "remove", "name"})
_SCORE_KEYS = frozenset({"unit", "indicator", "score", "subunit"})
_ADJUSTMENT_KEYS = frozenset({"unit", "kind", "points", "reason", "serious", "exceed_cap", "source", "id"})
_PREVIOUS_KEYS = frozenset({"unit", "grade", "rank"})


def _error(
    path: str, zh: str, en: str, unit: str | None = None, indicator: str | None = None
) -> ScoringError:
    return ScoringError(f"{path}：{zh}", f"{path}: {en}", unit=unit, indicator=indicator, path=path)




def _to_decimal(raw: Any, path: str, unit: str | None = None, indicator: str | None = None) -> Decimal:
    """A finite Decimal from a JSON number or numeric string, through the one number reader
    (``fazhi.core.numbers``: full-width digits accepted; NaN, 1e400, 1e-999999 refused)."""
    try:
        return read_decimal(raw)
    except NumberError as exc:
        raise _error(path, f"{exc.zh}：{raw!r}", f"{exc.en}: {raw!r}", unit, indicator) from None


def _check_keys(obj: Any, allowed: frozenset[str], path: str, unit: str | None = None) -> Mapping[str, Any]:
    if not isinstance(obj, Mapping):
        raise _error(path, "须为对象（JSON object）", f"must be an object, got {type(obj).__name__}", unit)
    if not obj.keys() <= allowed:
        extra = sorted(str(k) for k in obj.keys() - allowed)
        raise _error(path, f"未知字段 {', '.join(extra)}", f"unknown key(s) {', '.join(extra)}", unit)
    return obj


def _required(obj: Mapping[str, Any], key: str, path: str, unit: str | None = None) -> Any:
    if key not in obj:
        raise _error(path, f"缺少字段 {key}", f"missing key {key!r}", unit)
    return obj[key]


def _code(raw: Any, path: str, unit: str | None = None) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise _error(
            path, f"须为非空字符串代码，实为 {raw!r}", f"must be a non-empty string code, got {raw!r}", unit
        )
    return raw


def _int(raw: Any, path: str, unit: str | None = None) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise _error(path, f"须为整数，实为 {raw!r}", f"must be an integer, got {raw!r}", unit)
    return raw


def _bool(raw: Any, path: str, unit: str | None = None) -> bool:
    if not isinstance(raw, bool):
        raise _error(path, f"须为 true 或 false，实为 {raw!r}", f"must be true or false, got {raw!r}", unit)
    return raw


def _list(raw: Any, path: str, unit: str | None = None) -> list[Any] | tuple[Any, ...]:
    if not isinstance(raw, list | tuple):
        raise _error(path, "须为列表（JSON array）", f"must be an array, got {type(raw).__name__}", unit)
    return raw


def _parse_settings(raw: Any) -> Settings:
    if raw is None:
        return Settings()
    data = _check_keys(raw, _SETTINGS_KEYS, "settings")
    kwargs: dict[str, Any] = {}
    if "grades" in data:
        grades = data["grades"]
        if not isinstance(grades, Mapping):
            raise _error("settings.grades", "须为对象", "must be an object")
        for name, value in grades.items():
            if name not in _GRADE_KEYS:
                raise _error(
                    "settings.grades",
                    f"未知等次 {name}（只能设定 优秀、良好、合格 的分数线，低于合格为不合格）",
                    f"unknown grade {name!r} (only 优秀, 良好, 合格 take a threshold; below 合格 is 不合格)",
                )
            kwargs[_GRADE_KEYS[name]] = _to_decimal(value, f"settings.grades.{name}")
    for key in ("bonus_cap", "deduction_cap"):
        if key in data:
            kwargs[key] = _to_decimal(data[key], f"settings.{key}")
    if data.get("excellent_quota") is not None:
        kwargs["excellent_quota"] = _to_decimal(data["excellent_quota"], "settings.excellent_quota")
    if "ranked_categories" in data:
        cats = _list(data["ranked_categories"], "settings.ranked_categories")
        kwargs["ranked_categories"] = frozenset(
            _int(c, f"settings.ranked_categories[{i}]") for i, c in enumerate(cats)
        )
    if "warning_rank_drop" in data:
        kwargs["warning_rank_drop"] = _int(data["warning_rank_drop"], "settings.warning_rank_drop")
    if data.get("method_weights") is not None:
        weights = data["method_weights"]
        if not isinstance(weights, Mapping):
            raise _error("settings.method_weights", "须为对象", "must be an object")
        kwargs["method_weights"] = tuple(
            (str(name), _to_decimal(value, f"settings.method_weights.{name}")) for name, value in weights.items()
        )
    if data.get("missing_subunits") is not None:
        rule = _check_keys(data["missing_subunits"], _MISSING_KEYS, "settings.missing_subunits")
        kwargs["missing_subunits"] = _required(rule, "rule", "settings.missing_subunits")
        reason = rule.get("reason") or ""
        if not isinstance(reason, str):
            raise _error("settings.missing_subunits.reason", "须为字符串", "must be a string")
        kwargs["missing_subunits_reason"] = reason
    return Settings(**kwargs)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a million acyclic rows are built (it would rescan them ~40%
    of the time for nothing); the previous state is restored."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse_scores(rows: Any) -> tuple[Score, ...]:
    """The hot path (one row per unit × indicator): few checks per row, numbers converted once per distinct value."""
    rows = _list(rows, "scores")
    with _gc_paused():
        return _parse_score_rows(rows)


def _parse_score_rows(rows: list[Any] | tuple[Any, ...]) -> tuple[Score, ...]:
    cache: dict[Any, Decimal] = {}
    out: list[Score] = []
    append = out.append
    keys = _SCORE_KEYS
    for pos, row in enumerate(rows):
        if type(row) is not dict or not row.keys() <= keys:
            _check_keys(row, keys, f"scores[{pos}]")
        try:
            unit = row["unit"]
            indicator = row["indicator"]
            raw = row["score"]
        except KeyError as exc:
            raise _error(
                f"scores[{pos}]", f"缺少字段 {exc.args[0]}", f"missing key {exc.args[0]!r}"
            ) from None
        if type(unit) is not str or not unit:
            _code(unit, f"scores[{pos}].unit")
        if type(indicator) is not str or not indicator:
            _code(indicator, f"scores[{pos}].indicator", unit)
        kind = type(raw)
        if (kind is Decimal and raw.is_finite() and raw.adjusted() <= MAX_MAGNITUDE
                and raw.as_tuple().exponent >= -MAX_PLACES):  # fast path; the same rules as read_decimal
            value = raw
        elif kind is str or kind is float or kind is int:
            value = cache.get(raw)
            if value is None:
                value = cache[raw] = _to_decimal(raw, f"scores[{pos}].score", unit, indicator)
        else:
            value = _to_decimal(raw, f"scores[{pos}].score", unit, indicator)
        subunit = row.get("subunit")
        if subunit is not None:
            subunit = _code(subunit, f"scores[{pos}].subunit", unit)
        append(Score(unit, indicator, value, subunit))
    return tuple(out)


def parse_input(data: Mapping[str, Any]) -> CampaignInput:
    """Validate the shape of a JSON input dict and build a :class:`CampaignInput`.

    Raises :class:`ScoringError` naming the path (and unit/indicator where known). Domain rules (unknown codes,
    ranges, applicable points) are checked by :func:`~fazhi.core.scoring.engine.compute`.
    """
    data = _check_keys(data, _TOP_KEYS, "input")
    settings = _parse_settings(data.get("settings"))

    indicators = []
    for pos, row in enumerate(_list(_required(data, "indicators", "input"), "indicators")):
        path = f"indicators[{pos}]"
        row = _check_keys(row, _INDICATOR_KEYS, path)
        code = _code(_required(row, "code", path), f"{path}.code")
        cats = _list(_required(row, "categories", path), f"{path}.categories")
        method = row.get("method", "daily")
        if not isinstance(method, str):
            raise _error(f"{path}.method", f"须为字符串，实为 {method!r}", f"must be a string, got {method!r}")
        indicators.append(
            Indicator(
                code=code,
                points=_to_decimal(_required(row, "points", path), f"{path}.points", indicator=code),
                categories=frozenset(_int(c, f"{path}.categories[{i}]") for i, c in enumerate(cats)),
                method=method,
            )
        )

    units = []
    for pos, row in enumerate(_list(_required(data, "units", "input"), "units")):
        path = f"units[{pos}]"
        row = _check_keys(row, _UNIT_KEYS, path)
        code = _code(_required(row, "code", path), f"{path}.code")
        lists = {}
        for key in ("add", "remove"):
            items = _list(row.get(key) or [], f"{path}.{key}", code)
            lists[key] = tuple(_code(c, f"{path}.{key}[{i}]", code) for i, c in enumerate(items))
        units.append(
            Unit(
                code=code,
                category=_int(_required(row, "category", path, code), f"{path}.category", code),
                add=lists["add"],
                remove=lists["remove"],
            )
        )

    scores = _parse_scores(_required(data, "scores", "input"))

    adjustments = []
    for pos, row in enumerate(_list(data.get("adjustments") or [], "adjustments")):
        path = f"adjustments[{pos}]"
        row = _check_keys(row, _ADJUSTMENT_KEYS, path)
        unit = _code(_required(row, "unit", path), f"{path}.unit")
        kind = _required(row, "kind", path, unit)
        if kind not in (BONUS, DEDUCTION):
            raise _error(
                f"{path}.kind",
                f"须为 bonus（加分）或 deduction（扣分），实为 {kind!r}",
                f"must be 'bonus' or 'deduction', got {kind!r}",
                unit,
            )
        reason = _required(row, "reason", path, unit)
        if not isinstance(reason, str):
            raise _error(f"{path}.reason", "须为字符串", "must be a string", unit)
        source = row.get("source") or ""
        if not isinstance(source, str):
            raise _error(f"{path}.source", "须为字符串", "must be a string", unit)
        adjustments.append(
            Adjustment(
                unit=unit,
                kind=kind,
                points=_to_decimal(_required(row, "points", path, unit), f"{path}.points", unit),
                reason=reason,
                serious=_bool(row.get("serious", False), f"{path}.serious", unit),
                exceed_cap=_bool(row.get("exceed_cap", False), f"{path}.exceed_cap", unit),
                source=source,
            )
        )

    previous = []
    for pos, row in enumerate(_list(data.get("previous") or [], "previous")):
        path = f"previous[{pos}]"
        row = _check_keys(row, _PREVIOUS_KEYS, path)
        unit = _code(_required(row, "unit", path), f"{path}.unit")
        grade = row.get("grade")
        if grade is not None and not isinstance(grade, str):
            raise _error(f"{path}.grade", "须为字符串或 null", "must be a string or null", unit)
        rank = row.get("rank")
        previous.append(
            Previous(unit=unit, grade=grade, rank=None if rank is None else _int(rank, f"{path}.rank", unit))
        )

    expected = []
    for pos, row in enumerate(_list(data.get("expected") or [], "expected")):
        path = f"expected[{pos}]"
        row = _check_keys(row, _EXPECTED_KEYS, path)
        unit = _code(_required(row, "unit", path), f"{path}.unit")
        indicator = _code(_required(row, "indicator", path, unit), f"{path}.indicator", unit)
        subs = _list(_required(row, "subunits", path, unit), f"{path}.subunits", unit)
        expected.append(
            Expected(
                unit=unit,
                indicator=indicator,
                subunits=tuple(_code(s, f"{path}.subunits[{i}]", unit) for i, s in enumerate(subs)),
            )
        )

    return CampaignInput(
        settings=settings,
        indicators=tuple(indicators),
        units=tuple(units),
        scores=scores,
        adjustments=tuple(adjustments),
        previous=tuple(previous),
        expected=tuple(expected),
    )


def _dec(value: Decimal) -> str:
    """Decimals go out as strings with exactly 2 places: ``Decimal("93.5")`` → ``"93.50"``."""
    return f"{value:.2f}"


def result_to_dict(result: Result) -> dict[str, Any]:
    """The JSON-ready output: ``{"units": [...], "lists": {...}}`` (decimals as 2-place strings, see module doc)."""
    return {
        "units": [
            {
                "unit": r.unit,
                "category": r.category,
                "applicable_points": _dec(r.applicable_points),
                "earned": _dec(r.earned),
                "base": _dec(r.base),
                "bonus": _dec(r.bonus),
                "deduction": _dec(r.deduction),
                "total": _dec(r.total),
                "grade": r.grade,
                "rank": r.rank,
                "serious": r.serious,
                "subtotals": {name: _dec(value) for name, value in r.subtotals().items()},
                "notes": list(r.notes),
            }
            for r in result.units
        ],
        "lists": {
            "commendation": list(result.commendation),
            "warning": list(result.warning),
            "recommendation_letter": list(result.recommendation_letter),
        },
    }


def compute_dict(data: Mapping[str, Any]) -> dict[str, Any]:
    """``result_to_dict(compute(parse_input(data)))``: JSON dict in, JSON dict out."""
    return result_to_dict(compute(parse_input(data)))
