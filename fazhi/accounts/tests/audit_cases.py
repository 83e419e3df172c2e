"""Audit cases of the accounts services for ``fazhi/audit/tests/test_every_write_audited.py`` (the token and
password cases are kept there): each runs the service for real and returns the audit action it must write."""

from __future__ import annotations


def _code(key: str) -> str:
    """The code an authenticator app shows now for ``key`` (hex), computed as the app does (RFC 6238)."""
    import time
    from binascii import unhexlify

    from django_otp.oath import TOTP

    totp = TOTP(unhexlify(key), step=30, t0=0, digits=6)
    totp.time = time.time()
    return f"{totp.token():06d}"


def _enroll(w):
    from fazhi.accounts import services

    key = services.otp_new_key()
    services.otp_enroll(user=w.office, key=key, code=_code(key))
    return "accounts.otp_enroll"


def _remove(w):
    from fazhi.accounts import services

    _enroll(w)
    services.otp_remove(user=w.people["admin"], person=w.office)
    return "accounts.otp_remove"


def _admin_set(w):
    from fazhi.accounts import services

    services.password_set_by_admin(user=w.people["admin"], person=w.people["assessed"])
    return "accounts.password_reset"


CASES = {
    "accounts.services.otp_enroll": _enroll,
    "accounts.services.otp_remove": _remove,
    "accounts.services.password_set_by_admin": _admin_set,
}
