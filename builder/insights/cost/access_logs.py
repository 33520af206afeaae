"""The access-log bucket the model adds (`model.log_bucket`), priced per source.

Each load balancer, distribution and bucket that logs to it is charged, as implied
items on its own node (like the log groups the model adds), for the S3 Standard storage
its logs take while the bucket keeps them and, where AWS bills them, for the PUTs that
deliver the files. The volume comes from the source's request counts (usage keys) and
a stated size per request, listed in the estimate's assumptions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from builder.catalog import Catalog
from builder.insights.cost import assumptions as A
from builder.insights.cost.pricer import Pricer
from builder.insights.cost.rules import MILLION, alb_zones
from codegen.model import AccessLogSource, Component, LogBucket

# The resolver logs every S3 bucket (server access logs are always on) and each node
# whose type has an `access_logs` prop and turns it on.
ALWAYS_LOGGED = frozenset({"aws.s3.bucket"})


@dataclass(frozen=True)
class Stream:
    """Log lines written for the requests one usage key counts."""

    code: str
    usage_key: str
    description: str


# PUTs a month that deliver a source's log files, and how they were counted.
Deliveries = Callable[[Component, Pricer], tuple[float, str]]


@dataclass(frozen=True)
class LogSource:
    size: A.Assumption  # GB stored per million requests
    streams: tuple[Stream, ...]
    deliveries: Deliveries | None  # None: AWS does not charge the delivering PUTs


def _alb_deliveries(c: Component, p: Pricer) -> tuple[float, str]:
    zones = alb_zones(c)
    files = p.assume(A.ALB_LOG_FILES_PER_NODE_HOUR) * zones * c.usage["hours_per_month"]
    return files, f"every 5 minutes in each of {zones} zones"


def _cloudfront_deliveries(c: Component, p: Pricer) -> tuple[float, str]:
    return p.assume(A.CLOUDFRONT_LOG_FILES_PER_HOUR) * p.hours, "about every 5 minutes"


SOURCES: dict[str, LogSource] = {
    "aws.elbv2.application_load_balancer": LogSource(
        A.ACCESS_LOG_GB_PER_MILLION_REQUESTS,
        (Stream("access_log_storage", "requests_per_month", "Access logs in the log bucket"),),
        _alb_deliveries,
    ),
    "aws.cloudfront.distribution": LogSource(
        A.ACCESS_LOG_GB_PER_MILLION_REQUESTS,
        (Stream("access_log_storage", "requests_per_month", "Standard logs in the log bucket"),),
        _cloudfront_deliveries,
    ),
    # A record per request, PUTs and GETs alike: two streams, so each grows with its key.
    "aws.s3.bucket": LogSource(
        A.S3_ACCESS_LOG_GB_PER_MILLION_REQUESTS,
        (
            Stream(
                "access_log_storage_writes",
                "put_requests_per_month",
                "Server access logs of PUT, COPY, POST, LIST requests in the log bucket",
            ),
            Stream(
                "access_log_storage_reads",
                "get_requests_per_month",
                "Server access logs of GET requests in the log bucket",
            ),
        ),
        None,
    ),
}


def log_source_types(catalog: Catalog) -> frozenset[str]:
    """Every type the resolver can put among the log bucket's sources."""
    switchable = {name for name, t in catalog.types.items() if "access_logs" in t.props}
    return ALWAYS_LOGGED | switchable


def access_logs(source: AccessLogSource, owner: Component, bucket: LogBucket, p: Pricer) -> None:
    """Storage of `owner`'s logs in the log bucket and the PUTs that deliver them."""
    kind = SOURCES[source.type]
    per_million = p.assume(kind.size)
    months = min(bucket.expiration_days / 30, p.assume(A.LOG_STORED_MONTHS_CAP))
    for stream in kind.streams:
        monthly_gb = owner.usage[stream.usage_key] / MILLION * per_million
        p.add(
            owner.node_id,
            "S3",
            stream.code,
            f"{stream.description} ({per_million:g} GB per million requests, "
            f"kept {months:g} months)",
            monthly_gb * months,
            ("s3", "standard_storage_per_gb_month"),
            drivers=(stream.usage_key,),
            implied=True,
        )
    if kind.deliveries is not None:
        files, how = kind.deliveries(owner, p)
        p.add(
            owner.node_id,
            "S3",
            "access_log_puts",
            f"PUTs delivering log files to the log bucket ({how})",
            files / 1000,
            ("s3", "put_copy_post_list_per_1000"),
            implied=True,
        )
