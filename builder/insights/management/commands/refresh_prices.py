"""python manage.py refresh_prices [--region R ...] [--dry-run] [--output PATH]

Rebuilds builder/insights/pricing/prices.json from the AWS Price List API. Needs AWS
credentials allowed `pricing:GetProducts`. Every answer is read before anything is
written; the result is checked like the committed file and then written atomically,
so an error at any point (a refused call, an unreadable answer, a catalog failing the
checks) leaves the file as it was.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from django.core.management.base import BaseCommand, CommandError

from builder.insights.cost import check_price_book
from builder.insights.pricing import (
    PRICES_PATH,
    PriceCatalogError,
    dump_price_data,
    parse_price_book,
)
from builder.insights.pricing.refresh import PriceListError, RefreshReport, refresh

# The Price List Query API has endpoints in us-east-1 and ap-south-1 only.
PRICING_ENDPOINT_REGION = "us-east-1"


class Command(BaseCommand):
    help = "Refresh the price catalog from the AWS Price List API (boto3 pricing client)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--region", action="append", help="refresh only this region (repeatable)"
        )
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument("--output", type=Path, default=PRICES_PATH)

    def client(self):
        return boto3.client("pricing", region_name=PRICING_ENDPOINT_REGION)

    def handle(self, *args, **options):
        data = json.loads(PRICES_PATH.read_text())
        regions = tuple(options["region"] or ())
        unknown = [r for r in regions if r not in data["regions"]]
        if unknown:
            raise CommandError(f"--region: the catalog has no region {', '.join(unknown)}")
        try:
            new, report = refresh(data, self.client(), date.today().isoformat(), regions)
        except (BotoCoreError, ClientError) as exc:
            raise CommandError(f"the AWS Price List API refused, nothing written: {exc}") from None
        except PriceListError as exc:
            raise CommandError(
                f"the AWS Price List API answered something unreadable, nothing written: {exc}"
            ) from None
        try:
            check_price_book(parse_price_book(new))
        except PriceCatalogError as exc:
            raise CommandError(
                f"the refreshed catalog is not usable, nothing written: {exc}"
            ) from None
        self.report(report)
        if options["dry_run"]:
            self.stdout.write("dry run: nothing written")
            return
        try:
            dump_price_data(new, options["output"])
        except OSError as exc:
            raise CommandError(
                f"--output: cannot write {options['output']}, left as it was: {exc.strerror}"
            ) from None
        self.stdout.write(f"wrote {options['output']}")

    def report(self, report: RefreshReport) -> None:
        """What changed, and what was kept and why, one line per key."""
        for line in report.updated:
            self.stdout.write(f"updated   {line}")
        for line in report.not_found:
            self.stdout.write(f"not found {line} (kept the collected figure)")
        for line in report.ambiguous:
            self.stdout.write(f"ambiguous {line} (kept the collected figure)")
        self.stdout.write(
            f"{len(report.updated)} updated, {len(report.unchanged)} unchanged, "
            f"{len(report.not_found)} not found, {len(report.ambiguous)} ambiguous, "
            f"{len(report.no_query)} without a query (kept)"
        )
