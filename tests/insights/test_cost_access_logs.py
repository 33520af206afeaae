"""The access-log bucket the model adds: priced on the node whose logs it holds.

Prices (us-east-1): S3 Standard $0.023 per GB-month, PUT $0.005 per 1,000. The bucket
expires logs after 365 days, so they are kept 12 months (the cap). Volumes: 0.1 GB per
million load balancer or CloudFront requests, 0.5 GB per million S3 requests.
"""

from __future__ import annotations

import pytest

from builder.catalog import get_catalog
from builder.insights.cost import check_price_book, forecast, price_book
from builder.insights.cost.access_logs import SOURCES, log_source_types
from builder.insights.pricing import PriceCatalogError
from codegen import resolve
from tests.fixtures import every_pair_document
from tests.insights.cost_documents import NETWORK, costs, item, node, price


def alb(access_logs: bool = True):
    return node(
        "alb",
        "elbv2.application_load_balancer",
        "vpc",
        props={"internet_facing": False, "access_logs": access_logs},
        usage={"requests_per_month": 50_000_000},
    )


def cdn(access_logs: bool = True):
    return node(
        "cdn",
        "cloudfront.distribution",
        props={"access_logs": access_logs},
        usage={"requests_per_month": 20_000_000},
    )


BUCKET = node(
    "bucket",
    "s3.bucket",
    usage={"put_requests_per_month": 2_000_000, "get_requests_per_month": 10_000_000},
)

# ALB: 50M requests x 0.1 GB per million = 5 GB a month x 12 = 60 GB-month x $0.023 = $1.38;
# a file per zone every 5 minutes: 12 x 2 zones x 730 h = 17,520 PUTs / 1,000 x $0.005.
ALB_LOGS = {"access_log_storage": 1.38, "access_log_puts": 0.0876}
# CloudFront: 20M x 0.1 = 2 GB x 12 = 24 GB-month x $0.023 = $0.552;
# a file every 5 minutes: 12 x 730 h = 8,760 PUTs / 1,000 x $0.005 = $0.0438.
CDN_LOGS = {"access_log_storage": 0.552, "access_log_puts": 0.0438}
# S3: 2M PUTs x 0.5 = 1 GB x 12 = 12 GB-month x $0.023 = $0.276; 10M GETs x 0.5 = 5 GB
# x 12 = 60 GB-month x $0.023 = $1.38. Delivering server access logs is not charged.
BUCKET_LOGS = {"access_log_storage_writes": 0.276, "access_log_storage_reads": 1.38}


def logs_of(est, node_id: str) -> dict[str, float | None]:
    return {code: cost for code, cost in costs(est, node_id).items() if "access_log" in code}


def test_each_source_pays_for_its_own_logs_in_the_log_bucket():
    est = price(alb(), cdn(), BUCKET, *NETWORK)
    assert logs_of(est, "alb") == pytest.approx(ALB_LOGS)
    assert logs_of(est, "cdn") == pytest.approx(CDN_LOGS)
    assert logs_of(est, "bucket") == pytest.approx(BUCKET_LOGS)
    storage = item(est, "alb", "access_log_storage")
    assert storage.implied and storage.service == "S3"
    assert storage.description == (
        "Access logs in the log bucket (0.1 GB per million requests, kept 12 months)"
    )
    assert item(est, "alb", "access_log_puts").description == (
        "PUTs delivering log files to the log bucket (every 5 minutes in each of 2 zones)"
    )
    assert any("0.1 GB per million requests" in text for text in est.assumptions)
    # The per-node badge counts them: the ALB's hours and LCUs plus its logs. LCUs bill on
    # new connections: 50M requests / 4 per connection / 3,600 s / 25 a second per LCU =
    # 138.89 LCU-h (more than 100 GB at 1 GB per LCU-hour) x $0.008 = $1.11111.
    assert est.by_node()["alb"] == pytest.approx(16.425 + 1.11111 + sum(ALB_LOGS.values()))


@pytest.mark.parametrize(
    ("off", "node_id", "figures"),
    [("alb", "alb", ALB_LOGS), ("cdn", "cdn", CDN_LOGS)],
)
def test_turning_access_logs_off_removes_exactly_those_items(off, node_id, figures):
    logging = price(alb(), cdn(), *NETWORK)
    quiet = price(alb(off != "alb"), cdn(off != "cdn"), *NETWORK)
    assert logs_of(quiet, node_id) == {}
    assert logs_of(logging, node_id) == pytest.approx(figures)
    assert logging.monthly_total - quiet.monthly_total == pytest.approx(sum(figures.values()))


def test_no_log_bucket_no_items():
    est = price(alb(False), cdn(False), *NETWORK)
    assert [i.code for i in est.items if "access_log" in i.code] == []


def test_stored_logs_grow_with_requests_and_deliveries_stay_flat():
    logging, quiet = price(cdn()), price(cdn(False))
    growth = {"requests_per_month": 1.0}  # requests double each month
    with_logs, without = forecast(logging, growth), forecast(quiet, growth)
    added = [a - b for a, b in zip(with_logs, without, strict=True)]
    # month 2: storage $0.552 x 2 + PUTs $0.0438 unchanged
    assert added[:2] == pytest.approx([0.552 + 0.0438, 1.104 + 0.0438])


def test_log_bucket_without_an_s3_price_says_so():
    est = price(cdn(), region="eu-west-1")
    storage = item(est, "cdn", "access_log_storage")
    assert storage.monthly_cost is None
    assert storage.missing == "no price for s3.standard_storage_per_gb_month in eu-west-1"
    # CloudFront itself is global and still priced.
    assert item(est, "cdn", "requests").monthly_cost == pytest.approx(20.00)


def test_sources_price_exactly_the_types_the_resolver_logs():
    # A document with every catalog type: each logs with the catalog's defaults.
    model = resolve(every_pair_document())
    logged = {source.type for source in model.log_bucket.sources}
    assert logged == log_source_types(get_catalog()) == SOURCES.keys()


def test_a_log_source_the_engine_cannot_price_stops_start_up(monkeypatch):
    monkeypatch.delitem(SOURCES, "aws.cloudfront.distribution")
    with pytest.raises(PriceCatalogError) as error:
        check_price_book(price_book())
    assert str(error.value) == (
        "the cost engine cannot price access logs of aws.cloudfront.distribution"
    )
