"""``fazhi audit verify``: recompute the audit hash chain; exit 1 at the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from fazhi.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log hash chain (校验审计日志哈希链)."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            problem = report.problem
            raise CommandError(
                f"audit chain BROKEN at {problem.message}; {report.count} events before it are intact"
            )
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.count} events (审计链完整)"))
