"""Upper apps add home-page cards through ``register_cards`` (orgs never imports them)."""

from __future__ import annotations

import pytest

from fazhi.orgs import home

pytestmark = pytest.mark.django_db


def test_registered_provider_adds_cards_to_its_role_only(people, monkeypatch):
    monkeypatch.setattr(home, "_PROVIDERS", {})
    provider = lambda user: [home.Card("测试卡片", "1", f"给{user.username}", "/x/")]  # noqa: E731
    home.register_cards("expert", provider)
    home.register_cards("expert", provider)  # twice: still one card
    titles = [card.title for card in home.cards_for(people["expert"])]
    assert titles.count("测试卡片") == 1
    assert "测试卡片" not in [card.title for card in home.cards_for(people["survey"])]
