"""The CDK grant methods grant exactly the actions the model (and so Terraform) grants.

The model's `IamGrant.actions` come from the catalog and are what the Terraform
renderer writes verbatim; the CDK app calls aws-cdk-lib grant methods instead. Here
one Lambda function reaches every data-access target type at every access level it
allows, the app is synthesized, and the policy statements on each target's resource
must hold the same actions. docs/iam.md's table must match the catalog.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from builder.catalog import get_catalog
from codegen import generate, resolve
from codegen.cdk.synth import synth_app
from codegen.files import write_files

ROOT = Path(__file__).resolve().parents[2]


def data_targets() -> list[tuple[str, str]]:
    """Every (target type, access level) a data-access edge may carry."""
    catalog = get_catalog()
    rule = next(r for r in catalog.edge_rules if r.kind == "data_access")
    return [(t, level) for t in rule.targets for level in catalog.types[t].access_levels()]


def parity_document() -> dict:
    nodes = [{"id": "fn", "type": "aws.lambda.function", "name": "Function"}]
    edges = []
    for index, (type_, access) in enumerate(data_targets()):
        node_id = f"t{index}"
        props = {"encryption": "KMS"} if type_ == "aws.s3.bucket" and access == "read" else {}
        nodes.append({"id": node_id, "type": type_, "name": node_id, "props": props})
        edges.append({"id": f"e{index}", "source": "fn", "target": node_id, "access": access})
    return {"format": "cloudwright/v1", "name": "iam-parity", "nodes": nodes, "edges": edges}


def logical_id(template: dict, path: str, type_: str) -> str:
    """The logical id CDK gives the construct at `path` (its ids joined, then a hash)."""
    for lid, resource in template["Resources"].items():
        if resource["Type"] == type_ and re.fullmatch(path + "[0-9A-F]{8}", lid):
            return lid
    raise AssertionError(f"no {type_} at {path}")


RESOURCE_TYPES = {
    "aws.dynamodb.table": "AWS::DynamoDB::Table",
    "aws.s3.bucket": "AWS::S3::Bucket",
    "aws.sqs.queue": "AWS::SQS::Queue",
    "aws.sns.topic": "AWS::SNS::Topic",
    "aws.secretsmanager.secret": "AWS::SecretsManager::Secret",
    "aws.kinesis.stream": "AWS::Kinesis::Stream",
    "aws.kms.key": "AWS::KMS::Key",
}


def actions_on(statements: list[dict], lid: str) -> set[str]:
    """Actions of the statements whose resources name `lid` (its ARN, or its objects)."""
    found: set[str] = set()
    for statement in statements:
        if lid in json.dumps(statement["Resource"]):
            actions = statement["Action"]
            found.update(actions if isinstance(actions, list) else [actions])
    return found


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory):
    doc = parity_document()
    directory = write_files(generate(doc, "cdk"), tmp_path_factory.mktemp("parity"))
    (template,) = synth_app(directory).values()
    statements = [
        s
        for r in template["Resources"].values()
        if r["Type"] == "AWS::IAM::Policy"
        for s in r["Properties"]["PolicyDocument"]["Statement"]
    ]
    return resolve(doc), template, statements


@pytest.mark.synth
@pytest.mark.parametrize(("target_type", "access"), data_targets())
def test_cdk_grant_gives_the_model_actions_on_the_one_resource(synthesized, target_type, access):
    model, template, statements = synthesized
    index = data_targets().index((target_type, access))
    grants = [g for g in model.iam_grants if g.edge_id == f"e{index}"]
    lid = logical_id(template, f"t{index}", RESOURCE_TYPES[target_type])

    data = next(g for g in grants if g.purpose == "data_access")
    assert actions_on(statements, lid) == set(data.actions)
    for key_grant in (g for g in grants if g.purpose == "data_access_key"):
        key_lid = logical_id(template, f"t{index}Key", "AWS::KMS::Key")
        assert actions_on(statements, key_lid) == set(key_grant.actions)


def iam_table_rows() -> list[str]:
    catalog = get_catalog()
    rows = []
    for rule in catalog.edge_rules:
        if rule.kind != "data_access":
            continue
        for target in rule.targets:
            spec = catalog.types[target].data_access
            for access in catalog.types[target].access_levels():
                grants = spec["cdk_grant"][access]
                methods = grants if isinstance(grants, list) else [grants]
                rows.append(
                    f"| {', '.join(f'`{s}`' for s in rule.sources)} | `{target}` | {access} | "
                    f"{', '.join(f'`{a}`' for a in catalog.types[target].actions_for(access))} | "
                    f"{', '.join(f'`{m}`' for m in methods)} |"
                )
    return rows


def test_docs_iam_table_matches_the_catalog():
    text = (ROOT / "docs" / "iam.md").read_text()
    start, end = "<!-- iam-table:start -->", "<!-- iam-table:end -->"
    table = text.split(start)[1].split(end)[0].strip().splitlines()

    assert table[2:] == iam_table_rows()
