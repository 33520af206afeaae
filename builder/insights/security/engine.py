"""Run the rules over a resolved model; attach fixes; mark suppressed findings.

Suppressed findings are returned flagged, never dropped: the hints panel shows them
greyed with who suppressed them and why, so a suppression stays visible in review.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from builder.insights.security.context import ScanContext
from builder.insights.security.predicates import Hit
from builder.insights.security.rules import SEVERITIES, Rule, get_rules
from codegen.model import Model

SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Suppression:
    """A decision to accept a finding: for one node, or for every node when node_id is None."""

    rule_id: str
    node_id: str | None
    reason: str
    author: str
    expires_at: datetime | None = None
    id: int | None = None
    created_at: datetime | None = None

    def active(self, now: datetime) -> bool:
        return self.expires_at is None or self.expires_at > now

    def covers(self, rule_id: str, node_id: str) -> bool:
        return self.rule_id == rule_id and self.node_id in (None, node_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule_id": self.rule_id,
            "node_id": self.node_id,
            "reason": self.reason,
            "author": self.author,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
        }


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str
    category: str
    title: str
    node_ids: tuple[str, ...]  # the node the rule fired on first, then the others involved
    edge_ids: tuple[str, ...]
    rationale: str
    remediation: str
    controls: dict[str, str]
    fix: list[dict[str, Any]] | None
    suppression: Suppression | None = field(default=None)

    @property
    def node_id(self) -> str:
        return self.node_ids[0]

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "category": self.category,
            "title": self.title,
            "node_ids": list(self.node_ids),
            "edge_ids": list(self.edge_ids),
            "rationale": self.rationale,
            "remediation": self.remediation,
            "controls": self.controls,
            "fix": self.fix,
            "suppressed": self.suppressed,
            "suppression": self.suppression.as_dict() if self.suppression else None,
        }


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def scan(
    model: Model,
    suppressions: Iterable[Suppression] = (),
    *,
    rules: Iterable[Rule] | None = None,
    now: datetime | None = None,
) -> list[Finding]:
    """Every finding of the rules on the model, most severe first.

    Expired suppressions stop applying; the finding comes back unsuppressed.
    """
    now = now or datetime.now(UTC)
    ctx = ScanContext(model)
    by_type: dict[str, list] = defaultdict(list)
    for comp in model.components.values():
        by_type[comp.type].append(comp)
    live = [s for s in suppressions if s.active(now)]
    findings = []
    for rule in rules if rules is not None else get_rules():
        for type_name in rule.types:
            for comp in by_type.get(type_name, ()):
                result = rule.check(ctx, comp)
                if not result:
                    continue
                hit = result if isinstance(result, Hit) else None
                findings.append(
                    Finding(
                        rule_id=rule.id,
                        severity=rule.severity,
                        category=rule.category,
                        title=rule.title,
                        node_ids=_unique((comp.node_id, *(hit.node_ids if hit else ()))),
                        edge_ids=_unique(hit.edge_ids if hit else ()),
                        rationale=rule.rationale,
                        remediation=rule.remediation,
                        controls=rule.controls,
                        fix=rule.build_fix(ctx, comp, hit) if rule.build_fix else None,
                        suppression=next(
                            (s for s in live if s.covers(rule.id, comp.node_id)), None
                        ),
                    )
                )
    findings.sort(key=lambda f: (SEVERITY_RANK[f.severity], f.rule_id, f.node_id))
    return findings


def summarize(findings: Iterable[Finding]) -> dict[str, int]:
    """Open (unsuppressed) findings per severity, and how many are suppressed."""
    counts = dict.fromkeys(SEVERITIES, 0)
    counts["suppressed"] = 0
    for finding in findings:
        counts["suppressed" if finding.suppressed else finding.severity] += 1
    return counts
