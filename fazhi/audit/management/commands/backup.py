"""``fazhi backup --output DIR``: database, uploaded files and audit anchor/checkpoints, with a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fazhi.audit.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database, uploaded files and audit anchor (数据备份)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="folder to write fazhi-backup-<time>/ into")

    def handle(self, *args, output, **options):
        try:
            folder = backup(output=Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"backup written: {folder}"))
        self.stdout.write("keep the audit key file (FAZHI_AUDIT_KEY_FILE) in a separate, offline copy")
