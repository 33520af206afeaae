"""Each built-in template's line items against figures computed by hand from the catalog.

Prices (us-east-1, builder/insights/pricing/prices.json) and the catalog defaults the
templates leave alone are quoted in each comment; "730 h" is the hours of a month.
A change to a template, a default or a price shows up here as a changed figure.
"""

from __future__ import annotations

import pytest

from builder.insights.cost import estimate
from codegen import resolve
from codegen.templates import get_template

# Shared sub-totals, each worked out once.
# Every bucket, load balancer and distribution writes access logs to the log bucket the
# model adds; it expires them after 365 days, so they are kept 12 months (the cap).
# S3 bucket with catalog usage: 10 GB x $0.023 = $0.23 storage; 100,000 PUT / 1,000 x
# $0.005 = $0.50; 1,000,000 GET / 1,000 x $0.0004 = $0.40; 10 GB out x $0.09 = $0.90.
# Its server access logs, 0.5 GB per million requests: 0.1M PUTs -> 0.05 GB a month x 12
# = 0.6 GB-month x $0.023 = $0.0138; 1M GETs -> 0.5 GB x 12 = 6 GB-month x $0.023 = $0.138
# (S3 does not charge the PUTs that deliver them).
S3_DEFAULT = {
    "storage": 0.23,
    "put_requests": 0.50,
    "get_requests": 0.40,
    "transfer_out": 0.90,
    "access_log_storage_writes": 0.0138,
    "access_log_storage_reads": 0.138,
}
# Load balancer or distribution access logs, 0.1 GB per million requests: 1M requests
# (catalog usage) -> 0.1 GB a month x 12 = 1.2 GB-month x $0.023 = $0.0276.
ACCESS_LOGS_1M = {"access_log_storage": 0.0276}
# Lambda, catalog usage 1,000,000 invocations x 200 ms, arm64 by default:
# requests 1M x $0.20 per 1M = $0.20;
# 256 MB: 1,000,000 x 0.2 s x 0.25 GB = 50,000 GB-s x $0.0000133334 = $0.66667.
LAMBDA_256 = {"requests": 0.20, "duration": 0.66667}
# Its log group, added by the model: 1M invocations x 1 GB per million = 1 GB x $0.50;
# kept 365 days, so storage reaches 12 months x 1 GB = 12 GB-month x $0.03 = $0.36.
LAMBDA_LOGS = {"lambda_ingestion": 0.50, "lambda_storage": 0.36}
# Tracing on: 1M requests are under the 2,628,000-a-month sampling reservoir, so
# 1M traces x $5.00 per 1M = $5.00.
XRAY_1M = {"xray_traces": 5.00}
# DynamoDB on demand, catalog usage: 1M reads x $0.125 + 1M writes x $0.625 + 1 GB x $0.25;
# point-in-time recovery is on by default: 1 GB x $0.20 per GB-month.
DYNAMODB_DEFAULT = {"reads": 0.125, "writes": 0.625, "storage": 0.25, "pitr": 0.20}
# Drawn log group, catalog usage: 5 GB ingested x $0.50 = $2.50; 10 GB-month x $0.03 = $0.30.
LOG_GROUP_DEFAULT = {"logs_ingestion": 2.50, "logs_storage": 0.30}
ALARM = {"alarm": 0.10}  # 1 standard alarm x $0.10
SNS_DEFAULT = {"publishes": 0.50}  # 1M publishes x $0.50 per 1M
SQS_DEFAULT = {"requests": 0.40}  # 1M standard requests x $0.40 per 1M

EXPECTED: dict[str, dict[str, dict[str, float]]] = {
    "serverless-crud": {
        # 1,000 MAU x $0.0055 (Lite, first paid tier; free tier off) = $5.50
        "users": {"mau": 5.50},
        # usage 2,000,000 requests: 2 x $3.50 per 1M = $7.00;
        # traced: 2M traces (under the reservoir) x $5.00 per 1M = $10.00
        "api": {"requests": 7.00, "xray_traces": 10.00},
        "api_logs": LOG_GROUP_DEFAULT,
        # The five CRUD functions sit behind the traced API: their traces are the API's.
        **{
            fn: {**LAMBDA_256, **LAMBDA_LOGS}
            for fn in ("create_item", "get_item", "list_items", "update_item", "delete_item")
        },
        "items": DYNAMODB_DEFAULT,
        "attachments": S3_DEFAULT,
        "item_events": SNS_DEFAULT,
        "item_events_queue": SQS_DEFAULT,
        "item_events_dlq": SQS_DEFAULT,
        # Writes to the drawn consumer_logs group, so no log group of its own.
        "process_events": {**LAMBDA_256, **XRAY_1M},
        "audit": DYNAMODB_DEFAULT,
        "consumer_logs": LOG_GROUP_DEFAULT,
        "api_errors": ALARM,
        "consumer_errors": ALARM,
        "dlq_messages": ALARM,
        "ops_alerts": SNS_DEFAULT,
    },
    "container-platform": {
        # Web ACL $5.00; 3 default managed rule groups + the rate rule = 4 x $1.00;
        # 1M requests x $0.60 per 1M. Protects CloudFront, so priced in us-east-1.
        "edge_firewall": {"web_acl": 5.00, "rules": 4.00, "requests": 0.60},
        # 100 GB x $0.085 = $8.50; 1M requests / 10,000 = 100 x $0.01 = $1.00;
        # log files every 5 minutes: 12 x 730 h = 8,760 PUTs / 1,000 x $0.005 = $0.0438
        "cdn": {
            "transfer_out": 8.50,
            "requests": 1.00,
            **ACCESS_LOGS_1M,
            "access_log_puts": 0.0438,
        },
        "ui_bucket": S3_DEFAULT,
        "api_firewall": {"web_acl": 5.00, "rules": 4.00, "requests": 0.60},
        # VPC flow logs (added by the model): 5 GB x $0.50 = $2.50;
        # 365-day retention: 5 GB x 12 months = 60 GB-month x $0.03 = $1.80
        "vpc": {"flow_logs_ingestion": 2.50, "flow_logs_storage": 1.80},
        "public_a": {},
        "public_b": {},
        # 730 h x $0.045 = $32.85; 100 GB x $0.045 = $4.50; its elastic IP 730 h x $0.005
        **{
            nat: {"nat_hours": 32.85, "nat_processed": 4.50, "public_ipv4": 3.65}
            for nat in ("nat_a", "nat_b")
        },
        # 730 h x $0.0225 = $16.425;
        # LCUs bill on the largest dimension: processed bytes, 100 GB at 1 GB per LCU-hour
        # (a Fargate target) = 100 LCU-h, over new connections, 1M requests / 4 per
        # connection / 3,600 s / 25 a second per LCU = 2.78 LCU-h, and rule evaluations,
        # none (one target: no listener rules): 100 LCU-h x $0.008 = $0.80;
        # internet-facing over 2 zones: 2 x 730 h x $0.005 = $7.30;
        # a log file per zone every 5 minutes: 12 x 2 x 730 h = 17,520 PUTs / 1,000 x
        # $0.005 = $0.0876
        "alb": {
            "alb_hours": 16.425,
            "lcu": 0.80,
            "public_ipv4": 7.30,
            **ACCESS_LOGS_1M,
            "access_log_puts": 0.0876,
        },
        # 512 CPU = 0.5 vCPU x 2 tasks x 730 h = 730 vCPU-h x $0.04048 = $29.5504;
        # 1 GB x 2 x 730 = 1,460 GB-h x $0.004445 = $6.4897;
        # logs: 2 tasks x 1 GB = 2 GB x $0.50; 2 GB x 12 months = 24 GB-month x $0.03
        "api_service": {
            "vcpu": 29.5504,
            "memory": 6.4897,
            "ecs_ingestion": 1.00,
            "ecs_storage": 0.72,
        },
        # 0.5 vCPU x 1 task x 730 h = 365 vCPU-h x $0.04048 = $14.7752;
        # 730 GB-h x $0.004445 = $3.24485; logs 1 GB x $0.50, 12 GB-month x $0.03
        "worker": {"vcpu": 14.7752, "memory": 3.24485, "ecs_ingestion": 0.50, "ecs_storage": 0.36},
        "private_a": {},
        "private_b": {},
        # db.t4g.medium PostgreSQL Multi-AZ 730 h x $0.13 = $94.90;
        # 50 GB x 2 (primary and standby) x $0.115 = $11.50; credentials secret $0.40
        "database": {"instance": 94.90, "storage": 11.50, "credentials": 0.40},
        # cache.t4g.micro x 2 nodes x 730 h = 1,460 node-h x $0.016 = $23.36
        "cache": {"nodes": 23.36},
        "jobs": SQS_DEFAULT,
        "jobs_dlq": SQS_DEFAULT,
        # $0.40 a secret; 10,000 calls / 10,000 x $0.05
        "app_credentials": {"secret": 0.40, "api_calls": 0.05},
        "api_cpu": ALARM,
        "jobs_age": ALARM,
        "database_cpu": ALARM,
        "ops_alerts": SNS_DEFAULT,
    },
    "event-pipeline": {
        "uploads": S3_DEFAULT,
        # 512 MB: 1,000,000 x 0.2 s x 0.5 GB = 100,000 GB-s x $0.0000133334 = $1.33334
        "ingest": {"requests": 0.20, "duration": 1.33334, **XRAY_1M, **LAMBDA_LOGS},
        # 2 shards x 730 h = 1,460 shard-h x $0.015 = $21.90; 1M PUT units x $0.014 per 1M
        "events": {"shards": 21.90, "put_units": 0.014},
        "transform": {**LAMBDA_256, **XRAY_1M, **LAMBDA_LOGS},
        "results": DYNAMODB_DEFAULT,
        "transform_errors": ALARM,
        "stream_lag": ALARM,
        # Scheduled rules are not charged: 8,640 events x $0.
        "nightly": {"events": 0.0},
        # 100,000 transitions / 1,000 x $0.025 = $2.50; traced: 0.1M x $5.00 = $0.50
        # (its logs go to the drawn workflow_logs group)
        "report_workflow": {"transitions": 2.50, "xray_traces": 0.50},
        "aggregate": {**LAMBDA_256, **XRAY_1M, **LAMBDA_LOGS},
        "publish_report": {**LAMBDA_256, **XRAY_1M, **LAMBDA_LOGS},
        "reports": S3_DEFAULT,
        "workflow_logs": LOG_GROUP_DEFAULT,
        "workflow_failed": ALARM,
        "ops_alerts": SNS_DEFAULT,
    },
}


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def template(request):
    return request.param, estimate(resolve(get_template(request.param)))


def test_every_node_has_exactly_the_hand_computed_line_items(template):
    name, est = template
    priced: dict[str, dict[str, float]] = {node_id: {} for node_id in est.nodes}
    for item in est.items:
        if item.monthly_cost is not None:
            priced[item.node_id][item.code] = item.monthly_cost
    assert priced.keys() == EXPECTED[name].keys()
    for node_id, expected in EXPECTED[name].items():
        assert priced[node_id] == pytest.approx(expected, abs=1e-9), node_id


def test_total_is_the_sum_of_the_hand_computed_figures(template):
    name, est = template
    expected_total = sum(sum(items.values()) for items in EXPECTED[name].values())
    assert est.monthly_total == pytest.approx(expected_total, abs=1e-9)


def test_every_template_is_fully_priced_in_us_east_1(template):
    _, est = template
    assert [(i.node_id, i.price_ref) for i in est.missing] == []


def test_quantity_times_unit_price_is_the_monthly_cost(template):
    _, est = template
    for item in est.items:
        if item.unit_price is not None and not item.tiers:
            assert item.monthly_cost == pytest.approx(item.quantity * item.unit_price)
