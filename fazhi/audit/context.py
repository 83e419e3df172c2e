"""Where the current request comes from (来源地址), for the audit rows written while it runs.

Set by ``middleware.AuditContextMiddleware`` for each request; background tasks run without one (no address).
A context variable rather than an argument keeps ``record_event``'s keyword signature the same for every caller.
"""

from __future__ import annotations

import contextvars
import ipaddress

_address: contextvars.ContextVar[str | None] = contextvars.ContextVar("fazhi_audit_address", default=None)


def clean_address(raw: str | None) -> str | None:
    """A valid IPv4/IPv6 address, else None (a hostile header never reaches the chain)."""
    if not raw:
        return None
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def set_address(raw: str | None) -> contextvars.Token:
    return _address.set(clean_address(raw))


def reset(token: contextvars.Token) -> None:
    _address.reset(token)


def current_address() -> str | None:
    return _address.get()
