"""``fazhi audit rotate-key KEY_ID``: add a new key to FAZHI_AUDIT_KEY_FILE; it signs every row from now on.
The rotation is an event of the chain, followed by a signed checkpoint."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fazhi.audit.keyfile import KeyFileError
from fazhi.audit.services import rotate_key


class Command(BaseCommand):
    help = "Rotate the audit chain's signing key (轮换审计签名密钥)."

    def add_arguments(self, parser):
        parser.add_argument("key_id", help="id of the new key: 1-32 letters, digits, - or _ (e.g. 2027a)")

    def handle(self, *args, key_id, **options):
        path = getattr(settings, "FAZHI_AUDIT_KEY_FILE", None)
        if not path:
            raise CommandError("FAZHI_AUDIT_KEY_FILE is not set: create the key file with `fazhi audit keygen PATH`")
        try:
            with transaction.atomic():
                event = rotate_key(key_file=Path(path), key_id=key_id, actor="system")
        except (KeyFileError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"new signing key {key_id} (event #{event.pk}); keep a copy of {path}"))
