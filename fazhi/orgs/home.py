"""Home cards (首页卡片) of the workbench: the ``Card`` and the registry the apps add theirs to.

Each card: a title, a figure, a one-line explanation, a link and a tone (ok / warn / bad). An app registers
``provider(user) -> list[Card]`` for a role from its ``AppConfig.ready()``; the workbench (``fazhi.workbench``,
the top floor) registers the platform's own and shows them all. orgs imports none of the apps above it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Role


@dataclass(frozen=True)
class Card:
    title: str
    value: str
    note: str
    url: str
    tone: str = ""


#: Cards contributed by upper apps (registered from their ``AppConfig.ready()``), by role.
_PROVIDERS: dict[str, list] = {}


def register_cards(role: str, provider, *, first: bool = False) -> None:
    """Add ``provider(user) -> list[Card]`` to the home page of ``role`` (an upper app calls this from ``ready()``,
    so orgs never imports it). Registering the same provider twice keeps one. ``first``: before the others (the
    platform's own cards lead the page)."""
    providers = _PROVIDERS.setdefault(role, [])
    if provider not in providers:
        providers.insert(0 if first else len(providers), provider)


def cards_for(user) -> list[Card]:
    """The home cards of the user's role (a superuser sees the office's): those the apps registered, in order.
    The platform's own cards per role come from the workbench (``fazhi.workbench.cards``)."""
    role = Role.OFFICE if user.is_superuser else user.role
    cards: list[Card] = []
    for provider in _PROVIDERS.get(role, []):
        cards.extend(provider(user))
    return cards
