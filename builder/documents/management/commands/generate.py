"""`manage.py generate DOC.json --target terraform|cdk --out DIR`: write the files."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from builder.catalog import validate_document
from builder.documents.management.commands.validate import read_document


class Command(BaseCommand):
    help = "Generate Terraform or CDK code from an architecture document."

    def add_arguments(self, parser):
        parser.add_argument("document", help="path to a cloudwright/v1 JSON document")
        parser.add_argument("--target", choices=["terraform", "cdk"], default="terraform")
        parser.add_argument("--out", required=True, help="directory to write the files into")

    def handle(self, *args, **options):
        import codegen
        from codegen.files import write_files

        document = read_document(options["document"])
        errors = validate_document(document)
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            sys.exit(1)
        out = Path(options["out"])
        files = codegen.generate(document, options["target"])
        try:
            write_files(files, out)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"wrote {len(files)} files to {out}")
