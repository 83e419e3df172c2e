"""Load the demo data set (labelled as demo) and print the demo accounts."""

import importlib
import importlib.util

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import transaction

from fazhi.orgs import demo
from fazhi.orgs.context_processors import DEMO_CACHE_KEY

#: Apps that contribute demo data through ``fazhi.<app>.demo.load(units=..., people=..., stdout=...)``.
DEMO_APPS = ["accounts", "assessment", "documents", "plans", "reviews", "reports", "portal", "selfreport", "findings",
             "casereview", "fieldwork", "surveys"]


class Command(BaseCommand):
    help = "Load demo data: Henan province, its cities and provincial units, one user per role."

    def handle(self, *args, **options):
        with transaction.atomic():
            units = demo.load_units()
            people = demo.load_people(units)
            for app in DEMO_APPS:
                module_name = f"fazhi.{app}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                importlib.import_module(module_name).load(units=units, people=people, stdout=self.stdout)
        cache.delete(DEMO_CACHE_KEY)  # show the demo banner at once
        self.stdout.write(self.style.SUCCESS(f"演示数据已载入 / demo data loaded: {len(units)} units"))
        self.stdout.write(f"演示账号 / demo accounts (password 密码: {demo.DEMO_PASSWORD})")
        for username, (display, _unit, role, superuser) in demo.DEMO_PEOPLE.items():
            label = "superuser" if superuser else role
            self.stdout.write(f"  {username:<14} {demo.DEMO_PASSWORD}  {label:<11} {display}")
