"""Fixes: the document patch a finding offers, as collaboration ops.

A fix builder takes the component, the predicate's `Hit` and the parameters from the
rule data, and returns the ops (`update_node`, `add_node`, `add_edge`, `update_edge`;
see builder/collab/ops.py) that make the finding go away. Applying them goes through
the same reducer as every other edit, so a fix is recorded and broadcast like one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from builder.collab.ops import apply_op
from builder.insights.security.context import ScanContext
from builder.insights.security.predicates import EC2, RDS, Hit, open_ingress
from codegen.model import Component

Op = dict[str, Any]
FixBuilder = Callable[..., list[Op]]
FIXES: dict[str, FixBuilder] = {}

# How far from the node a fix places what it adds, so it shows up beside it.
OFFSET = {"x": 0, "y": -140}


def fix(fn: FixBuilder) -> FixBuilder:
    FIXES[fn.__name__] = fn
    return fn


def _set(node_id: str, values: Mapping[str, Any]) -> Op:
    return {"type": "update_node", "id": node_id, "set": dict(values)}


def _set_props(node_id: str, props: Mapping[str, Any]) -> Op:
    return _set(node_id, {f"props.{key}": value for key, value in props.items()})


def _beside(ctx: ScanContext, comp: Component, step: int = 0) -> dict[str, float]:
    position = ctx.nodes[comp.node_id].get("position") or {}
    return {
        "x": position.get("x", 0) + OFFSET["x"] + 180 * step,
        "y": position.get("y", 0) + OFFSET["y"],
    }


def _add_with_edge(
    ctx: ScanContext,
    comp: Component,
    *,
    type_: str,
    suffix: str,
    name: str,
    props: dict[str, Any],
    outgoing: bool,
) -> list[Op]:
    """Add a node of `type_` beside `comp` and connect it: comp -> new, or new -> comp."""
    taken = ctx.taken_ids()
    node_id = ctx.free_id(f"{comp.node_id}-{suffix}", taken)
    edge_id = ctx.free_id(f"{node_id}-edge", taken)
    source, target = (comp.node_id, node_id) if outgoing else (node_id, comp.node_id)
    node = {
        "id": node_id,
        "type": type_,
        "name": f"{name} for {comp.label}"[:128],
        "parent": None,
        "position": _beside(ctx, comp),
        "props": props,
    }
    return [
        {"type": "add_node", "node": node},
        {"type": "add_edge", "edge": {"id": edge_id, "source": source, "target": target}},
    ]


@fix
def set_props(ctx: ScanContext, comp: Component, hit: Hit | None, **props: Any) -> list[Op]:
    return [_set_props(comp.node_id, props)]


@fix
def set_edge_access(ctx: ScanContext, comp: Component, hit: Hit | None, *, access: str):
    return [{"type": "update_edge", "id": e, "set": {"access": access}} for e in hit.edge_ids]


@fix
def move_into_vpc(ctx: ScanContext, comp: Component, hit: Hit | None) -> list[Op]:
    """Put the node straight in its VPC, so the model spreads it over private subnets."""
    return [_set(comp.node_id, {"parent": comp.vpc_id})]


@fix
def join_target_vpc(ctx: ScanContext, comp: Component, hit: Hit | None) -> list[Op]:
    """Put the node in the VPC of the database it connects to."""
    return [_set(comp.node_id, {"parent": ctx.comp(hit.node_ids[0]).vpc_id})]


@fix
def drop_open_ingress(
    ctx: ScanContext,
    comp: Component,
    hit: Hit | None,
    *,
    ports: list[int] | None = None,
    except_ports: list[int] | None = None,
) -> list[Op]:
    """Remove the ingress entries open to the internet on the offending ports."""
    drop = open_ingress(comp, ports, except_ports)
    keep = [rule for rule in comp.props["ingress"] if rule not in drop]
    return [_set_props(comp.node_id, {"ingress": keep})]


@fix
def close_internet_path(ctx: ScanContext, comp: Component, hit: Hit | None) -> list[Op]:
    """Take the public address off whatever the internet reaches the database through."""
    props = {RDS: {"publicly_accessible": False}, EC2: {"associate_public_ip": False}}
    return [_set_props(node_id, props[ctx.comp(node_id).type]) for node_id in hit.exposed]


@fix
def add_web_acl(ctx: ScanContext, comp: Component, hit: Hit | None) -> list[Op]:
    return _add_with_edge(
        ctx,
        comp,
        type_="aws.wafv2.web_acl",
        suffix="web-acl",
        name="Web ACL",
        props={},
        outgoing=False,
    )


@fix
def add_authorizer(ctx: ScanContext, comp: Component, hit: Hit | None) -> list[Op]:
    return _add_with_edge(
        ctx,
        comp,
        type_="aws.cognito.user_pool",
        suffix="users",
        name="Users",
        props={"mfa": "ON"},
        outgoing=False,
    )


@fix
def add_dead_letter_queue(ctx: ScanContext, comp: Component, hit: Hit | None) -> list[Op]:
    return _add_with_edge(
        ctx,
        comp,
        type_="aws.sqs.queue",
        suffix="dlq",
        name="Dead letters",
        # A FIFO queue's dead-letter queue must be FIFO too; keep failures 14 days.
        props={"fifo": bool(comp.props.get("fifo")), "message_retention_s": 1209600},
        outgoing=True,
    )


@fix
def add_alarm(ctx: ScanContext, comp: Component, hit: Hit | None) -> list[Op]:
    return _add_with_edge(
        ctx,
        comp,
        type_="aws.cloudwatch.alarm",
        suffix="alarm",
        name="Alarm",
        props={},
        outgoing=True,
    )


def apply_fix(document: dict[str, Any], finding: Any) -> dict[str, Any]:
    """The document with the finding's fix applied; a new document, the input untouched.

    `finding` is a `Finding` or its JSON form. Raises ValueError when it offers no fix
    and `builder.collab.ops.OpRejected` when the fix no longer applies (the node it
    names was deleted meanwhile).
    """
    ops = finding["fix"] if isinstance(finding, Mapping) else finding.fix
    if not ops:
        rule_id = finding["rule_id"] if isinstance(finding, Mapping) else finding.rule_id
        raise ValueError(f"finding {rule_id} offers no fix")
    return apply_op(document, {"type": "batch", "ops": ops})
