"""Large, realistic, valid architecture documents for the benchmarks.

`make_document(n_nodes, seed)` tiles the canvas with building blocks a real team
draws: VPC platforms (subnets in two zones, NAT, load balancer, Fargate services,
PostgreSQL, Redis), serverless APIs (Cognito, REST API, Lambda, DynamoDB, SNS -> SQS
with a dead-letter queue), event pipelines (S3 -> Lambda -> Kinesis -> Lambda ->
DynamoDB, schedule -> Step Functions) and edge stacks (WAF, CloudFront, Route 53,
HTTP API). Blocks are wired with about one edge per node and end with alarms that
notify one shared ops topic. The same (n_nodes, seed) always gives the same
document, with exactly n_nodes nodes.

    python bench/docgen.py 1000 [--seed 3] > doc.json
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Callable
from typing import Any

BLOCK_WIDTH, BLOCK_HEIGHT = 1700, 1100
OPS_TOPIC = "ops-alerts"


class _Builder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []
        self.block = 0
        self.origin = (0, 0)

    def node(
        self,
        role: str,
        type_: str,
        label: str,
        x: int,
        y: int,
        parent: str | None = None,
        props: dict[str, Any] | None = None,
        size: tuple[int, int] | None = None,
    ) -> str:
        node_id = f"b{self.block}-{role}"
        # Children hold positions relative to their container, as the canvas does.
        ox, oy = (0, 0) if parent else self.origin
        node: dict[str, Any] = {
            "id": node_id,
            "type": type_,
            "name": f"{label} {self.block}",
            "parent": parent,
            "position": {"x": ox + x, "y": oy + y},
            "props": props or {},
        }
        if size:
            node["size"] = {"width": size[0], "height": size[1]}
        self.nodes.append(node)
        return node_id

    def edge(self, source: str, target: str, access: str | None = None) -> None:
        edge = {"id": f"e{len(self.edges)}", "source": source, "target": target}
        if access:
            edge["access"] = access
        self.edges.append(edge)

    def alarm(self, subject: str, label: str, x: int, y: int) -> None:
        alarm = self.node(f"{subject.split('-', 1)[1]}-alarm", ALARM, label, x, y)
        self.edge(subject, alarm)
        self.edge(alarm, OPS_TOPIC)

    def function(self, role: str, label: str, x: int, y: int, parent: str | None = None) -> str:
        rng = self.rng
        props = {
            "runtime": rng.choice(["python3.12", "python3.13", "nodejs20.x", "nodejs22.x"]),
            "memory_mb": rng.choice([128, 256, 512, 1024]),
            "timeout_s": rng.choice([10, 30, 60]),
            "architecture": rng.choice(["arm64", "x86_64"]),
        }
        return self.node(role, LAMBDA, label, x, y, parent, props)


LAMBDA = "aws.lambda.function"
ALARM = "aws.cloudwatch.alarm"
SUBNET = "aws.ec2.subnet"


def _platform(b: _Builder) -> None:
    """A VPC across two zones running containers, a database and a cache."""
    octet = b.block % 256
    vpc = b.node(
        "vpc",
        "aws.ec2.vpc",
        "Platform VPC",
        0,
        0,
        props={"cidr_block": f"10.{octet}.0.0/16"},
        size=(1160, 760),
    )
    subnets = {}
    for column, az in enumerate(("a", "b")):
        for row, public in enumerate((True, False)):
            kind = "public" if public else "private"
            subnets[kind, az] = b.node(
                f"{kind}-{az}",
                SUBNET,
                f"{kind.title()} subnet {az.upper()}",
                30 + column * 570,
                40 + row * 420,
                vpc,
                {
                    "cidr_block": f"10.{octet}.{row * 10 + column}.0/24",
                    "public": public,
                    "az_index": column,
                },
                size=(540, 130),
            )
    b.node("nat", "aws.ec2.nat_gateway", "NAT gateway", 30, 40, subnets["public", "a"])
    alb = b.node("alb", "aws.elbv2.application_load_balancer", "Load balancer", 480, 200, vpc)
    cpu = b.rng.choice([256, 512, 1024])
    service_props = {"cpu": cpu, "memory_mb": cpu * 2, "desired_count": b.rng.randint(1, 4)}
    api = b.node("api", "aws.ecs.fargate_service", "API service", 250, 300, vpc, service_props)
    worker = b.node("worker", "aws.ecs.fargate_service", "Worker", 700, 300, vpc, service_props)
    db = b.node(
        "db",
        "aws.rds.instance",
        "Database",
        250,
        620,
        vpc,
        {"engine": b.rng.choice(["postgres", "mysql"]), "multi_az": True},
    )
    cache = b.node("cache", "aws.elasticache.redis", "Cache", 700, 620, vpc)
    vm = b.node(
        "vm",
        "aws.ec2.instance",
        "Bastion",
        30,
        40,
        subnets["private", "b"],
        {"ingress": [{"port": 22, "cidr": f"10.{octet}.0.0/16"}]},
    )
    jobs = b.node("jobs", "aws.sqs.queue", "Jobs", 1250, 100)
    secret = b.node("secret", "aws.secretsmanager.secret", "App secret", 1250, 260)
    b.edge(alb, api)
    b.edge(api, db)
    b.edge(worker, db)
    b.edge(api, cache)
    b.edge(vm, db)
    b.edge(api, jobs, "write")
    b.edge(worker, jobs, "read")
    b.edge(api, secret, "read")
    b.alarm(db, "Database CPU", 1250, 420)
    b.alarm(api, "API CPU", 1250, 580)


def _serverless(b: _Builder) -> None:
    """A Cognito-protected REST API over Lambda, DynamoDB and an SNS/SQS fan-out."""
    users = b.node("users", "aws.cognito.user_pool", "Users", 0, 0)
    api = b.node("api", "aws.apigateway.rest_api", "REST API", 0, 200)
    logs = b.node(
        "api-logs",
        "aws.logs.log_group",
        "API logs",
        0,
        400,
        props={"retention_days": b.rng.choice([30, 90, 365])},
    )
    table = b.node("table", "aws.dynamodb.table", "Table", 600, 100)
    bucket = b.node("bucket", "aws.s3.bucket", "Files", 600, 300)
    topic = b.node("topic", "aws.sns.topic", "Events", 600, 500)
    access = ("write", "read", "read_write")
    functions = [b.function(f"fn{i}", f"Handler {i}", 300, i * 150) for i in range(3)]
    for function, level in zip(functions, access, strict=True):
        b.edge(api, function)
        b.edge(function, table, level)
    b.edge(functions[0], bucket, "write")
    b.edge(functions[2], topic, "write")
    queue = b.node("queue", "aws.sqs.queue", "Event queue", 900, 500)
    dlq = b.node("dlq", "aws.sqs.queue", "Dead letters", 900, 700)
    consumer = b.function("consumer", "Consumer", 1200, 500)
    b.edge(users, api)
    b.edge(api, logs)
    b.edge(topic, queue)
    b.edge(queue, dlq)
    b.edge(queue, consumer)
    b.edge(consumer, bucket, "read")
    b.alarm(consumer, "Consumer errors", 1200, 700)
    b.alarm(dlq, "Dead letters waiting", 900, 900)


def _pipeline(b: _Builder) -> None:
    """S3 -> Lambda -> Kinesis -> Lambda -> DynamoDB, and a scheduled workflow."""
    uploads = b.node("uploads", "aws.s3.bucket", "Uploads", 0, 0)
    ingest = b.function("ingest", "Ingest", 300, 0)
    stream = b.node(
        "stream", "aws.kinesis.stream", "Stream", 600, 0, props={"shard_count": b.rng.randint(1, 4)}
    )
    transform = b.function("transform", "Transform", 900, 0)
    results = b.node("results", "aws.dynamodb.table", "Results", 1200, 0)
    rule = b.node(
        "schedule",
        "aws.events.rule",
        "Schedule",
        0,
        300,
        props={"schedule_expression": f"rate({b.rng.randint(2, 60)} minutes)"},
    )
    workflow = b.node("workflow", "aws.stepfunctions.state_machine", "Workflow", 300, 300)
    steps = [b.function(f"step{i}", f"Step {i}", 600, 250 + i * 150) for i in range(2)]
    key = b.node("key", "aws.kms.key", "Data key", 900, 300)
    b.edge(uploads, ingest)
    b.edge(ingest, uploads, "read")
    b.edge(ingest, stream, "write")
    b.edge(stream, transform)
    b.edge(transform, results, "write")
    b.edge(rule, workflow)
    for step in steps:
        b.edge(workflow, step)
    b.edge(steps[0], results, "read")
    b.edge(steps[1], key, "read_write")
    b.alarm(stream, "Stream lag", 600, 600)


def _edge_stack(b: _Builder) -> None:
    """WAF, CloudFront over S3 and an HTTP API, DNS, an image registry."""
    waf = b.node("waf", "aws.wafv2.web_acl", "Web firewall", 0, 0)
    cdn = b.node("cdn", "aws.cloudfront.distribution", "CDN", 300, 0)
    zone = b.node(
        "zone",
        "aws.route53.hosted_zone",
        "DNS zone",
        0,
        200,
        props={"domain_name": f"site{b.block}.example.com"},
    )
    site = b.node("site", "aws.s3.bucket", "Site", 600, 0)
    http_api = b.node("http", "aws.apigatewayv2.http_api", "HTTP API", 600, 200)
    handler = b.function("handler", "HTTP handler", 900, 200)
    events = b.node(
        "events",
        "aws.events.rule",
        "Events",
        900,
        400,
        props={
            "schedule_expression": "",
            "event_pattern": json.dumps({"source": [f"app.block{b.block}"]}),
        },
    )
    b.node("images", "aws.ecr.repository", "Images", 300, 400)
    b.edge(waf, cdn)
    b.edge(zone, cdn)
    b.edge(cdn, site)
    b.edge(cdn, http_api)
    b.edge(http_api, handler)
    b.edge(events, handler)
    b.alarm(handler, "Handler errors", 1200, 200)


def _size(block: Callable[[_Builder], None]) -> int:
    scratch = _Builder(random.Random(0))
    block(scratch)
    return len(scratch.nodes)


# Each block with its node count, so the generator can hit n_nodes exactly.
BLOCKS = tuple((_size(block), block) for block in (_platform, _serverless, _pipeline, _edge_stack))


def _fillers(b: _Builder, count: int) -> None:
    """Top up with functions and the queues they write to, in pairs."""
    for index in range(count):
        x, y = 300 * (index % 5), 150 * (index // 5)
        if index % 2 == 0:
            b.function(f"fill{index}", "Task", x, y)
        else:
            queue = b.node(f"fill{index}", "aws.sqs.queue", "Task queue", x, y)
            b.edge(f"b{b.block}-fill{index - 1}", queue, "write")


def make_document(n_nodes: int, seed: int = 0) -> dict[str, Any]:
    """A valid cloudwright/v1 document of exactly `n_nodes` nodes, the same for a seed."""
    if n_nodes < 1:
        raise ValueError("n_nodes must be at least 1")
    rng = random.Random(seed)
    b = _Builder(rng)
    b.nodes.append(
        {
            "id": OPS_TOPIC,
            "type": "aws.sns.topic",
            "name": "Ops alerts",
            "parent": None,
            "position": {"x": -400, "y": 0},
            "props": {},
        }
    )
    remaining = n_nodes - 1
    plan: list[Callable[[_Builder], None]] = []
    while fitting := [(size, block) for size, block in BLOCKS if size <= remaining]:
        size, block = rng.choice(fitting)
        plan.append(block)
        remaining -= size
    columns = max(1, math.ceil(math.sqrt(len(plan) + 1)))
    for index, block in enumerate([*plan, None]):
        b.block = index
        b.origin = ((index % columns) * BLOCK_WIDTH, (index // columns) * BLOCK_HEIGHT)
        if block is None:
            _fillers(b, remaining)
        else:
            block(b)
    return {
        "format": "cloudwright/v1",
        "name": f"Generated {n_nodes} nodes (seed {seed})",
        "region": "us-east-1",
        "nodes": b.nodes,
        "edges": b.edges,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Print a generated architecture document.")
    parser.add_argument("n_nodes", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    json.dump(make_document(args.n_nodes, args.seed), sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
