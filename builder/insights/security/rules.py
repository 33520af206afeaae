"""Load the security rules from their data files and check them at start-up.

A rule names the component types it applies to, a predicate (a named function from
predicates.py with parameters, or `all` / `any` / `not` over several) and optionally
a fix (a named builder from fixes.py with parameters). Anything unknown or
ill-formed (a predicate, a type, a severity, a parameter, a prop a fix would set)
fails loudly when the rules load, not when a scan happens to reach it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from builder.catalog import Catalog, get_catalog
from builder.insights.security.context import ScanContext
from builder.insights.security.fixes import FIXES
from builder.insights.security.predicates import PREDICATES, Hit, Result
from codegen.model import Component

RULES_DIR = Path(__file__).parent / "rules"
SEVERITIES = ("critical", "high", "medium", "low", "info")
CATEGORIES = (
    "encryption", "exposure", "least-privilege", "logging", "backup",
    "deletion-protection", "availability", "rotation", "identity", "waf",
)  # fmt: skip
CONTROL_KEYS = ("security_hub", "cis", "checkov", "cdk_nag")
_RULE_KEYS = {
    "id", "title", "severity", "category", "types", "controls", "rationale",
    "remediation", "when", "fix",
}  # fmt: skip
_REQUIRED = ("id", "title", "severity", "category", "types", "rationale", "remediation", "when")
_COMBINATORS = ("all", "any", "not")

Compiled = Callable[[ScanContext, Component], Result]
FixCall = Callable[[ScanContext, Component, Hit | None], list[dict[str, Any]]]


class RuleError(Exception):
    """A rule file is ill-formed; raised when the rules load."""


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    category: str
    types: tuple[str, ...]
    controls: dict[str, str]
    rationale: str
    remediation: str
    when: dict[str, Any] = field(repr=False)
    fix_spec: dict[str, Any] | None = field(repr=False)
    check: Compiled = field(repr=False, compare=False)
    build_fix: FixCall | None = field(repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "severity": self.severity,
            "category": self.category,
            "types": list(self.types),
            "controls": self.controls,
            "rationale": self.rationale,
            "remediation": self.remediation,
            "has_fix": self.fix_spec is not None,
        }


def _fail(where: str, message: str) -> RuleError:
    return RuleError(f"{where}: {message}")


def _one_key(where: str, spec: Any, what: str) -> tuple[str, Any]:
    if not isinstance(spec, dict) or len(spec) != 1:
        raise _fail(where, f"{what} must be a mapping with exactly one key")
    return next(iter(spec.items()))


def _check_params(where: str, name: str, fn: Callable, params: dict[str, Any], skip: int):
    """Check `params` against the keyword-only arguments of `fn` after `skip` positionals."""
    signature = inspect.signature(fn)
    accepts_any = any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())
    named = list(signature.parameters.values())[skip:]
    known = {p.name for p in named if p.kind is p.KEYWORD_ONLY}
    required = {p.name for p in named if p.kind is p.KEYWORD_ONLY and p.default is p.empty}
    if not accepts_any and set(params) - known:
        raise _fail(where, f"{name} takes no parameter {sorted(set(params) - known)}")
    if required - set(params):
        raise _fail(where, f"{name} needs parameters {sorted(required - set(params))}")


def _compile(where: str, spec: Any, rule_types: tuple[str, ...], catalog: Catalog) -> Compiled:
    name, params = _one_key(where, spec, "a predicate")
    if name in _COMBINATORS:
        parts = params if name != "not" else [params]
        if not isinstance(parts, list) or not parts:
            raise _fail(where, f"{name} takes a non-empty list of predicates")
        compiled = [_compile(where, part, rule_types, catalog) for part in parts]
        return {"all": _all, "any": _any, "not": _not}[name](compiled)
    fn = PREDICATES.get(name)
    if fn is None:
        raise _fail(where, f"unknown predicate {name!r}; known: {', '.join(sorted(PREDICATES))}")
    params = params or {}
    if not isinstance(params, dict):
        raise _fail(where, f"parameters of {name} must be a mapping")
    _check_params(where, name, fn, params, skip=2)
    if "prop" in params:
        for type_name in rule_types:
            if params["prop"] not in catalog.types[type_name].props:
                raise _fail(where, f"{type_name} has no prop {params['prop']!r}")
    return lambda ctx, comp: fn(ctx, comp, **params)


def _merge(results: list[Result]) -> Result:
    hits = [r for r in results if isinstance(r, Hit)]
    if not hits:
        return True
    return Hit(
        node_ids=tuple(n for h in hits for n in h.node_ids),
        edge_ids=tuple(e for h in hits for e in h.edge_ids),
        exposed=tuple(n for h in hits for n in h.exposed),
    )


def _all(parts: list[Compiled]) -> Compiled:
    def check(ctx: ScanContext, comp: Component) -> Result:
        results = []
        for part in parts:
            result = part(ctx, comp)
            if not result:
                return False
            results.append(result)
        return _merge(results)

    return check


def _any(parts: list[Compiled]) -> Compiled:
    def check(ctx: ScanContext, comp: Component) -> Result:
        for part in parts:
            result = part(ctx, comp)
            if result:
                return result
        return False

    return check


def _not(parts: list[Compiled]) -> Compiled:
    (part,) = parts
    return lambda ctx, comp: not part(ctx, comp)


def _compile_fix(where: str, spec: Any, rule_types: tuple[str, ...], catalog: Catalog):
    name, params = _one_key(where, spec, "fix")
    fn = FIXES.get(name)
    if fn is None:
        raise _fail(where, f"unknown fix {name!r}; known: {', '.join(sorted(FIXES))}")
    params = params or {}
    if not isinstance(params, dict):
        raise _fail(where, f"parameters of fix {name} must be a mapping")
    _check_params(where, name, fn, params, skip=3)
    if name == "set_props":
        if not params:
            raise _fail(where, "set_props needs at least one prop")
        for type_name in rule_types:
            type_ = catalog.types[type_name]
            for prop, value in params.items():
                if prop not in type_.props:
                    raise _fail(where, f"fix sets {prop!r}, which {type_name} does not have")
                errors = list(type_.props_validator.iter_errors({prop: value}))
                if errors:
                    raise _fail(
                        where, f"fix sets {prop!r} to an invalid value: {errors[0].message}"
                    )
    return lambda ctx, comp, hit: fn(ctx, comp, hit, **params)


def _load_rule(where: str, raw: Any, catalog: Catalog) -> Rule:
    if not isinstance(raw, dict):
        raise _fail(where, "a rule must be a mapping")
    where = f"{where} rule {raw.get('id')!r}"
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise _fail(where, f"unknown keys {sorted(unknown)}")
    for key in _REQUIRED:
        if not raw.get(key):
            raise _fail(where, f"{key} is required")
    for key in ("id", "title", "rationale", "remediation"):
        if not isinstance(raw[key], str):
            raise _fail(where, f"{key} must be text")
    if raw["severity"] not in SEVERITIES:
        raise _fail(where, f"severity {raw['severity']!r} is not one of {', '.join(SEVERITIES)}")
    if raw["category"] not in CATEGORIES:
        raise _fail(where, f"category {raw['category']!r} is not one of {', '.join(CATEGORIES)}")
    types = raw["types"]
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise _fail(where, "types must be a list of component types")
    for type_name in types:
        if type_name not in catalog.types:
            raise _fail(where, f"unknown component type {type_name!r}")
    controls = raw.get("controls") or {}
    if not isinstance(controls, dict) or set(controls) - set(CONTROL_KEYS):
        raise _fail(where, f"controls is a mapping with keys from {', '.join(CONTROL_KEYS)}")
    types = tuple(types)
    fix_spec = raw.get("fix")
    return Rule(
        id=raw["id"],
        title=raw["title"],
        severity=raw["severity"],
        category=raw["category"],
        types=types,
        controls={k: str(v) for k, v in controls.items()},
        rationale=raw["rationale"].strip(),
        remediation=raw["remediation"].strip(),
        when=raw["when"],
        fix_spec=fix_spec,
        check=_compile(where, raw["when"], types, catalog),
        build_fix=_compile_fix(where, fix_spec, types, catalog) if fix_spec else None,
    )


def load_rules(directory: Path = RULES_DIR, catalog: Catalog | None = None) -> tuple[Rule, ...]:
    """Every rule in the directory's YAML files, checked; raises RuleError on the first fault."""
    catalog = catalog or get_catalog()
    rules: dict[str, Rule] = {}
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise RuleError(f"no rule files in {directory}")
    for path in files:
        raw = yaml.safe_load(path.read_text())
        if not isinstance(raw, list):
            raise _fail(path.name, "a rule file holds a list of rules")
        for index, entry in enumerate(raw):
            rule = _load_rule(f"{path.name}[{index}]", entry, catalog)
            if rule.id in rules:
                raise _fail(path.name, f"duplicate rule id {rule.id!r}")
            rules[rule.id] = rule
    return tuple(rules.values())


@cache
def get_rules() -> tuple[Rule, ...]:
    """The built-in rules, loaded once."""
    return load_rules()
