"""``fazhi audit rechain --note TEXT``: re-sign the whole chain with the current key, after checking it (for a lost
key, or a move from a development key). The check's result and the note are kept in the chain."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fazhi.audit.services import rechain, write_checkpoint


class Command(BaseCommand):
    help = "Re-sign the audit chain with the current key, recording why (重新签名审计链)."

    def add_arguments(self, parser):
        parser.add_argument("--note", required=True, help="why the chain is re-signed (kept in the chain)")

    def handle(self, *args, note, **options):
        try:
            with transaction.atomic():
                detail = rechain(note=note, actor="system")
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        write_checkpoint()
        self.stdout.write(f"re-signed {detail['rows']} events; the old chain was {detail['old_chain']}")
