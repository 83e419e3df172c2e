"""A visit's draw is published like a review's (``fazhi.draws``): the sizes are recorded with it, the population
and drawn files download for whoever sees the sample (the unit only once the visit is completed) and redraw
through ``fazhi sample verify``; an empty population or a short stratum is said before drawing, and the record
refuses bulk writes too. The migration that adds the sizes fills them for samples drawn before."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from fazhi.audit.models import AuditEvent
from fazhi.fieldwork import services
from fazhi.fieldwork.models import FieldVisit, VisitSample


@pytest.mark.django_db
def test_sizes_recorded_and_files_redraw_with_the_cli(visit, people, field_user, client_for, tmp_path):
    sample = services.sample_draw(user=people["office"], visit=visit, seed="公开-2025", confirm_size=6)
    assert sample.k == "department=2,government=1"
    office = client_for(people["office"])
    for which in ("population", "drawn"):
        response = office.get(reverse(f"fieldwork:{which}", args=[visit.pk]))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
        (tmp_path / f"{which}.txt").write_bytes(response.content)
    downloads = AuditEvent.objects.filter(action="export.download", actor=people["office"])
    assert sorted(downloads.values_list("after__what", flat=True)) == ["drawn", "population"]
    result = subprocess.run(
        [sys.executable, "-m", "fazhi.cli", "sample", "verify", "--seed", sample.seed, "-k", sample.k, "--digest",
         sample.population_digest, str(tmp_path / "population.txt"), "--drawn", str(tmp_path / "drawn.txt")],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "3 of 6" in result.stdout
    page = office.get(reverse("fieldwork:detail", args=[visit.pk])).content.decode()
    assert "fazhi sample verify --seed" in page and "-k department=2,government=1" in page
    assert client_for(field_user).get(reverse("fieldwork:population", args=[visit.pk])).status_code == 200


@pytest.mark.django_db
def test_files_refused_to_the_unit_before_completion_and_to_everyone_else(visit, people, client_for):
    services.sample_draw(user=people["office"], visit=visit, seed="s", confirm_size=6)
    url = reverse("fieldwork:population", args=[visit.pk])
    for who in ("assessed", "assessed_c2", "other_office", "city_office", "expert", "survey"):
        assert client_for(people[who]).get(url).status_code in (403, 404), who
    assert client_for(None).get(url).status_code == 302  # to the login page
    services.visit_complete(user=people["office"], visit=visit)
    assert client_for(people["assessed"]).get(url).status_code == 200
    assert client_for(people["assessed_c2"]).get(url).status_code == 404


@pytest.mark.django_db
def test_no_file_before_the_draw(visit, people, client_for):
    assert client_for(people["office"]).get(reverse("fieldwork:drawn", args=[visit.pk])).status_code == 404


@pytest.mark.django_db
def test_empty_population_is_said_and_refused(campaign, people, units, team, client_for):
    today = timezone.localdate()
    lonely = services.visit_create(user=people["office"], campaign=campaign, indicator=campaign.indicators.get(code="T1"),
                                   unit=units["C2"], team_unit=team, start_date=today + dt.timedelta(days=3),
                                   end_date=today + dt.timedelta(days=4), required_count=5)
    office = client_for(people["office"])
    url = reverse("fieldwork:draw", args=[lonely.pk])
    page = office.get(url).content.decode()
    assert "draw-warnings" in page and "没有下属部门或下级政府可供抽取" in page
    assert 'name="confirm"' not in page  # nothing to confirm
    response = office.post(url, {"confirm": "yes", "size": "0"})
    assert response.status_code == 400 and "不能抽样" in response.content.decode()
    assert not VisitSample.objects.exists()
    assert FieldVisit.objects.get(pk=lonely.pk).status == "planned"
    assert not AuditEvent.objects.filter(action__startswith="fieldwork.population_fix").exists()


@pytest.mark.django_db
def test_short_stratum_is_warned_then_drawn_whole(visit, people, client_for):
    FieldVisit.objects.filter(pk=visit.pk).update(governments_k=5)
    page = client_for(people["office"]).get(reverse("fieldwork:draw", args=[visit.pk])).content.decode()
    assert "下级政府只有 3 个，少于要抽取的 5 个" in page
    sample = services.sample_draw(user=people["office"], visit=FieldVisit.objects.get(pk=visit.pk), seed="s")
    assert sample.k == "department=2,government=5" and sample.drawn.count("government\t") == 3


@pytest.mark.django_db
def test_the_record_refuses_bulk_update_and_delete(visit, people):
    sample = services.sample_draw(user=people["office"], visit=visit, seed="s")
    with pytest.raises(ValidationError):
        VisitSample.objects.filter(pk=sample.pk).update(seed="x")
    with pytest.raises(ValidationError):
        VisitSample.objects.filter(pk=sample.pk).delete()
    with pytest.raises(ValidationError):
        sample.delete()
    assert VisitSample.objects.get().seed == "s"


@pytest.mark.django_db(transaction=True)
def test_migration_fills_the_sizes_of_earlier_samples(campaign, people, units, team, children):
    before = [("fieldwork", "0001_initial")]
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    today = timezone.localdate()
    visit = old.get_model("fieldwork", "FieldVisit").objects.create(
        campaign_id=campaign.pk, indicator_id=campaign.indicators.get(code="T1").pk, unit_id=units["C1"].pk,
        team_unit_id=team.pk, start_date=today, end_date=today, required_count=3, departments_k=1, governments_k=3,
        status="sampled")
    old.get_model("fieldwork", "VisitSample").objects.create(
        visit_id=visit.pk, algorithm="sha256-rank-v1", seed="old", population="department\tC1-D1\n",
        population_size=1, population_digest="0" * 64, drawn="department\tC1-D1\n")
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    sample = VisitSample.objects.get(visit_id=visit.pk)
    assert sample.k == "department=1,government=3" and sample.seed == "old"


@pytest.mark.django_db
def test_population_recorded_before_the_seed_and_fixed_after(visit, people, units):
    from fazhi.orgs.models import Level, Unit, UnitKind

    sample = services.sample_draw(user=people["office"], visit=visit, seed="before-after")
    fix, draw = (AuditEvent.objects.get(action=f"fieldwork.{a}") for a in ("population_fix", "sample_draw"))
    assert fix.pk < draw.pk and "seed" not in fix.after  # the population's fingerprint, before any seed
    assert fix.after["population_digest"] == sample.population_digest == draw.after["population_digest"]
    assert draw.after["seed"] == "before-after" and draw.after["k"] == "department=2,government=1"
    # a department created after the draw changes nothing that was drawn or published
    Unit.objects.create(code="C1-D9", name="郑州市新设局", level=Level.CITY, kind=UnitKind.DEPARTMENT, parent=units["C1"])
    assert VisitSample.objects.get(pk=sample.pk).population == sample.population
    assert "C1-D9" not in sample.population and "C1-D9" in "".join(i.id for i in services.population_items(visit))
