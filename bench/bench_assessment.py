"""Recompute a campaign's results: the real path vs a naive per-cell ORM loop (`make bench`).

Standalone: ``.venv/bin/python bench/bench_assessment.py [--sizes 100000,300000,1000000] [--naive-full-max N]``.

For each size (cells = units × 100 indicators, every indicator applying to every unit; city-like units are
scored per sub-unit as well) the script bulk-creates a synthetic campaign (``fazhi.core.scoring.synthetic``)
in a temporary SQLite database, then times:

(a) the real path ``services.campaign_compute``: DB → engine JSON (a handful of aggregate queries) →
    ``fazhi.core.scoring`` → bulk save of ``Result`` rows, in one transaction;
(b) a naive loop: for every unit, for every indicator, one ORM query for the cell's score(s), then the
    totals by hand — what a first Django implementation would do.

Both must give the same totals (checked). Above ``--naive-full-max`` cells the naive loop runs on a sample of
units and its time is extrapolated linearly by cells — the output says so.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
_tmp = tempfile.mkdtemp(prefix="fazhi-bench-assessment-")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
os.environ["FAZHI_DATA_DIR"] = _tmp
os.environ.setdefault("FAZHI_DEBUG", "false")
os.environ.setdefault("FAZHI_SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("FAZHI_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from fazhi.assessment import services  # noqa: E402
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
    # Scores straight through the DB-API (executemany): the ORM's bulk_create spends minutes building a
    # million model instances, which is set-up, not what is measured.
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = ("INSERT INTO assessment_score (campaign_id, indicator_id, unit_id, subunit_id, value, reason, status, "
           "version, updated_at, submitted_at) VALUES (%s, %s, %s, %s, %s, '', %s, 1, %s, %s)")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 100_000):
            cursor.executemany(sql, [
                (campaign.pk, ind_id[s["indicator"]], unit_id[f"{tag}:{s['unit']}"],
                 unit_id[f"{tag}:{s['subunit']}"] if s.get("subunit") else None,
                 str(Decimal(str(s["score"])).quantize(CENT)), ScoreStatus.SUBMITTED, now, now)
                for s in rows[start:start + 100_000]])
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


def naive_loop(campaign: Campaign, members: list[CampaignUnit]) -> tuple[float, int, dict[str, Decimal]]:
    """One query per cell (plus per-unit queries): the N+1 pattern the real path avoids."""
    totals = {}
    start = time.perf_counter()
    with localcontext(Context(prec=50)):
        indicators = list(Indicator.objects.filter(campaign=campaign, points__isnull=False))
        cells = 0
        for member in members:
            unit = member.unit
            overrides = dict(IndicatorOverride.objects.filter(indicator__campaign=campaign, unit=unit)
                             .values_list("indicator_id", "action"))
            applicable = earned = Decimal(0)
            for ind in indicators:
                action = overrides.get(ind.pk)
                if not ((member.category in ind.categories or action == "add") and action != "remove"):
                    continue
                cells += 1
                values = [s.value for s in Score.objects.filter(indicator=ind, unit=unit)
                          if s.status == ScoreStatus.SUBMITTED]
                applicable += ind.points
                earned += sum(values) / len(values)
            base = earned if applicable == 100 else earned * 100 / applicable
            bonus = deduction = extra = Decimal(0)
            for adj in Adjustment.objects.filter(campaign=campaign, unit=unit):
                if adj.kind == "bonus":
                    bonus += adj.points
                elif adj.exceed_cap:
                    extra += adj.points
                else:
                    deduction += adj.points
            bonus = min(bonus, campaign.bonus_cap)
            deduction = min(deduction, campaign.deduction_cap) + extra
            totals[unit.code] = (base + bonus - deduction).quantize(CENT, rounding=ROUND_HALF_UP) + 0
    return time.perf_counter() - start, cells, totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,300000,1000000", help="cells per campaign, comma-separated")
    parser.add_argument("--naive-full-max", type=int, default=100_000,
                        help="above this many cells the naive loop runs on a sample and is extrapolated")
    parser.add_argument("--sample-units", type=int, default=200)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    print(f"database: SQLite in {_tmp}; Django {django.get_version()}; {os.cpu_count()} CPUs")
    call_command("migrate", verbosity=0, interactive=False)
    summary = []
    for n, cells in enumerate(sizes):
        n_units = cells // N_INDICATORS
        tag = f"B{n}"
        start = time.perf_counter()
        with transaction.atomic():
            campaign, office, score_rows = build(tag, n_units, seed=n + 1)
        load = time.perf_counter() - start
        print(f"\n== {cells:,} cells: {n_units:,} units × {N_INDICATORS} indicators "
              f"({score_rows:,} score rows incl. sub-units); bulk load {load:.1f} s")
        real_s, real_queries, real_totals = real_path(campaign, office)
        print(f"  (a) real path  DB → engine → bulk save: {real_s:8.2f} s  ({real_queries} queries)")
        members = list(CampaignUnit.objects.filter(campaign=campaign).select_related("unit").order_by("pk"))
        sampled = cells > args.naive_full_max
        if sampled:
            members = random.Random(7).sample(members, min(args.sample_units, len(members)))
        naive_s, naive_cells, naive_totals = naive_loop(campaign, members)
        mismatches = [code for code, total in naive_totals.items() if real_totals[code] != total]
        if sampled:
            estimate = naive_s * cells / naive_cells
            print(f"  (b) naive loop on a SAMPLE of {len(members)} units ({naive_cells:,} cells): {naive_s:.2f} s → "
                  f"EXTRAPOLATED linearly to {cells:,} cells: {estimate:8.2f} s (estimate, not measured)")
        else:
            estimate = naive_s
            print(f"  (b) naive per-cell ORM loop ({naive_cells:,} cells): {naive_s:8.2f} s")
        print(f"  totals identical for {len(naive_totals) - len(mismatches):,}/{len(naive_totals):,} units compared"
              + (f"  MISMATCH: {mismatches[:5]}" if mismatches else ""))
        print(f"  ratio naive / real: {estimate / real_s:6.1f}×" + ("  (naive extrapolated)" if sampled else ""))
        summary.append((cells, real_s, estimate, sampled, bool(mismatches)))
        if mismatches:
            sys.exit("totals differ between the real path and the naive loop")
    print("\n== growth")
    base_cells, base_real = summary[0][0], summary[0][1]
    for cells, real_s, naive_s, sampled, _bad in summary:
        print(f"  {cells:>9,} cells: real {real_s:7.2f} s (×{real_s / base_real:5.2f} for ×{cells / base_cells:4.1f} "
              f"cells), naive {naive_s:8.2f} s{' (extrapolated)' if sampled else ''}, ratio {naive_s / real_s:5.1f}×")


if __name__ == "__main__":
    main()
