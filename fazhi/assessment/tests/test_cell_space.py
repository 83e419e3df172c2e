"""``CellSpace`` / ``WorklistRows`` (the worklist paged without building the campaign) give exactly the rows the
full construction gives (``campaign_cells`` + every score), for every filter and any slice — on a campaign with
sub-unit cells, 增 and 减 overrides, drafts, submitted and unscored cells — and the progress aggregates equal a
count over the full cells."""

from decimal import Decimal

import pytest

from fazhi.assessment import selectors
from fazhi.assessment.models import (
    ExpectedEvaluation,
    Indicator,
    IndicatorOverride,
    Method,
    OverrideAction,
    Score,
    ScoreStatus,
)
from fazhi.orgs.models import Level, Unit, UnitKind


@pytest.fixture
def big(scoring, units, subunits, people):
    """More cities (some with departments), more leaves (some per sub-unit), overrides, and two thirds of the
    cells scored (drafts and submitted)."""
    campaign = scoring
    heading = campaign.indicators.get(code="H2")
    for i in range(6):
        city = units[f"Q{i}"] = Unit.objects.create(code=f"Q{i}", name=f"测试市{i}人民政府", level=Level.CITY,
                                   kind=UnitKind.GOVERNMENT, parent=units["P"], category=1, sort_order=20 - i)
        campaign.units.create(unit=city, category=1)
        for k in range(i % 3):
            Unit.objects.create(code=f"Q{i}-D{k}", name=f"测试市{i}部门{k}", level=Level.CITY,
                                kind=UnitKind.DEPARTMENT, parent=city, category=4, sort_order=k)
    for i in range(5):
        leaf = Indicator.objects.create(campaign=campaign, parent=heading, code=f"N{i}", title=f"测试指标{i}",
                                        points=Decimal(2), method=Method.DAILY, categories=[1] if i % 2 else [1, 4],
                                        allow_subunits=i % 2 == 1, sort=10 + i)
        leaf.assessing_units.set([units["D1"]])
    leaves = list(campaign.indicators.filter(points__isnull=False))
    n1 = next(i for i in leaves if i.code == "N1")
    IndicatorOverride.objects.create(indicator=n1, unit=units["Q1"], action=OverrideAction.REMOVE, reason="减")
    IndicatorOverride.objects.create(indicator=n1, unit=units["D1"], action=OverrideAction.ADD, reason="增")
    n2 = next(i for i in leaves if i.code == "N2")
    IndicatorOverride.objects.create(indicator=n2, unit=units["D2"], action=OverrideAction.ADD, reason="增")
    # 应评价清单: declared sub-units replace the default ones — a subset (Q2 on N1), a provincial department
    # evaluating a city without departments (Q3 on N1: Q1-D0 and D2), and a unit added by 增 (D1 on N1)
    n3 = next(i for i in leaves if i.code == "N3")
    for ind, unit, sub in [(n1, "Q2", "Q2-D1"), (n1, "Q3", "Q1-D0"), (n1, "Q3", "D2"), (n1, "D1", "Q2-D1"),
                           (n3, "Q0", "D1"), (n3, "Q0", "Q2-D0")]:
        ExpectedEvaluation.objects.create(campaign=campaign, indicator=ind, unit=units.get(unit) or
                                          Unit.objects.get(code=unit), subunit=units.get(sub) or
                                          Unit.objects.get(code=sub))
    for n, cell in enumerate(selectors.campaign_cells(campaign)):
        if n % 3 == 2:
            continue
        Score.objects.create(campaign=campaign, indicator=cell.indicator, unit=cell.unit, subunit=cell.subunit,
                             value=Decimal(1), status=ScoreStatus.SUBMITTED if n % 3 == 0 else ScoreStatus.DRAFT,
                             scored_by=people["assessing"])
    return campaign


def reference(campaign, indicators, *, unit_code="", status=""):
    scores = selectors.scores_by_cell(campaign, indicators)
    rows = []
    for cell in selectors.campaign_cells(campaign, indicators):
        if unit_code and unit_code not in (cell.unit.code, cell.subunit.code if cell.subunit else None):
            continue
        score = scores.get(cell.key)
        if status and (score.status if score else "none") != status:
            continue
        rows.append((cell.key, score.pk if score else None))
    return rows


def as_keys(rows):
    return [(r["cell"].key, r["score"].pk if r["score"] else None) for r in rows]


@pytest.mark.parametrize("status", ["", "none", "draft", "submitted"])
@pytest.mark.parametrize("unit_code", ["", "Q2", "Q2-D1", "D1", "C1-D1", "Q3", "D2", "Q0"])
def test_worklist_rows_equal_the_full_construction(big, status, unit_code):
    indicators = list(big.indicators.filter(points__isnull=False).order_by("sort", "code"))
    expected = reference(big, indicators, unit_code=unit_code, status=status)
    rows = selectors.WorklistRows(selectors.CellSpace(big, indicators), unit_code=unit_code, status=status)
    assert len(rows) == len(expected)
    assert as_keys(rows[0:len(expected)]) == expected
    for start, stop in [(0, 1), (3, 11), (7, 8), (len(expected) - 5, len(expected) + 3)]:
        assert as_keys(rows[max(0, start):stop]) == expected[max(0, start):stop], (start, stop)


def test_one_indicator_and_totals_per_leaf(big):
    indicators = list(big.indicators.filter(points__isnull=False).order_by("sort", "code"))
    space = selectors.CellSpace(big, indicators)
    for indicator, count in zip(indicators, space.counts, strict=True):
        assert count == len(selectors.campaign_cells(big, [indicator])), indicator.code
    assert space.total == len(selectors.campaign_cells(big))
    n1 = next(i for i in indicators if i.code == "N1")
    only = selectors.WorklistRows(selectors.CellSpace(big, [n1]))
    assert as_keys(only[0:100]) == reference(big, [n1])


def test_progress_aggregates_equal_a_count_over_the_cells(big, units):
    rows = {r["unit"].code: r for r in selectors.progress(big) if r["unit"]}
    statuses = {(s.indicator_id, s.unit_id, s.subunit_id): s.status for s in Score.objects.filter(campaign=big)}
    for code in ("D1", "D2"):
        cells = [c for c in selectors.campaign_cells(big) if units[code] in c.indicator.assessing_units.all()]
        assert rows[code]["total"] == len(cells)
        assert rows[code]["scored"] == sum(1 for c in cells if c.key in statuses)
        assert rows[code]["submitted"] == sum(1 for c in cells if statuses.get(c.key) == ScoreStatus.SUBMITTED)
