"""Rebuild the sections' search vectors, e.g. after the jieba domain dictionary changed.

python manage.py reindex_search                # sections of another segmenter version
python manage.py reindex_search --all          # every section
python manage.py reindex_search --report 12 --report 13
"""

from django.core.management.base import BaseCommand

from reports.parsing.segment import segmenter_version
from reports.search.index import reindex


class Command(BaseCommand):
    help = "Re-segment sections and rewrite their search vectors."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every section, not only stale ones")
        parser.add_argument("--report", type=int, action="append", help="only this report's")
        parser.add_argument("--workers", type=int, default=1, help="segmentation processes")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, **options):
        count = reindex(
            report_ids=options["report"],
            stale_only=not options["all"],
            batch_size=options["batch_size"],
            workers=options["workers"],
        )
        self.stdout.write(f"indexed {count} sections with segmenter {segmenter_version()}")
