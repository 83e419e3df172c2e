"""工作台 — where every signed-in role lands: 待办 with counts and links, the cards apps add, what happened
lately, and the dates ahead. A member of the public has no workbench: the portal is theirs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render

from fazhi.audit.describe import sentence
from fazhi.orgs import policies
from fazhi.orgs.home import cards_for
from fazhi.orgs.models import Category, Role

from .policies import activity_for
from .todo import deadlines_for, todo_for

RECENT = 8


def _recent(user) -> list[str]:
    """What happened lately, as sentences: in the office's scope for an office, the person's own acts otherwise."""
    return [sentence(e) for e in activity_for(user).order_by("-id")[:RECENT]]


@login_required
def home(request):
    user = request.user
    if user.role == Role.PUBLIC and not user.is_superuser:
        return redirect("portal:index")
    role = "admin" if user.is_superuser else user.role
    context = {"role": role, "unit": user.unit, "cards": cards_for(user), "todo": todo_for(user),
               "deadlines": deadlines_for(user), "recent": _recent(user)}
    if role in ("office", "admin"):
        scope = policies.managed_units(user)
        context["scope_root"] = policies.jurisdiction(user)
        context["unit_count"] = scope.count()
        labels = dict(Category.choices)
        context["by_category"] = [
            {"category": c, "label": labels[c], "count": n}
            for c, n in scope.filter(category__isnull=False).values_list("category").annotate(n=Count("pk"))
            .order_by("category")
        ]
    return render(request, [f"orgs/home/{role}.html", "orgs/home/default.html"], context)
