"""The audit hook of the orgs app (审计接口): orgs sits below ``fazhi.audit`` in the layers, so its services and
views record through this small registry, which ``fazhi.audit`` fills in its ``AppConfig.ready()``.

``record_event`` and ``record_download`` take the same keyword arguments as ``fazhi.audit.services``; calling one
before the audit app registered itself is an error (a write must never go unaudited silently).
"""

from __future__ import annotations

from collections.abc import Callable

_hooks: dict[str, Callable] = {}


def register(*, record_event: Callable, record_download: Callable) -> None:
    _hooks["record_event"] = record_event
    _hooks["record_download"] = record_download


def _hook(name: str) -> Callable:
    try:
        return _hooks[name]
    except KeyError:
        raise RuntimeError("fazhi.audit is not installed: orgs cannot audit its writes") from None


def record_event(**kwargs):
    return _hook("record_event")(**kwargs)


def record_download(**kwargs):
    return _hook("record_download")(**kwargs)
