"""python manage.py refresh_prices [--region R ...] [--dry-run] [--output PATH]

Rebuilds builder/insights/pricing/prices.json from the AWS Price List API. Needs AWS
credentials allowed `pricing:GetProducts`; the result is checked like the committed
file before it is written, so a bad answer never replaces good data.
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
from builder.insights.pricing.refresh import refresh

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
            raise CommandError(f"the AWS Price List API refused: {exc}") from None
        try:
            check_price_book(parse_price_book(new))
        except PriceCatalogError as exc:
            raise CommandError(
                f"the refreshed catalog is not usable, nothing written: {exc}"
            ) from None
        for line in report.updated:
            self.stdout.write(f"updated   {line}")
        for line in report.not_found:
            self.stdout.write(f"not found {line} (kept the collected figure)")
        self.stdout.write(
            f"{len(report.updated)} updated, {len(report.unchanged)} unchanged, "
            f"{len(report.not_found)} not found, {len(report.no_query)} without a query (kept)"
        )
        if options["dry_run"]:
            self.stdout.write("dry run: nothing written")
            return
        dump_price_data(new, options["output"])
        self.stdout.write(f"wrote {options['output']}")
