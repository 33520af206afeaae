"""The rule loader refuses bad rule files; suppressions; fixes on the templates; docs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from builder.catalog import validate_document
from builder.insights.security import RuleError, Suppression, apply_fix, load_rules, scan
from builder.insights.security.docs import render
from codegen import resolve
from codegen.templates import TEMPLATE_IDS, get_template

DOCS = Path(__file__).parents[2] / "docs" / "security.md"
GOOD = """
- id: T-1
  title: Queue not encrypted
  severity: medium
  category: encryption
  types: [aws.sqs.queue]
  rationale: r
  remediation: m
  when: {prop_equals: {prop: encrypted, value: false}}
  fix: {set_props: {encrypted: true}}
"""


def write_rules(tmp_path: Path, text: str) -> Path:
    (tmp_path / "rules.yaml").write_text(text)
    return tmp_path


def test_a_well_formed_rule_file_loads(tmp_path):
    (rule,) = load_rules(write_rules(tmp_path, GOOD))
    assert (rule.id, rule.types, rule.controls) == ("T-1", ("aws.sqs.queue",), {})


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("severity: medium", "severity: urgent", "severity 'urgent' is not one of"),
        ("category: encryption", "category: vibes", "category 'vibes' is not one of"),
        ("types: [aws.sqs.queue]", "types: [aws.sqs.kew]", "unknown component type 'aws.sqs.kew'"),
        ("prop_equals:", "prop_is:", "unknown predicate 'prop_is'"),
        ("{prop: encrypted, value: false}", "{prop: encrypted}", "needs parameters ['value']"),
        ("{prop: encrypted, value: false}", "{prop: cipher, value: 1}", "has no prop 'cipher'"),
        ("{set_props: {encrypted: true}}", "{set_props: {encrypted: 3}}", "invalid value"),
        ("{set_props: {encrypted: true}}", "{set_props: {cipher: true}}", "does not have"),
        ("{set_props: {encrypted: true}}", "{add_moat: {}}", "unknown fix 'add_moat'"),
        ("  rationale: r\n", "", "rationale is required"),
        ("  title:", "  colour: red\n  title:", "unknown keys ['colour']"),
        ("when: {prop_equals:", "when: {all: [], prop_equals:", "exactly one key"),
    ],
)
def test_a_bad_rule_fails_loudly_at_load_time(tmp_path, old, new, message):
    assert old in GOOD
    with pytest.raises(RuleError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_rules(write_rules(tmp_path, GOOD.replace(old, new)))


def test_duplicate_rule_ids_are_refused(tmp_path):
    with pytest.raises(RuleError, match="duplicate rule id 'T-1'"):
        load_rules(write_rules(tmp_path, GOOD + GOOD))


def queue_document() -> dict:
    return {
        "format": "cloudwright/v1", "name": "q", "region": "us-east-1",
        "nodes": [{"id": q, "type": "aws.sqs.queue", "name": q, "position": {"x": 0, "y": 0},
                   "props": {"encrypted": False}} for q in ("a", "b")],
        "edges": [],
    }  # fmt: skip


NOW = datetime(2026, 6, 1, tzinfo=UTC)


def sqs_findings(*suppressions: Suppression) -> dict[str, bool]:
    findings = scan(resolve(queue_document()), suppressions, now=NOW)
    return {f.node_id: f.suppressed for f in findings if f.rule_id == "CW-SQS-001"}


def test_a_suppression_flags_its_node_only():
    assert sqs_findings(Suppression("CW-SQS-001", "a", "test data", "vera")) == {
        "a": True,
        "b": False,
    }


def test_a_suppression_for_every_node_flags_them_all():
    assert sqs_findings(Suppression("CW-SQS-001", None, "sandbox", "vera")) == {
        "a": True,
        "b": True,
    }


def test_an_expired_suppression_no_longer_applies():
    expired = Suppression("CW-SQS-001", "a", "pilot", "vera", expires_at=NOW - timedelta(days=1))
    later = Suppression("CW-SQS-001", "b", "pilot", "vera", expires_at=NOW + timedelta(days=1))
    assert sqs_findings(expired, later) == {"a": False, "b": True}


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_every_fix_offered_on_a_template_applies_and_keeps_it_valid(template_id):
    document = get_template(template_id)
    for _ in range(100):
        fixable = [f for f in scan(resolve(document)) if f.fix]
        if not fixable:
            break
        document = apply_fix(document, fixable[0])
        assert [e.as_dict() for e in validate_document(document)] == []
    assert [f.rule_id for f in scan(resolve(document)) if f.fix] == []


def test_the_docs_list_the_current_rules_and_template_hints():
    text = DOCS.read_text(encoding="utf-8")
    assert render(text) == text, "run: python -m builder.insights.security.docs docs/security.md"
