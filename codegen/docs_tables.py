"""The table of edge pairs in docs/catalog.md, generated from the catalog and the resolver.

Each row resolves a document holding just that edge and reads what the model grants,
so the table shows what generated code really does, not what someone remembered.
A test checks the docs hold exactly this output.

    python -m codegen.docs_tables
"""

from __future__ import annotations

from typing import Any

from builder.catalog import Catalog, get_catalog
from codegen.resolve import resolve

# Where a type that must sit in a container goes in the sample network.
SAMPLE_PARENTS = {"aws.ec2.nat_gateway": "public_a", "aws.ec2.instance": "private_a"}
START, END = "<!-- edge-table:start -->", "<!-- edge-table:end -->"


def network_nodes() -> list[dict[str, Any]]:
    """A VPC with a public and a private subnet in each of two availability zones."""
    nodes: list[dict[str, Any]] = [
        {"id": "vpc", "type": "aws.ec2.vpc", "name": "VPC", "position": {"x": 0, "y": 0},
         "size": {"width": 1200, "height": 500}, "props": {"cidr_block": "10.0.0.0/16"}},
    ]  # fmt: skip
    for az, zone in enumerate("ab"):
        for row, public in enumerate((True, False)):
            kind = "public" if public else "private"
            nodes.append(
                {
                    "id": f"{kind}_{zone}",
                    "type": "aws.ec2.subnet",
                    "name": f"{kind.title()} {zone.upper()}",
                    "parent": "vpc",
                    "position": {"x": 20 + az * 600, "y": 40 + row * 240},
                    "size": {"width": 560, "height": 200},
                    "props": {
                        "cidr_block": f"10.0.{row * 10 + az}.0/24",
                        "public": public,
                        "az_index": az,
                    },
                }
            )
    return nodes


def sample_parent(catalog: Catalog, type_name: str) -> str | None:
    """The container of network_nodes() a type goes in: in the VPC whenever it may be."""
    if not catalog.types[type_name].placement.parents:
        return None
    return SAMPLE_PARENTS.get(type_name, "vpc")


def pair_document(source_type: str, target_type: str, access: str | None) -> dict[str, Any]:
    catalog = get_catalog()
    edge = {"id": "edge", "source": "source", "target": "target"}
    if access:
        edge["access"] = access
    return {
        "format": "cloudwright/v1",
        "name": "pair",
        "nodes": [
            *network_nodes(),
            *(
                {"id": role, "type": type_name, "parent": sample_parent(catalog, type_name)}
                for role, type_name in (("source", source_type), ("target", target_type))
            ),
        ],
        "edges": [edge],
    }


def _grants(doc: dict[str, Any]) -> tuple[str, str]:
    model = resolve(doc)
    role = [
        f"{', '.join(f'`{a}`' for a in g.actions)} on the {g.target_id}'s "
        f"`{'`, `'.join(r.attribute for r in g.resources)}` (role of the {g.principal_id})"
        for g in model.iam_grants
        if g.edge_id == "edge"
    ]
    policies = [
        f"invoke by `{p.principal}`" for p in model.invoke_permissions if p.edge_id == "edge"
    ]
    policies += [f"queue policy for `{p.principal}`" for p in model.queue_policies]
    policies += [f"topic policy for `{p.principal}`" for p in model.topic_policies]
    return "<br>".join(role) or "-", "<br>".join(policies) or "-"


def edge_table() -> str:
    """Markdown: one row per edge pair (per access level where the pair has data access)."""
    catalog = get_catalog()
    lines = [
        "| source | target | kind | access | IAM actions granted (on which resource) "
        "| resource policies |",
        "|---|---|---|---|---|---|",
    ]
    for (source, target), rule in sorted(
        catalog.pairs.items(), key=lambda item: (item[1].kind, item[0])
    ):
        levels = catalog.types[target].access_levels() if rule.access else (None,)
        for access in levels:
            role, policies = _grants(pair_document(source, target, access))
            lines.append(
                f"| {source} | {target} | {rule.kind} | {access or '-'} | {role} | {policies} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(edge_table(), end="")
