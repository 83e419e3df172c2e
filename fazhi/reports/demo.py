"""Demo annual reports: the three real reports among the seeds, accepted and published on the portal.

- seed 000 → 河南省人民政府 (410000), 2024;
- seed 002 → 潢川县人民政府 (411526), 2023;
- seed 004 → 保定市人民政府 (130600), 2024. Baoding is in Hebei, not Henan: it gets its own demo root
  "河北省人民政府" (130000), so it never falls inside the Henan office's scope (分级考核: separate trees) while
  still showing on the public portal. No Hebei office or users are created.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from fazhi.orgs.models import Level, Unit, UnitKind

from .models import ReportStatus

SEEDS = Path(__file__).resolve().parents[1] / "demo" / "seeds"
REPORTS = [
    # seed, unit code, year, publication date (as published; None → read from the document), URL
    ("000", "410000", 2024, datetime.date(2025, 3, 27), "https://www.henan.gov.cn/"),
    ("002", "411526", 2023, datetime.date(2024, 3, 28), ""),
    ("004", "130600", 2024, None, ""),
]


def _hebei_units() -> Unit:
    root, _ = Unit.objects.update_or_create(code="130000", defaults={
        "name": "河北省人民政府", "level": Level.PROVINCE, "kind": UnitKind.GOVERNMENT, "region": "河北省",
        "is_demo": True})
    baoding, _ = Unit.objects.update_or_create(code="130600", defaults={
        "name": "保定市人民政府", "short_name": "保定市", "level": Level.CITY, "kind": UnitKind.GOVERNMENT,
        "parent": root, "region": "保定市", "is_demo": True})
    return baoding


def load(*, units, people, stdout) -> None:
    from . import services

    admin = people["admin"]
    all_units = dict(units)
    all_units["130600"] = _hebei_units()
    for number, code, year, published_on, url in REPORTS:
        path = next(SEEDS.glob(f"{number}_*.txt"), None)
        unit = all_units.get(code)
        if path is None or unit is None:
            continue
        services.report_save(
            user=admin, unit=unit, year=year, text=path.read_text(encoding="utf-8"), filename=path.name,
            published_on=published_on, publication_url=url, status=ReportStatus.ACCEPTED,
        )
    stdout.write(f"  reports: {len(REPORTS)} annual reports (seeds 000, 002, 004) accepted and published")
