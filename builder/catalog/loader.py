"""Load the catalog's data files and check them, so a bad entry fails at start-up.

The catalog is the single source of what the product knows about AWS: component
types with their props as JSON Schema, usage keys for cost, placement rules and the
edge pairs with what each one means. The API, the canvas, the validator, codegen and
the analyses all read it from here.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

DATA_DIR = Path(__file__).parent / "data"

# Keys a component entry may carry; anything else is a typo that must fail loudly.
_TYPE_KEYS = {
    "title", "category", "icon", "description", "container", "placement", "props",
    "usage", "data_access", "event_source", "network_access", "metrics",
}  # fmt: skip
_PLACEMENT_KEYS = {"parents", "required", "spread", "public_subnet"}
_EDGE_KEYS = {"kind", "sources", "targets", "access", "generates"}
ACCESS_LEVELS = ("read", "write", "read_write")


class CatalogError(Exception):
    """The catalog's data files are inconsistent; raised at load time."""


def _cidr(value: object) -> bool:
    if not isinstance(value, str) or "/" not in value:
        return False
    try:
        ipaddress.IPv4Network(value, strict=True)
    except ValueError:
        return False
    return True


FORMAT_CHECKER = jsonschema.FormatChecker()
FORMAT_CHECKER.checks("ipv4-cidr")(_cidr)


@dataclass(frozen=True)
class Placement:
    parents: tuple[str, ...] = ()
    required: bool = False
    spread: bool = False
    public_subnet: bool = False


@dataclass(frozen=True)
class ComponentType:
    name: str
    title: str
    category: str
    icon: str
    description: str
    container: bool
    placement: Placement
    props: dict[str, dict[str, Any]]
    usage: dict[str, dict[str, Any]]
    data_access: dict[str, Any] | None
    event_source: dict[str, Any] | None
    network_access: dict[str, Any] | None
    metrics: dict[str, str] | None
    props_schema: dict[str, Any] = field(repr=False)
    props_validator: jsonschema.protocols.Validator = field(repr=False, compare=False)
    # Validation results by serialised props (see validate._props_errors).
    props_errors_cache: dict[str, tuple] = field(default_factory=dict, repr=False, compare=False)

    def default_props(self) -> dict[str, Any]:
        return {key: spec["default"] for key, spec in self.props.items()}

    def default_usage(self) -> dict[str, float]:
        return {key: spec["default"] for key, spec in self.usage.items()}

    def access_levels(self) -> tuple[str, ...]:
        """Access levels a data edge into this type may ask for."""
        if not self.data_access:
            return ()
        allowed = self.data_access.get("access")
        return tuple(allowed) if allowed else ACCESS_LEVELS

    def actions_for(self, access: str) -> tuple[str, ...]:
        """IAM actions a data edge with this access grants on this type, in order, once each."""
        assert self.data_access is not None
        actions = self.data_access["actions"]
        levels = ("read", "write") if access == "read_write" else (access,)
        seen: dict[str, None] = {}
        for level in levels:
            for action in actions.get(level, ()):
                seen.setdefault(action, None)
        return tuple(seen)


@dataclass(frozen=True)
class EdgeRule:
    kind: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    access: bool
    generates: str


@dataclass(frozen=True)
class Catalog:
    types: dict[str, ComponentType]
    edge_rules: tuple[EdgeRule, ...]
    pairs: dict[tuple[str, str], EdgeRule] = field(repr=False)

    def rule_for(self, source_type: str, target_type: str) -> EdgeRule | None:
        return self.pairs.get((source_type, target_type))

    def targets_of(self, source_type: str) -> list[str]:
        return sorted(t for (s, t) in self.pairs if s == source_type)

    def default_access(self, target_type: str) -> str:
        levels = self.types[target_type].access_levels()
        return "read_write" if "read_write" in levels else levels[0]

    def to_json(self) -> dict[str, Any]:
        """The catalog as the API serves it: enough for the canvas to render forms."""
        return {
            "format": "cloudwright/v1",
            "types": [
                {
                    "type": t.name,
                    "title": t.title,
                    "category": t.category,
                    "icon": t.icon,
                    "description": t.description,
                    "container": t.container,
                    "placement": {
                        "parents": list(t.placement.parents),
                        "required": t.placement.required,
                        "spread": t.placement.spread,
                        "public_subnet": t.placement.public_subnet,
                    },
                    "props_schema": t.props_schema,
                    "usage_schema": _usage_schema(t.usage),
                    "access_levels": list(t.access_levels()),
                }
                for t in self.types.values()
            ],
            "edges": [
                {
                    "kind": r.kind,
                    "sources": list(r.sources),
                    "targets": list(r.targets),
                    "access": r.access,
                    "generates": r.generates,
                }
                for r in self.edge_rules
            ],
        }


def _usage_schema(usage: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {key: {"type": "number", **spec} for key, spec in usage.items()},
    }


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise CatalogError(message)


def _load_type(name: str, raw: dict[str, Any]) -> ComponentType:
    where = f"catalog type {name!r}"
    _check(isinstance(raw, dict), f"{where}: entry must be a mapping")
    unknown = set(raw) - _TYPE_KEYS
    _check(not unknown, f"{where}: unknown keys {sorted(unknown)}")
    for key in ("title", "category", "icon", "description"):
        _check(isinstance(raw.get(key), str) and raw[key], f"{where}: {key} is required")
    placement_raw = raw.get("placement") or {}
    unknown = set(placement_raw) - _PLACEMENT_KEYS
    _check(not unknown, f"{where}: unknown placement keys {sorted(unknown)}")
    placement = Placement(
        parents=tuple(placement_raw.get("parents", ())),
        required=bool(placement_raw.get("required", False)),
        spread=bool(placement_raw.get("spread", False)),
        public_subnet=bool(placement_raw.get("public_subnet", False)),
    )
    props = raw.get("props") or {}
    for prop, spec in props.items():
        for key in ("type", "description"):
            _check(key in spec, f"{where}: prop {prop!r} has no {key}")
        _check("default" in spec, f"{where}: prop {prop!r} has no default")
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": props,
    }
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    for prop, spec in props.items():
        errors = list(validator.iter_errors({prop: spec["default"]}))
        _check(not errors, f"{where}: default of prop {prop!r} is invalid: {errors[:1]}")
    usage = raw.get("usage") or {}
    for key, spec in usage.items():
        _check(
            isinstance(spec.get("default"), (int, float)) and "description" in spec,
            f"{where}: usage key {key!r} needs a numeric default and a description",
        )
    data_access = raw.get("data_access")
    if data_access:
        actions = data_access.get("actions") or {}
        for level in data_access.get("access", ACCESS_LEVELS):
            for part in ("read", "write") if level == "read_write" else (level,):
                _check(actions.get(part), f"{where}: data_access has no {part} actions")
        for action_list in actions.values():
            _check(
                all(isinstance(a, str) and ":" in a and a != "*" for a in action_list),
                f"{where}: data_access actions must be service:Action names",
            )
    return ComponentType(
        name=name,
        title=raw["title"],
        category=raw["category"],
        icon=raw["icon"],
        description=raw["description"],
        container=bool(raw.get("container", False)),
        placement=placement,
        props=props,
        usage=usage,
        data_access=data_access,
        event_source=raw.get("event_source"),
        network_access=raw.get("network_access"),
        metrics=raw.get("metrics"),
        props_schema=schema,
        props_validator=validator,
    )


def _load_edges(raw: list[dict[str, Any]], types: dict[str, ComponentType]) -> list[EdgeRule]:
    rules = []
    for index, entry in enumerate(raw):
        where = f"edge rule #{index} ({entry.get('kind')!r})"
        unknown = set(entry) - _EDGE_KEYS
        _check(not unknown, f"{where}: unknown keys {sorted(unknown)}")
        rule = EdgeRule(
            kind=entry["kind"],
            sources=tuple(entry["sources"]),
            targets=tuple(entry["targets"]),
            access=bool(entry.get("access", False)),
            generates=entry["generates"],
        )
        for type_name in rule.sources + rule.targets:
            _check(type_name in types, f"{where}: unknown type {type_name!r}")
        requirement = {
            "data_access": ("targets", "data_access"),
            "event_source": ("sources", "event_source"),
            "network_access": ("targets", "network_access"),
            "alarm_subject": ("sources", "metrics"),
        }.get(rule.kind)
        if requirement:
            side, attribute = requirement
            for type_name in getattr(rule, side):
                _check(
                    getattr(types[type_name], attribute),
                    f"{where}: {type_name} has no {attribute} entry",
                )
        _check(rule.access == (rule.kind == "data_access"), f"{where}: access mismatch")
        rules.append(rule)
    return rules


def load_catalog(data_dir: Path = DATA_DIR) -> Catalog:
    """Read and check every data file; raise CatalogError on the first inconsistency."""
    types: dict[str, ComponentType] = {}
    for path in sorted((data_dir / "components").glob("*.yaml")):
        for name, raw in (yaml.safe_load(path.read_text()) or {}).items():
            _check(name not in types, f"catalog type {name!r} is declared twice")
            types[name] = _load_type(name, raw)
    for type_ in types.values():
        for parent in type_.placement.parents:
            _check(
                parent in types and types[parent].container,
                f"catalog type {type_.name!r}: parent {parent!r} is not a container type",
            )
    rules = _load_edges(yaml.safe_load((data_dir / "edges.yaml").read_text()), types)
    pairs: dict[tuple[str, str], EdgeRule] = {}
    for rule in rules:
        for source in rule.sources:
            for target in rule.targets:
                _check(
                    (source, target) not in pairs,
                    f"edge pair {source} -> {target} is declared twice",
                )
                pairs[(source, target)] = rule
    return Catalog(types=types, edge_rules=tuple(rules), pairs=pairs)


@cache
def get_catalog() -> Catalog:
    """The catalog shipped with the product, loaded once per process."""
    return load_catalog()
