"""``fazhi demo_scale`` at a small size, on top of the loaded demo: what it makes is a consistent province
(tree paths, campaigns the engine accepts, worklists for the demo ``assessing`` account, searchable reports),
it refuses to run twice or with nonsense sizes, and it needs the demo first."""

import io

import pytest
from django.core.management import CommandError, call_command

SIZE = {"units": 120, "indicators": 24, "reports": 150, "years": 2}


@pytest.fixture(scope="module")
def scaled_db(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
        out = io.StringIO()
        call_command("demo_scale", stdout=out, **SIZE)
        yield out.getvalue()
        from django.db import connection

        call_command("flush", interactive=False, verbosity=0)
        connection.close()


@pytest.mark.django_db
def test_units_form_a_province_tree(scaled_db):
    from fazhi.orgs.models import Unit

    scaled = list(Unit.objects.filter(code__startswith="SC-").select_related("parent"))
    assert len(scaled) == SIZE["units"]
    assert all(u.category and u.is_demo for u in scaled)
    assert all(u.path == u.parent.path + f"{u.pk:08d}" for u in scaled)
    kinds = {(u.level, u.kind) for u in scaled}
    assert {("county", "government"), ("city", "department"), ("county", "department")} <= kinds
    # every city has departments or counties to be scored per sub-unit
    province = Unit.objects.get(code="410000")
    for city in Unit.objects.filter(parent=province, category=1):
        assert Unit.objects.filter(parent=city, code__startswith="SC-").exists(), city


@pytest.mark.django_db
def test_campaigns_current_scoring_and_previous_published_from_submitted_scores(scaled_db):
    from fazhi.assessment import selectors
    from fazhi.assessment.models import Campaign, CampaignStatus, Result, Score, ScoreStatus

    campaigns = list(Campaign.objects.filter(name__contains="规模化演示").order_by("year"))
    assert len(campaigns) == SIZE["years"]
    published, current = campaigns
    assert published.status == CampaignStatus.PUBLISHED and published.frozen
    assert current.status == CampaignStatus.SCORING and not current.frozen
    assert current.indicators.filter(points__isnull=False).count() == SIZE["indicators"]
    # the published results are the engine's, from every cell submitted
    cells = selectors.campaign_cells(published)
    assert Score.objects.filter(campaign=published, status=ScoreStatus.SUBMITTED).count() == len(cells)
    assert Result.objects.filter(campaign=published).count() == published.units.count()
    # sub-unit evaluations make the cell count larger than units × leaves
    assert any(c.subunit for c in cells)
    # the current one is nearly all scored, some drafts left
    current_cells = selectors.campaign_cells(current)
    scored = Score.objects.filter(campaign=current)
    assert 0.9 * len(current_cells) <= scored.count() < len(current_cells)
    assert scored.filter(status=ScoreStatus.DRAFT).exists()
    assert scored.filter(evidence__isnull=False).exists()


@pytest.mark.django_db
def test_judicial_department_scores_about_a_third_of_the_leaves(scaled_db, client):
    from fazhi.assessment.models import Campaign
    from fazhi.orgs.models import User

    current = Campaign.objects.filter(name__contains="规模化演示").order_by("-year").first()
    assessing = User.objects.get(username="assessing")
    leaves = current.indicators.filter(points__isnull=False)
    mine = leaves.filter(assessing_units=assessing.unit).count()
    assert assessing.unit.name == "省司法厅"
    assert abs(mine - leaves.count() / 3) <= 1
    client.force_login(assessing)
    response = client.get(f"/assessment/scoring/{current.pk}/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_reports_published_searchable_and_indexed_as_one_would(scaled_db):
    from fazhi.portal import search
    from fazhi.reports.models import AnnualReport

    reports = AnnualReport.objects.published().filter(title__contains="规模化演示")
    assert reports.count() == SIZE["reports"]
    sample = reports.order_by("pk").first()
    assert 4000 <= len(sample.clean_text) <= 9000
    hits = search.search_reports("行政复议 纠错率")
    assert any("规模化演示" in r.title for r in hits)
    for report in reports.order_by("?")[:5]:
        text = f"{report.title}\n{report.clean_text}"
        assert search.index_text(text) == search.index_text_uncached(text)


@pytest.mark.django_db
def test_refuses_a_second_run_and_nonsense_sizes(scaled_db):
    from fazhi.orgs.models import Unit

    before = Unit.objects.count()
    with pytest.raises(CommandError, match="已有规模化演示数据"):
        call_command("demo_scale", units=10, indicators=5, stdout=io.StringIO())
    assert Unit.objects.count() == before
    with pytest.raises(CommandError, match="--units 0"):
        call_command("demo_scale", units=0, indicators=5, stdout=io.StringIO())
    with pytest.raises(CommandError, match="--indicators 9999"):
        call_command("demo_scale", units=10, indicators=9999, stdout=io.StringIO())
