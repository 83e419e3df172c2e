"""Public portal (公众门户): pages anyone may read without signing in."""

from django.shortcuts import render


def index(request):
    """门户首页."""
    return render(request, "portal/index.html")
