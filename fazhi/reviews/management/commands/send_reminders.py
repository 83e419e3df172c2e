"""``fazhi send_reminders``: remind units of feedback deadlines and rectification due dates (run daily)."""

from django.core.management.base import BaseCommand

from fazhi.reviews.tasks import send_reminders


class Command(BaseCommand):
    help = "Send verification and rectification reminders (发送核实与整改提醒)."

    def handle(self, *args, **options):
        count = send_reminders()
        self.stdout.write(f"reminders sent: {count}")
