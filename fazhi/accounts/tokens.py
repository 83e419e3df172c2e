"""Personal API tokens: the secret, its digest, and REST framework's authentication by ``Authorization: Bearer``.

A token is ``fz_`` + 32 random bytes (URL-safe); only its SHA-256 digest is stored, so a copy of the database
gives no usable token. A request with a token acts as the token's owner — the same policies decide what it may
see or change — and is refused when the token is revoked or expired or the owner is inactive. No password is
ever sent to the API, so the sign-in throttle cannot be bypassed through it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

PREFIX = "fz_"


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("令牌格式不正确 / malformed token header")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("令牌格式不正确 / malformed token") from None
        from .models import ApiToken

        token = ApiToken.objects.select_related("user").filter(digest=digest(raw)).first()
        if token is None or not token.is_active or not token.user.is_active:
            raise exceptions.AuthenticationFailed("令牌无效、已过期或已吊销 / invalid, expired or revoked token")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # bookkeeping, not a business write
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
