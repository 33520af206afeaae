"""Which stack each node goes in, and the order constructs are written.

CloudFormation refuses a stack of more than 500 resources and 200 outputs, so a large
document becomes several stacks joined by cross-stack references (CDK turns them into
exports and imports). Two rules keep that deployable:

- References between stacks must form no cycle. Some CDK wiring puts resources in both
  constructs' stacks (an S3 notification lives with the bucket but the invoke
  permission with the function), so those pairs are `mutual` and always share a stack.
- Every other dependency runs one way. Nodes are sorted so that what a node refers to
  comes first (strongly connected groups kept whole), then cut into consecutive
  chunks: a later stack may refer to an earlier one, never the reverse.

The result depends only on the document, so the same document always splits the same.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from codegen import naming
from codegen.model import Model

# Resources CDK creates for one node of a type (roles, policies, log groups, routes...),
# measured on synthesized templates and rounded up.
RESOURCES_PER_NODE = {
    "aws.ec2.vpc": 8,
    "aws.ec2.subnet": 4,
    "aws.ec2.nat_gateway": 2,
    "aws.lambda.function": 5,
    "aws.ecs.fargate_service": 8,
    "aws.ec2.instance": 5,
    "aws.elbv2.application_load_balancer": 4,
    "aws.rds.instance": 6,
    "aws.elasticache.redis": 3,
    "aws.apigateway.rest_api": 8,
    "aws.apigatewayv2.http_api": 4,
    "aws.stepfunctions.state_machine": 4,
    "aws.cloudfront.distribution": 2,
    "aws.s3.bucket": 3,
    "aws.events.rule": 2,
    "aws.cognito.user_pool": 2,
}
RESOURCES_PER_EDGE = 2
# Stack budgets, well under CloudFormation's limits (500 resources, 200 outputs),
# because CDK adds resources of its own (custom resource handlers, policies).
MAX_RESOURCES = 480
MAX_EXPORTS = 240
# Attributes of a node other stacks may import (an ARN, a name, a URL).
EXPORTS_PER_NODE = 3

# Concern of each type: the tie-break that keeps networking, data, compute and the
# edge (APIs, CDNs, events) together where the dependencies allow.
CONCERN = {
    "aws.ec2.vpc": 0,
    "aws.ec2.subnet": 0,
    "aws.ec2.nat_gateway": 0,
    "aws.lambda.function": 2,
    "aws.ecs.fargate_service": 2,
    "aws.ec2.instance": 2,
    "aws.elbv2.application_load_balancer": 3,
    "aws.apigateway.rest_api": 3,
    "aws.apigatewayv2.http_api": 3,
    "aws.cloudfront.distribution": 3,
    "aws.wafv2.web_acl": 3,
    "aws.route53.hosted_zone": 3,
    "aws.events.rule": 3,
    "aws.stepfunctions.state_machine": 3,
    "aws.cloudwatch.alarm": 4,
}
DATA_CONCERN = 1


@dataclass
class Dependencies:
    """`after[a]` holds what `a` refers to; `construct[a]` the subset its constructor needs."""

    after: dict[str, set[str]] = field(default_factory=dict)
    construct: dict[str, set[str]] = field(default_factory=dict)

    def add(self, node: str, needs: str, *, construct: bool = False) -> None:
        if node == needs:
            return
        self.after.setdefault(node, set()).add(needs)
        if construct:
            self.construct.setdefault(node, set()).add(needs)

    def mutual(self, a: str, b: str) -> None:
        self.add(a, b)
        self.add(b, a)


def dependencies(model: Model) -> Dependencies:
    deps = Dependencies()
    for comp in model.components.values():
        if comp.type in ("aws.ec2.subnet", "aws.ec2.nat_gateway"):
            # A VPC's parts share its stack: routes and gateways refer to each other.
            deps.mutual(comp.node_id, comp.vpc_id or comp.parent_id)
            deps.add(comp.node_id, comp.parent_id, construct=True)
        elif comp.vpc_id:
            deps.add(comp.node_id, comp.vpc_id, construct=True)
        for ref in comp.env.values():
            deps.add(comp.node_id, ref.node_id, construct=True)
    for network in model.networks.values():
        for table in network.route_tables:
            if table.nat_gateway_id:
                for subnet_id in table.subnet_ids:
                    deps.add(subnet_id, table.nat_gateway_id, construct=True)
    for spec in model.log_groups:
        if spec.drawn_id:
            deps.add(spec.owner_id, spec.drawn_id, construct=True)
    for grant in model.iam_grants:
        deps.add(grant.principal_id, grant.target_id, construct=grant.purpose == "task_invoke")
    for rule in model.security_group_rules:
        if rule.source_node_id:
            deps.add(rule.source_node_id, rule.node_id)
    for mapping in model.event_sources:
        deps.add(mapping.function_id, mapping.source_id)
    for dlq in model.dead_letter_queues:
        deps.add(dlq.queue_id, dlq.dead_letter_id, construct=True)
    for route in model.api_routes:
        deps.add(route.api_id, route.function_id)
    for sub in model.subscriptions:
        deps.add(sub.endpoint_id, sub.topic_id)
    for note in model.bucket_notifications:
        deps.mutual(note.bucket_id, note.target_id)
    for target in model.rule_targets:
        if target.target_type == "aws.sqs.queue":
            deps.mutual(target.rule_id, target.target_id)
        else:
            deps.add(target.rule_id, target.target_id)
    for origin in model.cdn_origins:
        deps.add(origin.distribution_id, origin.target_id, construct=True)
        if origin.target_type == "aws.s3.bucket":
            deps.mutual(origin.distribution_id, origin.target_id)
    for target in model.lb_targets:
        if target.target_type == "ip":
            deps.mutual(target.alb_id, target.target_id)
        else:
            deps.add(target.alb_id, target.target_id)
    for assoc in model.waf_associations:
        if assoc.target_type == "aws.cloudfront.distribution":
            deps.add(assoc.target_id, assoc.acl_id, construct=True)
        else:
            deps.add(assoc.acl_id, assoc.target_id)
    for auth in model.authorizers:
        deps.add(auth.api_id, auth.user_pool_id, construct=True)
    for alias in model.dns_aliases:
        deps.add(alias.zone_id, alias.target_id)
    for alarm in model.alarms:
        if alarm.subject_id:
            deps.add(alarm.alarm_id, alarm.subject_id, construct=True)
        for topic_id in alarm.topic_ids:
            deps.add(alarm.alarm_id, topic_id, construct=True)
    return deps


def _components(nodes: list[str], after: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components (Tarjan, iterative), in document order of roots."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(after.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(after.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                out.append(group)
    return out


def _topological(items: list[str], needs: dict[str, set[str]], key) -> list[str]:
    """Topological order of `items` (what an item needs first), ties broken by `key`."""
    scope = set(items)
    waiting = {i: needs.get(i, set()) & scope for i in items}
    users: dict[str, list[str]] = {}
    for item, wanted in waiting.items():
        for need in wanted:
            users.setdefault(need, []).append(item)
    ready = [(key(i), i) for i in items if not waiting[i]]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, item = heapq.heappop(ready)
        order.append(item)
        for user in users.get(item, ()):
            waiting[user].discard(item)
            if not waiting[user]:
                heapq.heappush(ready, (key(user), user))
    # A cycle would leave items behind; keep them (in key order) rather than drop them.
    placed = set(order)
    return order + sorted((i for i in items if i not in placed), key=key)


@dataclass
class StackPlan:
    ident: str  # module and attribute name, e.g. "network" or "part_02"
    class_name: str
    stack_id: str  # CloudFormation stack name
    node_ids: list[str]  # construction order
    depends_on: list[str] = field(default_factory=list)  # idents of earlier stacks


def plan(model: Model, max_resources: int = MAX_RESOURCES) -> list[StackPlan]:
    deps = dependencies(model)
    position = {node_id: i for i, node_id in enumerate(model.components)}
    groups = _components(list(model.components), deps.after)
    group_of = {m: i for i, g in enumerate(groups) for m in g}

    def group_key(i: int):
        members = groups[i]
        concern = min(CONCERN.get(model.components[m].type, DATA_CONCERN) for m in members)
        return (concern, min(position[m] for m in members))

    group_needs: dict[str, set[str]] = {}
    for node, wanted in deps.after.items():
        for need in wanted:
            if group_of[need] != group_of[node]:
                group_needs.setdefault(str(group_of[node]), set()).add(str(group_of[need]))
    group_order = _topological(
        [str(i) for i in range(len(groups))], group_needs, lambda g: group_key(int(g))
    )

    edge_count: dict[str, int] = {}
    for edge in model.document.get("edges", []):
        edge_count[edge["source"]] = edge_count.get(edge["source"], 0) + 1
    needed = {need for wanted in deps.after.values() for need in wanted}

    chunks: list[list[str]] = [[]]
    resources = exported = 0
    for g in group_order:
        members = _topological(
            sorted(groups[int(g)], key=position.__getitem__),
            deps.construct,
            position.__getitem__,
        )
        cost = sum(
            RESOURCES_PER_NODE.get(model.components[m].type, 1)
            + RESOURCES_PER_EDGE * edge_count.get(m, 0)
            for m in members
        )
        out = EXPORTS_PER_NODE * sum(1 for m in members if m in needed)
        if chunks[-1] and (resources + cost > max_resources or exported + out > MAX_EXPORTS):
            chunks.append([])
            resources = exported = 0
        chunks[-1].extend(members)
        resources += cost
        exported += out

    prefix = model.name_prefix
    if len(chunks) == 1:
        return [StackPlan("main", "MainStack", prefix, chunks[0])]
    plans = [
        StackPlan(
            naming.stack_ident(i),
            naming.stack_class(i),
            f"{prefix}-{naming.stack_ident(i).replace('_', '-')}",
            chunk,
        )
        for i, chunk in enumerate(chunks, start=1)
    ]
    stack_of = {m: p.ident for p in plans for m in p.node_ids}
    for p in plans:
        needed = {stack_of[n] for m in p.node_ids for n in deps.after.get(m, ())}
        p.depends_on = [q.ident for q in plans if q.ident in needed and q.ident != p.ident]
    return plans
