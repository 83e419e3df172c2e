from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from fazhi.assessment import selectors, services
from fazhi.assessment.models import (
    Adjustment,
    Campaign,
    CampaignStatus,
    CampaignUnit,
    Indicator,
    IndicatorOverride,
    Result,
    Score,
    ScoreStatus,
)
from fazhi.io.excel import ImportFailed, build_workbook
from fazhi.testing.lifecycle import submit_scores

pytestmark = pytest.mark.django_db


def test_campaign_create_snapshots_direct_assessed_units(campaign, units):
    members = set(CampaignUnit.objects.filter(campaign=campaign).values_list("unit__code", flat=True))
    assert members == {"C1", "C2", "D1", "D2"}  # not C1-D1 (the city's own campaign), not X1 (no category)
    assert campaign.owner == units["P"]
    assert campaign.ranked_categories == [1, 4, 7]
    assert campaign.excellent_min == 90 and campaign.bonus_cap == 5 and campaign.deduction_cap == 10


def test_city_office_campaign_is_its_own_subtree(people, units):
    campaign = services.campaign_create(user=people["city_office"], year=2025)
    assert campaign.owner == units["C1"]
    assert set(campaign.units.values_list("unit__code", flat=True)) == {"C1-D1"}


def test_non_office_cannot_create(people):
    with pytest.raises(PermissionDenied):
        services.campaign_create(user=people["assessing"], year=2025)


def test_copy_tree(campaign, people, units):
    IndicatorOverride.objects.create(indicator=campaign.indicators.get(code="A2"), unit=units["D2"], action="remove")
    target = services.campaign_create(user=people["office"], year=2026)
    assert target.previous == campaign
    count = services.campaign_copy_tree(user=people["office"], source=campaign, target=target)
    assert count == 5
    copied = {i.code: i for i in target.indicators.all()}
    assert copied["A1"].parent == copied["H1"] and copied["A1"].points == 40
    assert list(copied["B1"].assessing_units.all()) == [units["D1"]] and copied["B1"].allow_subunits
    assert IndicatorOverride.objects.filter(indicator=copied["A2"], unit=units["D2"], action="remove").exists()
    assert campaign.indicators.count() == 5  # source untouched


def test_copy_tree_refused_for_other_office(campaign, people):
    target = services.campaign_create(user=people["other_office"], year=2026)
    with pytest.raises(PermissionDenied):
        services.campaign_copy_tree(user=people["other_office"], source=campaign, target=target)


# --- indicator Excel ---------------------------------------------------------------------------------------

def _sheet(rows):
    return build_workbook("考核指标", services.indicator_columns(), rows)


def test_indicator_export_import_roundtrip(campaign, people):
    data = services.indicator_export(user=people["office"], campaign=campaign)
    target = services.campaign_create(user=people["office"], year=2026)
    result = services.indicator_import(user=people["office"], campaign=target, data=data)
    assert result == {"indicators": 5, "leaves": 3}
    b1 = target.indicators.get(code="B1")
    assert b1.parent.code == "H2" and b1.allow_subunits and b1.categories == [1] and b1.points == Decimal(20)


def test_indicator_import_errors_name_row_and_column_and_write_nothing(campaign, people):
    before = Indicator.objects.count(), IndicatorOverride.objects.count()
    data = _sheet([
        {"code": "H1", "title": "一、加强党的统一领导"},
        {"code": "A1", "parent": "H1", "title": "好指标", "points": 30, "method": "日常评价", "categories": "1",
         "assessing": "D1"},
        {"code": "A2", "parent": "H9", "title": "上级不存在", "points": 10, "method": "日常评价", "categories": "1",
         "assessing": "D1"},
        {"code": "A3", "parent": "H1", "title": "分值错", "points": "abc", "method": "日常评价", "categories": "1",
         "assessing": "D1"},
        {"code": "A4", "parent": "H1", "title": "主体不在范围", "points": 10, "method": "日常评价", "categories": "8",
         "assessing": "P2-OFFICE"},
        {"code": "A1", "parent": "H1", "title": "重复", "points": 10, "method": "日常评价", "categories": "1",
         "assessing": "D1"},
    ])
    with pytest.raises(ImportFailed) as info:
        services.indicator_import(user=people["office"], campaign=campaign, data=data)
    found = {(e.row, e.column) for e in info.value.errors}
    assert (5, "分值") in found
    assert (6, "适用类别") in found
    # Parse errors stop before cross-row checks; fix them and the cross-row errors appear:
    data = _sheet([
        {"code": "H1", "title": "一、加强党的统一领导"},
        {"code": "A1", "parent": "H1", "title": "好指标", "points": 30, "method": "日常评价", "categories": "1",
         "assessing": "D1"},
        {"code": "A2", "parent": "H9", "title": "上级不存在", "points": 10, "method": "日常评价", "categories": "1",
         "assessing": "D1"},
        {"code": "A4", "parent": "H1", "title": "主体不在范围", "points": 10, "method": "日常评价", "categories": "1",
         "assessing": "P2-OFFICE"},
        {"code": "A1", "parent": "H1", "title": "重复", "points": 10, "method": "日常评价", "categories": "1",
         "assessing": "D1"},
        {"code": "A5", "parent": "H1", "title": "缺考核方式", "points": 10, "categories": "1", "assessing": "D1"},
    ])
    with pytest.raises(ImportFailed) as info:
        services.indicator_import(user=people["office"], campaign=campaign, data=data)
    found = {(e.row, e.column) for e in info.value.errors}
    assert found >= {(4, "上级编号"), (5, "考核主体编码"), (6, "指标编号"), (7, "考核方式")}
    assert (Indicator.objects.count(), IndicatorOverride.objects.count()) == before


def test_indicator_import_refuses_more_than_100_points(campaign, people):
    data = _sheet([
        {"code": "A1", "title": "甲", "points": 60, "method": "日常评价", "categories": "1", "assessing": "D1"},
        {"code": "A2", "title": "乙", "points": 50, "method": "日常评价", "categories": "1", "assessing": "D1"},
    ])
    with pytest.raises(ImportFailed) as info:
        services.indicator_import(user=people["office"], campaign=campaign, data=data)
    assert "超过 100 分" in str(info.value) and "C1" in str(info.value)
    assert campaign.indicators.count() == 5


def test_indicator_import_refused_after_scoring_started(scoring, people):
    data = services.indicator_export(user=people["office"], campaign=scoring)
    with pytest.raises(ImportFailed):
        services.indicator_import(user=people["office"], campaign=scoring, data=data)


# --- scores ------------------------------------------------------------------------------------------------

def _save(campaign, user, ind, unit, value, version=0, subunit=None, reason="理由"):
    return services.score_save(user=user, campaign=campaign, indicator=campaign.indicators.get(code=ind), unit=unit,
                               subunit=subunit, value=value, reason=reason, expected_version=version)


def test_score_bounds_and_reason(scoring, people, units):
    user = people["assessing"]
    with pytest.raises(ValidationError):
        _save(scoring, user, "A1", units["C2"], "40.01")
    with pytest.raises(ValidationError):
        _save(scoring, user, "A1", units["C2"], "-1")
    with pytest.raises(ValidationError):
        _save(scoring, user, "A1", units["C2"], "abc")
    with pytest.raises(ValidationError, match="评分理由"):
        _save(scoring, user, "A1", units["C2"], "39", reason="")
    score = _save(scoring, user, "A1", units["C2"], "40", reason="")
    assert score.value == Decimal(40) and score.version == 1 and score.status == ScoreStatus.DRAFT


def test_score_only_own_indicators_and_applicable_cells(scoring, people, units, subunits):
    user = people["assessing"]
    from django.http import Http404

    with pytest.raises(Http404):
        _save(scoring, user, "A2", units["C2"], "10")  # A2 is scored by D2
    with pytest.raises(ValidationError, match="不适用"):
        _save(scoring, user, "B1", units["D1"], "10")  # B1 applies to category 1 only
    with pytest.raises(ValidationError, match="下级单位"):
        _save(scoring, user, "B1", units["C1"], "10")  # C1 is scored per department
    assert _save(scoring, user, "B1", units["C1"], "10", subunit=subunits["C1-D1"]).subunit == subunits["C1-D1"]


def test_score_refused_outside_scoring_phase(campaign, people, units):
    with pytest.raises(ValidationError, match="评分阶段"):
        _save(campaign, people["assessing"], "A1", units["C2"], "30")


def test_version_conflict_second_save_refused(scoring, people, units, make_user):
    first, second = people["assessing"], make_user("assessing2", "assessing", units["D1"])
    loaded = _save(scoring, first, "A1", units["C1"], "30")
    assert loaded.version == 1
    # Both people loaded version 1; the first saves, the second's save must be refused, not lost.
    _save(scoring, first, "A1", units["C1"], "31", version=1)
    with pytest.raises(services.ScoreConflict) as info:
        _save(scoring, second, "A1", units["C1"], "25", version=1)
    assert "未保存" in str(info.value)
    score = Score.objects.get(indicator__code="A1", unit=units["C1"])
    assert score.value == Decimal(31) and score.version == 2
    # Two people scoring an empty cell at once: the second create is refused too.
    _save(scoring, first, "A1", units["C2"], "30", version=0)
    with pytest.raises(services.ScoreConflict):
        _save(scoring, second, "A1", units["C2"], "20", version=0)


def test_submit_then_locked(scoring, people, units):
    user = people["assessing"]
    _save(scoring, user, "A1", units["C1"], "30")
    _save(scoring, user, "A1", units["C2"], "35")
    assert submit_scores(user=user, campaign=scoring) == 2
    score = Score.objects.get(indicator__code="A1", unit=units["C1"])
    assert score.status == ScoreStatus.SUBMITTED and score.submitted_at
    with pytest.raises(ValidationError, match="已提交"):
        _save(scoring, user, "A1", units["C1"], "20", version=score.version)


def test_score_changes_are_audited(scoring, people, units):
    from fazhi.audit.models import AuditEvent

    before = AuditEvent.objects.count()
    _save(scoring, people["assessing"], "A1", units["C1"], "30")
    assert AuditEvent.objects.count() == before + 1


def test_evidence_type_and_size(scoring, people, units, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    score = _save(scoring, people["assessing"], "A1", units["C1"], "30")
    ok = services.evidence_add(user=people["assessing"], score=score,
                               upload=SimpleUploadedFile("通报.pdf", b"%PDF-1.4 test", "application/pdf"))
    assert ok.size == 13
    with pytest.raises(ValidationError):
        services.evidence_add(user=people["assessing"], score=score,
                              upload=SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream"))
    settings.FAZHI_MAX_UPLOAD_BYTES = 5
    with pytest.raises(ValidationError):
        services.evidence_add(user=people["assessing"], score=score,
                              upload=SimpleUploadedFile("big.png", b"0123456789", "image/png"))


def test_batch_export_import(scoring, people, units, subunits):
    user = people["assessing"]
    data = services.score_batch_export(user=user, campaign=scoring)
    sheet = load_workbook(__import__("io").BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # D1 scores A1 (C1, C2, D1, D2) and B1 (C1 × 2 departments, C2): 7 cells
    assert len(rows) == 7
    columns = services.score_columns()
    records = []
    for row in rows:
        rec = {c.key: row[i] for i, c in enumerate(columns)}
        rec["value"] = rec["points"]
        records.append(rec)
    result = services.score_batch_import(user=user, campaign=scoring,
                                         data=build_workbook("评分", columns, records))
    assert result == {"saved": 7}
    # A stale version or an out-of-range score: nothing is written.
    records[0]["value"] = 1
    records[0]["reason"] = "扣分"
    records[1]["value"] = 999
    before = list(Score.objects.order_by("pk").values_list("value", "version"))
    with pytest.raises(ImportFailed) as info:
        services.score_batch_import(user=user, campaign=scoring, data=build_workbook("评分", columns, records))
    assert {e.column for e in info.value.errors} >= {"版本", "得分"}
    assert list(Score.objects.order_by("pk").values_list("value", "version")) == before


def test_progress(scoring, people, units):
    _save(scoring, people["assessing"], "A1", units["C1"], "30")
    submit_scores(user=people["assessing"], campaign=scoring)
    rows = {r["unit"].code: r for r in selectors.progress(scoring) if r["unit"]}
    assert rows["D1"]["total"] == 7 and rows["D1"]["scored"] == 1 and rows["D1"]["submitted"] == 1
    assert rows["D2"]["total"] == 4 and rows["D2"]["submitted"] == 0


# --- adjustments and compute -------------------------------------------------------------------------------

def test_adjustment_exceed_cap_needs_reason_and_office(scoring, people, units):
    with pytest.raises(ValidationError):
        services.adjustment_create(user=people["office"], campaign=scoring, unit=units["C1"], kind="deduction",
                                   points="2", reason="通报", source="文件", exceed_cap=True)
    with pytest.raises(PermissionDenied):
        services.adjustment_create(user=people["assessing"], campaign=scoring, unit=units["C1"], kind="bonus",
                                   points="2", reason="示范", source="文件")
    with pytest.raises(ValidationError):
        services.adjustment_create(user=people["office"], campaign=scoring, unit=units["C1"], kind="bonus",
                                   points="2", reason="", source="文件")
    adj = services.adjustment_create(user=people["office"], campaign=scoring, unit=units["C1"], kind="deduction",
                                     points="12", reason="重大负面舆情", source="媒体报道", exceed_cap=True,
                                     exceed_reason="省委决定")
    assert adj.exceed_cap and Adjustment.objects.count() == 1


def _hand_example_adjustments(campaign, office, units):
    services.adjustment_create(user=office, campaign=campaign, unit=units["C1"], kind="bonus", points="2",
                               reason="国家级示范创建", source="国务院通报")
    services.adjustment_create(user=office, campaign=campaign, unit=units["C2"], kind="deduction", points="3",
                               reason="被通报批评", source="省政府通报")
    services.adjustment_create(user=office, campaign=campaign, unit=units["D1"], kind="deduction", points="2",
                               reason="重大违法行政行为", source="媒体报道", serious=True)


def test_compute_end_to_end_against_hand_computed_numbers(scored, people, units):
    _hand_example_adjustments(scored, people["office"], units)
    services.campaign_compute(user=people["office"], campaign=scored)
    scored.refresh_from_db()
    assert scored.status == CampaignStatus.COMPUTED and scored.computed_at
    r = {x.unit.code: x for x in Result.objects.filter(campaign=scored).select_related("unit")}
    # C1: 36 + 40 + mean(16, 12) = 90, +2 bonus = 92 → 优秀, first of category 1
    assert (r["C1"].earned, r["C1"].base, r["C1"].total, r["C1"].grade, r["C1"].rank) == (
        Decimal(90), Decimal(90), Decimal(92), "优秀", 1)
    # C2: 30 + 35 + 15 = 80, −3 = 77 → 合格, rank 2, last → warning; 合格 → recommendation letter
    assert (r["C2"].total, r["C2"].grade, r["C2"].rank) == (Decimal(77), "合格", 2)
    assert r["C2"].warning and r["C2"].recommendation_letter and not r["C1"].warning
    # D1: (40 + 32) / 80 × 100 = 90, −2 serious = 88 → 良好 (a serious deduction bars 优秀 anyway)
    assert (r["D1"].applicable_points, r["D1"].base, r["D1"].total, r["D1"].grade, r["D1"].rank) == (
        Decimal(80), Decimal(90), Decimal(88), "良好", 1)
    assert r["D1"].serious
    # D2: 40 / 80 × 100 = 50 → 不合格, category 2 is never ranked
    assert (r["D2"].base, r["D2"].total, r["D2"].grade, r["D2"].rank) == (Decimal(50), Decimal(50), "不合格", None)


def test_compute_subunit_mean_via_engine(scored, people, units, subunits):
    Score.objects.filter(subunit=subunits["C1-D2"]).update(value=Decimal("13"))
    services.campaign_compute(user=people["office"], campaign=scored)
    # mean(16, 13) = 14.5 → 36 + 40 + 14.5
    assert Result.objects.get(campaign=scored, unit=units["C1"]).earned == Decimal("90.5")


def test_compute_error_names_unit_and_indicator(scored, people, units):
    Score.objects.filter(indicator__code="A2", unit=units["C2"]).update(status=ScoreStatus.DRAFT)
    with pytest.raises(ValidationError) as info:  # the completeness guard, before the engine runs
        services.campaign_compute(user=people["office"], campaign=scored)
    message = "；".join(info.value.messages)
    assert "开封市人民政府 · A2 落实决策部署（草稿未提交）" in message and "还有 1 项评分未提交" in message
    assert not Result.objects.exists()
    assert Campaign.objects.get(pk=scored.pk).status == CampaignStatus.SCORING


def test_compute_refused_for_other_offices(scored, people):
    for name in ("city_office", "other_office", "assessing"):
        with pytest.raises(PermissionDenied):
            services.campaign_compute(user=people[name], campaign=scored)


def test_results_export(scored, people):
    services.campaign_compute(user=people["office"], campaign=scored)
    sheet = load_workbook(__import__("io").BytesIO(services.results_export(user=people["office"], campaign=scored)))
    rows = list(sheet.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4
    by_unit = {row[1]: row for row in rows}
    assert by_unit["D2"][10] is None  # category 2: no rank


def test_previous_campaign_feeds_commendation(scored, people, units):
    services.campaign_compute(user=people["office"], campaign=scored)
    nxt = services.campaign_create(user=people["office"], year=2026)
    services.campaign_copy_tree(user=people["office"], source=scored, target=nxt)
    data = selectors.engine_input(nxt)
    assert {p["unit"]: p["grade"] for p in data["previous"]}["C1"] == "优秀"
