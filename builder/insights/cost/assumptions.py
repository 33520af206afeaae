"""Workload figures the document has no usage key for, stated once and shown to users.

Each is an assumption, not a price: every estimate lists the ones it used, so a reader
sees what to question. Change a figure here and docs/cost.md together.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Assumption:
    value: float
    text: str


# Logs written to the log groups the model adds (a drawn log group has its own usage).
LOG_GB_PER_MILLION_INVOCATIONS = Assumption(
    1.0, "a Lambda function writes 1 GB of logs per million invocations (about 1 KB each)"
)
LOG_GB_PER_MILLION_API_REQUESTS = Assumption(
    1.0, "an API access log holds 1 GB per million requests (about 1 KB each)"
)
LOG_GB_PER_MILLION_TRANSITIONS = Assumption(
    1.0, "a state machine's execution log holds 1 GB per million state transitions"
)
LOG_GB_PER_TASK_MONTH = Assumption(1.0, "an ECS task writes 1 GB of logs per month")
FLOW_LOG_GB_PER_VPC_MONTH = Assumption(5.0, "VPC flow logs hold 5 GB per VPC per month")
LOG_STORED_MONTHS_CAP = Assumption(
    12.0,
    "stored logs reach a month's logs x the months they are kept (retention or "
    "expiration days / 30), capped at 12 months, the forecast's horizon",
)
# The access-log bucket the model adds (model.log_bucket): what each source writes to it.
ACCESS_LOG_GB_PER_MILLION_REQUESTS = Assumption(
    0.1,
    "load balancer and CloudFront access logs take 0.1 GB per million requests in the log "
    "bucket (lines of 500-700 bytes, delivered gzip-compressed to about 100)",
)
S3_ACCESS_LOG_GB_PER_MILLION_REQUESTS = Assumption(
    0.5,
    "S3 server access logs take 0.5 GB per million requests to the bucket (records of about "
    "500 bytes, delivered uncompressed); S3 does not charge the PUTs that deliver them",
)
ALB_LOG_FILES_PER_NODE_HOUR = Assumption(
    12.0,
    "a load balancer delivers one access log file per zone every 5 minutes, one PUT each",
)
CLOUDFRONT_LOG_FILES_PER_HOUR = Assumption(
    12.0,
    "CloudFront delivers a distribution's log files about every 5 minutes, one PUT each "
    "(AWS says up to several times an hour, in more files as traffic grows)",
)
# ALB LCUs (cost/lcu.py holds AWS's definitions): what turns requests into the new
# connections and rule evaluations an LCU counts. HTTP Archive measured an average of 4
# requests per connection over web pages, half of them under 3
# (discuss.httparchive.org/t/distribution-of-http-requests-per-tcp-connection/365);
# API clients that keep connections open send more, so this errs on the costly side.
ALB_REQUESTS_PER_CONNECTION = Assumption(
    4.0,
    "a load balancer's clients send 4 requests per connection (HTTP Archive's average for "
    "web pages), traffic is even over the hours it runs, and active connections (no usage "
    "key says how long they stay open) are never its largest LCU dimension",
)
ALB_RULES_EVALUATED = Assumption(
    1.0,
    "every request to a load balancer is evaluated against all its listener rules (AWS "
    "stops at the first match, so this is the most it can be)",
)
EC2_DETAILED_MONITORING_METRICS = Assumption(
    7.0, "EC2 detailed monitoring bills 7 metrics per instance at the custom-metric price"
)
EXPRESS_DURATION_S = Assumption(
    0.1, "an Express workflow request runs 100 ms (the billing minimum) at 64 MB"
)
EXPRESS_MEMORY_GB = 64 / 1024
# X-Ray's default sampling rule records the first request each second and 5% of the rest.
XRAY_RESERVOIR_PER_MONTH = Assumption(
    730 * 3600,
    "X-Ray's default sampling records one request per second plus 5% of the rest",
)
XRAY_FIXED_RATE = 0.05


def xray_traces(requests: float) -> float:
    """Traces recorded under the default sampling rule for `requests` a month."""
    reservoir = XRAY_RESERVOIR_PER_MONTH.value
    if requests <= reservoir:
        return requests
    return reservoir + XRAY_FIXED_RATE * (requests - reservoir)
