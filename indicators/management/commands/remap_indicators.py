"""Re-run the catalogue code mapping over stored values, without re-parsing."""

import time

from django.core.management.base import BaseCommand

from indicators.selectors import indicator_unmapped_subjects
from indicators.services.remap import DEFAULT_BATCH_SIZE, indicator_values_remap_detailed


class Command(BaseCommand):
    help = "Map stored indicator values to the current catalogue; list unmapped subjects."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument(
            "--unmapped",
            type=int,
            default=0,
            metavar="N",
            help="Then print the N most frequent unmapped subjects.",
        )

    def handle(self, *args, batch_size, unmapped, **options):
        started = time.perf_counter()
        result = indicator_values_remap_detailed(batch_size=batch_size)
        seconds = time.perf_counter() - started
        rate = result.seen / seconds if seconds else 0.0
        self.stdout.write(
            f"remap: {result.seen} values seen, {result.changed} changed "
            f"in {seconds:.1f} s ({rate:,.0f} values/s)"
        )
        for row in indicator_unmapped_subjects(limit=unmapped) if unmapped else []:
            self.stdout.write(
                f"{row['count']:>7}  {row['reports']:>5}  {row['subject']} ({row['unit']})"
            )
