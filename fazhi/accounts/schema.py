"""How the OpenAPI schema (drf-spectacular) describes personal API tokens: ``Authorization: Bearer fz_…``.

Without it every endpoint's schema warns that the authentication class is unknown, and clients generated from
the schema would not know how to send a token.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "fazhi.accounts.tokens.TokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "个人 API 令牌（在“我的账号”页面创建）/ a personal API token created on the account page",
        }
