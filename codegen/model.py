"""The resolved model: every resource an architecture document implies.

`codegen.resolve.resolve(document)` builds it once; the Terraform and CDK renderers
and the cost and security analyses all read it, and none of them re-derives a fact
that is here (an edge's IAM actions, a security group rule's port, where a database's
subnets are). Every fact names the node, and where it comes from an edge, the edge
that produced it, so findings and costs can point back at the canvas.

References between resources are `Ref(node_id, attribute)`: renderers turn them into
`aws_dynamodb_table.orders.arn` or `orders.table_arn` in their own language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Ref:
    """An attribute of a node's primary resource: arn, name, url, endpoint, secret_arn..."""

    node_id: str
    attribute: str


@dataclass
class Component:
    """One node, with catalog defaults applied and its placement resolved."""

    node_id: str
    type: str
    label: str
    ident: str  # Python identifier for the node, stable and unique (naming.py)
    props: dict[str, Any]
    usage: dict[str, float]
    parent_id: str | None = None
    vpc_id: str | None = None
    # Subnets the resource uses: its own subnet, or the VPC's subnets of the kind it
    # needs spread across availability zones (RDS, ElastiCache, ALB, ECS, Lambda).
    subnet_ids: tuple[str, ...] = ()
    has_security_group: bool = False
    # A Secrets Manager secret holds its credentials: an RDS master password, a Redis
    # AUTH token (Redis takes one only over TLS, so only with transit encryption).
    auth_secret: bool = False
    log_group_id: str | None = None  # a drawn log group it writes to, else its own
    env: dict[str, Ref] = field(default_factory=dict)


@dataclass(frozen=True)
class IamGrant:
    """Least-privilege permissions of `principal_id`'s role on one target resource."""

    edge_id: str
    principal_id: str
    target_id: str
    access: str | None
    actions: tuple[str, ...]
    # Resource ARNs as refs; attribute "objects" means the bucket's objects (arn/*).
    resources: tuple[Ref, ...]
    # aws-cdk-lib grant methods on the target construct that grant exactly `actions`.
    cdk_grants: tuple[str, ...]
    # Which construct the CDK grant method is called on: the target, or its secret.
    cdk_grant_on: Ref
    purpose: str  # data_access, event_source, network_access


@dataclass(frozen=True)
class EventSourceMapping:
    edge_id: str
    source_id: str
    function_id: str
    batch_size: int
    starting_position: str | None  # LATEST for streams, None for queues


@dataclass(frozen=True)
class InvokePermission:
    """Lets an AWS service invoke a function (API Gateway, SNS, S3, EventBridge...)."""

    edge_id: str
    function_id: str
    principal: str  # service principal, e.g. apigateway.amazonaws.com
    source_id: str


@dataclass(frozen=True)
class ApiRoute:
    edge_id: str
    api_id: str
    function_id: str
    path: str  # "/" for the API's only integration, else "/<segment>"


@dataclass(frozen=True)
class Subscription:
    edge_id: str
    topic_id: str
    endpoint_id: str
    protocol: str  # sqs or lambda


@dataclass(frozen=True)
class QueuePolicy:
    """Lets a service principal send to a queue, limited to one source ARN."""

    edge_id: str
    queue_id: str
    principal: str
    source_id: str


@dataclass(frozen=True)
class TopicPolicy:
    edge_id: str
    topic_id: str
    principal: str
    source_id: str


@dataclass(frozen=True)
class BucketNotification:
    edge_id: str
    bucket_id: str
    target_id: str
    target_type: str
    # S3 refuses two notifications for the same event type with overlapping filters,
    # so when a bucket notifies several targets each gets its own key prefix.
    prefix: str | None
    events: tuple[str, ...] = ("s3:ObjectCreated:*",)


@dataclass(frozen=True)
class RuleTarget:
    edge_id: str
    rule_id: str
    target_id: str
    target_type: str
    needs_role: bool  # Step Functions targets need a role EventBridge assumes


@dataclass(frozen=True)
class DeadLetterQueue:
    edge_id: str
    queue_id: str
    dead_letter_id: str
    max_receive_count: int


@dataclass(frozen=True)
class StateMachineTasks:
    """Lambda functions a state machine invokes, in edge order, as a chain of tasks."""

    state_machine_id: str
    function_ids: tuple[str, ...]
    edge_ids: tuple[str, ...]


@dataclass(frozen=True)
class CdnOrigin:
    edge_id: str
    distribution_id: str
    target_id: str
    target_type: str
    is_default: bool  # the first origin serves the default behaviour
    path_pattern: str | None  # other origins get "/<segment>/*"


@dataclass(frozen=True)
class LbTarget:
    edge_id: str
    alb_id: str
    target_id: str
    target_type: str  # ip (Fargate), instance (EC2) or lambda
    port: int | None
    health_check_path: str
    is_default: bool
    path_pattern: str | None
    priority: int | None


@dataclass(frozen=True)
class SecurityGroupRule:
    """Ingress to `node_id`'s security group, from another node's group or a CIDR."""

    node_id: str
    port: int
    protocol: str
    description: str
    source_node_id: str | None = None
    cidr: str | None = None
    edge_id: str | None = None
    to_port: int | None = None  # a range's end; None for one port


@dataclass(frozen=True)
class WafAssociation:
    edge_id: str
    acl_id: str
    target_id: str
    target_type: str


@dataclass(frozen=True)
class Authorizer:
    edge_id: str
    user_pool_id: str
    api_id: str
    api_type: str


@dataclass(frozen=True)
class DnsAlias:
    edge_id: str
    zone_id: str
    target_id: str
    target_type: str


@dataclass(frozen=True)
class AlarmSpec:
    alarm_id: str
    subject_id: str | None
    namespace: str | None
    metric_name: str | None
    dimension: str | None  # dimension name; its value is the subject's ref
    dimension_ref: Ref | None
    topic_ids: tuple[str, ...]
    subject_edge_id: str | None
    action_edge_ids: tuple[str, ...]


@dataclass(frozen=True)
class LogGroupSpec:
    """A log group a resource writes to: a drawn one, or one the model adds for it."""

    owner_id: str
    purpose: str  # lambda, api_access, state_machine, ecs, flow_logs, rotation
    drawn_id: str | None  # the log group node when one is connected
    retention_days: int


@dataclass(frozen=True)
class SecretRotation:
    """A secret rotated every `days` days by a function the model adds for it.

    The function's code is `Model.lambda_code[secret_id]`; it logs to the secret's
    `rotation` log group.
    """

    secret_id: str
    days: int
    runtime: str  # the function's, e.g. python3.12
    handler: str
    timeout_s: int


@dataclass(frozen=True)
class AccessLogSource:
    """A resource whose access logs go to the architecture's log bucket."""

    node_id: str
    type: str  # an S3 bucket (server access logs), a load balancer or a distribution
    # Key prefix as the service takes it: "<node id>/", but "<node id>" for a load
    # balancer, which adds "/AWSLogs/<account>/..." itself.
    prefix: str


@dataclass(frozen=True)
class LogBucket:
    """The architecture's one bucket of access logs (S3 server access logs, load
    balancer and CloudFront logs): S3-managed encryption, the only kind load balancer
    and S3 log delivery accept; public access blocked; logs expire."""

    sources: tuple[AccessLogSource, ...]
    # CloudFront delivers standard logs through an ACL grant, so the bucket keeps ACLs
    # (BucketOwnerPreferred) when a distribution logs to it, else BucketOwnerEnforced.
    acl_delivery: bool
    expiration_days: int


@dataclass(frozen=True)
class LambdaCode:
    function_id: str  # the function node, or the secret a rotation function serves
    directory: str  # e.g. functions/create_order
    filename: str  # e.g. index.py
    source: str


@dataclass(frozen=True)
class RouteTable:
    """One route table: the VPC's public one, or a private subnet's own."""

    vpc_id: str
    name: str  # "public" or the private subnet's id
    subnet_ids: tuple[str, ...]
    internet_gateway: bool
    nat_gateway_id: str | None


@dataclass
class Network:
    """What a VPC's containers imply: gateways, route tables, subnet spreads."""

    vpc_id: str
    public_subnet_ids: tuple[str, ...]
    private_subnet_ids: tuple[str, ...]
    internet_gateway: bool
    route_tables: tuple[RouteTable, ...]
    nat_gateway_ids: tuple[str, ...]


@dataclass(frozen=True)
class Warning:
    message: str
    node_id: str | None = None
    edge_id: str | None = None


@dataclass
class Model:
    name: str
    region: str
    name_prefix: str
    components: dict[str, Component]
    document: dict[str, Any]
    networks: dict[str, Network] = field(default_factory=dict)
    iam_grants: list[IamGrant] = field(default_factory=list)
    event_sources: list[EventSourceMapping] = field(default_factory=list)
    invoke_permissions: list[InvokePermission] = field(default_factory=list)
    api_routes: list[ApiRoute] = field(default_factory=list)
    subscriptions: list[Subscription] = field(default_factory=list)
    queue_policies: list[QueuePolicy] = field(default_factory=list)
    topic_policies: list[TopicPolicy] = field(default_factory=list)
    bucket_notifications: list[BucketNotification] = field(default_factory=list)
    rule_targets: list[RuleTarget] = field(default_factory=list)
    dead_letter_queues: list[DeadLetterQueue] = field(default_factory=list)
    state_machine_tasks: dict[str, StateMachineTasks] = field(default_factory=dict)
    cdn_origins: list[CdnOrigin] = field(default_factory=list)
    lb_targets: list[LbTarget] = field(default_factory=list)
    security_group_rules: list[SecurityGroupRule] = field(default_factory=list)
    waf_associations: list[WafAssociation] = field(default_factory=list)
    authorizers: list[Authorizer] = field(default_factory=list)
    dns_aliases: list[DnsAlias] = field(default_factory=list)
    alarms: list[AlarmSpec] = field(default_factory=list)
    log_groups: list[LogGroupSpec] = field(default_factory=list)
    # Code of every function: a function node's, and each rotated secret's rotation function.
    lambda_code: dict[str, LambdaCode] = field(default_factory=dict)
    secret_rotations: list[SecretRotation] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    waf_scopes: dict[str, str] = field(default_factory=dict)  # acl id -> CLOUDFRONT|REGIONAL
    log_bucket: LogBucket | None = None  # where access logs go, when anything writes them

    def of_type(self, *types: str) -> list[Component]:
        """Components of the given types, in document order."""
        return [c for c in self.components.values() if c.type in types]

    def grants_for(self, principal_id: str) -> list[IamGrant]:
        return [g for g in self.iam_grants if g.principal_id == principal_id]

    def has_stream(self, table_id: str) -> bool:
        """Whether a DynamoDB table feeds a function, so its stream must be on."""
        return any(m.source_id == table_id for m in self.event_sources)

    def access_log_source(self, node_id: str) -> AccessLogSource | None:
        """Where `node_id` writes its access logs, if it writes any."""
        sources = self.log_bucket.sources if self.log_bucket else ()
        return next((s for s in sources if s.node_id == node_id), None)

    def log_group_for(self, owner_id: str, purpose: str) -> LogGroupSpec | None:
        for spec in self.log_groups:
            if spec.owner_id == owner_id and spec.purpose == purpose:
                return spec
        return None
