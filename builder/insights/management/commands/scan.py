"""`manage.py scan DOC.json [--format json]`: the security hints of a document file."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from builder.catalog import DocumentInvalid
from builder.insights.security import scan
from builder.insights.security.engine import SEVERITY_RANK
from builder.insights.security.rules import SEVERITIES
from codegen import resolve


class Command(BaseCommand):
    help = "Check an architecture document against the security rules."

    def add_arguments(self, parser) -> None:
        parser.add_argument("document", help="path to a cloudwright/v1 JSON document")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--fail-on",
            choices=SEVERITIES,
            help="exit with status 1 when a finding is at least this severe (for CI)",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["document"])
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        except ValueError as exc:
            raise CommandError(f"{path} is not JSON: {exc}") from exc
        try:
            findings = scan(resolve(document))
        except DocumentInvalid as exc:
            lines = "\n".join(f"  {e.path}: {e.message}" for e in exc.errors)
            raise CommandError(f"{path} is not a valid document:\n{lines}") from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps({"findings": [f.as_dict() for f in findings]}, indent=2))
        else:
            for f in findings:
                nodes = ", ".join(f.node_ids)
                fix = "  [fix available]" if f.fix else ""
                self.stdout.write(f"{f.severity.upper():8} {f.rule_id:15} {nodes}: {f.title}{fix}")
            self.stdout.write(f"{len(findings)} findings")
        threshold = options["fail_on"]
        if threshold and any(
            SEVERITY_RANK[f.severity] <= SEVERITY_RANK[threshold] for f in findings
        ):
            raise SystemExit(1)
