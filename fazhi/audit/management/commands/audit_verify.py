"""``fazhi audit verify``: recompute the keyed audit chain against its key file, signed anchor and checkpoints;
exit 1 at the first problem."""

from django.core.management.base import BaseCommand, CommandError

from fazhi.audit.models import AuditEvent
from fazhi.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log chain (校验审计日志签名链)."

    def add_arguments(self, parser):
        parser.add_argument("--expect-hash", help="a head hash recorded earlier that must still be in the chain")

    def handle(self, *args, **options):
        report = verify_chain(expect_hash=options.get("expect_hash"))
        if not report.ok:
            problem = report.problem
            raise CommandError(
                f"audit chain BROKEN at {problem.message}; {report.count} events before it are intact"
            )
        head = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or "—"
        self.stdout.write(self.style.SUCCESS(
            f"audit chain intact: {report.count} events, {report.checkpoints} signed checkpoints (审计链完整)"))
        self.stdout.write(f"head: {head}  (keep it: `fazhi audit verify --expect-hash {head}` detects later deletions)")
