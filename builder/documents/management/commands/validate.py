"""`manage.py validate DOC.json`: exit 0 when valid, else 1 with one error per line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from builder.catalog import validate_document


def read_document(path: str):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"{path}: cannot read: {exc.strerror}") from None
    except ValueError as exc:
        raise CommandError(f"{path}: not valid JSON: {exc}") from None


class Command(BaseCommand):
    help = "Check an architecture document against the catalog."

    def add_arguments(self, parser):
        parser.add_argument("document", help="path to a cloudwright/v1 JSON document")

    def handle(self, *args, **options):
        errors = validate_document(read_document(options["document"]))
        if not errors:
            self.stdout.write(f"{options['document']}: valid")
            return
        for error in errors:
            self.stderr.write(str(error))
        sys.exit(1)
