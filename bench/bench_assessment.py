"""Recompute a campaign's results: the real path vs a plain whole-campaign ORM version (`make bench`).

Standalone: ``.venv/bin/python bench/bench_assessment.py [--sizes 100000,300000,1000000] [--database URL]``.

For each size (cells = units × 100 indicators, every indicator applying to every unit; city-like units are
scored per sub-unit as well) the script bulk-creates a synthetic campaign (``fazhi.core.scoring.synthetic``)
in a temporary SQLite database (or the PostgreSQL database of ``--database``, emptied first), then times:

(a) the real path ``services.campaign_compute`` (the office's button): DB → engine JSON → ``fazhi.core.scoring``
    → bulk save of ``Result`` rows, in one transaction; and (a') the same without the save
    (``selectors.engine_input`` + ``run_engine``), to compare like with like;
(b) a plain whole-campaign ORM version, as a competent developer would write it: five queries (leaves,
    members, overrides, submitted scores, adjustments), totals in Python, nothing saved.

Every figure is measured at every size — nothing is sampled or extrapolated. Both must give the same totals
(checked). Results go to ``bench/results/assessment-<vendor>.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
_tmp = tempfile.mkdtemp(prefix="fazhi-bench-assessment-")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
os.environ["FAZHI_DATA_DIR"] = _tmp
if "--database" in sys.argv and sys.argv.index("--database") + 1 < len(sys.argv):
    os.environ["DATABASE_URL"] = sys.argv[sys.argv.index("--database") + 1]
else:
    os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("FAZHI_DEBUG", "false")
os.environ.setdefault("FAZHI_SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("FAZHI_LOG_LEVEL", "WARNING")
if not os.environ.get("FAZHI_AUDIT_KEY_FILE"):  # debug off, as in production: the audit chain needs a key file
    os.environ["FAZHI_AUDIT_KEY_FILE"] = str(Path(_tmp) / "audit.keys")
    subprocess.run([sys.executable, "-m", "fazhi.cli", "audit", "keygen", os.environ["FAZHI_AUDIT_KEY_FILE"],
                    "--key-id", "bench"], check=True, capture_output=True, cwd=Path(__file__).resolve().parents[1])

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from fazhi.assessment import selectors, services  # noqa: E402
from fazhi.assessment.models import (  # noqa: E402
    Adjustment,
    Campaign,
    CampaignStatus,
    CampaignUnit,
    Indicator,
    IndicatorOverride,
    Method,
    Result,
    Score,
    ScoreStatus,
)
from fazhi.core.scoring.synthetic import generate  # noqa: E402
from fazhi.io.bulk import insert_rows  # noqa: E402
from fazhi.orgs.models import Level, Role, Unit, UnitKind, User  # noqa: E402

N_INDICATORS = 100
CENT = Decimal("0.01")


def build(tag: str, n_units: int, seed: int) -> tuple[Campaign, User, int]:
    """Bulk-create a synthetic campaign; returns (campaign, office user, score rows)."""
    data = generate(n_units, N_INDICATORS, seed, common_share=1.0)
    root = Unit(code=f"{tag}", name=f"基准省{tag}", level=Level.PROVINCE, kind=UnitKind.GOVERNMENT)
    root.save()
    office_unit = Unit(code=f"{tag}-OFFICE", name="基准考核办", level=Level.PROVINCE, kind=UnitKind.OFFICE, parent=root)
    office_unit.save()
    office = User.objects.create(username=f"office-{tag}", role=Role.OFFICE, unit=office_unit)
    units = Unit.objects.bulk_create(
        [Unit(code=f"{tag}:{u['code']}", name=u["code"], level=Level.CITY, kind=UnitKind.GOVERNMENT, parent=root,
              category=u["category"], path=f"{root.path}x") for u in data["units"]], batch_size=2000)
    unit_id = {u.code: u.pk for u in units}
    subcodes = sorted({s["subunit"] for s in data["scores"] if s.get("subunit")})
    subs = Unit.objects.bulk_create(
        [Unit(code=f"{tag}:{c}", name=c, level=Level.COUNTY, kind=UnitKind.DEPARTMENT,
              parent_id=unit_id[f"{tag}:{c.rsplit('-', 1)[0]}"], category=4) for c in subcodes], batch_size=2000)
    unit_id.update({u.code: u.pk for u in subs})
    campaign = services.campaign_create(user=office, year=2025, name=f"基准 {tag}")
    assert campaign.units.count() == n_units
    indicators = Indicator.objects.bulk_create(
        [Indicator(campaign=campaign, code=i["code"], title=i["code"], points=Decimal(str(i["points"])),
                   method=Method.DAILY, categories=i["categories"], sort=n) for n, i in enumerate(data["indicators"])])
    ind_id = {i.code: i.pk for i in indicators}
    IndicatorOverride.objects.bulk_create(
        [IndicatorOverride(indicator_id=ind_id[c], unit_id=unit_id[f"{tag}:{u['code']}"], action=action)
         for u in data["units"] for action in ("add", "remove") for c in u.get(action, [])], batch_size=2000)
    rows = data["scores"]
    # Scores through fazhi.io.bulk (executemany on SQLite, COPY on PostgreSQL): the ORM's bulk_create spends
    # minutes building a million model instances, which is set-up, not what is measured.
    now = timezone.now()
    insert_rows(Score, ["campaign_id", "indicator_id", "unit_id", "subunit_id", "value", "reason", "status",
                        "version", "updated_at", "submitted_at"], (
        (campaign.pk, ind_id[s["indicator"]], unit_id[f"{tag}:{s['unit']}"],
         unit_id[f"{tag}:{s['subunit']}"] if s.get("subunit") else None,
         Decimal(str(s["score"])).quantize(CENT), "", ScoreStatus.SUBMITTED, 1, now, now) for s in rows))
    Adjustment.objects.bulk_create(
        [Adjustment(campaign=campaign, unit_id=unit_id[f"{tag}:{a['unit']}"], kind=a["kind"],
                    points=Decimal(str(a["points"])), reason=a["reason"], source="基准",
                    serious=a.get("serious", False), exceed_cap=a.get("exceed_cap", False),
                    exceed_reason="基准" if a.get("exceed_cap") else "") for a in data["adjustments"]],
        batch_size=2000)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SCORING)
    campaign.refresh_from_db()
    return campaign, office, len(rows)


def real_path(campaign: Campaign, office: User) -> tuple[float, int, dict[str, Decimal]]:
    gc.collect()
    count = 0

    def counter(execute, sql, params, many, context):
        # CaptureQueriesContext keeps at most 9,000 queries (a deque), so it cannot count large runs.
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        services.campaign_compute(user=office, campaign=campaign)
        elapsed = time.perf_counter() - start
    totals = dict(Result.objects.filter(campaign=campaign).values_list("unit__code", "total"))
    return elapsed, count, totals


def engine_only(campaign: Campaign) -> float:
    gc.collect()
    start = time.perf_counter()
    services.run_engine(selectors.engine_input(campaign))
    return time.perf_counter() - start


def plain_orm(campaign: Campaign) -> tuple[float, int, dict[str, Decimal]]:
    """Five queries for the whole campaign, totals in Python (sub-unit cells averaged, caps applied)."""
    gc.collect()
    start = time.perf_counter()
    with localcontext(Context(prec=50)):
        leaves = {pk: (points, set(cats)) for pk, points, cats in Indicator.objects.filter(
            campaign=campaign, points__isnull=False).values_list("pk", "points", "categories")}
        members = list(CampaignUnit.objects.filter(campaign=campaign).values_list("unit_id", "unit__code", "category"))
        overrides: dict[int, dict[int, str]] = defaultdict(dict)
        for ind_id, unit_id, action in IndicatorOverride.objects.filter(indicator__campaign=campaign).values_list(
                "indicator_id", "unit_id", "action"):
            overrides[unit_id][ind_id] = action
        sums: dict[tuple[int, int], list] = {}
        for unit_id, ind_id, value in Score.objects.filter(campaign=campaign, status=ScoreStatus.SUBMITTED) \
                .values_list("unit_id", "indicator_id", "value").iterator(chunk_size=10_000):
            cell = sums.get((unit_id, ind_id))
            if cell is None:
                sums[(unit_id, ind_id)] = [value, 1]
            else:
                cell[0] += value
                cell[1] += 1
        adjustments: dict[int, list] = defaultdict(list)
        for unit_id, kind, points, exceed in Adjustment.objects.filter(campaign=campaign).values_list(
                "unit_id", "kind", "points", "exceed_cap"):
            adjustments[unit_id].append((kind, points, exceed))
        totals = {}
        cells = 0
        for unit_id, code, category in members:
            own = overrides.get(unit_id, {})
            applicable = earned = Decimal(0)
            for ind_id, (points, cats) in leaves.items():
                action = own.get(ind_id)
                if not ((category in cats or action == "add") and action != "remove"):
                    continue
                cells += 1
                total, count = sums[(unit_id, ind_id)]
                applicable += points
                earned += total / count
            base = earned if applicable == 100 else earned * 100 / applicable
            bonus = deduction = extra = Decimal(0)
            for kind, points, exceed in adjustments.get(unit_id, ()):
                if kind == "bonus":
                    bonus += points
                elif exceed:
                    extra += points
                else:
                    deduction += points
            bonus = min(bonus, campaign.bonus_cap)
            deduction = min(deduction, campaign.deduction_cap) + extra
            totals[code] = (base + bonus - deduction).quantize(CENT, rounding=ROUND_HALF_UP) + 0
    return time.perf_counter() - start, cells, totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,300000,1000000", help="cells per campaign, comma-separated")
    parser.add_argument("--database", default="", help="PostgreSQL URL (emptied first); default: temporary SQLite")
    parser.add_argument("--out", default="", help="JSON results file (default bench/results/assessment-<vendor>.json)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    vendor = connection.vendor
    print(f"database: {vendor} ({args.database or _tmp}); Django {django.get_version()}; {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.1f}")
    call_command("migrate", verbosity=0, interactive=False)
    if vendor == "postgresql":
        call_command("flush", verbosity=0, interactive=False)
    summary = []
    for n, cells in enumerate(sizes):
        n_units = cells // N_INDICATORS
        tag = f"B{n}"
        start = time.perf_counter()
        with transaction.atomic():
            campaign, office, score_rows = build(tag, n_units, seed=n + 1)
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        load = time.perf_counter() - start
        print(f"\n== {cells:,} cells: {n_units:,} units × {N_INDICATORS} indicators "
              f"({score_rows:,} score rows incl. sub-units); bulk load {load:.1f} s; "
              f"load average {os.getloadavg()[0]:.1f}")
        real_s, real_queries, real_totals = real_path(campaign, office)
        print(f"  (a)  real path (button: DB → engine → bulk save): {real_s:8.2f} s  ({real_queries} queries)")
        engine_s = engine_only(campaign)
        print(f"  (a') real path without the save (engine input + engine): {engine_s:8.2f} s")
        plain_s, plain_cells, plain_totals = plain_orm(campaign)
        print(f"  (b)  plain whole-campaign ORM version ({plain_cells:,} cells, 5 queries): {plain_s:8.2f} s")
        mismatches = [code for code, total in plain_totals.items() if real_totals[code] != total]
        print(f"  totals identical for {len(plain_totals) - len(mismatches):,}/{len(plain_totals):,} units"
              + (f"  MISMATCH: {mismatches[:5]}" if mismatches else ""))
        print(f"  plain / real: {plain_s / real_s:5.2f}×; plain / real-without-save: {plain_s / engine_s:5.2f}×")
        summary.append({"cells": cells, "units": n_units, "score_rows": score_rows, "load_s": round(load, 2),
                        "real_s": round(real_s, 3), "real_queries": real_queries,
                        "real_without_save_s": round(engine_s, 3), "plain_orm_s": round(plain_s, 3),
                        "totals_identical": not mismatches, "load_average": round(os.getloadavg()[0], 2)})
        if mismatches:
            sys.exit("totals differ between the real path and the plain ORM version")
    print("\n== growth")
    base = summary[0]
    for row in summary:
        print(f"  {row['cells']:>9,} cells: real {row['real_s']:7.2f} s (×{row['real_s'] / base['real_s']:5.2f} for "
              f"×{row['cells'] / base['cells']:4.1f} cells), plain ORM {row['plain_orm_s']:7.2f} s "
              f"(×{row['plain_orm_s'] / base['plain_orm_s']:5.2f})")
    out = Path(args.out or Path(__file__).with_name("results") / f"assessment-{vendor}.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"bench": "assessment", "vendor": vendor, "cpus": os.cpu_count(),
                               "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                               "command": " ".join(sys.argv), "sizes": summary}, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
