"""Keys and MACs of the audit chain (审计签名): HMAC-SHA256, or HMAC-SM3 (国密, GB/T 32905) for 商用密码 compliance.

- The keys come from ``settings.FAZHI_AUDIT_KEYS`` (read from ``FAZHI_AUDIT_KEY_FILE`` at start-up, see
  ``keyfile``); when the key file changes on disk (``fazhi audit rotate-key``) it is read again, so every process
  signs with the new key from its next event on.
- SM3 comes from **snowland-smx** (``pysmx``, BSD, released 2026): maintained and pure Python on top of
  ``cryptography``; gmssl (last release 2023, no HMAC) and gmssl-python (needs the GmSSL C library) were the
  alternatives. Where the system OpenSSL provides SM3 (OpenSSL 3 does) its implementation is used for speed —
  pure-Python SM3 takes ~3 ms an event, too slow to verify ten years of events — after checking at first use that
  both give the standard's test vector; ``tests/test_signing.py`` checks them against each other.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from functools import cache
from pathlib import Path

from django.conf import settings

from .keyfile import AuditKey, read_key_file

ALGORITHMS = ("hmac-sha256", "hmac-sm3")
#: GB/T 32905-2016 appendix A.1: SM3("abc")
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


class UnknownKey(LookupError):
    """A row names a key that is not in the key file."""


def package_sm3():
    """The SM3 constructor of snowland-smx (hashlib-like: ``update``, ``digest``, ``copy``, ``block_size``)."""
    from pysmx.SM3 import SM3

    return SM3


@cache
def sm3_constructor():
    """OpenSSL's SM3 when present and correct, else the package's."""
    if "sm3" in hashlib.algorithms_available:
        try:
            if hashlib.new("sm3", b"abc").hexdigest() == SM3_ABC:
                return lambda data=b"": hashlib.new("sm3", data)
        except ValueError:  # listed but refused by the OpenSSL provider in force
            pass
    return package_sm3()


def mac(algorithm: str, secret: bytes, payload: bytes) -> str:
    """The hex MAC of ``payload`` (64 hex digits for both algorithms)."""
    if algorithm == "hmac-sha256":
        return hmac.new(secret, payload, hashlib.sha256).hexdigest()
    if algorithm == "hmac-sm3":
        return hmac.new(secret, payload, sm3_constructor()).hexdigest()
    raise ValueError(f"unknown audit algorithm {algorithm!r}")


_lock = threading.Lock()
_loaded: dict = {"mtime": None, "keys": None}


def keys() -> tuple[AuditKey, ...]:
    """All keys, oldest first; re-read from the key file when it changed since the last read."""
    path: Path | None = getattr(settings, "FAZHI_AUDIT_KEY_FILE", None)
    configured = tuple(settings.FAZHI_AUDIT_KEYS)
    if not path:
        return configured
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return _loaded["keys"] or configured  # the file moved away: keep signing with what we have
    with _lock:
        if _loaded["mtime"] != mtime:
            _loaded["keys"], _loaded["mtime"] = read_key_file(path), mtime
        return _loaded["keys"]


def current_key() -> AuditKey:
    return keys()[-1]


def key_named(key_id: str) -> AuditKey:
    for key in keys():
        if key.key_id == key_id:
            return key
    raise UnknownKey(key_id)


def key_rank(key_id: str) -> int:
    """Position of the key in the file (rotation order); a row never uses a key older than the row before."""
    for index, key in enumerate(keys()):
        if key.key_id == key_id:
            return index
    raise UnknownKey(key_id)


def algorithm() -> str:
    return getattr(settings, "FAZHI_AUDIT_ALGORITHM", "hmac-sha256")
