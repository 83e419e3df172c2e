"""Response headers every page carries (web hardening, issue 14 item 3).

- ``Permissions-Policy``: the browser features no page uses (camera, microphone, location, payment, …) are
  refused, so even injected script could not ask for them (``FAZHI_PERMISSIONS_POLICY``).
- ``Cache-Control: no-store`` (with Django's other never-cache headers) on every response to someone signed in
  (by session or by API token) and on every request that carries credentials: a shared computer's browser
  cache, its back button or a proxy must not keep a page with scores, names or opinions. Anonymous pages that
  show personal data (the public opinion form echoing what was typed, the status of one's opinion) use
  ``django.views.decorators.cache.never_cache`` themselves.

Static files (WhiteNoise, earlier in the stack) keep their long cache lifetimes: they never reach this step.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers


def signed_in(request) -> bool:
    user = getattr(request, "user", None)  # a token-authenticated API call sets it on the request too
    return bool(user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "FAZHI_PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        if signed_in(request):
            add_never_cache_headers(response)
        return response
