"""The client's address (客户端地址), believing ``X-Forwarded-For`` only from proxies we run.

``FAZHI_TRUSTED_PROXIES`` lists the addresses or networks of our own reverse proxies (nginx). A request that
arrives from one of them carries the client in ``X-Forwarded-For``; we walk that list from the right (the
entry our proxy added) and take the first address that is not one of our proxies. A request from anywhere else
keeps its ``REMOTE_ADDR``: a client cannot choose its own address by sending the header.

``TrustedProxyMiddleware`` (first in the stack) rewrites ``REMOTE_ADDR`` once, so everything after it — the
sign-in throttle (django-axes), the public form's rate limit, the audit chain — sees the same address.

``X-Forwarded-Proto`` (whether the client reached nginx over HTTPS; ``SECURE_PROXY_SSL_HEADER`` when
``FAZHI_HTTPS`` is on) is believed by the same rule: from anyone but our proxies the header is dropped, so a
client on plain HTTP cannot pass for HTTPS (and the redirect to HTTPS still happens).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _parse(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(raw.strip())
    except ValueError:
        return None


def is_trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(meta) -> str:
    """The client's address for a request's ``META`` (see the module docstring)."""
    remote = meta.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(getattr(settings, "FAZHI_TRUSTED_PROXIES", ()) or ()))
    if not networks or not is_trusted(_parse(remote), networks):
        return remote
    forwarded = [part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for raw in reversed(forwarded):
        address = _parse(raw)
        if address is None:
            return remote  # a malformed entry: stop believing the chain there
        if not is_trusted(address, networks):
            return str(address)
    return remote


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        networks = _networks(tuple(getattr(settings, "FAZHI_TRUSTED_PROXIES", ()) or ()))
        if "HTTP_X_FORWARDED_PROTO" in request.META and not is_trusted(
                _parse(request.META.get("REMOTE_ADDR", "") or ""), networks):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        address = client_address(request.META)
        if address != request.META.get("REMOTE_ADDR"):
            request.META["FAZHI_PROXY_ADDR"] = request.META.get("REMOTE_ADDR", "")
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)


def request_address(request) -> str:
    """For django-axes (``AXES_CLIENT_IP_CALLABLE``): the address the middleware settled on."""
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""
