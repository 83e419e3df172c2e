"""``fazhi demo_scale``: add a province-sized data set to the loaded demo (issue: province scale).

N assessed units (counties and departments under the demo cities, departments under the counties, more
provincial units), M indicator leaves in each of the scaled province's campaigns (Y years: the current one in
scoring, the others published), a plan with tasks and progress, and R published annual reports in the search
index. Each app adds its part through ``fazhi.<app>.demo_scale.scale(ctx=...)`` (as ``load_demo`` does with
``demo.load``), in one transaction: it all goes in, or nothing does.
"""

import importlib
import random
import time
from types import SimpleNamespace

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from fazhi.orgs import demo, demo_scale
from fazhi.orgs.context_processors import DEMO_CACHE_KEY
from fazhi.orgs.models import Unit, User

#: Apps that add scaled data, in order (assessment makes the campaigns the plan and reports refer to).
SCALE_APPS = ["assessment", "plans", "reports"]
LIMITS = {"units": (1, 20000), "indicators": (1, 500), "reports": (0, 200000), "years": (1, 20)}


class Command(BaseCommand):
    help = "Add a province-sized data set to the demo: --units N --indicators M --reports R [--years Y]."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, required=True, help="assessed units to add (1–20000)")
        parser.add_argument("--indicators", type=int, required=True, help="indicator leaves per campaign (1–500)")
        parser.add_argument("--reports", type=int, default=0, help="published annual reports to add (0–200000)")
        parser.add_argument("--years", type=int, default=2,
                            help="campaigns of the scaled province: the current one plus Y-1 published (1–20)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (the same seed, the same data)")

    def handle(self, *args, **options):
        for name, (low, high) in LIMITS.items():
            value = options[name]
            if not low <= value <= high:
                raise CommandError(f"--{name} {value}: 应在 {low}–{high} 之间 / must be between {low} and {high}")
        if demo_scale.already_scaled():
            raise CommandError("数据库中已有规模化演示数据，不再重复生成 / the database already holds a scaled "
                               "province (units with codes SC-…); load it into a fresh database to change the size")
        if not Unit.objects.filter(code="410000").exists() or not User.objects.filter(username="office").exists():
            raise CommandError("请先载入演示数据（fazhi load_demo）/ load the demo first: fazhi load_demo")
        started = time.monotonic()
        with transaction.atomic():
            units = {u.code: u for u in Unit.objects.filter(is_demo=True).exclude(code__startswith="SC-")}
            people = {p.username: p for p in User.objects.filter(username__in=list(demo.DEMO_PEOPLE))}
            rng = random.Random(options["seed"])
            cities = sorted((u for u in units.values() if u.parent_id == units["410000"].pk and u.category == 1),
                            key=lambda u: u.sort_order)
            scaled = demo_scale.build(n=options["units"], province=units["410000"], cities=cities, rng=rng)
            self.stdout.write(f"  orgs: {len(scaled.all)} units ({len(scaled.provincial)} provincial, "
                              f"{len(scaled.counties)} counties, {len(scaled.city_departments)} city departments, "
                              f"{len(scaled.county_departments)} county departments)")
            ctx = SimpleNamespace(units=units, people=people, office=people["office"], scaled=scaled, rng=rng,
                                  stdout=self.stdout, indicators=options["indicators"], reports=options["reports"],
                                  years=options["years"], campaigns=[])
            for app in SCALE_APPS:
                importlib.import_module(f"fazhi.{app}.demo_scale").scale(ctx=ctx)
            from fazhi.audit.services import record_event

            record_event(actor=people["office"], action="demo.scale", target=units["410000"], before=None,
                         after={"units": len(scaled.all), "indicators": options["indicators"],
                                "reports": options["reports"], "years": options["years"]},
                         reason="规模化演示数据 / scaled demo data")
        if connection.vendor == "postgresql":
            # planner statistics for the bulk-loaded tables (autovacuum would take minutes to notice them; until
            # then the planner takes the tables for empty: 2 rows estimated for 5,000 reports)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        cache.delete(DEMO_CACHE_KEY)
        self.stdout.write(self.style.SUCCESS(
            f"规模化演示数据已生成 / scaled demo data added in {time.monotonic() - started:.1f} s"))
