"""``python manage.py reparse_reports [--all | --failed | ID...]``: queue reports to parse again."""

from django.core.management.base import BaseCommand, CommandError

from reports.services.parse import report_reparse_enqueue


class Command(BaseCommand):
    help = "Parse stored reports again (after a parser or catalogue change, or a failure)."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, metavar="ID")
        choice = parser.add_mutually_exclusive_group()
        choice.add_argument("--all", dest="all_reports", action="store_true", help="every report")
        choice.add_argument("--failed", action="store_true", help="reports whose parse failed")

    def handle(self, *args, ids, all_reports, failed, **options):
        if bool(ids) + all_reports + failed != 1:
            raise CommandError("Give report IDs, or --all, or --failed (one of them).")
        queued = report_reparse_enqueue(
            report_ids=ids or None, failed_only=failed, all_reports=all_reports
        )
        self.stdout.write(f"{queued} reports queued for parsing")
