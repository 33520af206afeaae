"""python manage.py estimate DOC.json [--region R] [--free-tier] [--format json] [--growth G]"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from builder.catalog import DocumentInvalid
from builder.insights.cost import GrowthInvalid, estimate, forecast, known_regions, parse_growth
from builder.insights.cost.render import cli_json, table
from codegen import resolve


class Command(BaseCommand):
    help = (
        "Estimate the monthly AWS cost of an architecture document, with a 12-month "
        "forecast. Prints a table, or with --format json "
        '{"currency","monthly_total","items":[...],"forecast":[{"month","total"}]}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("document", help="path to a cloudwright/v1 JSON document, or -")
        parser.add_argument("--region", help="price in this region (default: the document's)")
        parser.add_argument(
            "--free-tier",
            action="store_true",
            help="offset the account-wide AWS free tier (off: list prices)",
        )
        parser.add_argument("--format", choices=("table", "json"), default="table")
        parser.add_argument(
            "--growth",
            help='monthly growth: 0.05 for 5%% on every usage key, or JSON {"*": 0.05, '
            '"invocations_per_month": 0.1}',
        )

    def handle(self, *args, **options):
        document = self._read(options["document"])
        growth = self._growth(options["growth"])
        try:
            model = resolve(document)
        except DocumentInvalid as exc:
            lines = [f"  {e.path or '/'}: {e.message}" for e in exc.errors]
            raise CommandError("the document is not valid:\n" + "\n".join(lines)) from None
        region = options["region"]
        if region is not None and region not in known_regions():
            raise CommandError(f"--region: unknown AWS region {region!r}")
        result = estimate(model, region=region, free_tier=options["free_tier"])
        totals = forecast(result, growth)
        if options["format"] == "json":
            self.stdout.write(json.dumps(cli_json(result, totals), indent=2))
        else:
            self.stdout.write(table(result, totals), ending="")

    def _read(self, path: str):
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path} is not JSON: {exc}") from None

    def _growth(self, raw: str | None):
        if raw is None:
            return {}
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            raise CommandError("--growth: give a number or a JSON object") from None
        try:
            return parse_growth(value)
        except GrowthInvalid as exc:
            raise CommandError(f"--growth: {exc}") from None
