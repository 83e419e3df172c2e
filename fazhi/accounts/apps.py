from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """账号与登录安全 — sign-in throttling, client addresses behind proxies, passwords, API tokens, sessions."""

    name = "fazhi.accounts"
    label = "accounts"
    verbose_name = "账号与登录安全"

    def ready(self) -> None:
        # The token scheme for the OpenAPI schema; sign-in events into the audit chain and the throttle.
        from . import schema, signals  # noqa: F401
