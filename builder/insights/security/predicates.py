"""Named predicates that rules refer to by name, with parameters from the rule data.

Each predicate is evaluated on one component of a type its rule applies to and
answers False (nothing to report), True (report this node) or a `Hit` naming further
nodes and edges that make up the finding: a path from the internet, the edges that
grant too much. The parameters a rule may pass are the predicate's keyword-only
arguments; the rule loader checks them against the signature at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from builder.insights.security.context import INTERNET, ScanContext
from codegen.model import Component

RDS = "aws.rds.instance"
EC2 = "aws.ec2.instance"
CLOUDFRONT = "aws.cloudfront.distribution"
DATABASES = ("aws.rds.instance", "aws.elasticache.redis")


@dataclass(frozen=True)
class Hit:
    """What a predicate found beyond the component itself."""

    node_ids: tuple[str, ...] = ()
    edge_ids: tuple[str, ...] = ()
    # Nodes whose exposure makes the finding, for fixes that close it.
    exposed: tuple[str, ...] = ()


Result = bool | Hit
Predicate = Callable[..., Result]
PREDICATES: dict[str, Predicate] = {}


def predicate(fn: Predicate) -> Predicate:
    PREDICATES[fn.__name__] = fn
    return fn


# -- props ------------------------------------------------------------------------


@predicate
def prop_equals(ctx: ScanContext, comp: Component, *, prop: str, value: Any) -> Result:
    return comp.props.get(prop) == value


@predicate
def prop_in(ctx: ScanContext, comp: Component, *, prop: str, values: list) -> Result:
    return comp.props.get(prop) in values


@predicate
def prop_below(ctx: ScanContext, comp: Component, *, prop: str, value: float) -> Result:
    return comp.props.get(prop) < value


@predicate
def prop_above(ctx: ScanContext, comp: Component, *, prop: str, value: float) -> Result:
    return comp.props.get(prop) > value


@predicate
def prop_contains(ctx: ScanContext, comp: Component, *, prop: str, value: Any) -> Result:
    return value in (comp.props.get(prop) or ())


@predicate
def prop_empty(ctx: ScanContext, comp: Component, *, prop: str) -> Result:
    return not comp.props.get(prop)


# -- edges and placement ------------------------------------------------------------


@predicate
def has_edge(ctx: ScanContext, comp: Component, *, kind: str, direction: str = "out") -> Result:
    edges = ctx.edges_of(comp.node_id, kind, direction)
    return Hit(edge_ids=tuple(e["id"] for e in edges)) if edges else False


@predicate
def no_edge(ctx: ScanContext, comp: Component, *, kind: str, direction: str = "out") -> Result:
    return not ctx.edges_of(comp.node_id, kind, direction)


@predicate
def in_vpc(ctx: ScanContext, comp: Component) -> Result:
    return comp.vpc_id is not None


@predicate
def in_public_subnet(ctx: ScanContext, comp: Component) -> Result:
    return ctx.in_public_subnet(comp)


@predicate
def fewer_zones_than(ctx: ScanContext, comp: Component, *, zones: int) -> Result:
    """Spread over fewer availability zones than `zones` (only for nodes in a VPC)."""
    if comp.vpc_id is None:
        return False
    azs = {ctx.comp(s).props["az_index"] for s in comp.subnet_ids}
    return len(azs) < zones


# -- web exposure -------------------------------------------------------------------


@predicate
def no_waf(ctx: ScanContext, comp: Component) -> Result:
    """No web ACL on the node itself, nor on every CloudFront distribution in front of it.

    A node that is also reachable directly (a REST API, an internet-facing ALB) is
    only covered by CloudFront's ACL when every path in goes through a covered
    distribution; we cannot see the direct path is closed, so only its own ACL counts
    unless it is fronted by a protected distribution.
    """
    if comp.node_id in ctx.waf_protected:
        return False
    fronts = ctx.fronting_distributions.get(comp.node_id, ())
    return not (fronts and all(d in ctx.waf_protected for d in fronts))


@predicate
def no_authorizer(ctx: ScanContext, comp: Component) -> Result:
    return comp.node_id not in ctx.authorized_apis


def open_ingress(
    comp: Component, ports: list[int] | None, except_ports: list[int] | None
) -> list[dict[str, Any]]:
    """An EC2 instance's ingress entries open to the internet on the ports in question."""
    return [
        rule
        for rule in comp.props.get("ingress", ())
        if rule["cidr"] == INTERNET
        and (ports is None or rule["port"] in ports)
        and (except_ports is None or rule["port"] not in except_ports)
    ]


@predicate
def ingress_open_to_internet(
    ctx: ScanContext,
    comp: Component,
    *,
    ports: list[int] | None = None,
    except_ports: list[int] | None = None,
) -> Result:
    return bool(open_ingress(comp, ports, except_ports))


def _exposed_host(ctx: ScanContext, comp: Component) -> bool:
    """A host the internet reaches at the network level: public IP, open security group."""
    return (
        comp.type == EC2
        and comp.props.get("associate_public_ip")
        and ctx.in_public_subnet(comp)
        and ctx.open_to_internet(comp)
    )


@predicate
def reachable_from_internet(ctx: ScanContext, comp: Component) -> Result:
    """A database the internet reaches: by its own public address, or through a host.

    Two drawn paths count: internet -> publicly accessible database in a public subnet,
    and internet -> instance with a public IP and an open security group -> database
    (through the network-access edge that opens the database's security group to it).
    Traffic through a load balancer or an API reaches the application, not the
    database's port, so those paths are not reported here.
    """
    if comp.type == RDS and comp.props.get("publicly_accessible") and ctx.in_public_subnet(comp):
        public = tuple(s for s in comp.subnet_ids if s in ctx.public_subnets)
        return Hit(node_ids=public, exposed=(comp.node_id,))
    paths = [
        edge
        for edge in ctx.edges_of(comp.node_id, "network_access", "in")
        if _exposed_host(ctx, ctx.comp(edge["source"]))
    ]
    if not paths:
        return False
    hosts = tuple(e["source"] for e in paths)
    return Hit(node_ids=hosts, edge_ids=tuple(e["id"] for e in paths), exposed=hosts)


# -- least privilege ----------------------------------------------------------------


def _access(ctx: ScanContext, edge: dict[str, Any]) -> str:
    return edge.get("access") or ctx.catalog.default_access(ctx.comp(edge["target"]).type)


@predicate
def grants_access(
    ctx: ScanContext, comp: Component, *, target_types: list[str], access: list[str]
) -> Result:
    """Data edges from this node granting one of `access` on a target of `target_types`."""
    edges = [
        edge
        for edge in ctx.edges_of(comp.node_id, "data_access", "out")
        if ctx.comp(edge["target"]).type in target_types and _access(ctx, edge) in access
    ]
    if not edges:
        return False
    return Hit(node_ids=tuple(e["target"] for e in edges), edge_ids=tuple(e["id"] for e in edges))


@predicate
def writes_to_own_trigger(ctx: ScanContext, comp: Component) -> Result:
    """A function granted read_write on the queue or stream that triggers it.

    The event source mapping already grants what consuming needs; the data edge's
    write half lets the function feed its own trigger, the classic infinite loop.
    """
    triggers = ctx.event_sources_by_function.get(comp.node_id, set())
    edges = [
        edge
        for edge in ctx.edges_of(comp.node_id, "data_access", "out")
        if edge["target"] in triggers and _access(ctx, edge) == "read_write"
    ]
    if not edges:
        return False
    return Hit(node_ids=tuple(e["target"] for e in edges), edge_ids=tuple(e["id"] for e in edges))


@predicate
def reaches_database_outside_vpc(ctx: ScanContext, comp: Component) -> Result:
    """A node outside any VPC with a network-access edge to a database inside one."""
    if comp.vpc_id is not None:
        return False
    edges = ctx.edges_of(comp.node_id, "network_access", "out")
    if not edges:
        return False
    return Hit(node_ids=tuple(e["target"] for e in edges), edge_ids=tuple(e["id"] for e in edges))
