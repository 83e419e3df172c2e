"""In-app notices and e-mail (through Django's mail backend) for the people of a unit.

The notices are rows written in the caller's transaction (they roll back with it); the e-mail leaves only once
that transaction has committed (``transaction.on_commit``): a change that rolls back never sends a message."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from fazhi.orgs.models import Role, User

from .models import Notice


def people_of(unit, roles=(Role.ASSESSED,)):
    return User.objects.filter(unit=unit, role__in=roles, is_active=True)


def notify(users, *, subject: str, text: str, link: str = "") -> int:
    """Create a notice for each user and send one e-mail to those with an address. Returns the number notified."""
    users = list(users)
    Notice.objects.bulk_create([Notice(user=u, text=text[:300], link=link[:300]) for u in users])
    recipients = sorted({u.email for u in users if u.email})
    if recipients:
        body = f"{text}\n\n{link}"
        transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients,
                                                fail_silently=True))
    return len(users)


def office_people(owner):
    """The people of the office serving ``owner`` (the office unit is a child of the government it serves)."""
    from django.db.models import Q

    return User.objects.filter(Q(unit__parent=owner) | Q(unit=owner), role=Role.OFFICE, is_active=True)
