"""Indexes over one resolved model that the predicates and fixes share.

Built once per scan, so a rule over a 1,000-node document looks facts up instead of
walking every edge list again for each component.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import Any

from builder.catalog import Catalog, get_catalog
from codegen.model import Component, Model

INTERNET = "0.0.0.0/0"


class ScanContext:
    def __init__(self, model: Model, catalog: Catalog | None = None):
        self.model = model
        self.catalog = catalog or get_catalog()

    @cached_property
    def nodes(self) -> dict[str, dict[str, Any]]:
        """The document's nodes as drawn, by id."""
        return {n["id"]: n for n in self.model.document.get("nodes", [])}

    @cached_property
    def edges(self) -> dict[str, dict[str, Any]]:
        return {e["id"]: e for e in self.model.document.get("edges", [])}

    @cached_property
    def edge_kinds(self) -> dict[str, str]:
        comps = self.model.components
        return {
            e["id"]: self.catalog.rule_for(comps[e["source"]].type, comps[e["target"]].type).kind
            for e in self.edges.values()
        }

    @cached_property
    def out_edges(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for edge in self.edges.values():
            out[edge["source"]].append(edge)
        return out

    @cached_property
    def in_edges(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for edge in self.edges.values():
            out[edge["target"]].append(edge)
        return out

    def edges_of(self, node_id: str, kind: str, direction: str) -> list[dict[str, Any]]:
        """Edges of one kind leaving (`out`) or entering (`in`) a node."""
        edges = (self.out_edges if direction == "out" else self.in_edges).get(node_id, ())
        return [e for e in edges if self.edge_kinds[e["id"]] == kind]

    @cached_property
    def public_subnets(self) -> frozenset[str]:
        return frozenset(
            subnet_id
            for network in self.model.networks.values()
            if network.internet_gateway
            for subnet_id in network.public_subnet_ids
        )

    @cached_property
    def waf_protected(self) -> frozenset[str]:
        """Nodes a web ACL is associated with."""
        return frozenset(a.target_id for a in self.model.waf_associations)

    @cached_property
    def authorized_apis(self) -> frozenset[str]:
        return frozenset(a.api_id for a in self.model.authorizers)

    @cached_property
    def fronting_distributions(self) -> dict[str, list[str]]:
        """Origin node id -> CloudFront distributions in front of it."""
        out: dict[str, list[str]] = defaultdict(list)
        for origin in self.model.cdn_origins:
            out[origin.target_id].append(origin.distribution_id)
        return out

    @cached_property
    def queues_with_dlq(self) -> frozenset[str]:
        return frozenset(d.queue_id for d in self.model.dead_letter_queues)

    @cached_property
    def event_sources_by_function(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for mapping in self.model.event_sources:
            out[mapping.function_id].add(mapping.source_id)
        return out

    @cached_property
    def consumed_queues(self) -> frozenset[str]:
        return frozenset(m.source_id for m in self.model.event_sources)

    @cached_property
    def sg_rules_by_node(self) -> dict[str, list]:
        out: dict[str, list] = defaultdict(list)
        for rule in self.model.security_group_rules:
            out[rule.node_id].append(rule)
        return out

    def comp(self, node_id: str) -> Component:
        return self.model.components[node_id]

    def in_public_subnet(self, comp: Component) -> bool:
        return any(s in self.public_subnets for s in comp.subnet_ids)

    def open_to_internet(self, comp: Component) -> bool:
        """The node's security group admits the whole internet on some port."""
        return any(r.cidr == INTERNET for r in self.sg_rules_by_node.get(comp.node_id, ()))

    def taken_ids(self) -> set[str]:
        return set(self.nodes) | set(self.edges)

    def free_id(self, base: str, taken: set[str]) -> str:
        """An id not yet in the document (nor in `taken`), derived from `base`."""
        base = base[:58]
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        return candidate
