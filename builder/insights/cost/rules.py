"""What each component type costs, as line items from its props and usage.

One function per catalog type; types with nothing billable (VPC, subnet) have none.
What the model implies beyond the drawn node (its log group, the secret of a
database, public addresses of gateways) is priced here too and marked `implied`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from builder.insights.cost import assumptions as A
from builder.insights.cost.lcu import alb_lcus
from builder.insights.cost.price_keys import RDS_ENGINES
from builder.insights.cost.pricer import Pricer
from codegen.model import Component, LogGroupSpec, Model

MILLION = 1_000_000


@dataclass
class Facts:
    """What the rules need to know about the model beyond one component."""

    model: Model
    # Lambda functions behind a traced REST API: their traces are the API's.
    traced_by_api: set[str]
    lambda_behind_alb: set[str]
    # Listener rules of each load balancer: one per target after the default one.
    listener_rules: Counter[str]

    @classmethod
    def of(cls, model: Model) -> Facts:
        comps = model.components
        traced_apis = {
            c.node_id
            for c in comps.values()
            if c.type == "aws.apigateway.rest_api" and c.props.get("tracing")
        }
        return cls(
            model=model,
            traced_by_api={r.function_id for r in model.api_routes if r.api_id in traced_apis},
            lambda_behind_alb={t.alb_id for t in model.lb_targets if t.target_type == "lambda"},
            listener_rules=Counter(t.alb_id for t in model.lb_targets if not t.is_default),
        )


Rule = Callable[[Component, Pricer, Facts], None]


def _xray(c: Component, p: Pricer, requests: float, driver: str) -> None:
    p.assume(A.XRAY_RESERVOIR_PER_MONTH)
    p.add(
        c.node_id,
        "X-Ray",
        "xray_traces",
        "Traces recorded (tracing on)",
        A.xray_traces(requests) / MILLION,
        ("xray", "traces_recorded_per_million"),
        drivers=(driver,),
        free=("xray", "free_tier_traces_recorded"),
        curve=lambda n: A.xray_traces(n) / MILLION,
        driver_value=requests,
        curve_linear_up_to=A.XRAY_RESERVOIR_PER_MONTH.value,
        implied=True,
    )


def lambda_function(c: Component, p: Pricer, facts: Facts) -> None:
    arm = c.props["architecture"] == "arm64"
    invocations = c.usage["invocations_per_month"]
    gb_seconds = invocations * c.usage["avg_duration_ms"] / 1000 * c.props["memory_mb"] / 1024
    p.add(
        c.node_id,
        "Lambda",
        "requests",
        "Requests",
        invocations / MILLION,
        ("lambda", "requests_per_million_arm64" if arm else "requests_per_million"),
        drivers=("invocations_per_month",),
        free=("lambda", "free_tier_requests"),
    )
    p.add(
        c.node_id,
        "Lambda",
        "duration",
        f"Compute ({c.props['memory_mb']} MB, {c.props['architecture']})",
        gb_seconds,
        ("lambda", "duration_arm64_per_gb_second" if arm else "duration_x86_per_gb_second"),
        drivers=("invocations_per_month", "avg_duration_ms"),
        free=("lambda", "free_tier_gb_seconds"),
    )
    if c.props.get("tracing") and c.node_id not in facts.traced_by_api:
        _xray(c, p, invocations, "invocations_per_month")


def rest_api(c: Component, p: Pricer, facts: Facts) -> None:
    requests = c.usage["requests_per_month"]
    p.add(
        c.node_id,
        "API Gateway",
        "requests",
        "REST API requests",
        requests / MILLION,
        ("api_gateway", "rest_requests_per_million"),
        drivers=("requests_per_month",),
    )
    if c.props.get("tracing"):
        _xray(c, p, requests, "requests_per_month")


def http_api(c: Component, p: Pricer, facts: Facts) -> None:
    p.add(
        c.node_id,
        "API Gateway",
        "requests",
        "HTTP API requests",
        c.usage["requests_per_month"] / MILLION,
        ("api_gateway", "http_requests_per_million"),
        drivers=("requests_per_month",),
    )


def dynamodb_table(c: Component, p: Pricer, facts: Facts) -> None:
    node = c.node_id
    if c.props["billing_mode"] == "PROVISIONED":
        for code, prop, key in (
            ("read_capacity", "read_capacity", "provisioned_rcu_per_hour"),
            ("write_capacity", "write_capacity", "provisioned_wcu_per_hour"),
        ):
            p.add(
                node,
                "DynamoDB",
                code,
                f"Provisioned {prop.replace('_', ' ')} ({c.props[prop]} units)",
                c.props[prop] * p.hours,
                ("dynamodb", key),
            )
    else:
        p.add(
            node,
            "DynamoDB",
            "reads",
            "On-demand read request units",
            c.usage["reads_per_month"] / MILLION,
            ("dynamodb", "on_demand_read_per_million_rru"),
            drivers=("reads_per_month",),
        )
        p.add(
            node,
            "DynamoDB",
            "writes",
            "On-demand write request units",
            c.usage["writes_per_month"] / MILLION,
            ("dynamodb", "on_demand_write_per_million_wru"),
            drivers=("writes_per_month",),
        )
    p.add(
        node,
        "DynamoDB",
        "storage",
        "Storage",
        c.usage["storage_gb"],
        ("dynamodb", "storage_per_gb_month"),
        drivers=("storage_gb",),
    )
    if c.props["point_in_time_recovery"]:
        p.add(
            node,
            "DynamoDB",
            "pitr",
            "Point-in-time recovery backup storage",
            c.usage["storage_gb"],
            ("dynamodb", "pitr_per_gb_month"),
            drivers=("storage_gb",),
        )


def s3_bucket(c: Component, p: Pricer, facts: Facts) -> None:
    node, u = c.node_id, c.usage
    p.add(
        node,
        "S3",
        "storage",
        "Standard storage",
        u["storage_gb"],
        ("s3", "standard_storage_per_gb_month"),
        drivers=("storage_gb",),
    )
    p.add(
        node,
        "S3",
        "put_requests",
        "PUT, COPY, POST, LIST requests",
        u["put_requests_per_month"] / 1000,
        ("s3", "put_copy_post_list_per_1000"),
        drivers=("put_requests_per_month",),
    )
    p.add(
        node,
        "S3",
        "get_requests",
        "GET and other requests",
        u["get_requests_per_month"] / 1000,
        ("s3", "get_select_other_per_1000"),
        drivers=("get_requests_per_month",),
    )
    p.add(
        node,
        "Data transfer",
        "transfer_out",
        "Data transfer out to the internet",
        u["transfer_out_gb"],
        ("data_transfer", "out_to_internet_per_gb_first_10tb"),
        drivers=("transfer_out_gb",),
        free=("data_transfer", "free_tier_out_to_internet"),
    )
    if c.props["encryption"] == "KMS":
        p.add(
            node,
            "KMS",
            "kms_key",
            "Customer-managed key of the bucket",
            1,
            ("kms", "customer_managed_key_per_month"),
            implied=True,
        )


def sqs_queue(c: Component, p: Pricer, facts: Facts) -> None:
    fifo = c.props["fifo"]
    p.add(
        c.node_id,
        "SQS",
        "requests",
        "FIFO requests" if fifo else "Standard requests",
        c.usage["requests_per_month"] / MILLION,
        ("sqs", "fifo_requests_per_million" if fifo else "standard_requests_per_million"),
        drivers=("requests_per_month",),
    )


def sns_topic(c: Component, p: Pricer, facts: Facts) -> None:
    p.add(
        c.node_id,
        "SNS",
        "publishes",
        "Publish requests",
        c.usage["publishes_per_month"] / MILLION,
        ("sns", "publish_requests_per_million"),
        drivers=("publishes_per_month",),
    )


def events_rule(c: Component, p: Pricer, facts: Facts) -> None:
    events = c.usage["events_per_month"] / MILLION
    if c.props["schedule_expression"]:
        p.not_charged(
            c.node_id,
            "EventBridge",
            "events",
            "Scheduled invocations (not charged)",
            events,
            "1M events",
        )
        return
    p.add(
        c.node_id,
        "EventBridge",
        "events",
        "Custom events matched",
        events,
        ("eventbridge", "custom_events_per_million"),
        drivers=("events_per_month",),
    )


def state_machine(c: Component, p: Pricer, facts: Facts) -> None:
    count = c.usage["transitions_per_month"]
    driver = ("transitions_per_month",)
    if c.props["workflow_type"] == "EXPRESS":
        seconds = p.assume(A.EXPRESS_DURATION_S)
        p.add(
            c.node_id,
            "Step Functions",
            "requests",
            "Express requests",
            count / MILLION,
            ("step_functions", "express_requests_per_million"),
            drivers=driver,
        )
        p.add(
            c.node_id,
            "Step Functions",
            "duration",
            "Express duration (64 MB)",
            count * seconds * A.EXPRESS_MEMORY_GB / 3600,
            ("step_functions", "express_duration_per_gb_hour"),
            drivers=driver,
        )
    else:
        p.add(
            c.node_id,
            "Step Functions",
            "transitions",
            "Standard state transitions",
            count / 1000,
            ("step_functions", "standard_state_transitions_per_1000"),
            drivers=driver,
        )
    if c.props.get("tracing"):
        _xray(c, p, count, "transitions_per_month")


def user_pool(c: Component, p: Pricer, facts: Facts) -> None:
    later = [
        p.price("cognito", key) for key in ("lite_mau_100001_to_1000000", "lite_mau_over_1000000")
    ]

    def tiers(first: float) -> tuple[tuple[float | None, float], ...]:
        # Without the free tier the first 100,000 users pay the first paid tier's price.
        second, third = (e.price if e else first for e in later)
        return ((100_000, first), (1_000_000, second), (None, third))

    p.add(
        c.node_id,
        "Cognito",
        "mau",
        "Monthly active users (Lite, graduated tiers)",
        c.usage["monthly_active_users"],
        ("cognito", "lite_mau_10001_to_100000"),
        drivers=("monthly_active_users",),
        free=("cognito", "free_tier_mau"),
        tiers=tiers,
    )


def secret(c: Component, p: Pricer, facts: Facts) -> None:
    p.add(
        c.node_id, "Secrets Manager", "secret", "Secret", 1, ("secrets_manager", "secret_per_month")
    )
    p.add(
        c.node_id,
        "Secrets Manager",
        "api_calls",
        "API calls",
        c.usage["api_calls_per_month"] / 10_000,
        ("secrets_manager", "api_calls_per_10k"),
        drivers=("api_calls_per_month",),
    )


def kms_key(c: Component, p: Pricer, facts: Facts) -> None:
    key = ("kms", "customer_managed_key_per_month")
    p.add(c.node_id, "KMS", "key", "Customer-managed key", 1, key)
    p.add(
        c.node_id,
        "KMS",
        "requests",
        "Cryptographic requests",
        c.usage["requests_per_month"] / 10_000,
        ("kms", "requests_per_10k"),
        drivers=("requests_per_month",),
    )


def _public_ipv4(c: Component, p: Pricer, count: int, hours: float, why: str) -> None:
    p.add(
        c.node_id,
        "VPC",
        "public_ipv4",
        f"Public IPv4 addresses ({why})",
        count * hours,
        ("vpc", "public_ipv4_per_hour"),
        implied=True,
    )


def ec2_instance(c: Component, p: Pricer, facts: Facts) -> None:
    hours = c.usage["hours_per_month"]
    instance_type = c.props["instance_type"]
    p.add(
        c.node_id,
        "EC2",
        "instance",
        f"{instance_type} Linux instance",
        hours,
        ("ec2", f"{instance_type}.linux_per_hour"),
    )
    p.add(
        c.node_id,
        "EBS",
        "root_volume",
        "gp3 root volume",
        c.props["volume_gb"],
        ("ebs", "gp3_storage_per_gb_month"),
        implied=True,
    )
    if c.props["detailed_monitoring"]:
        p.add(
            c.node_id,
            "CloudWatch",
            "detailed_monitoring",
            "Detailed monitoring metrics",
            p.assume(A.EC2_DETAILED_MONITORING_METRICS),
            ("cloudwatch", "custom_metric_per_month"),
            implied=True,
        )
    if c.props["associate_public_ip"]:
        _public_ipv4(c, p, 1, hours, "instance")


def nat_gateway(c: Component, p: Pricer, facts: Facts) -> None:
    p.add(
        c.node_id,
        "VPC",
        "nat_hours",
        "NAT gateway hours",
        p.hours,
        ("vpc", "nat_gateway_per_hour"),
    )
    p.add(
        c.node_id,
        "VPC",
        "nat_processed",
        "NAT gateway data processed",
        c.usage["data_processed_gb"],
        ("vpc", "nat_gateway_per_gb_processed"),
        drivers=("data_processed_gb",),
    )
    _public_ipv4(c, p, 1, p.hours, "elastic IP of the NAT gateway")


def load_balancer(c: Component, p: Pricer, facts: Facts) -> None:
    hours = c.usage["hours_per_month"]
    p.add(c.node_id, "ELB", "alb_hours", "Load balancer hours", hours, ("elb", "alb_per_hour"))
    alb_lcus(c, p, c.node_id in facts.lambda_behind_alb, facts.listener_rules.get(c.node_id, 0))
    if c.props["internet_facing"]:
        zones = alb_zones(c)
        _public_ipv4(c, p, zones, hours, f"one per zone, {zones} zones")


def alb_zones(c: Component) -> int:
    """Availability zones the model spreads a load balancer over (AWS needs at least two):
    one node, one public address when internet-facing, and one log file stream in each."""
    return max(len(c.subnet_ids), 2)


def fargate_service(c: Component, p: Pricer, facts: Facts) -> None:
    arch = "arm64" if c.props["architecture"] == "arm64" else "x86"
    task_hours = c.props["desired_count"] * c.usage["hours_per_month"]
    vcpu, memory_gb = c.props["cpu"] / 1024, c.props["memory_mb"] / 1024
    label = f"{c.props['desired_count']} tasks, {c.props['architecture']}"
    p.add(
        c.node_id,
        "Fargate",
        "vcpu",
        f"vCPU ({vcpu:g} vCPU x {label})",
        task_hours * vcpu,
        ("fargate", f"linux_{arch}_per_vcpu_hour"),
    )
    p.add(
        c.node_id,
        "Fargate",
        "memory",
        f"Memory ({memory_gb:g} GB x {label})",
        task_hours * memory_gb,
        ("fargate", f"linux_{arch}_per_gb_hour"),
    )


def rds_instance(c: Component, p: Pricer, facts: Facts) -> None:
    multi_az = c.props["multi_az"]
    instance_class = c.props["instance_class"]
    deployment = "multi_az" if multi_az else "single_az"
    engine = RDS_ENGINES[c.props["engine"]]
    p.add(
        c.node_id,
        "RDS",
        "instance",
        f"{instance_class} {c.props['engine']} ({'Multi-AZ' if multi_az else 'Single-AZ'})",
        c.usage["hours_per_month"],
        ("rds", f"{instance_class}.{engine}.{deployment}_per_hour"),
    )
    # The Multi-AZ standby has storage of its own, billed like the primary's.
    copies = 2 if multi_az else 1
    p.add(
        c.node_id,
        "RDS",
        "storage",
        f"gp3 storage{' (primary and standby)' if multi_az else ''}",
        c.props["allocated_storage_gb"] * copies,
        ("rds", "storage_gp3_per_gb_month"),
    )
    p.add(
        c.node_id,
        "Secrets Manager",
        "credentials",
        "Database credentials secret",
        1,
        ("secrets_manager", "secret_per_month"),
        implied=True,
    )


def redis(c: Component, p: Pricer, facts: Facts) -> None:
    nodes = c.props["num_cache_nodes"]
    p.add(
        c.node_id,
        "ElastiCache",
        "nodes",
        f"{c.props['node_type']} Redis OSS nodes (x{nodes})",
        nodes * c.usage["hours_per_month"],
        ("elasticache", f"{c.props['node_type']}.redis_oss_per_hour"),
    )


def cloudfront(c: Component, p: Pricer, facts: Facts) -> None:
    p.add(
        c.node_id,
        "CloudFront",
        "transfer_out",
        "Data transfer out to viewers",
        c.usage["transfer_out_gb"],
        ("cloudfront", "data_transfer_out_us_first_10tb_per_gb"),
        drivers=("transfer_out_gb",),
        free=("cloudfront", "free_tier_data_transfer_out"),
    )
    p.add(
        c.node_id,
        "CloudFront",
        "requests",
        "HTTPS requests",
        c.usage["requests_per_month"] / 10_000,
        ("cloudfront", "https_requests_us_per_10k"),
        drivers=("requests_per_month",),
        free=("cloudfront", "free_tier_requests"),
    )


def web_acl(c: Component, p: Pricer, facts: Facts) -> None:
    # A web ACL protecting CloudFront lives in, and is priced in, us-east-1.
    region = "us-east-1" if facts.model.waf_scopes.get(c.node_id) == "CLOUDFRONT" else None
    rules = len(c.props["managed_rule_groups"]) + (1 if c.props["rate_limit_per_5min"] else 0)
    p.add(c.node_id, "WAF", "web_acl", "Web ACL", 1, ("waf", "web_acl_per_month"), region=region)
    p.add(
        c.node_id,
        "WAF",
        "rules",
        "Rules and managed rule groups",
        rules,
        ("waf", "rule_per_month"),
        region=region,
    )
    p.add(
        c.node_id,
        "WAF",
        "requests",
        "Requests inspected",
        c.usage["requests_per_month"] / MILLION,
        ("waf", "requests_per_million"),
        drivers=("requests_per_month",),
        region=region,
    )


LOG_LABELS = {
    "lambda": "function logs",
    "api_access": "API access logs",
    "state_machine": "execution logs",
    "ecs": "container logs",
    "flow_logs": "VPC flow logs",
}


def _logs(
    p: Pricer,
    node_id: str,
    ingested: float,
    stored: float,
    drivers: tuple[str, ...],
    implied: bool,
    what: str,
) -> None:
    label = f" ({LOG_LABELS[what]})" if implied else ""
    p.add(
        node_id,
        "CloudWatch",
        f"{what}_ingestion",
        f"Log ingestion{label}",
        ingested,
        ("cloudwatch", "logs_ingestion_per_gb"),
        drivers=drivers,
        implied=implied,
    )
    p.add(
        node_id,
        "CloudWatch",
        f"{what}_storage",
        f"Log storage{label}",
        stored,
        ("cloudwatch", "logs_storage_per_gb_month"),
        drivers=drivers,
        implied=implied,
    )


def log_group(c: Component, p: Pricer, facts: Facts) -> None:
    _logs(
        p,
        c.node_id,
        c.usage["ingested_gb"],
        c.usage["stored_gb"],
        ("ingested_gb",),
        False,
        "logs",
    )


def alarm(c: Component, p: Pricer, facts: Facts) -> None:
    p.add(
        c.node_id,
        "CloudWatch",
        "alarm",
        "Standard-resolution alarm",
        1,
        ("cloudwatch", "standard_alarm_per_month"),
    )


def hosted_zone(c: Component, p: Pricer, facts: Facts) -> None:
    p.add(c.node_id, "Route 53", "zone", "Hosted zone", 1, ("route53", "hosted_zone_per_month"))
    p.add(
        c.node_id,
        "Route 53",
        "queries",
        "Standard queries",
        c.usage["queries_per_month"] / MILLION,
        ("route53", "standard_queries_per_million"),
        drivers=("queries_per_month",),
    )


def kinesis_stream(c: Component, p: Pricer, facts: Facts) -> None:
    shards = c.props["shard_count"]
    p.add(
        c.node_id,
        "Kinesis",
        "shards",
        f"Provisioned shards (x{shards})",
        shards * p.hours,
        ("kinesis_data_streams", "provisioned_shard_hour"),
    )
    p.add(
        c.node_id,
        "Kinesis",
        "put_units",
        "PUT payload units",
        c.usage["put_payload_units_per_month"] / MILLION,
        ("kinesis_data_streams", "put_payload_units_per_million"),
        drivers=("put_payload_units_per_month",),
    )


def ecr_repository(c: Component, p: Pricer, facts: Facts) -> None:
    p.add(
        c.node_id,
        "ECR",
        "storage",
        "Image storage",
        c.usage["storage_gb"],
        ("ecr", "storage_per_gb_month"),
        drivers=("storage_gb",),
    )


RULES: dict[str, Rule] = {
    "aws.lambda.function": lambda_function,
    "aws.apigateway.rest_api": rest_api,
    "aws.apigatewayv2.http_api": http_api,
    "aws.dynamodb.table": dynamodb_table,
    "aws.s3.bucket": s3_bucket,
    "aws.sqs.queue": sqs_queue,
    "aws.sns.topic": sns_topic,
    "aws.events.rule": events_rule,
    "aws.stepfunctions.state_machine": state_machine,
    "aws.cognito.user_pool": user_pool,
    "aws.secretsmanager.secret": secret,
    "aws.kms.key": kms_key,
    "aws.ec2.instance": ec2_instance,
    "aws.ec2.nat_gateway": nat_gateway,
    "aws.elbv2.application_load_balancer": load_balancer,
    "aws.ecs.fargate_service": fargate_service,
    "aws.rds.instance": rds_instance,
    "aws.elasticache.redis": redis,
    "aws.cloudfront.distribution": cloudfront,
    "aws.wafv2.web_acl": web_acl,
    "aws.logs.log_group": log_group,
    "aws.cloudwatch.alarm": alarm,
    "aws.route53.hosted_zone": hosted_zone,
    "aws.kinesis.stream": kinesis_stream,
    "aws.ecr.repository": ecr_repository,
}
# Containers: no charge of their own (an internet gateway and route tables are free).
FREE_TYPES = frozenset({"aws.ec2.vpc", "aws.ec2.subnet"})


def implied_logs(spec: LogGroupSpec, owner: Component, p: Pricer) -> None:
    """Ingestion and storage of a log group the model adds for `owner`."""
    u = owner.usage
    if spec.purpose == "lambda":
        per = p.assume(A.LOG_GB_PER_MILLION_INVOCATIONS)
        ingested, drivers = u["invocations_per_month"] / MILLION * per, ("invocations_per_month",)
    elif spec.purpose == "api_access":
        per = p.assume(A.LOG_GB_PER_MILLION_API_REQUESTS)
        ingested, drivers = u["requests_per_month"] / MILLION * per, ("requests_per_month",)
    elif spec.purpose == "state_machine":
        per = p.assume(A.LOG_GB_PER_MILLION_TRANSITIONS)
        ingested, drivers = u["transitions_per_month"] / MILLION * per, ("transitions_per_month",)
    elif spec.purpose == "ecs":
        tasks = owner.props["desired_count"] * u["hours_per_month"] / p.hours
        ingested, drivers = tasks * p.assume(A.LOG_GB_PER_TASK_MONTH), ()
    elif spec.purpose == "rotation":
        return  # a few lines per rotation of a secret: nothing to price
    else:  # flow_logs
        ingested, drivers = p.assume(A.FLOW_LOG_GB_PER_VPC_MONTH), ()
    months = min(spec.retention_days / 30, p.assume(A.LOG_STORED_MONTHS_CAP))
    _logs(p, owner.node_id, ingested, ingested * months, drivers, True, spec.purpose)
