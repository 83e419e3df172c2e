"""Pages of the accounts app."""

from __future__ import annotations

from django.shortcuts import render

from .forms import LOCKED, LoginForm


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer for a locked account (``AXES_LOCKOUT_CALLABLE``): the sign-in page again, saying so —
    the same answer for every name, so it does not reveal which accounts exist."""
    form = LoginForm(request)
    form._errors = {"__all__": form.error_class([LOCKED])}
    return render(request, "registration/login.html", {"form": form, "next": request.POST.get("next", "")})
