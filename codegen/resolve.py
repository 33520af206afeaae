"""Resolve an architecture document into the one model every output reads.

Each edge kind in the catalog has one function here that carries it out; a test
checks that every kind the catalog declares has one.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path
from typing import Any

from builder.catalog import Catalog, check_document, get_catalog
from codegen import naming
from codegen.model import (
    AccessLogSource,
    AlarmSpec,
    ApiRoute,
    Authorizer,
    BucketNotification,
    CdnOrigin,
    Component,
    DeadLetterQueue,
    DnsAlias,
    EventSourceMapping,
    IamGrant,
    InvokePermission,
    LambdaCode,
    LbTarget,
    LogBucket,
    LogGroupSpec,
    Model,
    Network,
    QueuePolicy,
    Ref,
    RouteTable,
    RuleTarget,
    SecretRotation,
    SecurityGroupRule,
    StateMachineTasks,
    Subscription,
    TopicPolicy,
    WafAssociation,
    Warning,
)

VPC = "aws.ec2.vpc"
SUBNET = "aws.ec2.subnet"
LAMBDA = "aws.lambda.function"
ECS = "aws.ecs.fargate_service"
EC2 = "aws.ec2.instance"
ALB = "aws.elbv2.application_load_balancer"
RDS = "aws.rds.instance"
REDIS = "aws.elasticache.redis"
NAT = "aws.ec2.nat_gateway"
S3 = "aws.s3.bucket"
SQS = "aws.sqs.queue"
SNS = "aws.sns.topic"
SFN = "aws.stepfunctions.state_machine"
CLOUDFRONT = "aws.cloudfront.distribution"
REST_API = "aws.apigateway.rest_api"
HTTP_API = "aws.apigatewayv2.http_api"
SECRET = "aws.secretsmanager.secret"

# Regions whose buckets CloudFront delivers no standard logs to (CloudFront's docs).
CLOUDFRONT_NO_LOG_REGIONS = {
    "af-south-1",
    "ap-east-1",
    "ap-south-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ca-west-1",
    "eu-central-2",
    "eu-south-1",
    "eu-south-2",
    "il-central-1",
    "me-central-1",
    "me-south-1",
}
# Access logs are kept a year, as log groups are by default, then expire.
ACCESS_LOG_DAYS = 365

# Types that get a security group of their own when they sit in a VPC.
SECURITY_GROUP_TYPES = {LAMBDA, ECS, EC2, ALB, RDS, REDIS}
# Types AWS places in at least two availability zones.
MULTI_AZ_TYPES = {ALB, RDS}
# Where a principal's environment variables go: compute with an environment.
ENV_TYPES = {LAMBDA, ECS, EC2}

STUB_SOURCE = {
    "python": (
        "import json\n"
        "import logging\n\n"
        "logger = logging.getLogger()\n"
        "logger.setLevel(logging.INFO)\n\n\n"
        "def {function}(event, context):\n"
        "    logger.info(json.dumps(event))\n"
        '    return {{"statusCode": 200, "body": json.dumps({{"ok": True}})}}\n'
    ),
    "nodejs": (
        "export const {function} = async (event) => {{\n"
        "  console.log(JSON.stringify(event));\n"
        "  return {{ statusCode: 200, body: JSON.stringify({{ ok: true }}) }};\n"
        "}};\n"
    ),
}


# The rotation function of a secret whose rotation_days is set.
ROTATION_SOURCE = (Path(__file__).parent / "functions" / "rotate_secret.py").read_text()


class _Resolver:
    def __init__(self, doc: dict[str, Any], catalog: Catalog):
        self.doc = doc
        self.catalog = catalog
        nodes = doc.get("nodes", [])
        self.nodes = {n["id"]: n for n in nodes}
        idents = naming.unique_idents([n["id"] for n in nodes])
        name = doc.get("name", "") or "cloudwright"
        self.model = Model(
            name=name,
            region=doc.get("region", "us-east-1"),
            # The API fixes the prefix in metadata when an architecture is created, so
            # renaming the architecture later never renames (and replaces) resources.
            name_prefix=doc.get("metadata", {}).get("name_prefix") or naming.slug(name, 20),
            components={},
            document=doc,
        )
        for node in nodes:
            type_ = catalog.types[node["type"]]
            self.model.components[node["id"]] = Component(
                node_id=node["id"],
                type=node["type"],
                label=node.get("name", "") or node["id"],
                ident=idents[node["id"]],
                props={**type_.default_props(), **node.get("props", {})},
                usage={**type_.default_usage(), **node.get("usage", {})},
                parent_id=node.get("parent"),
            )
        self.edges = [
            (
                edge,
                catalog.rule_for(
                    self.nodes[edge["source"]]["type"], self.nodes[edge["target"]]["type"]
                ).kind,
            )
            for edge in doc.get("edges", [])
        ]

    def warn(self, message: str, node_id: str | None = None, edge_id: str | None = None):
        self.model.warnings.append(Warning(message, node_id, edge_id))

    def comp(self, node_id: str) -> Component:
        return self.model.components[node_id]

    # -- containers -------------------------------------------------------------

    def vpc_of(self, node_id: str) -> str | None:
        current = self.nodes[node_id].get("parent")
        while current is not None:
            if self.nodes[current]["type"] == VPC:
                return current
            current = self.nodes[current].get("parent")
        return None

    def resolve_networks(self) -> None:
        subnets_by_vpc: dict[str, list[Component]] = {}
        for comp in self.model.of_type(SUBNET):
            subnets_by_vpc.setdefault(comp.parent_id, []).append(comp)
        for vpc in self.model.of_type(VPC):
            subnets = sorted(
                subnets_by_vpc.get(vpc.node_id, []),
                key=lambda s: (s.props["az_index"], s.node_id),
            )
            public = tuple(s.node_id for s in subnets if s.props["public"])
            private = tuple(s.node_id for s in subnets if not s.props["public"])
            nats = [c for c in self.model.of_type(NAT) if c.parent_id in public]
            nat_by_az: dict[int, str] = {}
            for nat in nats:
                nat_by_az.setdefault(self.comp(nat.parent_id).props["az_index"], nat.node_id)
            tables = []
            if public:
                tables.append(RouteTable(vpc.node_id, "public", public, True, None))
            for subnet_id in private:
                az = self.comp(subnet_id).props["az_index"]
                nat_id = nat_by_az.get(az) or (nats[0].node_id if nats else None)
                tables.append(RouteTable(vpc.node_id, subnet_id, (subnet_id,), False, nat_id))
            self.model.networks[vpc.node_id] = Network(
                vpc_id=vpc.node_id,
                public_subnet_ids=public,
                private_subnet_ids=private,
                internet_gateway=bool(public),
                route_tables=tuple(tables),
                nat_gateway_ids=tuple(n.node_id for n in nats),
            )

    def place(self, comp: Component) -> None:
        comp.vpc_id = self.vpc_of(comp.node_id) if comp.type not in (VPC,) else None
        type_ = self.catalog.types[comp.type]
        if comp.type in SECURITY_GROUP_TYPES and comp.vpc_id:
            comp.has_security_group = True
        comp.auth_secret = comp.type == RDS or (
            comp.type == REDIS and comp.props["transit_encryption"]
        )
        if comp.type == SUBNET or comp.vpc_id is None:
            return
        parent = self.comp(comp.parent_id)
        if not type_.placement.spread:
            comp.subnet_ids = (parent.node_id,) if parent.type == SUBNET else ()
            return
        network = self.model.networks[comp.vpc_id]
        if comp.type == ALB:
            public = comp.props["internet_facing"]
        elif parent.type == SUBNET:
            public = parent.props["public"]
        else:
            public = False
        wanted = network.public_subnet_ids if public else network.private_subnet_ids
        kind = "public" if public else "private"
        if not wanted:
            wanted = network.public_subnet_ids + network.private_subnet_ids
            self.warn(
                f"{comp.label} needs {kind} subnets in its VPC; add some"
                + (" (using the VPC's other subnets for now)" if wanted else ""),
                comp.node_id,
            )
        # One subnet per availability zone: an ALB accepts no more, and it is what
        # spreading across zones means for the others.
        by_az: dict[int, str] = {}
        for subnet_id in wanted:
            by_az.setdefault(self.comp(subnet_id).props["az_index"], subnet_id)
        comp.subnet_ids = tuple(by_az[az] for az in sorted(by_az))
        needs_two = comp.type in MULTI_AZ_TYPES or (
            comp.type == REDIS and comp.props["num_cache_nodes"] > 1
        )
        if needs_two and len(by_az) < 2:
            self.warn(
                f"{comp.label} needs {kind} subnets in at least two availability zones",
                comp.node_id,
            )

    # -- per-node implications --------------------------------------------------

    def resolve_nodes(self) -> None:
        for comp in self.model.components.values():
            self.place(comp)
            if comp.type == ALB and comp.has_security_group:
                port = 443 if comp.props["listener_protocol"] == "HTTPS" else 80
                vpc_cidr = self.comp(comp.vpc_id).props["cidr_block"]
                cidr = "0.0.0.0/0" if comp.props["internet_facing"] else vpc_cidr
                self.sg_rule(
                    comp.node_id, port, f"{comp.props['listener_protocol']} listener", cidr=cidr
                )
            if comp.type == EC2:
                for index, rule in enumerate(comp.props["ingress"]):
                    self.sg_rule(
                        comp.node_id,
                        rule["port"],
                        f"ingress rule {index + 1}",
                        cidr=rule["cidr"],
                        protocol=rule.get("protocol", "tcp"),
                    )
            if comp.type == LAMBDA:
                self.lambda_code(comp)
            if comp.type == SECRET and comp.props["rotation_days"]:
                self.secret_rotation(comp)
        for comp in self.model.components.values():
            for purpose, wanted in (
                ("lambda", comp.type == LAMBDA),
                ("ecs", comp.type == ECS),
                (
                    "api_access",
                    comp.type in (REST_API, HTTP_API) and comp.props.get("access_logging"),
                ),
                ("state_machine", comp.type == SFN and comp.props.get("logging")),
                ("flow_logs", comp.type == VPC and comp.props.get("flow_logs")),
                ("rotation", comp.type == SECRET and comp.props.get("rotation_days")),
            ):
                if wanted:
                    self.log_group(comp, purpose)

    def log_group(self, comp: Component, purpose: str) -> None:
        drawn = comp.log_group_id if purpose != "api_access" or comp.log_group_id else None
        retention = (
            self.comp(drawn).props["retention_days"]
            if drawn
            else comp.props.get("log_retention_days", 365)
        )
        self.model.log_groups.append(LogGroupSpec(comp.node_id, purpose, drawn, retention))

    def lambda_code(self, comp: Component) -> None:
        module, _, function = comp.props["handler"].rpartition(".")
        module = module or "index"
        language = "python" if comp.props["runtime"].startswith("python") else "nodejs"
        filename = f"{module}.py" if language == "python" else f"{module}.mjs"
        source = comp.props["code"] or STUB_SOURCE[language].format(function=function)
        if not source.endswith("\n"):
            source += "\n"
        self.model.lambda_code[comp.node_id] = LambdaCode(
            comp.node_id, f"functions/{comp.ident}", filename, source
        )

    def secret_rotation(self, comp: Component) -> None:
        self.model.secret_rotations.append(
            SecretRotation(
                comp.node_id,
                comp.props["rotation_days"],
                runtime="python3.12",
                handler="index.handler",
                timeout_s=30,
            )
        )
        taken = {c.ident for c in self.model.components.values()}
        directory = f"functions/{naming.companion_ident(comp.ident, 'rotation', taken)}"
        self.model.lambda_code[comp.node_id] = LambdaCode(
            comp.node_id, directory, "index.py", ROTATION_SOURCE
        )

    def sg_rule(
        self, node_id, port, description, *, cidr=None, source=None, edge_id=None, protocol="tcp"
    ) -> None:
        self.model.security_group_rules.append(
            SecurityGroupRule(
                node_id=node_id,
                port=port,
                protocol=protocol,
                description=description,
                source_node_id=source,
                cidr=cidr,
                edge_id=edge_id,
            )
        )

    # -- edges ------------------------------------------------------------------

    def resolve_edges(self) -> None:
        for edge, kind in self.edges:
            if kind == "log_destination":
                self.comp(edge["source"]).log_group_id = edge["target"]
        self.resolve_nodes()
        handlers: dict[str, Callable[[dict, list], None]] = {
            kind: getattr(self, f"edge_{kind}") for kind in EDGE_KINDS
        }
        grouped: dict[str, list[dict]] = {}
        for edge, kind in self.edges:
            grouped.setdefault(kind, []).append(edge)
        for kind in EDGE_KINDS:
            for edge in grouped.get(kind, []):
                handlers[kind](edge, grouped[kind])
        self.resolve_alarms(grouped.get("alarm_subject", []), grouped.get("alarm_action", []))
        self.resolve_waf_scopes()

    def add_env(self, principal_id: str, target_id: str, suffix: str, attribute: str) -> None:
        principal = self.comp(principal_id)
        if principal.type in ENV_TYPES:
            principal.env[naming.env_name(target_id, suffix)] = Ref(target_id, attribute)

    def edge_data_access(self, edge: dict, _all: list) -> None:
        target = self.comp(edge["target"])
        type_ = self.catalog.types[target.type]
        access = edge.get("access") or self.catalog.default_access(target.type)
        spec = type_.data_access
        grants = spec["cdk_grant"][access]
        self.model.iam_grants.append(
            IamGrant(
                edge_id=edge["id"],
                principal_id=edge["source"],
                target_id=target.node_id,
                access=access,
                actions=type_.actions_for(access),
                resources=tuple(Ref(target.node_id, r) for r in spec["resources"]),
                cdk_grants=tuple(grants) if isinstance(grants, list) else (grants,),
                cdk_grant_on=Ref(target.node_id, "construct"),
                purpose="data_access",
            )
        )
        if target.type == S3 and target.props["encryption"] == "KMS":
            key_actions: dict[str, None] = {}
            for level in ("read", "write") if access == "read_write" else (access,):
                key_actions.update(dict.fromkeys(spec["key_actions"][level]))
            self.model.iam_grants.append(
                IamGrant(
                    edge["id"],
                    edge["source"],
                    target.node_id,
                    access,
                    tuple(key_actions),
                    (Ref(target.node_id, "kms_key_arn"),),
                    (),
                    Ref(target.node_id, "construct"),
                    "data_access_key",
                )
            )
        env = spec["env"]
        self.add_env(edge["source"], target.node_id, env["suffix"], env["attribute"])

    def edge_event_source(self, edge: dict, _all: list) -> None:
        source = self.comp(edge["source"])
        spec = self.catalog.types[source.type].event_source
        stream = source.type != SQS
        if not stream:
            self.cover_function_timeout(source, self.comp(edge["target"]), edge["id"])
        self.model.event_sources.append(
            EventSourceMapping(
                edge["id"],
                source.node_id,
                edge["target"],
                batch_size=100 if stream else 10,
                starting_position="LATEST" if stream else None,
            )
        )
        self.model.iam_grants.append(
            IamGrant(
                edge["id"],
                edge["target"],
                source.node_id,
                "read",
                tuple(spec["actions"]),
                tuple(Ref(source.node_id, r) for r in spec["resources"]),
                (),
                Ref(source.node_id, "construct"),
                "event_source",
            )
        )

    def cover_function_timeout(self, queue: Component, function: Component, edge_id: str) -> None:
        """Raise the queue's visibility timeout to the consuming function's timeout.

        AWS refuses to connect a queue whose messages would reappear while a function
        still works on them. Validation could refuse the document instead, but it checks
        every collaborative edit, and a rule across two boxes would make the order of
        edits matter; raising the value (and saying so) keeps the drawing workable.
        """
        timeout, visibility = function.props["timeout_s"], queue.props["visibility_timeout_s"]
        if visibility >= timeout:
            return
        queue.props["visibility_timeout_s"] = timeout
        self.warn(
            f"{queue.label}'s visibility timeout is raised from {visibility} s to {timeout} s, "
            f"the timeout of {function.label} which consumes it (AWS refuses a shorter one; "
            "it recommends six times the function's timeout)",
            queue.node_id,
            edge_id,
        )

    def edge_dead_letter_queue(self, edge: dict, _all: list) -> None:
        source = self.comp(edge["source"])
        self.model.dead_letter_queues.append(
            DeadLetterQueue(
                edge["id"], source.node_id, edge["target"], source.props["max_receive_count"]
            )
        )

    def edge_api_integration(self, edge: dict, all_edges: list) -> None:
        siblings = [e for e in all_edges if e["source"] == edge["source"]]
        path = "/" if len(siblings) == 1 else f"/{naming.path_segment(edge['target'])}"
        self.model.api_routes.append(ApiRoute(edge["id"], edge["source"], edge["target"], path))
        self.model.invoke_permissions.append(
            InvokePermission(edge["id"], edge["target"], "apigateway.amazonaws.com", edge["source"])
        )

    def edge_subscription(self, edge: dict, _all: list) -> None:
        target = self.comp(edge["target"])
        protocol = "sqs" if target.type == SQS else "lambda"
        self.model.subscriptions.append(
            Subscription(edge["id"], edge["source"], target.node_id, protocol)
        )
        self.allow_service(edge, "sns.amazonaws.com")

    def allow_service(self, edge: dict, principal: str) -> None:
        """Let a service that `edge`'s source stands for reach its target."""
        target = self.comp(edge["target"])
        if target.type == LAMBDA:
            self.model.invoke_permissions.append(
                InvokePermission(edge["id"], target.node_id, principal, edge["source"])
            )
        elif target.type == SQS:
            self.model.queue_policies.append(
                QueuePolicy(edge["id"], target.node_id, principal, edge["source"])
            )
        elif target.type == SNS:
            self.model.topic_policies.append(
                TopicPolicy(edge["id"], target.node_id, principal, edge["source"])
            )

    def edge_bucket_notification(self, edge: dict, all_edges: list) -> None:
        siblings = [e for e in all_edges if e["source"] == edge["source"]]
        prefix = None
        if len(siblings) > 1:
            prefix = f"{naming.path_segment(edge['target'])}/"
            if edge is siblings[0]:
                self.warn(
                    "S3 sends one event type to one target per key prefix, so each target "
                    "of this bucket gets the objects under its own prefix",
                    edge["source"],
                )
        target = self.comp(edge["target"])
        self.model.bucket_notifications.append(
            BucketNotification(edge["id"], edge["source"], target.node_id, target.type, prefix)
        )
        self.allow_service(edge, "s3.amazonaws.com")

    def edge_rule_target(self, edge: dict, _all: list) -> None:
        target = self.comp(edge["target"])
        needs_role = target.type == SFN
        self.model.rule_targets.append(
            RuleTarget(edge["id"], edge["source"], target.node_id, target.type, needs_role)
        )
        if needs_role:
            self.model.iam_grants.append(
                IamGrant(
                    edge["id"],
                    edge["source"],
                    target.node_id,
                    None,
                    ("states:StartExecution",),
                    (Ref(target.node_id, "arn"),),
                    (),
                    Ref(target.node_id, "construct"),
                    "rule_target",
                )
            )
        else:
            self.allow_service(edge, "events.amazonaws.com")

    def edge_task_invoke(self, edge: dict, _all: list) -> None:
        sm_id = edge["source"]
        tasks = self.model.state_machine_tasks.get(sm_id)
        self.model.state_machine_tasks[sm_id] = StateMachineTasks(
            sm_id,
            (tasks.function_ids if tasks else ()) + (edge["target"],),
            (tasks.edge_ids if tasks else ()) + (edge["id"],),
        )
        self.model.iam_grants.append(
            IamGrant(
                edge["id"],
                sm_id,
                edge["target"],
                None,
                ("lambda:InvokeFunction",),
                (Ref(edge["target"], "arn"), Ref(edge["target"], "arn_versions")),
                (),
                Ref(edge["target"], "construct"),
                "task_invoke",
            )
        )

    def _origin(self, edge: dict, all_edges: list) -> None:
        siblings = [
            e
            for e in self.edges
            if e[1] in ("cdn_s3_origin", "cdn_origin") and e[0]["source"] == edge["source"]
        ]
        is_default = siblings[0][0] is edge
        target = self.comp(edge["target"])
        self.model.cdn_origins.append(
            CdnOrigin(
                edge["id"],
                edge["source"],
                target.node_id,
                target.type,
                is_default,
                None if is_default else f"/{naming.path_segment(target.node_id)}/*",
            )
        )

    edge_cdn_s3_origin = _origin
    edge_cdn_origin = _origin

    def edge_lb_target(self, edge: dict, all_edges: list) -> None:
        siblings = [e for e in all_edges if e["source"] == edge["source"]]
        index = siblings.index(edge)
        target = self.comp(edge["target"])
        target_type, port = {
            ECS: ("ip", target.props.get("container_port")),
            EC2: ("instance", 80),
            LAMBDA: ("lambda", None),
        }[target.type]
        self.model.lb_targets.append(
            LbTarget(
                edge["id"],
                edge["source"],
                target.node_id,
                target_type,
                port,
                target.props.get("health_check_path", "/"),
                index == 0,
                None if index == 0 else f"/{naming.path_segment(target.node_id)}/*",
                None if index == 0 else 10 * index,
            )
        )
        if target.type == LAMBDA:
            self.model.invoke_permissions.append(
                InvokePermission(
                    edge["id"], target.node_id, "elasticloadbalancing.amazonaws.com", edge["source"]
                )
            )
        elif target.has_security_group and self.comp(edge["source"]).has_security_group:
            self.sg_rule(
                target.node_id,
                port,
                "from the load balancer",
                source=edge["source"],
                edge_id=edge["id"],
            )

    def edge_network_access(self, edge: dict, _all: list) -> None:
        source, target = self.comp(edge["source"]), self.comp(edge["target"])
        spec = self.catalog.types[target.type].network_access
        port_spec = spec["port"]
        port = port_spec.get("value") or port_spec["values"][target.props[port_spec["prop"]]]
        if source.has_security_group and target.has_security_group:
            if source.vpc_id != target.vpc_id:
                self.warn(
                    f"{source.label} and {target.label} are in different VPCs", edge_id=edge["id"]
                )
            self.sg_rule(
                target.node_id,
                port,
                f"from {source.node_id}",
                source=source.node_id,
                edge_id=edge["id"],
            )
        else:
            self.warn(
                f"{source.label} must sit in {target.label}'s VPC to reach it",
                source.node_id,
                edge["id"],
            )
        self.add_env(
            source.node_id, target.node_id, spec["env"]["suffix"], spec["env"]["attribute"]
        )
        if "secret_env" in spec and target.auth_secret:
            self.add_env(source.node_id, target.node_id, spec["secret_env"]["suffix"], "secret_arn")
            self.model.iam_grants.append(
                IamGrant(
                    edge["id"],
                    source.node_id,
                    target.node_id,
                    "read",
                    ("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
                    (Ref(target.node_id, "secret_arn"),),
                    ("grant_read",),
                    Ref(target.node_id, "secret"),
                    "network_access",
                )
            )

    def edge_waf_association(self, edge: dict, _all: list) -> None:
        target = self.comp(edge["target"])
        self.model.waf_associations.append(
            WafAssociation(edge["id"], edge["source"], target.node_id, target.type)
        )

    def edge_authorizer(self, edge: dict, _all: list) -> None:
        api = self.comp(edge["target"])
        self.model.authorizers.append(Authorizer(edge["id"], edge["source"], api.node_id, api.type))

    def edge_dns_alias(self, edge: dict, _all: list) -> None:
        target = self.comp(edge["target"])
        self.model.dns_aliases.append(
            DnsAlias(edge["id"], edge["source"], target.node_id, target.type)
        )

    def edge_log_destination(self, edge: dict, _all: list) -> None:
        """Handled before the nodes resolve: it changes where their logs go."""

    def edge_alarm_subject(self, edge: dict, _all: list) -> None:
        """Collected per alarm in resolve_alarms."""

    def edge_alarm_action(self, edge: dict, _all: list) -> None:
        """Collected per alarm in resolve_alarms."""

    def resolve_alarms(self, subject_edges: list[dict], action_edges: list[dict]) -> None:
        # Indexed once: scanning every edge per alarm is quadratic in a large document.
        subject_of: dict[str, dict] = {}
        for edge in subject_edges:
            subject_of.setdefault(edge["target"], edge)
        actions_of: dict[str, list[dict]] = {}
        for edge in action_edges:
            actions_of.setdefault(edge["source"], []).append(edge)
        for alarm in self.model.of_type("aws.cloudwatch.alarm"):
            subject_edge = subject_of.get(alarm.node_id)
            actions = actions_of.get(alarm.node_id, [])
            subject = self.comp(subject_edge["source"]) if subject_edge else None
            metrics = self.catalog.types[subject.type].metrics if subject else None
            if subject is None:
                self.warn(f"{alarm.label} watches nothing: connect a resource to it", alarm.node_id)
            dimension_attribute = {
                "FunctionName": "name",
                "TableName": "name",
                "QueueName": "name",
                "TopicName": "name",
                "StreamName": "name",
                "ApiName": "name",
                "ApiId": "id",
                "ServiceName": "name",
                "InstanceId": "id",
                "DBInstanceIdentifier": "id",
                "ReplicationGroupId": "id",
                "StateMachineArn": "arn",
            }
            self.model.alarms.append(
                AlarmSpec(
                    alarm_id=alarm.node_id,
                    subject_id=subject.node_id if subject else None,
                    namespace=metrics["namespace"] if metrics else None,
                    metric_name=(alarm.props["metric_name"] or metrics["default_metric"])
                    if metrics
                    else None,
                    dimension=metrics["dimension"] if metrics else None,
                    dimension_ref=Ref(subject.node_id, dimension_attribute[metrics["dimension"]])
                    if metrics
                    else None,
                    topic_ids=tuple(e["target"] for e in actions),
                    subject_edge_id=subject_edge["id"] if subject_edge else None,
                    action_edge_ids=tuple(e["id"] for e in actions),
                )
            )

    def resolve_waf_scopes(self) -> None:
        for acl in self.model.of_type("aws.wafv2.web_acl"):
            cloudfront = any(
                a.acl_id == acl.node_id and a.target_type == CLOUDFRONT
                for a in self.model.waf_associations
            )
            self.model.waf_scopes[acl.node_id] = "CLOUDFRONT" if cloudfront else "REGIONAL"
            if cloudfront and self.model.region != "us-east-1":
                self.warn(
                    f"{acl.label} protects CloudFront, so it is created in us-east-1", acl.node_id
                )

    def resolve_log_bucket(self) -> None:
        sources = [AccessLogSource(b.node_id, S3, f"{b.node_id}/") for b in self.model.of_type(S3)]
        for alb in self.model.of_type(ALB):
            if alb.props["access_logs"]:
                sources.append(AccessLogSource(alb.node_id, ALB, alb.node_id))
        for cdn in self.model.of_type(CLOUDFRONT):
            if not cdn.props["access_logs"]:
                continue
            if self.model.region in CLOUDFRONT_NO_LOG_REGIONS:
                self.warn(
                    f"{cdn.label} writes no access logs: CloudFront delivers none to buckets "
                    f"in {self.model.region}",
                    cdn.node_id,
                )
                continue
            sources.append(AccessLogSource(cdn.node_id, CLOUDFRONT, f"{cdn.node_id}/"))
        if sources:
            self.model.log_bucket = LogBucket(
                tuple(sources),
                acl_delivery=any(s.type == CLOUDFRONT for s in sources),
                expiration_days=ACCESS_LOG_DAYS,
            )

    def check_vpc_ranges(self) -> None:
        for vpc in self.model.of_type(VPC):
            if ipaddress.IPv4Network(vpc.props["cidr_block"]).prefixlen < 16:
                self.warn("AWS accepts VPC ranges from /16 to /28", vpc.node_id)

    def run(self) -> Model:
        self.resolve_networks()
        self.resolve_edges()
        self.resolve_log_bucket()
        self.check_vpc_ranges()
        return self.model


EDGE_KINDS = (
    "log_destination",
    "data_access",
    "event_source",
    "dead_letter_queue",
    "api_integration",
    "subscription",
    "bucket_notification",
    "rule_target",
    "task_invoke",
    "cdn_s3_origin",
    "cdn_origin",
    "lb_target",
    "network_access",
    "waf_association",
    "authorizer",
    "dns_alias",
    "alarm_subject",
    "alarm_action",
)


def resolve(
    document: dict[str, Any], catalog: Catalog | None = None, *, checked: bool = False
) -> Model:
    """The model of a valid document; raises DocumentInvalid for an invalid one.

    `checked` says the caller has just validated it (check_document), so it is not
    validated twice.
    """
    catalog = catalog or get_catalog()
    if not checked:
        check_document(document, catalog)
    return _Resolver(document, catalog).run()
