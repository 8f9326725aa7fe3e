"""``python manage.py fingerprint_reports``: fingerprint the reports stored before near-duplicates
were looked for, so that later copies of them are recognised at ingestion."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Give every report stored without a text fingerprint one (none is flagged)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, batch_size, **options):
        from reports.services.near_duplicates import reports_fingerprint_backfill

        done = reports_fingerprint_backfill(batch_size=max(batch_size, 1))
        self.stdout.write(f"fingerprinted {done} reports")
