"""``fazhi restore DIR [--replace]``: check the manifest's checksums, restore, then verify the audit chain."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fazhi.audit.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `fazhi backup`, then verify the audit chain (数据恢复)."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a fazhi-backup-<time>/ folder")
        parser.add_argument("--replace", action="store_true", help="replace a database that already holds data")

    def handle(self, *args, folder, replace, **options):
        try:
            report = restore(folder=Path(folder), replace=replace)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if not report.chain.ok:
            raise CommandError(f"restored, but the audit chain is BROKEN: {report.chain.problem.message}")
        self.stdout.write(self.style.SUCCESS(
            f"restored ({report.engine}, {report.files} files); audit chain intact: {report.chain.count} events"))
