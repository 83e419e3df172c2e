"""应评价清单 — the sub-unit evaluations the office expects (seed 001 考核方案 §五(一): "各省直单位要对本系统……进行评价",
the mean counts toward the unit), the rule for a missing one, and the same rule in ``fazhi assess compute``.

Worked example (conftest ``SCORES``): B1 (20 points, per sub-unit) for 郑州 C1 is the mean of 郑州市司法局 C1-D1 16
and 郑州市公安局 C1-D2 12 = 14, so C1 = 36 + 40 + 14 = 90. Deleting C1-D2's evaluation used to move C1 silently to
36 + 40 + 16 = 92; now it stops the computation, unless the office decides (with a reason) to count it as 0
(mean 8, C1 = 84) or to leave it out of the mean (16, C1 = 92) with a note on the result.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fazhi.assessment import selectors, services
from fazhi.assessment.models import (
    Campaign,
    ExpectedEvaluation,
    Indicator,
    Method,
    MissingRule,
    Result,
    Score,
    ScoreStatus,
)
from fazhi.audit.models import AuditEvent
from fazhi.cli import main
from fazhi.core.scoring import ScoringError, compute_dict
from fazhi.io.excel import ImportFailed, build_workbook
from fazhi.orgs.models import Level, Unit, UnitKind
from fazhi.testing.lifecycle import take


def _c1_total(campaign) -> Decimal:
    return Result.objects.get(campaign=campaign, unit__code="C1").total


def _drop_c1_d2(campaign) -> None:
    Score.objects.filter(campaign=campaign, unit__code="C1", subunit__code="C1-D2").delete()


def test_start_scoring_declares_the_default_subunits(scoring):
    rows = sorted(ExpectedEvaluation.objects.filter(campaign=scoring).values_list(
        "indicator__code", "unit__code", "subunit__code"))
    assert rows == [("B1", "C1", "C1-D1"), ("B1", "C1", "C1-D2")]  # C2 has no sub-units: scored itself
    assert AuditEvent.objects.filter(action="assessment.expected_fill").count() == 1


def test_engine_input_carries_the_expected_subunits(scored):
    data = selectors.engine_input(scored)
    assert data["expected"] == [{"unit": "C1", "indicator": "B1", "subunits": ["C1-D1", "C1-D2"]}]
    assert data["settings"]["missing_subunits"] == {"rule": "block", "reason": ""}


def test_worked_example_a_missing_evaluation_no_longer_moves_the_mean(scored, people):
    take(user=people["office"], campaign=scored, action="compute")
    assert _c1_total(scored) == Decimal("90.00")
    _drop_c1_d2(scored)
    with pytest.raises(ValidationError) as exc:
        take(user=people["office"], campaign=scored, action="compute")
    message = " ".join(exc.value.messages)
    assert "缺少 1 项下级单位评价" in message and "郑州市人民政府（郑州市公安局） · B1" in message
    assert _c1_total(scored) == Decimal("90.00")  # nothing recomputed
    # the engine, fed the platform's own input, refuses the same way
    with pytest.raises(ScoringError) as err:
        compute_dict(selectors.engine_input(scored))
    assert "C1-D2" in err.value.message_zh and "B1" in err.value.message_zh
    # the progress page lists it
    missing = list(selectors.missing_evaluations(scored))
    assert [(m.unit.code, m.subunit.code, m.score_status) for m in missing] == [("C1", "C1-D2", None)]


def test_cli_enforces_the_same_rule(scored, tmp_path, capsys):
    _drop_c1_d2(scored)
    path = tmp_path / "campaign.json"
    path.write_text(json.dumps(selectors.engine_input(scored), default=str, ensure_ascii=False), encoding="utf-8")
    assert main(["assess", "compute", str(path)]) == 2
    assert "C1-D2" in capsys.readouterr().err
    old = json.loads(path.read_text(encoding="utf-8"))
    del old["expected"]  # an input from before the field: still valid, the old mean of the rows present
    old["settings"].pop("missing_subunits")
    path.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    assert main(["assess", "compute", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert next(u for u in out["units"] if u["unit"] == "C1")["total"] == "92.00"


@pytest.mark.parametrize(("rule", "total", "words"), [
    (MissingRule.ZERO, "84.00", "按0分计入平均值"),
    (MissingRule.EXCLUDE, "92.00", "不计入平均值"),
])
def test_the_office_may_count_a_missing_one_as_zero_or_leave_it_out(scored, people, client_for, rule, total, words):
    _drop_c1_d2(scored)
    with pytest.raises(ValidationError):  # a reason is required
        services.campaign_missing_rule_set(user=people["office"], campaign=scored, rule=rule, reason=" ")
    services.campaign_missing_rule_set(user=people["office"], campaign=scored, rule=rule, reason="该局机构改革撤并")
    event = AuditEvent.objects.filter(action="assessment.missing_rule").latest("pk")
    assert event.reason == "该局机构改革撤并"
    take(user=people["office"], campaign=scored, action="compute")
    scored.refresh_from_db()
    result = Result.objects.get(campaign=scored, unit__code="C1")
    assert str(result.total) == total
    note = next(n for n in result.notes if "C1-D2" in n)
    assert words in note and "该局机构改革撤并" in note
    page = client_for(people["office"]).get(reverse("assessment:result_detail", args=[scored.pk, "C1"]))
    assert note in page.content.decode()
    # the engine fed the platform's input gives the same total
    out = compute_dict(selectors.engine_input(scored))
    assert next(u for u in out["units"] if u["unit"] == "C1")["total"] == total


def test_missing_rule_refusals(scored, people):
    for who in ("city_office", "other_office", "assessing", "assessed"):
        with pytest.raises(PermissionDenied):
            services.campaign_missing_rule_set(user=people[who], campaign=scored, rule="zero", reason="理由")
    with pytest.raises(ValidationError):
        services.campaign_missing_rule_set(user=people["office"], campaign=scored, rule="drop", reason="理由")
    scored.refresh_from_db()
    assert scored.missing_subunits == MissingRule.BLOCK


def test_a_declared_subset_replaces_the_default(scoring, people, units, subunits):
    b1 = scoring.indicators.get(code="B1")
    row = ExpectedEvaluation.objects.get(campaign=scoring, unit=units["C1"], subunit=subunits["C1-D2"])
    with pytest.raises(ValidationError):  # after scoring started, a reason is required
        services.expected_remove(user=people["office"], expected=row)
    services.expected_remove(user=people["office"], expected=row, reason="该局本年度不参与评价")
    keys = [c.key for c in selectors.campaign_cells(scoring, [b1])]
    assert keys == [(b1.pk, units["C1"].pk, subunits["C1-D1"].pk), (b1.pk, units["C2"].pk, None)]
    space = selectors.CellSpace(scoring, [b1])
    assert space.total == 2 and space.keys(0, 2) == keys
    # a provincial department evaluating its own system in the city (§五(一)) may be declared as well
    services.expected_add(user=people["office"], campaign=scoring, indicator=b1, unit=units["C2"],
                          subunit=units["D1"])
    assert selectors.expected_input(scoring) == [
        {"unit": "C1", "indicator": "B1", "subunits": ["C1-D1"]},
        {"unit": "C2", "indicator": "B1", "subunits": ["D1"]}]
    assert selectors.CellSpace(scoring, [b1]).total == 2


def test_expected_add_refusals(scoring, people, units, subunits):
    b1 = scoring.indicators.get(code="B1")
    a1 = scoring.indicators.get(code="A1")

    def add(user="office", indicator=b1, unit="C2", subunit="D1"):
        return services.expected_add(user=people[user], campaign=scoring, indicator=indicator, unit=units[unit],
                                     subunit=units[subunit])

    for who in ("city_office", "other_office", "assessing", "assessed", "approver"):
        with pytest.raises(PermissionDenied):
            add(user=who)
    with pytest.raises(ValidationError, match="不按下级单位评分"):
        add(indicator=a1)
    with pytest.raises(ValidationError, match="不适用"):
        add(unit="D1", subunit="C1-D1")  # B1 is for category 1 only
    with pytest.raises(ValidationError, match="管理范围"):
        add(subunit="P2")  # another province's unit: another level's tree
    with pytest.raises(ValidationError, match="本身"):
        add(subunit="C2")
    with pytest.raises(ValidationError, match="已在"):
        add(unit="C1", subunit="C1-D1")
    assert ExpectedEvaluation.objects.filter(campaign=scoring).count() == 2


def test_an_evaluation_with_a_score_stays_on_the_list(scored, people, units, subunits):
    row = ExpectedEvaluation.objects.get(campaign=scored, unit=units["C1"], subunit=subunits["C1-D2"])
    with pytest.raises(ValidationError, match="已有评分"):
        services.expected_remove(user=people["office"], expected=row, reason="理由")


def test_the_list_is_closed_once_computed(scored, people, units):
    take(user=people["office"], campaign=scored, action="compute")
    scored.refresh_from_db()
    with pytest.raises(ValidationError):
        services.expected_add(user=people["office"], campaign=scored, indicator=scored.indicators.get(code="B1"),
                              unit=units["C2"], subunit=units["D1"])


def _sheet(rows) -> bytes:
    return build_workbook("应评价清单", services.expected_columns(), rows)


def test_import_replaces_the_cells_in_the_file_all_or_nothing(scoring, people, units):
    before = sorted(ExpectedEvaluation.objects.filter(campaign=scoring).values_list("unit__code", "subunit__code"))
    bad = _sheet([
        {"indicator": "B1", "unit": "C2", "subunits": "D1"},          # row 2: fine
        {"indicator": "A1", "unit": "C1", "subunits": "C1-D1"},       # row 3: not per sub-unit
        {"indicator": "B1", "unit": "C1", "subunits": "C1-D1、P2"},    # row 4: another province's unit
        {"indicator": "ZZ", "unit": "C1", "subunits": "C1-D1"},       # row 5: unknown indicator
        {"indicator": "B1", "unit": "C2", "subunits": "C1-D1"},       # row 6: same cell as row 2
    ])
    with pytest.raises(ImportFailed) as exc:
        services.expected_import(user=people["office"], campaign=scoring, data=bad)
    found = {(e.row, e.column) for e in exc.value.errors}
    assert found == {(3, "指标编号"), (4, "下级单位编码"), (5, "指标编号"), (6, "考核对象编码")}
    assert all(str(e).startswith("第") for e in exc.value.errors)  # row and column in each message
    assert sorted(ExpectedEvaluation.objects.filter(campaign=scoring).values_list(
        "unit__code", "subunit__code")) == before
    good = _sheet([{"indicator": "B1", "unit": "C2", "subunits": "D1"},
                   {"indicator": "B1", "unit": "C1", "subunits": "C1-D1"}])
    assert services.expected_import(user=people["office"], campaign=scoring, data=good) == {
        "cells": 2, "added": 1, "removed": 1}
    assert sorted(ExpectedEvaluation.objects.filter(campaign=scoring).values_list(
        "unit__code", "subunit__code")) == [("C1", "C1-D1"), ("C2", "D1")]
    with pytest.raises(PermissionDenied):
        services.expected_import(user=people["city_office"], campaign=scoring, data=good)


def test_import_refuses_to_drop_a_scored_evaluation(scored, people):
    sheet = _sheet([{"indicator": "B1", "unit": "C1", "subunits": "C1-D1"}])
    with pytest.raises(ImportFailed) as exc:
        services.expected_import(user=people["office"], campaign=scored, data=sheet)
    assert [(e.row, e.column) for e in exc.value.errors] == [(2, "下级单位编码")]
    assert ExpectedEvaluation.objects.filter(campaign=scored).count() == 2


def test_export_reads_back(scoring, people):
    data = services.expected_export(user=people["office"], campaign=scoring)
    assert services.expected_import(user=people["office"], campaign=scoring, data=data) == {
        "cells": 1, "added": 0, "removed": 0}


def test_pages_by_role(scored, people, client_for):
    url = reverse("assessment:expected_evaluations", args=[scored.pk])
    office = client_for(people["office"])
    page = office.get(url)
    assert page.status_code == 200 and "郑州市公安局" in page.content.decode()
    assert client_for(people["city_office"]).get(url).status_code == 404
    assert client_for(people["other_office"]).get(url).status_code == 404
    assert client_for(people["assessing"]).get(url).status_code == 403
    assert client_for(people["assessed"]).get(url).status_code == 403
    _drop_c1_d2(scored)
    progress = office.get(reverse("assessment:progress", args=[scored.pk])).content.decode()
    assert "郑州市公安局" in progress and "未评分" in progress
    # the rule through the page: no reason, refused and unchanged
    response = office.post(url, {"op": "rule", "rule": "zero", "reason": ""})
    assert response.status_code == 400
    assert Campaign.objects.get(pk=scored.pk).missing_subunits == MissingRule.BLOCK
    response = office.post(url, {"op": "rule", "rule": "exclude", "reason": "撤并"})
    assert response.status_code == 302
    assert Campaign.objects.get(pk=scored.pk).missing_subunits == MissingRule.EXCLUDE
    # a city office cannot post to the province's list
    assert client_for(people["city_office"]).post(url, {"op": "rule", "rule": "block"}).status_code == 404


def test_demo_style_fill_is_idempotent(scoring, people):
    assert services.expected_fill_defaults(user=people["office"], campaign=scoring) == 0


@pytest.mark.parametrize("size", [2, 12])
def test_list_pages_query_count_is_constant(scoring, people, units, client_for, django_assert_max_num_queries,
                                            size):
    """The 应评价清单 and the progress page (with its missing list) at two sizes under one bound."""
    b1 = scoring.indicators.get(code="B1")
    for i in range(size):
        city = Unit.objects.create(code=f"Q{i:02d}", name=f"测试市{i:02d}", level=Level.CITY,
                                   kind=UnitKind.GOVERNMENT, parent=units["P"], category=1)
        scoring.units.create(unit=city, category=1)
        for k in range(3):
            sub = Unit.objects.create(code=f"Q{i:02d}-D{k}", name=f"测试市{i:02d}部门{k}", level=Level.CITY,
                                      kind=UnitKind.DEPARTMENT, parent=city, category=4)
            ExpectedEvaluation.objects.create(campaign=scoring, indicator=b1, unit=city, subunit=sub)
            if k == 0:
                Score.objects.create(campaign=scoring, indicator=b1, unit=city, subunit=sub, value=Decimal(3),
                                     status=ScoreStatus.DRAFT)
    leaf = Indicator.objects.create(campaign=scoring, code=f"S{size}", title="另一项", points=Decimal(1),
                                    method=Method.DAILY, categories=[1], allow_subunits=True, sort=50)
    leaf.assessing_units.set([units["D1"]])
    client = client_for(people["office"])
    for name in ("assessment:expected_evaluations", "assessment:progress"):
        with django_assert_max_num_queries(40):
            response = client.get(reverse(name, args=[scoring.pk]))
        assert response.status_code == 200


def test_every_change_of_the_list_is_audited(scoring, people, units, subunits):
    b1 = scoring.indicators.get(code="B1")
    services.expected_add(user=people["office"], campaign=scoring, indicator=b1, unit=units["C2"],
                          subunit=units["D1"])
    row = ExpectedEvaluation.objects.get(campaign=scoring, unit=units["C2"])
    services.expected_remove(user=people["office"], expected=row, reason="误加")
    services.expected_import(user=people["office"], campaign=scoring, data=_sheet(
        [{"indicator": "B1", "unit": "C2", "subunits": "D1"}]))
    actions = list(AuditEvent.objects.filter(action__startswith="assessment.expected").order_by("pk")
                   .values_list("action", "reason"))
    assert actions == [("assessment.expected_fill", ""), ("assessment.expected_add", ""),
                       ("assessment.expected_remove", "误加"), ("assessment.expected_import", "")]
