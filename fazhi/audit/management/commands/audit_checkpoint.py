"""``fazhi audit checkpoint``: write a signed checkpoint of the chain's head to FAZHI_AUDIT_DIR/checkpoints
(the Celery beat task ``fazhi.audit.tasks.write_checkpoint`` does the same every hour)."""

from django.core.management.base import BaseCommand

from fazhi.audit.services import write_checkpoint


class Command(BaseCommand):
    help = "Write a signed checkpoint of the audit chain to the second location (写入审计检查点)."

    def handle(self, *args, **options):
        path = write_checkpoint()
        self.stdout.write(f"checkpoint: {path}" if path else "no audit events yet: nothing to checkpoint")
