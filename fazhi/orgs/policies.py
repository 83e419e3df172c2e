"""Data scope (数据权限) as policy functions that return what a user may see or manage.

Rules (DOMAIN.md §5.9 分级考核; STYLE.md "fail closed"):
- an office (考核办) manages the subtree of the government it serves: its own unit's parent and everything
  below it (本级及以下). Another level's office sees nothing of it;
- every other role sees its own unit only; what an assessing unit may score is decided by the assessment
  app from its assignments, not here;
- the public and anyone unknown get ``.none()`` — a scope that cannot be applied shows nothing.

Every view, API endpoint and export asks these functions; nothing filters by hand.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Role, Unit


def is_platform_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def jurisdiction(user) -> Unit | None:
    """The root of the subtree an office manages, or None when the user is not an office."""
    if not user.is_authenticated or user.role != Role.OFFICE or not user.unit_id:
        return None
    unit = user.unit
    return unit.parent if unit.parent_id else unit


def managed_units(user):
    """Units the user may manage (create, edit, import, run campaigns for)."""
    if is_platform_admin(user):
        return Unit.objects.all()
    root = jurisdiction(user)
    if root is None:
        return Unit.objects.none()
    return Unit.objects.subtree_of(root)


def visible_units(user):
    """Units whose data the user may see: an office its subtree, anyone else its own unit."""
    if is_platform_admin(user):
        return Unit.objects.all()
    if not user.is_authenticated or not getattr(user, "unit_id", None):
        return Unit.objects.none()
    if user.role == Role.OFFICE:
        return managed_units(user)
    if user.role == Role.PUBLIC:
        return Unit.objects.none()
    return Unit.objects.filter(pk=user.unit_id)


def units_for(user, action: str = "view"):
    """The one vocabulary of every app's policies: ``view`` → ``visible_units``, ``manage`` → ``managed_units``."""
    if action == "view":
        return visible_units(user)
    if action == "manage":
        return managed_units(user)
    raise ValueError(f"unknown action {action!r}")


def get_unit_or_404(user, pk: int, action: str = "view") -> Unit:
    unit = units_for(user, action).filter(pk=pk).first()
    if unit is None:
        raise Http404  # do not reveal that a unit exists outside one's scope
    return unit


def can_manage(user, unit: Unit) -> bool:
    return managed_units(user).filter(pk=unit.pk).exists()


def can_see(user, unit: Unit) -> bool:
    return visible_units(user).filter(pk=unit.pk).exists()


def has_role(user, *roles: str) -> bool:
    if is_platform_admin(user):
        return True
    return bool(user.is_authenticated and user.role in roles)


def role_required(*roles: str):
    """View decorator: 403 unless the signed-in user has one of ``roles`` (platform admins pass)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
