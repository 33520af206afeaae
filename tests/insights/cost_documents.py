"""Small documents for the cost tests, built node by node."""

from __future__ import annotations

from typing import Any

from builder.insights.cost import Estimate, estimate
from codegen import resolve


def node(node_id: str, type_: str, parent: str | None = None, **fields: Any) -> dict[str, Any]:
    """A node; `props=` and `usage=` go through as given."""
    return {
        "id": node_id,
        "type": f"aws.{type_}",
        "name": node_id,
        "parent": parent,
        "position": {"x": 0, "y": 0},
        **fields,
    }


def document(*nodes: dict, edges: tuple = (), region: str = "us-east-1") -> dict[str, Any]:
    return {
        "format": "cloudwright/v1",
        "name": "cost-test",
        "region": region,
        "nodes": list(nodes),
        "edges": [
            {"id": f"e{index}", "source": source, "target": target}
            for index, (source, target) in enumerate(edges)
        ],
    }


def price(*nodes: dict, edges: tuple = (), region: str = "us-east-1", **options) -> Estimate:
    return estimate(resolve(document(*nodes, edges=edges, region=region)), **options)


def costs(est: Estimate, node_id: str) -> dict[str, float | None]:
    """code -> monthly cost of one node's items."""
    return {i.code: i.monthly_cost for i in est.items if i.node_id == node_id}


def item(est: Estimate, node_id: str, code: str):
    return next(i for i in est.items if i.node_id == node_id and i.code == code)


# A VPC with public and private subnets in two zones, for what must sit in one.
NETWORK = (
    node("vpc", "ec2.vpc", props={"flow_logs": False}),
    node("pub_a", "ec2.subnet", "vpc", props={"cidr_block": "10.0.0.0/24", "public": True}),
    node(
        "pub_b",
        "ec2.subnet",
        "vpc",
        props={"cidr_block": "10.0.1.0/24", "public": True, "az_index": 1},
    ),
    node("priv_a", "ec2.subnet", "vpc", props={"cidr_block": "10.0.2.0/24"}),
    node("priv_b", "ec2.subnet", "vpc", props={"cidr_block": "10.0.3.0/24", "az_index": 1}),
)
