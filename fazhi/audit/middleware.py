"""Puts the client's address into the audit context for the length of each request.

The address is ``REMOTE_ADDR`` as Django sees it: behind a proxy, the web-hardening settings
(``FAZHI_TRUSTED_PROXIES``) decide which forwarded address is believed before this runs.
"""

from __future__ import annotations

from . import context


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.set_address(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
