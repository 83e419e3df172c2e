"""Reads for annual reports: scope per user, the comparison table (catalogue keys × units × years)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from fazhi.core.text.figures import ALL_KEYS

from . import policies as report_policies
from .models import AnnualReport, ReportFigure

#: Chinese labels of the toolkit's catalogue keys (fazhi.core.text.figures.CATALOGUE_RULES).
KEY_LABELS = {
    "reconsideration.received": "行政复议收案数",
    "reconsideration.closed": "行政复议办结数",
    "reconsideration.correction_rate": "行政复议纠错率",
    "reconsideration.resolution_rate": "行政复议化解率",
    "reconsideration.mediated": "调解和解结案数",
    "litigation.head_appearance_rate": "负责人出庭应诉率",
    "litigation.loss_rate": "行政诉讼败诉率",
    "litigation.cases": "行政诉讼案件数",
    "mediation.success_rate": "调解成功率",
    "mediation.success": "调解成功数",
    "mediation.disputes": "调解纠纷数",
    "normative_docs.filed": "报备规范性文件数",
    "normative_docs.corrected": "纠正违法文件数",
}
CATALOGUE_KEYS = list(ALL_KEYS)


def key_label(key: str | None) -> str:
    return KEY_LABELS.get(key or "", key or "")


# The scope lives in ``policies`` (one vocabulary for every app); these names stay for existing callers.
reports_for = report_policies.reports_for
jobs_for = report_policies.jobs_for


def report_for(user, pk: int) -> AnnualReport:
    """One report in the user's scope, else 404 (do not reveal it exists)."""
    return report_policies.get_report_or_404(user, pk)


def comparison(reports) -> dict:
    """Catalogue values per key × unit × year for ``reports`` (missing values stay ``None``).

    Returns ``{"keys", "years", "units", "values": {key: {unit_id: {year: figure}}}}``.
    """
    reports = list(reports.select_related("unit").order_by("unit__path", "year"))
    years = sorted({r.year for r in reports})
    units = []
    seen = set()
    for r in reports:
        if r.unit_id not in seen:
            seen.add(r.unit_id)
            units.append(r.unit)
    year_of = {r.pk: (r.unit_id, r.year) for r in reports}
    values: dict[str, dict[int, dict[int, ReportFigure]]] = defaultdict(lambda: defaultdict(dict))
    for fig in ReportFigure.objects.filter(report_id__in=list(year_of), key__isnull=False).order_by("offset"):
        unit_id, year = year_of[fig.report_id]
        values[fig.key][unit_id].setdefault(year, fig)
    return {"keys": CATALOGUE_KEYS, "years": years, "units": units, "values": values}


def comparison_rows(data: dict, key: str) -> list[dict]:
    rows = []
    for unit in data["units"]:
        cells = []
        for year in data["years"]:
            fig = data["values"].get(key, {}).get(unit.pk, {}).get(year)
            cells.append({"year": year, "figure": fig})
        rows.append({"unit": unit, "cells": cells, "missing": sum(1 for c in cells if c["figure"] is None)})
    return rows


def chart_series(data: dict, key: str) -> dict:
    """ECharts data: one bar series per year over units (missing → null)."""
    series = []
    for year in data["years"]:
        points = []
        for unit in data["units"]:
            fig = data["values"].get(key, {}).get(unit.pk, {}).get(year)
            points.append(float(fig.value) if isinstance(fig and fig.value, Decimal) else None)
        series.append({"name": str(year), "type": "bar", "data": points})
    return {"units": [u.short_name or u.name for u in data["units"]], "series": series}


def check_summary(check: dict) -> dict:
    """The report check in a line for lists: parts present of five (and which are missing), consistency
    warnings, and the publication deadline's status (ok / late / unknown); ``checked`` False before any check."""
    parts = check.get("parts") or []
    warnings = [c for c in check.get("checks") or [] if not c.get("ok")]
    return {
        "checked": bool(parts),
        "parts": sum(1 for p in parts if p.get("present")), "of": len(parts),
        "missing": [p.get("name", "") for p in parts if not p.get("present")],
        "warnings": len(warnings), "deadline": (check.get("deadline") or {}).get("status", "unknown"),
    }
