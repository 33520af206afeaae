"""`manage.py generate DOC.json --target terraform|cdk --out DIR`: write the files.

When DIR holds a repository generated before, what it records is kept (the CDK app's
`stacks.json`: components stay in their stacks, see docs/cdk.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from builder.catalog import validate_document
from builder.documents.management.commands.validate import read_document


def read_back(out: Path) -> dict[str, bytes] | None:
    """The files of codegen.READ_BACK that `out` holds, or None when it holds none."""
    from codegen.files import READ_BACK

    found = {}
    for relative in READ_BACK:
        path = out / relative
        try:
            found[relative] = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise CommandError(f"{path}: cannot read: {exc.strerror}") from None
    return found or None


class Command(BaseCommand):
    help = "Generate Terraform or CDK code from an architecture document."

    def add_arguments(self, parser):
        parser.add_argument("document", help="path to a cloudwright/v1 JSON document")
        parser.add_argument("--target", choices=["terraform", "cdk"], default="terraform")
        parser.add_argument(
            "--out",
            required=True,
            help="directory to write the files into; a CDK app generated there before "
            "keeps its components in the stacks its stacks.json records",
        )

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
        try:
            files = codegen.generate(document, options["target"], read_back(out))
        except codegen.PreviousInvalid as exc:
            raise CommandError(
                f"{out / exc.path}: {exc.reason}. Cloudwright reads this file to keep each "
                "component in its stack; restore the one it wrote, or delete it to split "
                "the stacks afresh (a component that moves is replaced on deploy)."
            ) from None
        try:
            write_files(files, out)
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"wrote {len(files)} files to {out}")
