"""Sign-in throttling (登录失败处理), shared by every app-server process.

Three rules, so that an attacker is slowed down without locking the real user out:

1. **Account from one address** (django-axes, database handler: every process sees the same counts):
   ``AXES_FAILURE_LIMIT`` wrong passwords for one account *from one address* lock that account *at that
   address* for ``AXES_COOLOFF_TIME``. Someone guessing the office's password locks only themselves; the office
   still signs in from its own machines.
2. **One address, any accounts** (password spraying): ``ADDRESS_FAILURE_LIMIT`` failures from one address within
   ``WINDOW`` refuse every sign-in from that address until the window ends.
3. **One account, all addresses** (a distributed guess): once an account has ``ACCOUNT_SLOW_AFTER`` failures
   within ``WINDOW``, sign-ins to it from addresses where it never signed in before are let through at most one
   per ``ACCOUNT_PAUSE`` seconds — slow for a botnet (a few thousand guesses a day at most, against ≥ 10
   character passwords), a short wait for a person; addresses the account signed in from before pass freely.

Rules 2 and 3 count in the cache with atomic ``add``/``incr``; production sets ``FAZHI_CACHE_URL`` (Redis) so
all processes share it.
"""

from __future__ import annotations

from django.core.cache import cache

WINDOW = 15 * 60
ADDRESS_FAILURE_LIMIT = 20
ACCOUNT_SLOW_AFTER = 10
ACCOUNT_PAUSE = 10


def _name(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _address_key(address: str) -> str:
    return f"fazhi:signin:address:{address}"


def _account_key(username: str) -> str:
    return f"fazhi:signin:account:{_name(username)}"


def incr(key: str, timeout: int) -> int:
    """Atomically add one to a counter that expires ``timeout`` seconds after its first hit; the new count."""
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        return 1


def record_failure(*, username: str, address: str) -> None:
    if address:
        incr(_address_key(address), WINDOW)
    if username:
        incr(_account_key(username), WINDOW)


def address_blocked(address: str) -> bool:
    return bool(address) and (cache.get(_address_key(address)) or 0) >= ADDRESS_FAILURE_LIMIT


def account_paused(*, username: str, address: str, known_address: bool) -> bool:
    """True when this attempt must wait (rule 3). Taking the one slot per pause is atomic (``cache.add``)."""
    if known_address or (cache.get(_account_key(username)) or 0) < ACCOUNT_SLOW_AFTER:
        return False
    return not cache.add(f"{_account_key(username)}:slot", 1, ACCOUNT_PAUSE)
