"""Who may see and revoke which API tokens: each person their own, nobody else's (an admin revokes through the
Django admin). Vocabulary of every app: ``tokens_for(user, action)``, ``get_token_or_404(user, pk, action)``."""

from __future__ import annotations

from django.http import Http404

from .models import ApiToken

ACTIONS = {"view", "revoke"}


def tokens_for(user, action: str = "view"):
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def get_token_or_404(user, pk: int, action: str = "view") -> ApiToken:
    token = tokens_for(user, action).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token
