"""Hypothesis strategies for architecture documents, drawn from the catalog.

`documents()` draws valid cloudwright/v1 documents over every component type and
every edge pair the catalog allows: VPCs with public and private subnets in two
availability zones that never overlap, nodes placed in the containers their type
accepts, props drawn from each type's JSON Schema, tricky ids (keywords, leading
digits, ids that fold to the same identifier) and hostile labels (quotes, `${x}`,
`%{`, newlines, emoji, up to 128 characters). `valid_documents_without_warnings()`
draws only documents the resolver resolves without a warning.

The strategies read the catalog, so a type, prop or edge pair added to its data files
is covered without touching this module.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from hypothesis import strategies as st

from builder.catalog import get_catalog
from builder.catalog.validate import MAX_NAME, UNREADABLE, regions

VPC = "aws.ec2.vpc"
SUBNET = "aws.ec2.subnet"

# Fragments that break naive code generation: string and template delimiters of
# HCL, Python and JSON, comment starters, line breaks, and text outside the BMP.
HOSTILE_FRAGMENTS = (
    '"', "'", "\\", "${x}", "%{ if true }", "%{", "${", "}", "\n", "\r\n", "\t", "#",
    "//", "/*", "*/", "<<EOF", '"""', "{{", "}}", "`", "\u2028", "🚀", "👩‍💻",
    "名前", "é", " ", "--", "$$", "%%",
)  # fmt: skip
# One label with every fragment, cut to the longest label the format allows.
HOSTILE_LABEL = ("".join(HOSTILE_FRAGMENTS) * 8)[:MAX_NAME]
# Ids that trip identifier rules: keywords, names the CDK app uses, a leading digit
# or dash, and pairs that fold to the same Python or Terraform identifier.
TRICKY_IDS = (
    "class", "self", "app", "stack", "import", "None", "1st", "-", "_", "a-b", "a_b",
    "A_B", "0", "x" * 64, "lambda", "resource", "data", "var", "module",
)  # fmt: skip
# Fargate's accepted memory for each cpu (a subset of AWS's table, all valid).
FARGATE_MEMORY = {
    256: (512, 1024, 2048),
    512: (1024, 2048, 4096),
    1024: (2048, 4096, 8192),
    2048: (4096, 8192, 16384),
    4096: (8192, 16384, 30720),
    8192: (16384, 32768, 61440),
    16384: (32768, 65536, 122880),
}
SCHEDULES = ("rate(5 minutes)", "rate(1 hour)", "rate(7 days)", "cron(0 2 * * ? *)")
CERTIFICATE_ARN = (
    "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
)


def labels(max_size: int = MAX_NAME) -> st.SearchStrategy[str]:
    """Free-text labels: any Unicode text, or runs of hostile fragments."""
    fragments = st.lists(st.sampled_from(HOSTILE_FRAGMENTS), max_size=40).map("".join)
    return st.one_of(
        # NUL is the one character documents refuse (PostgreSQL cannot store it).
        st.text(st.characters(exclude_characters="\x00"), max_size=max_size),
        fragments.map(lambda text: text[:max_size]),
        st.just(HOSTILE_LABEL[:max_size]),
    )


def ids() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(TRICKY_IDS), st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True)
    )


def hostnames() -> st.SearchStrategy[str]:
    label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
    tld = st.from_regex(r"[a-z]{2,6}", fullmatch=True)
    return st.builds(
        lambda parts, top: ".".join([*parts, top]), st.lists(label, min_size=1, max_size=3), tld
    )


def cidrs() -> st.SearchStrategy[str]:
    return st.builds(
        lambda address, prefix: str(ipaddress.IPv4Network(f"{address}/{prefix}", strict=False)),
        st.ip_addresses(v=4),
        st.integers(0, 32),
    )


def from_schema(spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values valid for one catalog prop's JSON Schema (the subset the catalog uses)."""
    if "enum" in spec:
        return st.sampled_from(spec["enum"])
    kind = spec["type"]
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(spec.get("minimum", -(2**31)), spec.get("maximum", 2**31 - 1))
    if kind == "number":
        low, high = spec.get("minimum", -1e9), spec.get("maximum", 1e9)
        return st.one_of(
            st.integers(int(low), int(high)),
            st.floats(low, high, allow_nan=False, allow_infinity=False),
        )
    if kind == "string":
        max_size = spec.get("maxLength", 256)
        if spec.get("format") == "ipv4-cidr":
            return cidrs()
        if spec.get("format") == "hostname":
            return hostnames().filter(lambda name: len(name) <= max_size)
        if "pattern" in spec:
            return st.from_regex(spec["pattern"], fullmatch=True).filter(
                lambda text: (
                    spec.get("minLength", 0) <= len(text) <= max_size
                    and not UNREADABLE.search(text)
                )
            )
        # Props refuse what labels accept: characters CloudFormation tools cannot read.
        text = labels(max_size).map(lambda label: UNREADABLE.sub("", label))
        return st.one_of(st.just(spec.get("default", "")), text).filter(
            lambda text: len(text) >= spec.get("minLength", 0)
        )
    if kind == "array":
        items = spec["items"]
        if items.get("type") == "object":
            item = st.fixed_dictionaries(
                {name: from_schema(items["properties"][name]) for name in items["required"]},
                optional={
                    name: from_schema(sub)
                    for name, sub in items["properties"].items()
                    if name not in items["required"]
                },
            )
        else:
            item = from_schema(items)
        return st.lists(
            item, max_size=min(spec.get("maxItems", 5), 5), unique=spec.get("uniqueItems", False)
        )
    raise ValueError(f"no strategy for schema {spec}")


@st.composite
def props_for(draw: st.DrawFn, type_name: str) -> dict[str, Any]:
    """Some of a type's props (drawn from their schemas), consistent with each other."""
    type_ = get_catalog().types[type_name]
    chosen = (
        draw(st.lists(st.sampled_from(sorted(type_.props)), unique=True)) if type_.props else []
    )
    props = {name: draw(from_schema(type_.props[name])) for name in chosen}
    # Rules that span props (validate.check_props) and values other tools parse.
    if type_name == "aws.events.rule":
        if draw(st.booleans()):
            props.update(schedule_expression=draw(st.sampled_from(SCHEDULES)), event_pattern="")
        else:
            source = draw(
                st.text(min_size=1, max_size=40).filter(lambda t: not UNREADABLE.search(t))
            )
            props.update(schedule_expression="", event_pattern=json.dumps({"source": [source]}))
    elif type_name == "aws.wafv2.web_acl" and 0 < props.get("rate_limit_per_5min", 0) < 100:
        props["rate_limit_per_5min"] += 100
    elif type_name == "aws.elbv2.application_load_balancer":
        https = props.get("listener_protocol") == "HTTPS"
        props["certificate_arn"] = CERTIFICATE_ARN if https else ""
    elif type_name == "aws.ecs.fargate_service" and ("cpu" in props or "memory_mb" in props):
        props.setdefault("cpu", type_.props["cpu"]["default"])
        props["memory_mb"] = draw(st.sampled_from(FARGATE_MEMORY[props["cpu"]]))
    return props


@st.composite
def usage_for(draw: st.DrawFn, type_name: str) -> dict[str, float]:
    usage = get_catalog().types[type_name].usage
    chosen = draw(st.lists(st.sampled_from(sorted(usage)), unique=True)) if usage else []
    return {
        key: draw(
            st.integers(int(usage[key].get("minimum", 0)), int(usage[key].get("maximum", 10**9)))
        )
        for key in chosen
    }


def _leaf_types() -> list[str]:
    return sorted(name for name, type_ in get_catalog().types.items() if not type_.container)


# Edge kinds of which a node takes at most one, and which end of the edge it is.
ONE_PER_NODE = {
    "log_destination": "source",
    "alarm_subject": "target",
    "dead_letter_queue": "source",
    "waf_association": "target",
    "authorizer": "target",
}


class _Draft:
    """A document being drawn: nodes with their VPC, edges with their constraints."""

    def __init__(self, draw: st.DrawFn, node_ids: list[str], no_warnings: bool):
        self.draw = draw
        self.node_ids = node_ids
        self.no_warnings = no_warnings
        self.nodes: list[dict[str, Any]] = []
        self.vpc_of: dict[str, str | None] = {}
        self.edges: list[dict[str, Any]] = []

    def add_node(self, type_name: str, parent: str | None, props: dict[str, Any]) -> dict:
        node_id = self.node_ids[len(self.nodes)]
        draw = self.draw
        node: dict[str, Any] = {"id": node_id, "type": type_name}
        if draw(st.booleans()):
            node["name"] = draw(labels())
        if parent is not None or draw(st.booleans()):
            node["parent"] = parent
        # Children are positioned relative to their container, as on the canvas.
        node["position"] = {"x": draw(st.integers(0, 3000)), "y": draw(st.integers(0, 2000))}
        if get_catalog().types[type_name].container:
            node["size"] = {"width": 600, "height": 400}
        if props or draw(st.booleans()):
            node["props"] = props
        usage = draw(usage_for(type_name))
        if usage:
            node["usage"] = usage
        self.nodes.append(node)
        self.vpc_of[node_id] = (
            node_id if type_name == VPC else self.vpc_of.get(parent) if parent else None
        )
        return node

    def add_network(self, index: int) -> None:
        """A VPC with a public and a private subnet in each of two zones (maybe a third)."""
        draw = self.draw
        vpc_props = draw(props_for(VPC))
        vpc_props["cidr_block"] = f"10.{index}.0.0/16"
        vpc = self.add_node(VPC, None, vpc_props)
        zones = draw(st.integers(2, 3))
        for az in range(zones):
            for public in (True, False):
                props = draw(props_for(SUBNET))
                props.update(
                    cidr_block=f"10.{index}.{az * 2 + int(public)}.0/24", public=public, az_index=az
                )
                self.add_node(SUBNET, vpc["id"], props)

    def parent_for(self, type_name: str) -> tuple[bool, str | None]:
        """Whether the type can be placed, and the container it goes in."""
        placement = get_catalog().types[type_name].placement
        options = [
            node["id"]
            for node in self.nodes
            if node["type"] in placement.parents
            and (not placement.public_subnet or node.get("props", {}).get("public"))
        ]
        if placement.required and not options:
            return False, None
        if not placement.required:
            options = [None, *options]
        return True, self.draw(st.sampled_from(options)) if options else None

    def add_edges(self) -> None:
        catalog = get_catalog()
        by_id = {node["id"]: node for node in self.nodes}
        possible = [
            (source["id"], target["id"])
            for source in self.nodes
            for target in self.nodes
            if source is not target and catalog.rule_for(source["type"], target["type"])
        ]
        if not possible:
            return
        wanted = self.draw(
            st.lists(
                st.sampled_from(possible), min_size=min(3, len(possible)), max_size=30, unique=True
            )
        )
        taken: set[tuple[str, str]] = set()
        waf_scope: dict[str, bool] = {}
        for source_id, target_id in wanted:
            source, target = by_id[source_id], by_id[target_id]
            rule = catalog.rule_for(source["type"], target["type"])
            end = ONE_PER_NODE.get(rule.kind)
            if end:
                key = (rule.kind, source_id if end == "source" else target_id)
                if key in taken:
                    continue
            if not self.edge_allowed(rule.kind, source, target, waf_scope, taken):
                continue
            if end:
                taken.add(key)
            edge: dict[str, Any] = {"id": "", "source": source_id, "target": target_id}
            if rule.access:
                levels = catalog.types[target["type"]].access_levels()
                access = self.draw(st.one_of(st.none(), st.sampled_from(levels)))
                if access is not None:
                    edge["access"] = access
            if self.draw(st.booleans()):
                edge["name"] = self.draw(labels())
            self.edges.append(edge)

    def edge_allowed(self, kind, source, target, waf_scope, taken) -> bool:
        if kind == "dead_letter_queue":
            fifo = [bool(n.get("props", {}).get("fifo")) for n in (source, target)]
            return fifo[0] == fifo[1]
        if kind == "subscription" and source.get("props", {}).get("fifo"):
            return target["type"] == "aws.sqs.queue" and bool(target.get("props", {}).get("fifo"))
        if kind == "waf_association":
            cloudfront = target["type"] == "aws.cloudfront.distribution"
            return waf_scope.setdefault(source["id"], cloudfront) == cloudfront
        if not self.no_warnings:
            return True
        if kind == "network_access":
            vpc = self.vpc_of[source["id"]]
            return vpc is not None and vpc == self.vpc_of[target["id"]]
        if kind == "event_source" and source["type"] == "aws.sqs.queue":
            # Resolve raises (and warns about) a visibility timeout under the consumer's.
            return _prop(source, "visibility_timeout_s") >= _prop(target, "timeout_s")
        if kind == "bucket_notification":
            key = ("bucket_notification", source["id"])
            if key in taken:
                return False
            taken.add(key)
        return True


def _prop(node: dict[str, Any], name: str) -> Any:
    """A node's prop as resolve sees it: drawn, or the catalog's default."""
    default = get_catalog().types[node["type"]].props[name]["default"]
    return node.get("props", {}).get(name, default)


@st.composite
def _documents(draw: st.DrawFn, max_nodes: int, no_warnings: bool) -> dict[str, Any]:
    leaf_types = draw(st.lists(st.sampled_from(_leaf_types()), max_size=max_nodes))
    catalog = get_catalog()
    needs_vpc = any(catalog.types[t].placement.required for t in leaf_types)
    vpcs = draw(st.integers(1 if needs_vpc else 0, 2))
    total = vpcs * 7 + len(leaf_types)
    node_ids = draw(st.lists(ids(), min_size=total, max_size=total, unique=True))
    draft = _Draft(draw, node_ids, no_warnings)
    for index in range(vpcs):
        draft.add_network(index)
    for type_name in leaf_types:
        placeable, parent = draft.parent_for(type_name)
        if placeable:
            draft.add_node(type_name, parent, draw(props_for(type_name)))
    draft.add_edges()
    if no_warnings:
        watched = {e["target"] for e in draft.edges}
        unwatched = {
            n["id"]
            for n in draft.nodes
            if n["type"] == "aws.cloudwatch.alarm" and n["id"] not in watched
        }
        draft.nodes = [n for n in draft.nodes if n["id"] not in unwatched]
        draft.edges = [e for e in draft.edges if e["source"] not in unwatched]
    node_id_set = {n["id"] for n in draft.nodes}
    for index, edge in enumerate(draft.edges):
        edge["id"] = f"e{index}" if f"e{index}" not in node_id_set else f"edge_{index}_"
    doc: dict[str, Any] = {
        "format": "cloudwright/v1",
        "name": draw(labels()),
        "nodes": draft.nodes,
        "edges": draft.edges,
    }
    region = "us-east-1" if no_warnings else draw(st.sampled_from(sorted(regions())))
    if region != "us-east-1" or draw(st.booleans()):
        doc["region"] = region
    if draw(st.booleans()):
        doc["description"] = draw(st.text(st.characters(exclude_characters="\x00"), max_size=500))
    return doc


def documents(max_nodes: int = 20) -> st.SearchStrategy[dict[str, Any]]:
    """Valid documents over every type and edge pair; the resolver may warn on them."""
    return _documents(max_nodes, no_warnings=False)


def valid_documents_without_warnings(max_nodes: int = 20) -> st.SearchStrategy[dict[str, Any]]:
    """Valid documents that `codegen.resolve` resolves without a warning."""
    return _documents(max_nodes, no_warnings=True)


def relabelled(doc: dict[str, Any], label: str) -> dict[str, Any]:
    """A copy of `doc` with every node and edge label set to `label` (ids unchanged)."""
    return {
        **doc,
        "nodes": [{**node, "name": label} for node in doc["nodes"]],
        "edges": [{**edge, "name": label} for edge in doc["edges"]],
    }
