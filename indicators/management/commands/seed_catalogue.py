"""Load the indicator catalogue from seeds/catalogue.json (or --file) into the database."""

from pathlib import Path

from django.core.management.base import BaseCommand

from indicators.services.catalogue import catalogue_seed, seeded_catalogue_rows


class Command(BaseCommand):
    help = "Upsert the indicator catalogue (idempotent). Then run remap_indicators to apply it."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, help="A catalogue JSON file (default: seeds/).")

    def handle(self, *args, file=None, **options):
        rows = seeded_catalogue_rows(path=file)
        written = catalogue_seed(rows=rows)
        self.stdout.write(f"catalogue: {len(rows)} indicators, {written} created or updated")
