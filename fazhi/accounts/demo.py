"""Demo accounts: their printed password counts as chosen by each person today, so ``make demo`` signs in
without a forced change (a real deployment's accounts made or reset by an admin must change theirs)."""

from __future__ import annotations

from .models import AccountState, PasswordHistory


def load(*, units, people, stdout) -> None:
    for user in people.values():
        PasswordHistory.objects.filter(user=user).delete()  # the demo password is set again at every load
        PasswordHistory.objects.create(user=user, password=user.password)
        AccountState.objects.update_or_create(user=user, defaults={"must_change_password": False})
