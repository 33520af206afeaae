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
Adding nodes can shift that order and move existing nodes to another stack, which
CloudFormation would replace; so the app records its assignment (`stacks.json`) and a
regeneration given it keeps every recorded node in its stack where the dependencies
and budgets allow, placing only new nodes (`_keeping`).

CloudFront takes web ACLs from us-east-1 only: when the architecture is elsewhere they
go in a stack of their own in us-east-1 (`us_east_1`), which the stacks of the
distributions refer to across regions.
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
# A rotated secret's function, role, policy, permission, log group, schedule, policy.
RESOURCES_PER_ROTATION = 7
# Stack budgets, well under CloudFormation's limits (500 resources, 200 outputs),
# because CDK adds resources of its own (custom resource handlers, policies).
MAX_RESOURCES = 480
MAX_EXPORTS = 240
# Attributes of a node other stacks may import (an ARN, a name, a URL).
EXPORTS_PER_NODE = 3

MAIN = "main"  # the one stack of an app that needs no split
US_EAST_1 = "us-east-1"
US_EAST_1_STACK = "us_east_1"

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
    ident: str  # module and attribute name: "main", "part_02" or "us_east_1"
    class_name: str
    stack_id: str  # CloudFormation stack name
    node_ids: list[str]  # construction order
    depends_on: list[str] = field(default_factory=list)  # idents of earlier stacks
    region: str | None = None  # a region of its own, else the architecture's


# Previous assignment: stack idents in deployment order, each with its node ids.
Assignment = list[tuple[str, list[str]]]


def us_east_1_nodes(model: Model) -> list[str]:
    """Nodes that must live in us-east-1 when the architecture is elsewhere: the web
    ACLs protecting CloudFront (CLOUDFRONT scope exists in us-east-1 only)."""
    if model.region == US_EAST_1:
        return []
    return [
        c.node_id
        for c in model.of_type("aws.wafv2.web_acl")
        if model.waf_scopes[c.node_id] == "CLOUDFRONT"
    ]


@dataclass
class _Group:
    members: list[str]  # construction order
    resources: int
    exports: int


def _groups(model: Model, deps: Dependencies, leave_out: set[str]) -> list[_Group]:
    """Strongly connected groups in dependency order (what a group needs comes first),
    ties broken by concern then document order, with their estimated cost."""
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

    cost = Cost(model, deps)
    out = []
    for g in group_order:
        if leave_out & set(groups[int(g)]):
            continue
        members = _topological(
            sorted(groups[int(g)], key=position.__getitem__),
            deps.construct,
            position.__getitem__,
        )
        out.append(_Group(members, *cost(members)))
    return out


class Cost:
    """A set of nodes' estimated share of a stack: (resources, exports)."""

    def __init__(self, model: Model, deps: Dependencies):
        self.model = model
        self.edge_count: dict[str, int] = {}
        for edge in model.document.get("edges", []):
            self.edge_count[edge["source"]] = self.edge_count.get(edge["source"], 0) + 1
        self.needed = {need for wanted in deps.after.values() for need in wanted}
        self.rotated = {r.secret_id for r in model.secret_rotations}

    def __call__(self, node_ids: list[str]) -> tuple[int, int]:
        resources = sum(
            RESOURCES_PER_NODE.get(self.model.components[m].type, 1)
            + RESOURCES_PER_EDGE * self.edge_count.get(m, 0)
            + RESOURCES_PER_ROTATION * (m in self.rotated)
            for m in node_ids
        )
        return resources, EXPORTS_PER_NODE * sum(1 for m in node_ids if m in self.needed)


def _consecutive(groups: list[_Group], max_resources: int) -> list[list[str]]:
    """Cut the ordered groups into consecutive chunks within the budgets."""
    chunks: list[list[str]] = [[]]
    resources = exported = 0
    for group in groups:
        over = resources + group.resources > max_resources or exported + group.exports > MAX_EXPORTS
        if chunks[-1] and over:
            chunks.append([])
            resources = exported = 0
        chunks[-1].extend(group.members)
        resources += group.resources
        exported += group.exports
    return chunks


def _keeping(
    groups: list[_Group],
    deps: Dependencies,
    previous: Assignment,
    max_resources: int,
) -> list[tuple[str, list[str]]]:
    """Place groups so that the nodes `previous` records keep their stack.

    A recorded node moves (forward) only when it must refer to a node in a later stack:
    a new connection, or new nodes it refers to that fit in no stack at or before its
    own. New nodes go to the first stack with room after what they refer to; a stack
    is added at the end when none has room.
    """
    idents = [ident for ident, _ in previous]
    pinned = {node: k for k, (_, nodes) in enumerate(previous) for node in nodes}
    load = [[0, 0] for _ in idents]
    home: dict[int, int] = {}  # group index -> stack index
    group_of = {m: i for i, g in enumerate(groups) for m in g.members}
    needs = [
        {group_of[n] for m in g.members for n in deps.after.get(m, ()) if n in group_of} - {i}
        for i, g in enumerate(groups)
    ]
    users: dict[int, set[int]] = {}
    for i, wanted in enumerate(needs):
        for need in wanted:
            users.setdefault(need, set()).add(i)

    def fits(k: int, g: _Group) -> bool:
        return load[k][0] + g.resources <= max_resources and load[k][1] + g.exports <= MAX_EXPORTS

    def place(i: int, lowest: int, highest: int | None = None) -> None:
        g = groups[i]
        candidates = range(lowest, len(idents) if highest is None else highest + 1)
        k = next((k for k in candidates if fits(k, g)), None)
        if k is None and highest is not None:
            k = next((k for k in range(lowest, len(idents)) if fits(k, g)), None)
        if k is None:
            k = len(idents)
            taken = set(idents)
            number = len(idents) + 1
            while naming.stack_ident(number) in taken:
                number += 1
            idents.append(naming.stack_ident(number))
            load.append([0, 0])
        put(i, k)

    def lowest(i: int) -> int:
        return max((home[n] for n in needs[i] if n in home), default=0)

    def put(i: int, k: int) -> None:
        home[i] = k
        load[k][0] += groups[i].resources
        load[k][1] += groups[i].exports

    # Nodes that were placed before keep their stack, whatever its budget says (the
    # budget leaves room under CloudFormation's limits): moving would replace them.
    # A group whose nodes were apart (a new mutual pair) joins the last of them.
    for i, g in enumerate(groups):
        kept = [pinned[m] for m in g.members if m in pinned]
        if kept:
            put(i, max(max(kept), lowest(i)))
    # New nodes go at or before the stacks of the recorded nodes that refer to them,
    # directly or through other new nodes, where there is room: those are placed first
    # (what they need is bounded too, so already placed), then the free ones.
    ceiling: dict[int, int | None] = {}
    for i in reversed(range(len(groups))):
        if i not in home:
            bounds = [home[u] if u in home else ceiling[u] for u in users.get(i, ())]
            ceiling[i] = min((b for b in bounds if b is not None), default=None)
    for bounded in (True, False):
        for i in range(len(groups)):
            if i not in home and (ceiling[i] is not None) == bounded:
                place(i, lowest(i), ceiling[i])
    # A new node placed after a stack that refers to it moves that stack's referrers on.
    for i, g in enumerate(groups):
        low = lowest(i)
        if home[i] < low:
            load[home[i]][0] -= g.resources
            load[home[i]][1] -= g.exports
            place(i, low)
    stacks: list[tuple[str, list[str]]] = [(ident, []) for ident in idents]
    for i, g in enumerate(groups):
        stacks[home[i]][1].extend(g.members)
    return [(ident, nodes) for ident, nodes in stacks if nodes]


def _class_name(ident: str) -> str:
    return "".join(word.capitalize() for word in ident.split("_")) + "Stack"


def _stack(prefix: str, ident: str, node_ids: list[str], region: str | None = None) -> StackPlan:
    stack_id = prefix if ident == MAIN else f"{prefix}-{ident.replace('_', '-')}"
    return StackPlan(ident, _class_name(ident), stack_id, node_ids, region=region)


def plan(
    model: Model, max_resources: int = MAX_RESOURCES, previous: Assignment | None = None
) -> list[StackPlan]:
    """The stacks of the app, in deployment order.

    Without `previous` the split depends only on the document. With the assignment a
    previous generation recorded (`assignment`), nodes it placed keep their stack.
    """
    deps = dependencies(model)
    east = us_east_1_nodes(model)
    groups = _groups(model, deps, set(east))
    earlier = [
        (ident, [n for n in nodes if n in model.components and n not in east])
        for ident, nodes in previous or ()
        if ident != US_EAST_1_STACK
    ]
    earlier = [(ident, nodes) for ident, nodes in earlier if nodes]
    if earlier:
        placed = _keeping(groups, deps, earlier, max_resources)
    else:
        chunks = _consecutive(groups, max_resources)
        names = (
            [MAIN]
            if len(chunks) == 1
            else [naming.stack_ident(i) for i in range(1, len(chunks) + 1)]
        )
        placed = list(zip(names, chunks, strict=True))
    prefix = model.name_prefix
    plans = [_stack(prefix, ident, nodes) for ident, nodes in placed if nodes or not east]
    if east:
        plans.insert(0, _stack(prefix, US_EAST_1_STACK, east, region=US_EAST_1))
    stack_of = {m: p.ident for p in plans for m in p.node_ids}
    for p in plans:
        needed = {stack_of[n] for m in p.node_ids for n in deps.after.get(m, ())}
        p.depends_on = [q.ident for q in plans if q.ident in needed and q.ident != p.ident]
    return plans


def assignment(plans: list[StackPlan]) -> Assignment:
    return [(p.ident, list(p.node_ids)) for p in plans]
