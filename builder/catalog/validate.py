"""Check an architecture document (graph-format.md) against the catalog.

Every error names where it is: a JSON-pointer `path`, and the `node_id` or `edge_id`
at fault, so the API, the collaboration protocol and the CLI can all point at it.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from builder.catalog.loader import DATA_DIR, Catalog, ComponentType, get_catalog

FORMAT = "cloudwright/v1"
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
NAME_PREFIX_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,19}$")
MAX_NAME = 128
MAX_NODES = 5000
MAX_EDGES = 20000
DOCUMENT_KEYS = {"format", "name", "description", "region", "nodes", "edges", "metadata"}
NODE_KEYS = {"id", "type", "name", "parent", "position", "size", "props", "usage"}
EDGE_KEYS = {"id", "source", "target", "access", "name"}
# Characters JSON writes as they are but YAML refuses: DEL, the C1 controls other than
# NEL, lone surrogates, U+FFFE and U+FFFF. Prop values reach CloudFormation templates
# unchanged, and cfn-lint reads a JSON template as YAML, so it could not parse one that
# held them. (U+0080-U+009F in text is usually Windows-1252 punctuation read as Latin-1.)
UNREADABLE = re.compile("[\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class DocumentError:
    path: str
    message: str
    node_id: str | None = None
    edge_id: str | None = None

    def as_dict(self) -> dict[str, str]:
        out = {"path": self.path, "message": self.message}
        if self.node_id is not None:
            out["node_id"] = self.node_id
        if self.edge_id is not None:
            out["edge_id"] = self.edge_id
        return out

    def __str__(self) -> str:
        where = f"node {self.node_id}" if self.node_id else ""
        where = f"edge {self.edge_id}" if self.edge_id else where
        return f"{self.path}: {where + ': ' if where else ''}{self.message}"


class DocumentInvalid(ValueError):
    """Raised by callers that want an exception rather than a list."""

    def __init__(self, errors: list[DocumentError]):
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = errors


@cache
def regions() -> frozenset[str]:
    return frozenset(yaml.safe_load((DATA_DIR / "regions.yaml").read_text()))


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Checker:
    def __init__(self, doc: Any, catalog: Catalog):
        self.doc = doc
        self.catalog = catalog
        self.errors: list[DocumentError] = []
        self.nodes: dict[str, dict[str, Any]] = {}
        self.node_index: dict[str, int] = {}

    def error(self, path: str, message: str, node_id=None, edge_id=None) -> None:
        self.errors.append(DocumentError(path, message, node_id, edge_id))

    def run(self) -> list[DocumentError]:
        doc = self.doc
        if not isinstance(doc, dict):
            self.error("", "the document must be a JSON object")
            return self.errors
        for key in sorted(set(doc) - DOCUMENT_KEYS):
            self.error(f"/{key}", f"unknown field {key!r}")
        if doc.get("format") != FORMAT:
            self.error("/format", f"format must be {FORMAT!r}")
        name = doc.get("name", "")
        if not isinstance(name, str) or len(name) > MAX_NAME:
            self.error("/name", f"name must be a string of at most {MAX_NAME} characters")
        if not isinstance(doc.get("description", ""), str):
            self.error("/description", "description must be a string")
        metadata = doc.get("metadata", {})
        if not isinstance(metadata, dict):
            self.error("/metadata", "metadata must be an object")
        elif "name_prefix" in metadata and not (
            isinstance(metadata["name_prefix"], str)
            and NAME_PREFIX_PATTERN.match(metadata["name_prefix"])
        ):
            self.error(
                "/metadata/name_prefix",
                "name_prefix is 1-20 characters of a-z 0-9 and -, starting with a letter",
            )
        self.check_nul(doc)
        region = doc.get("region", "us-east-1")
        if region not in regions():
            self.error("/region", f"unknown AWS region {region!r}")
        nodes = doc.get("nodes", [])
        edges = doc.get("edges", [])
        if not isinstance(nodes, list):
            self.error("/nodes", "nodes must be a list")
            nodes = []
        if not isinstance(edges, list):
            self.error("/edges", "edges must be a list")
            edges = []
        if len(nodes) > MAX_NODES:
            self.error("/nodes", f"a document holds at most {MAX_NODES} nodes")
            return self.errors
        if len(edges) > MAX_EDGES:
            self.error("/edges", f"a document holds at most {MAX_EDGES} edges")
            return self.errors
        for index, node in enumerate(nodes):
            self.check_node(index, node)
        for index, node in enumerate(nodes):
            if isinstance(node, dict) and node.get("id") in self.nodes:
                self.check_parent(index, node)
        self.check_subnets()
        seen_edges: dict[str, int] = {}
        pairs: set[tuple[str, str]] = set()
        for index, edge in enumerate(edges):
            self.check_edge(index, edge, seen_edges, pairs)
        self.check_edge_sets(edges)
        return self.errors

    def check_nul(self, doc: dict[str, Any]) -> None:
        """Refuse NUL characters anywhere in the document."""
        # Serialising once is far cheaper than walking every value of a large document.
        if "\\u0000" in json.dumps(doc):
            self.check_no_nul(doc, "")

    def check_no_nul(self, value: Any, path: str) -> None:
        """Refuse NUL characters anywhere: PostgreSQL cannot store them in JSON."""
        if isinstance(value, str):
            if "\x00" in value:
                self.error(path, "text may not contain the NUL character (\\u0000)")
        elif isinstance(value, dict):
            for key, item in value.items():
                self.check_no_nul(key, path)
                self.check_no_nul(item, f"{path}/{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.check_no_nul(item, f"{path}/{index}")

    def check_readable(self, path: str, node_id: str, value: Any) -> None:
        """Refuse a prop value holding a character CloudFormation tools cannot read."""
        found = UNREADABLE.search(json.dumps(value, ensure_ascii=False))
        if found:
            self.error(
                path,
                f"text may not contain the character U+{ord(found.group()):04X}: "
                "CloudFormation tools cannot read control characters and noncharacters",
                node_id,
            )

    def check_id(self, path: str, value: Any, taken: tuple[dict, ...], kind: str) -> bool:
        """Whether `value` is a well-formed id not used yet; reports it when not."""
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.error(f"{path}/id", "id must be 1-64 characters of A-Z a-z 0-9 _ -")
            return False
        if any(value in ids for ids in taken):
            self.error(f"{path}/id", f"duplicate id {value!r}", **{kind: value})
            return False
        return True

    def check_node(self, index: int, node: Any) -> None:
        path = f"/nodes/{index}"
        if not isinstance(node, dict):
            self.error(path, "a node must be an object")
            return
        node_id = node.get("id")
        if not self.check_id(path, node_id, taken=(self.nodes,), kind="node_id"):
            return
        for key in sorted(set(node) - NODE_KEYS):
            self.error(f"{path}/{key}", f"unknown field {key!r}", node_id=node_id)
        type_name = node.get("type")
        type_ = self.catalog.types.get(type_name) if isinstance(type_name, str) else None
        if type_ is None:
            self.error(f"{path}/type", f"unknown component type {type_name!r}", node_id=node_id)
            return
        self.nodes[node_id] = node
        self.node_index[node_id] = index
        name = node.get("name", "")
        if not isinstance(name, str) or len(name) > MAX_NAME:
            self.error(
                f"{path}/name", f"name must be text of at most {MAX_NAME} characters", node_id
            )
        for key in ("position", "size"):
            value = node.get(key)
            if value is None and key == "size":
                continue
            axes = ("x", "y") if key == "position" else ("width", "height")
            if value is not None and not (
                isinstance(value, dict)
                and set(value) <= set(axes)
                and all(_is_number(value.get(a, 0)) for a in axes)
            ):
                self.error(f"{path}/{key}", f"{key} must be an object of numbers {axes}", node_id)
        props = node.get("props", {})
        if not isinstance(props, dict):
            self.error(f"{path}/props", "props must be an object", node_id)
        else:
            props_json = json.dumps(props, sort_keys=True, ensure_ascii=False)
            for pointer, message in _props_errors(type_, props_json):
                self.error(f"{path}/props/{pointer}", message, node_id)
            # One search of the props' text; each prop is serialised only to find the one at fault.
            if UNREADABLE.search(props_json):
                for key, value in props.items():
                    self.check_readable(f"{path}/props/{key}", node_id, value)
            self.check_props(path, node_id, type_name, {**type_.default_props(), **props})
        usage = node.get("usage", {})
        if not isinstance(usage, dict):
            self.error(f"{path}/usage", "usage must be an object", node_id)
            return
        for key, value in usage.items():
            spec = type_.usage.get(key)
            if spec is None:
                known = ", ".join(sorted(type_.usage)) or "none"
                self.error(
                    f"{path}/usage/{key}",
                    f"unknown usage key {key!r} for {type_name}; known keys: {known}",
                    node_id,
                )
            elif (
                not _is_number(value)
                or value < spec.get("minimum", float("-inf"))
                or (value > spec.get("maximum", float("inf")))
            ):
                self.error(
                    f"{path}/usage/{key}", f"{key} must be a number within its range", node_id
                )

    def check_props(self, path: str, node_id: str, type_name: str, props: dict) -> None:
        """Rules that span several props of one node."""
        if type_name == "aws.events.rule":
            schedule, pattern = props.get("schedule_expression"), props.get("event_pattern")
            if bool(schedule) == bool(pattern):
                self.error(
                    f"{path}/props/schedule_expression",
                    "set exactly one of schedule_expression and event_pattern",
                    node_id,
                )
            if pattern and isinstance(pattern, str):
                try:
                    parsed = json.loads(pattern)
                except ValueError as exc:
                    self.error(f"{path}/props/event_pattern", f"not valid JSON: {exc}", node_id)
                else:
                    if not isinstance(parsed, dict) or not parsed:
                        self.error(
                            f"{path}/props/event_pattern",
                            "the event pattern must be a non-empty JSON object",
                            node_id,
                        )
                    # JSON escapes (\u0092) hide such characters from the check on the text.
                    self.check_readable(f"{path}/props/event_pattern", node_id, parsed)
        if type_name == "aws.wafv2.web_acl":
            limit = props.get("rate_limit_per_5min")
            if isinstance(limit, int) and 0 < limit < 100:
                self.error(
                    f"{path}/props/rate_limit_per_5min",
                    "the rate limit is 0 (off) or at least 100",
                    node_id,
                )
        if (
            type_name == "aws.elbv2.application_load_balancer"
            and props.get("listener_protocol") == "HTTPS"
            and not props.get("certificate_arn")
        ):
            self.error(
                f"{path}/props/certificate_arn",
                "an HTTPS listener needs a certificate_arn",
                node_id,
            )
        if type_name == "aws.ecs.fargate_service":
            cpu, memory = props.get("cpu"), props.get("memory_mb")
            if isinstance(cpu, int) and isinstance(memory, int):
                low, high = {256: (512, 2048), 512: (1024, 4096), 1024: (2048, 8192)}.get(
                    cpu, (cpu * 2, cpu * 8)
                )
                if not low <= memory <= high:
                    self.error(
                        f"{path}/props/memory_mb",
                        f"Fargate with cpu {cpu} takes memory_mb from {low} to {high}",
                        node_id,
                    )

    def check_parent(self, index: int, node: dict[str, Any]) -> None:
        node_id = node["id"]
        path = f"/nodes/{index}/parent"
        type_ = self.catalog.types[node["type"]]
        parent_id = node.get("parent")
        allowed = type_.placement.parents
        if parent_id is None:
            if type_.placement.required:
                self.error(
                    path, f"{node['type']} must sit inside one of: {', '.join(allowed)}", node_id
                )
            return
        if not isinstance(parent_id, str) or parent_id not in self.nodes:
            self.error(path, f"parent {parent_id!r} is not a node of this document", node_id)
            return
        parent = self.nodes[parent_id]
        if parent["type"] not in allowed:
            where = ", ".join(allowed) if allowed else "no container"
            self.error(
                path,
                f"{node['type']} cannot sit inside {parent['type']}; it goes in {where}",
                node_id,
            )
            return
        if type_.placement.public_subnet and not parent.get("props", {}).get("public", False):
            self.error(path, f"{node['type']} must sit in a public subnet", node_id)
        # Walk up: a cycle shows as returning to this node.
        seen = {node_id}
        current = parent_id
        while current is not None:
            if current in seen:
                self.error(path, f"parent cycle through {current!r}", node_id)
                return
            seen.add(current)
            nxt = self.nodes.get(current, {}).get("parent")
            current = nxt if isinstance(nxt, str) and nxt in self.nodes else None

    def check_subnets(self) -> None:
        """Subnets must lie inside their VPC's range and not overlap each other."""
        by_vpc: dict[str, list[tuple[str, ipaddress.IPv4Network]]] = {}
        for node_id, node in self.nodes.items():
            if node["type"] != "aws.ec2.subnet" or node.get("parent") not in self.nodes:
                continue
            vpc = self.nodes[node["parent"]]
            if vpc["type"] != "aws.ec2.vpc":
                continue
            try:
                net = ipaddress.IPv4Network(node.get("props", {}).get("cidr_block", "10.0.0.0/24"))
                vpc_net = ipaddress.IPv4Network(
                    vpc.get("props", {}).get("cidr_block", "10.0.0.0/16")
                )
            except (ValueError, TypeError):
                continue  # already reported by the props schema
            path = f"/nodes/{self.node_index[node_id]}/props/cidr_block"
            if not net.subnet_of(vpc_net):
                self.error(path, f"{net} is not inside the VPC's range {vpc_net}", node_id)
                continue
            for other_id, other in by_vpc.get(vpc["id"], []):
                if net.overlaps(other):
                    self.error(path, f"{net} overlaps subnet {other_id!r} ({other})", node_id)
            by_vpc.setdefault(vpc["id"], []).append((node_id, net))

    def check_edge(self, index, edge, seen, pairs) -> None:
        path = f"/edges/{index}"
        if not isinstance(edge, dict):
            self.error(path, "an edge must be an object")
            return
        edge_id = edge.get("id")
        if not self.check_id(path, edge_id, taken=(seen, self.nodes), kind="edge_id"):
            return
        seen[edge_id] = index
        for key in sorted(set(edge) - EDGE_KEYS):
            self.error(f"{path}/{key}", f"unknown field {key!r}", edge_id=edge_id)
        ends = {}
        for end in ("source", "target"):
            ref = edge.get(end)
            if not isinstance(ref, str) or ref not in self.nodes:
                self.error(
                    f"{path}/{end}",
                    f"{end} {ref!r} is not a node of this document",
                    edge_id=edge_id,
                )
                return
            ends[end] = self.nodes[ref]
        source, target = ends["source"], ends["target"]
        if source["id"] == target["id"]:
            self.error(path, "an edge cannot connect a node to itself", edge_id=edge_id)
            return
        rule = self.catalog.rule_for(source["type"], target["type"])
        if rule is None:
            accepted = self.catalog.targets_of(source["type"])
            self.error(
                f"{path}/target",
                f"{source['type']} cannot connect to {target['type']}; it connects to: "
                + (", ".join(accepted) if accepted else "nothing"),
                edge_id=edge_id,
            )
            return
        if (source["id"], target["id"]) in pairs:
            self.error(
                path, f"{source['id']} is already connected to {target['id']}", edge_id=edge_id
            )
        pairs.add((source["id"], target["id"]))
        access = edge.get("access")
        if rule.access:
            levels = self.catalog.types[target["type"]].access_levels()
            if access is not None and access not in levels:
                self.error(
                    f"{path}/access",
                    f"access to {target['type']} is one of: {', '.join(levels)}",
                    edge_id=edge_id,
                )
        elif access is not None:
            self.error(
                f"{path}/access",
                f"{source['type']} -> {target['type']} carries no data access",
                edge_id=edge_id,
            )
        if not isinstance(edge.get("name", ""), str) or len(edge.get("name", "")) > MAX_NAME:
            self.error(
                f"{path}/name",
                f"name must be text of at most {MAX_NAME} characters",
                edge_id=edge_id,
            )

    def check_edge_sets(self, edges: list[Any]) -> None:
        """Rules about several edges together."""
        per_key: dict[tuple[str, str], list[int]] = {}
        for index, edge in enumerate(edges):
            if not isinstance(edge, dict):
                continue
            source, target = self.nodes.get(edge.get("source")), self.nodes.get(edge.get("target"))
            if not source or not target:
                continue
            rule = self.catalog.rule_for(source["type"], target["type"])
            if rule is None:
                continue
            if rule.kind == "log_destination":
                per_key.setdefault(("log", source["id"]), []).append(index)
            elif rule.kind == "alarm_subject":
                per_key.setdefault(("alarm", target["id"]), []).append(index)
            elif rule.kind == "dead_letter_queue":
                per_key.setdefault(("dlq", source["id"]), []).append(index)
            elif rule.kind == "waf_association":
                scope = "cf" if target["type"] == "aws.cloudfront.distribution" else "regional"
                per_key.setdefault(("waf-" + scope, source["id"]), []).append(index)
                per_key.setdefault(("waf-target", target["id"]), []).append(index)
            elif rule.kind == "authorizer":
                per_key.setdefault(("auth", target["id"]), []).append(index)
        messages = {
            "log": "a resource writes to at most one log group",
            "alarm": "an alarm watches one resource",
            "dlq": "a queue has at most one dead-letter queue",
            "waf-target": "a resource is protected by at most one web ACL",
            "auth": "an API has at most one Cognito authorizer",
        }
        for (key, _node), indexes in per_key.items():
            if key in messages and len(indexes) > 1:
                for index in indexes[1:]:
                    self.error(f"/edges/{index}", messages[key], edge_id=edges[index]["id"])
        for (key, node_id), indexes in per_key.items():
            if key == "waf-cf" and ("waf-regional", node_id) in per_key:
                for index in indexes:
                    self.error(
                        f"/edges/{index}",
                        "a web ACL protects either CloudFront or regional resources, not both",
                        edge_id=edges[index]["id"],
                    )
        for index, edge in enumerate(edges):
            if not isinstance(edge, dict):
                continue
            source, target = self.nodes.get(edge.get("source")), self.nodes.get(edge.get("target"))
            if not source or not target:
                continue
            if (
                source["type"] == "aws.sns.topic"
                and target["type"] in ("aws.sqs.queue", "aws.lambda.function")
                and source.get("props", {}).get("fifo")
                and not (target["type"] == "aws.sqs.queue" and target.get("props", {}).get("fifo"))
            ):
                self.error(
                    f"/edges/{index}",
                    "a FIFO topic delivers only to FIFO queues",
                    edge_id=edge["id"],
                )
            both_queues = source["type"] == target["type"] == "aws.sqs.queue"
            if both_queues and bool(source.get("props", {}).get("fifo")) != bool(
                target.get("props", {}).get("fifo")
            ):
                self.error(
                    f"/edges/{index}",
                    "a FIFO queue's dead-letter queue must be FIFO too, and the other way round",
                    edge_id=edge["id"],
                )


_CACHE_LIMIT = 65536


def _props_errors(type_: ComponentType, props_json: str) -> tuple[tuple[str, str], ...]:
    """Schema errors of one node's props, as (pointer, message) pairs.

    Cached per type on the serialised props: a collaborative edit changes one node,
    so re-validating the document after it checks only that node's props again.
    """
    cache = type_.props_errors_cache
    if props_json in cache:
        return cache[props_json]
    props = json.loads(props_json)
    errors: list[tuple[str, str]] = []
    for err in type_.props_validator.iter_errors(props):
        if err.validator == "additionalProperties":
            known = ", ".join(sorted(type_.props))
            errors.extend(
                (extra, f"unknown prop {extra!r} for {type_.name}; known props: {known}")
                for extra in sorted(set(props) - set(type_.props))
            )
            continue
        errors.append(("/".join(str(p) for p in err.absolute_path), err.message))
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[props_json] = result = tuple(errors)
    return result


def validate_document(doc: Any, catalog: Catalog | None = None) -> list[DocumentError]:
    """Every error in `doc`; an empty list means it is a valid v1 document."""
    return _Checker(doc, catalog or get_catalog()).run()


def check_document(doc: Any, catalog: Catalog | None = None) -> None:
    """Raise DocumentInvalid when `doc` has errors."""
    errors = validate_document(doc, catalog)
    if errors:
        raise DocumentInvalid(errors)
