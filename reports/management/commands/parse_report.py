"""``manage.py parse_report --jsonl FILE...``: parse files without a database (the contract)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.errors import DomainError
from reports.parsing import parse_text
from reports.services.extraction import text_extracted


class Command(BaseCommand):
    help = "Parse report files (any format ingestion accepts) and print the parse contract as JSON."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--jsonl", action="store_true", help="one JSON object per line")

    def handle(self, *args, files, jsonl, **options):
        failed = 0
        for path in files:
            try:
                extracted = text_extracted(data=path.read_bytes(), filename=path.name)
                doc = parse_text(extracted.text).to_contract(file=path.name)
            except (OSError, DomainError) as exc:
                failed += 1
                code = getattr(exc, "code", "unreadable")
                doc = {"file": path.name, "error": {"code": code, "message": str(exc)}}
            indent = None if jsonl else 2
            self.stdout.write(json.dumps(doc, ensure_ascii=False, indent=indent))
        if failed:
            raise CommandError(f"{failed} of {len(files)} files could not be parsed")
