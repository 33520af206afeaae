"""Every rule on its failing and passing fixture; every fix on the failing one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from builder.catalog import validate_document
from builder.insights.security import apply_fix, get_rules, scan
from builder.insights.security.rules import CATEGORIES
from codegen import resolve

FIXTURES = Path(__file__).parent.parent / "fixtures" / "security"
RULES = {rule.id: rule for rule in get_rules()}


def load(rule_id: str, variant: str) -> dict:
    return json.loads((FIXTURES / rule_id / f"{variant}.json").read_text())


def findings_of(document: dict, rule_id: str) -> list:
    return [f for f in scan(resolve(document)) if f.rule_id == rule_id]


def test_there_are_at_least_forty_rules_covering_every_category():
    assert len(RULES) >= 40
    assert {rule.category for rule in RULES.values()} == set(CATEGORIES)


def test_every_rule_has_exactly_one_fixture_pair():
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == sorted(RULES)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_fires_on_its_failing_fixture(rule_id):
    findings = findings_of(load(rule_id, "fail"), rule_id)
    assert findings, f"{rule_id} found nothing in its failing fixture"
    assert all(f.title == RULES[rule_id].title for f in findings)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_is_quiet_on_its_passing_fixture(rule_id):
    assert findings_of(load(rule_id, "pass"), rule_id) == []


@pytest.mark.parametrize("rule_id", sorted(r.id for r in RULES.values() if r.fix_spec))
def test_applying_the_fix_removes_the_finding_and_keeps_the_document_valid(rule_id):
    document = load(rule_id, "fail")
    for finding in findings_of(document, rule_id):
        assert finding.fix, f"{rule_id} declares a fix but its finding offers none"
        document = apply_fix(document, finding)
        assert [e.as_dict() for e in validate_document(document)] == []
        remaining = findings_of(document, rule_id)
        assert finding.node_id not in {f.node_id for f in remaining}
    assert findings_of(document, rule_id) == []


def test_applying_a_fix_leaves_the_input_document_alone():
    document = load("CW-RDS-001", "fail")
    before = json.dumps(document, sort_keys=True)
    apply_fix(document, findings_of(document, "CW-RDS-001")[0])
    assert json.dumps(document, sort_keys=True) == before


def test_the_fix_is_a_list_of_collaboration_ops():
    (finding,) = findings_of(load("CW-RDS-001", "fail"), "CW-RDS-001")
    assert finding.fix == [
        {"type": "update_node", "id": "subject", "set": {"props.storage_encrypted": True}}
    ]


def test_a_rule_without_a_fix_offers_none():
    (finding,) = findings_of(load("CW-ALB-001", "fail"), "CW-ALB-001")
    assert finding.fix is None
    with pytest.raises(ValueError, match="CW-ALB-001 offers no fix"):
        apply_fix(load("CW-ALB-001", "fail"), finding.as_dict())


def test_the_internet_path_names_the_host_and_the_edge_it_goes_through():
    (finding,) = findings_of(load("CW-NET-001", "fail"), "CW-NET-001")
    assert finding.severity == "critical"
    assert finding.node_ids == ("db", "bastion")
    assert finding.edge_ids == ("bastion-db",)


def test_a_publicly_accessible_database_in_a_public_subnet_is_reachable():
    document = load("CW-NET-002", "fail")
    document["nodes"][-1]["props"] = {"publicly_accessible": True}
    (finding,) = findings_of(document, "CW-NET-001")
    assert finding.node_ids == ("db", "public-a", "public-b")
    fixed = apply_fix(document, finding)
    assert findings_of(fixed, "CW-NET-001") == []


def test_a_public_database_in_private_subnets_is_not_reachable():
    document = load("CW-RDS-002", "fail")
    assert findings_of(document, "CW-NET-001") == []
    assert findings_of(document, "CW-RDS-002") != []


def test_the_added_web_acl_gets_an_id_not_yet_taken():
    document = load("CW-WAF-001", "fail")
    document["nodes"].append(
        {
            "id": "api-web-acl",
            "type": "aws.sqs.queue",
            "name": "in the way",
            "parent": None,
            "position": {"x": 0, "y": 0},
        }  # fmt: skip
    )
    (finding,) = findings_of(document, "CW-WAF-001")
    added = finding.fix[0]["node"]["id"]
    assert added == "api-web-acl-2"
    assert findings_of(apply_fix(document, finding), "CW-WAF-001") == []


def test_a_fifo_queue_gets_a_fifo_dead_letter_queue():
    document = load("CW-SQS-002", "fail")
    document["nodes"][0]["props"] = {"fifo": True}
    (finding,) = findings_of(document, "CW-SQS-002")
    fixed = apply_fix(document, finding)
    assert validate_document(fixed) == []
    assert fixed["nodes"][-1]["props"]["fifo"] is True


def test_findings_come_most_severe_first():
    document = load("CW-NET-001", "fail")
    ranks = ["critical", "high", "medium", "low", "info"]
    severities = [ranks.index(f.severity) for f in scan(resolve(document))]
    assert severities == sorted(severities)


def test_the_security_engine_imports_no_django():
    code = (
        "import sys, builder.insights.security, builder.insights.security.deep;"
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert (
        subprocess.run([sys.executable, "-c", code], cwd=FIXTURES.parent.parent.parent).returncode
        == 0
    )
