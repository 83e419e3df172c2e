"""满意度测评: imports of each kind all-or-nothing with row and column (duplicates, outside units refused), the
institute sees only its own imports, 社情民意 joins from the portal, the formula's worked example written through
the score service, and the refusals of every other role."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fazhi.assessment import services as assessment_services
from fazhi.assessment.models import Indicator, Method, Score
from fazhi.audit.models import AuditEvent
from fazhi.io.excel import ImportFailed, build_workbook
from fazhi.orgs.models import Level, Role, Unit, UnitKind
from fazhi.portal import services as portal_services
from fazhi.surveys import services
from fazhi.surveys.models import ImportBatch, SurveyResult
from fazhi.testing.lifecycle import take

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(units, people):
    campaign = assessment_services.campaign_create(user=people["office"], year=dt.date.today().year)
    s1 = Indicator.objects.create(campaign=campaign, code="S1", title="群众满意度", points=Decimal(5),
                                  method=Method.SURVEY, categories=[1], sort=1)
    s1.assessing_units.set([units["X1"]])
    a1 = Indicator.objects.create(campaign=campaign, code="A1", title="其他", points=Decimal(95), method=Method.DAILY,
                                  categories=[1], sort=2)
    a1.assessing_units.set([units["D1"]])
    take(user=people["office"], campaign=campaign, action="start_scoring")
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def survey_round(campaign, people, units):
    return services.round_create(user=people["office"], campaign=campaign, indicator=campaign.indicators.get(code="S1"),
                                 institute=units["X1"], title="2025年度群众满意度测评")


@pytest.fixture
def other_institute(units, make_user):
    unit = Unit.objects.create(code="X2", name="另一调查机构", level=Level.PROVINCE, kind=UnitKind.THIRD_PARTY,
                               parent=units["P"])
    return make_user("survey_b", Role.SURVEY, unit)


def _xlsx(kind, rows):
    return build_workbook("数据", services.columns(kind), rows)


ZZ, KF = "郑州市人民政府", "开封市人民政府"


def _load_example(survey_round, user):
    services.data_import(user=user, survey_round=survey_round, kind="survey", filename="问卷.xlsx", data=_xlsx("survey", [
        {"unit": ZZ, "mode": "电话调查", "sample_size": 400, "score": 88, "margin": 3.1},
        {"unit": ZZ, "mode": "网络调查", "sample_size": 100, "score": 78, "margin": 5.2},
        {"unit": KF, "mode": "电话调查", "sample_size": 300, "score": 80, "margin": 3.5}]))
    services.data_import(user=user, survey_round=survey_round, kind="mystery", filename="暗访.xlsx", data=_xlsx("mystery", [
        {"unit": ZZ, "visited_on": "2025-10-09", "place": "市民之家", "score": 90, "note": ""}]))
    services.data_import(user=user, survey_round=survey_round, kind="rating", filename="好差评.xlsx", data=_xlsx("rating", [
        {"unit": ZZ, "good": 950, "neutral": 30, "bad": 20}, {"unit": KF, "good": 90, "neutral": 5, "bad": 5}]))


def test_import_all_or_nothing_with_row_and_column(survey_round, people):
    bad = _xlsx("survey", [
        {"unit": ZZ, "mode": "电话调查", "sample_size": 400, "score": 88, "margin": 3},
        {"unit": ZZ, "mode": "电话调查", "sample_size": 100, "score": 78, "margin": 5},  # duplicate unit + mode
        {"unit": "省司法厅", "mode": "电话调查", "sample_size": 100, "score": 78, "margin": 5},  # not assessed by S1
        {"unit": KF, "mode": "信件", "sample_size": 100, "score": 108, "margin": 5},  # bad mode and score
    ])
    with pytest.raises(ImportFailed) as failed:
        services.data_import(user=people["survey"], survey_round=survey_round, kind="survey", data=bad)
    text = [str(e) for e in failed.value.errors]
    assert any("第3行" in t and "考核对象" in t and "第2行重复" in t for t in text), text
    assert any("第4行" in t and "省司法厅" in t for t in text), text
    assert any("第5行" in t and "调查方式" in t for t in text), text
    assert any("第5行" in t and "满意度得分" in t for t in text), text
    assert not SurveyResult.objects.exists() and not ImportBatch.objects.exists()
    _load_example(survey_round, people["survey"])
    with pytest.raises(ImportFailed, match="已经导入过"):  # the same data twice
        services.data_import(user=people["survey"], survey_round=survey_round, kind="rating",
                             data=_xlsx("rating", [{"unit": KF, "good": 1, "neutral": 0, "bad": 0}]))


def test_only_the_named_institute_imports_and_sees_its_imports(survey_round, people, other_institute, client_for):
    _load_example(survey_round, people["survey"])
    with pytest.raises(PermissionDenied):
        services.data_import(user=other_institute, survey_round=survey_round, kind="rating", data=b"")
    with pytest.raises(PermissionDenied):
        services.data_import(user=people["office"], survey_round=survey_round, kind="rating", data=b"")
    url = reverse("surveys:detail", args=[survey_round.pk])
    assert client_for(other_institute).get(url).status_code == 404
    assert client_for(people["assessed"]).get(url).status_code == 403
    assert client_for(people["public"]).get(url).status_code == 403
    assert client_for(people["other_office"]).get(url).status_code == 404
    own = client_for(people["survey"]).get(url).content.decode()
    assert "问卷.xlsx" in own and "好差评.xlsx" in own
    office = client_for(people["office"]).get(url).content.decode()
    # the inputs beside the resulting score: no opinion here, so O = 100 → 43 + 18 + 19 + 10 = 90 → 4.50
    assert "问卷.xlsx" in office and "<strong>4.50</strong>" in office and "n=400" in office


def test_worked_example_with_opinions_written_through_the_score_service(survey_round, people, units):
    for text in ("窗口办事排长队。", "审批材料要求反复提交。"):
        opinion = portal_services.opinion_submit(text=text, about_unit=units["C1"], ip="192.0.2.5")
        portal_services.opinion_moderate(user=people["office"], opinion=opinion, status="approved")
    pending = portal_services.opinion_submit(text="未审核的意见不计入。", about_unit=units["C1"], ip="192.0.2.6")
    assert pending.status == "pending"
    _load_example(survey_round, people["survey"])
    rows = {r["unit"].code: r for r in services.unit_inputs(survey_round)}
    # 郑州: S = (400×88 + 100×78)/500 = 86, M = 90, G = 95, O = 100 − 5×2 = 90 → 89 → 5 × 0.89 = 4.45
    assert rows["C1"]["opinions"] == 2 and rows["C1"]["value"] == Decimal("4.45")
    # 开封: S = 80, no visit, G = 90, O = 100 → (0.5×80 + 0.2×90 + 0.1×100)/0.8 = 85 → 4.25
    assert rows["C2"]["value"] == Decimal("4.25")
    assert next(s for s in rows["C2"]["steps"] if s.code == "satisfaction.composite").params["missing"] == ["mystery"]
    with pytest.raises(PermissionDenied):
        services.indicator_write(user=people["office"], survey_round=survey_round)
    assert services.indicator_write(user=people["survey"], survey_round=survey_round) == 2
    scores = {s.unit.code: s for s in Score.objects.filter(indicator=survey_round.indicator).select_related("unit")}
    assert scores["C1"].value == Decimal("4.45") and "社情民意 O = 100 − 5 × 2 = 90" in scores["C1"].reason
    assert AuditEvent.objects.filter(action="surveys.indicator_write").exists()


def test_a_unit_without_data_is_a_gap(survey_round, people):
    services.data_import(user=people["survey"], survey_round=survey_round, kind="rating",
                         data=_xlsx("rating", [{"unit": ZZ, "good": 9, "neutral": 1, "bad": 0}]))
    with pytest.raises(ValidationError, match="开封市人民政府"):
        services.indicator_write(user=people["survey"], survey_round=survey_round)
    assert not Score.objects.filter(indicator=survey_round.indicator).exists()


def test_weights_must_sum_to_one(campaign, people, units):
    with pytest.raises(ValidationError, match="权重之和"):
        services.round_create(user=people["office"], campaign=campaign, indicator=campaign.indicators.get(code="S1"),
                              institute=units["X1"], title="x", weights={"survey": "0.9"})


def test_import_page_shows_errors(survey_round, people, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _xlsx("rating", [{"unit": "不存在的单位", "good": 1, "neutral": 0, "bad": 0}])
    response = client_for(people["survey"]).post(reverse("surveys:import", args=[survey_round.pk, "rating"]),
                                                 {"file": SimpleUploadedFile("r.xlsx", data)})
    assert response.status_code == 400 and "不存在的单位" in response.content.decode()
    assert client_for(people["survey"]).get(reverse("surveys:template", args=[survey_round.pk, "mystery"])
                                            ).status_code == 200


def test_opinions_come_through_the_hook_and_without_a_source_are_not_counted(survey_round, people, units,
                                                                              monkeypatch, client_for):
    """The portal registers its count of accepted opinions (surveys never imports the portal); with no source
    registered 社情民意 is "not collected": left out of the formula and said so, never taken as 0 opinions."""
    from fazhi.portal import selectors as portal_selectors
    from fazhi.surveys import hooks

    assert portal_selectors.accepted_opinion_counts in hooks._SOURCES
    opinion = portal_services.opinion_submit(text="窗口办事排长队。", about_unit=units["C1"], ip="192.0.2.5")
    portal_services.opinion_moderate(user=people["office"], opinion=opinion, status="approved")
    _load_example(survey_round, people["survey"])
    assert {r["unit"].code: r["opinions"] for r in services.unit_inputs(survey_round)} == {"C1": 1, "C2": 0}
    monkeypatch.setattr(hooks, "_SOURCES", [])
    rows = {r["unit"].code: r for r in services.unit_inputs(survey_round)}
    assert rows["C1"]["opinions"] is None
    composite = next(s for s in rows["C1"]["steps"] if s.code == "satisfaction.composite")
    assert composite.params["missing"] == ["opinion"]
    page = client_for(people["office"]).get(reverse("surveys:detail", args=[survey_round.pk])).content.decode()
    assert "缺少：社情民意" in page
    client = client_for(people["office"])
    client.cookies["django_language"] = "en"
    english = client.get(reverse("surveys:detail", args=[survey_round.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "missing: Public opinion" in english and "缺少" not in english


def test_api_office_and_institute_see_results_institute_only_its_imports(survey_round, people, other_institute,
                                                                         client_for):
    """The API checks the same policies as the pages: the office every input and the calculation, the named
    institute its round and its own batches only, everyone else nothing."""
    _load_example(survey_round, people["survey"])
    office = client_for(people["office"])
    assert [r["id"] for r in office.get("/api/surveys/rounds/").json()["results"]] == [survey_round.pk]
    results = {r["unit"]: r for r in office.get(f"/api/surveys/rounds/{survey_round.pk}/results/").json()["results"]}
    assert results["C1"]["value"] == "4.50" and results["C1"]["ratings"] == 1000
    assert [s["sample_size"] for s in results["C1"]["surveys"]] == [400, 100]
    assert results["C1"]["steps"][-1] == {"code": "satisfaction.value",
                                          "params": {"points": "5", "composite": "90", "value": "4.5"},
                                          "text": "5 × 90 ÷ 100 = 4.5"}
    institute = client_for(people["survey"])
    batches = institute.get(f"/api/surveys/rounds/{survey_round.pk}/batches/").json()["results"]
    assert {b["filename"] for b in batches} == {"问卷.xlsx", "好差评.xlsx", "暗访.xlsx"}
    assert institute.get(f"/api/surveys/rounds/{survey_round.pk}/results/").status_code == 200
    # a batch another institute's account imported (e.g. before the round was given to X1) stays hidden from X1
    ImportBatch.objects.filter(filename="暗访.xlsx").update(imported_by_unit=other_institute.unit)
    assert len(institute.get(f"/api/surveys/rounds/{survey_round.pk}/batches/").json()["results"]) == 2
    assert len(office.get(f"/api/surveys/rounds/{survey_round.pk}/batches/").json()["results"]) == 3
    for who in (other_institute, people["assessed"], people["other_office"], people["city_office"],
                people["expert"], people["public"]):
        client = client_for(who)
        assert client.get("/api/surveys/rounds/").json()["results"] == []
        for tail in ("", "results/", "batches/"):
            assert client.get(f"/api/surveys/rounds/{survey_round.pk}/{tail}").status_code == 404
    assert client_for(None).get("/api/surveys/rounds/").status_code == 401


def test_rating_and_mystery_imports_all_or_nothing_with_row_and_column(survey_round, people):
    """好差评 and 神秘办事人 as the survey results: a duplicate in the file, a unit outside the campaign (another
    province), a unit the indicator does not apply to, a bad number or date — every error with row and column,
    nothing imported."""
    bad = _xlsx("rating", [
        {"unit": ZZ, "good": 950, "neutral": 30, "bad": 20},
        {"unit": ZZ, "good": 10, "neutral": 0, "bad": 0},  # the same unit twice
        {"unit": "另一省人民政府", "good": 5, "neutral": 0, "bad": 0},  # not in the campaign at all
        {"unit": "省司法厅", "good": 5, "neutral": 0, "bad": 0},  # in the campaign, not assessed by S1
        {"unit": KF, "good": -3, "neutral": "很多", "bad": 0},  # not counts
    ])
    with pytest.raises(ImportFailed) as failed:
        services.data_import(user=people["survey"], survey_round=survey_round, kind="rating", data=bad)
    text = [str(e) for e in failed.value.errors]
    assert any("第3行" in t and "重复" in t for t in text), text
    assert any("第4行" in t and "另一省人民政府" in t for t in text), text
    assert any("第5行" in t and "省司法厅" in t for t in text), text
    assert any("第6行" in t and "好评数" in t for t in text), text
    assert any("第6行" in t and "中评数" in t for t in text), text
    mystery = _xlsx("mystery", [
        {"unit": ZZ, "visited_on": "2025-10-09", "place": "市民之家", "score": 90, "note": ""},
        {"unit": ZZ, "visited_on": "2025-10-09", "place": "市民之家", "score": 80, "note": ""},  # same visit
        {"unit": KF, "visited_on": "十月九日", "place": "政务大厅", "score": 101, "note": ""},  # bad date, score
    ])
    with pytest.raises(ImportFailed) as failed:
        services.data_import(user=people["survey"], survey_round=survey_round, kind="mystery", data=mystery)
    text = [str(e) for e in failed.value.errors]
    assert any("第3行" in t and "重复" in t for t in text), text
    assert any("第4行" in t and "暗访日期" in t for t in text), text
    assert any("第4行" in t and "暗访得分" in t for t in text), text
    assert not ImportBatch.objects.exists() and not AuditEvent.objects.filter(action="surveys.import").exists()
