"""Labels in AWS free-text fields (descriptions, comments): no control characters, which
AWS and CloudFormation refuse, and no more characters than the field takes, in both
targets."""

from __future__ import annotations

import ast
import json
import re
import unicodedata
from collections.abc import Iterator

import pytest

from bench.docgen import make_document
from builder.catalog.validate import MAX_NAME
from codegen import TARGETS, generate, naming
from codegen.files import Files
from codegen.templates import get_template
from tests.strategies import relabelled

# C0 controls (not NUL: validation refuses it), escape sequences, DEL, NEL, a
# zero-width space and line breaks, as pasted from a terminal or a word processor;
# as long as a label may be.
UNRULY_LABEL = ("Orders\x01\x07 API\n\r\t\x1b[31m\x7f\x85\u200b\u2028 " * 10)[:MAX_NAME]

# AWS's limits (CloudFormation resource schemas, API references) of every free-text
# field the generated code fills in; a field missing here fails the test until its
# limit is added.
LIMITS = {
    "terraform": {
        "aws_api_gateway_rest_api.description": 1024,  # none documented; as HTTP APIs
        "aws_apigatewayv2_api.description": 1024,
        "aws_cloudfront_distribution.comment": 128,
        "aws_cloudfront_origin_access_control.description": 256,
        "aws_cloudwatch_event_rule.description": 512,
        "aws_cloudwatch_metric_alarm.alarm_description": 1024,
        "aws_db_subnet_group.description": 255,
        "aws_elasticache_replication_group.description": 255,
        "aws_elasticache_subnet_group.description": 255,
        "aws_kms_key.description": 8192,
        "aws_lambda_function.description": 256,
        "aws_route53_zone.comment": 256,
        "aws_secretsmanager_secret.description": 2048,
        "aws_security_group.description": 255,
        "aws_sns_topic.display_name": 100,
        "aws_vpc_security_group_egress_rule.description": 255,
        "aws_vpc_security_group_ingress_rule.description": 255,
        "aws_wafv2_web_acl.description": 256,
    },
    "cdk": {
        "Alarm.alarm_description": 1024,
        "CfnReplicationGroup.replication_group_description": 255,
        "CfnSubnetGroup.description": 255,
        "Distribution.comment": 128,
        "Function.description": 256,
        "Key.description": 8192,
        "Secret.description": 2048,
        "SecurityGroup.description": 255,
    },
}
# Fields each target fills with the label (the rest hold ids).
FROM_LABEL = {
    "terraform": {
        "aws_api_gateway_rest_api.description",
        "aws_apigatewayv2_api.description",
        "aws_cloudfront_distribution.comment",
        "aws_cloudwatch_event_rule.description",
        "aws_cloudwatch_metric_alarm.alarm_description",
        "aws_elasticache_replication_group.description",
        "aws_lambda_function.description",
        "aws_route53_zone.comment",
        "aws_secretsmanager_secret.description",
        "aws_sns_topic.display_name",
    },
    "cdk": {
        "Alarm.alarm_description",
        "Distribution.comment",
        "Function.description",
        "Key.description",
        "Secret.description",
    },
}
FIELDS = ("description", "comment", "alarm_description", "display_name")
FIELDS += ("replication_group_description",)
_TF_BLOCK = re.compile(r'^(?:resource|data) "([^"]+)"')
_TF_FIELD = re.compile(rf'^\s*({"|".join(FIELDS)})\s*= (".*")$')


def terraform_fields(files: Files) -> Iterator[tuple[str, str]]:
    """(`<resource type>.<field>`, value) of every free-text field in the .tf files."""
    for path, text in files.items():
        if not path.endswith(".tf"):
            continue
        resource = None
        for line in text.split("\n"):  # not splitlines: labels may hold U+2028
            if line[:1].isalpha():  # a top-level block starts
                head = _TF_BLOCK.match(line)
                resource = head.group(1) if head else None
            found = _TF_FIELD.match(line)
            if found and resource:
                # HCL string escapes here are JSON's (`${` is written `\u0024{`).
                yield f"{resource}.{found.group(1)}", json.loads(found.group(2))


def cdk_fields(files: Files) -> Iterator[tuple[str, str]]:
    """(`<construct class>.<keyword>`, value) of every free-text keyword in the stacks."""
    for path, text in files.items():
        if not (path.startswith("stacks/") and path.endswith(".py")):
            continue
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.Call):
                continue
            construct = ast.unparse(node.func).rsplit(".", 1)[-1]
            for keyword in node.keywords:
                if keyword.arg in FIELDS:
                    assert isinstance(keyword.value, ast.Constant), ast.unparse(node)
                    yield f"{construct}.{keyword.arg}", keyword.value.value


EXTRACT = {"terraform": terraform_fields, "cdk": cdk_fields}


@pytest.mark.parametrize("target", TARGETS)
def test_labels_reach_free_text_fields_without_controls_and_within_limits(target):
    found: list[tuple[str, str]] = []
    # Between them, every type whose label reaches a free-text field.
    for doc in (get_template("serverless-crud"), make_document(60)):
        found += EXTRACT[target](generate(relabelled(doc, UNRULY_LABEL), target))

    assert {field for field, _ in found} >= FROM_LABEL[target]
    for field, value in found:
        assert field in LIMITS[target], f"{field}: add AWS's limit to LIMITS"
        controls = [c for c in value if unicodedata.category(c).startswith("C")]
        assert not controls, (field, value)
        assert len(value) <= LIMITS[target][field], (field, len(value))
    # The label's text is kept (controls made spaces), cut at the field's limit only.
    for field in FROM_LABEL[target]:
        expected = naming.free_text(UNRULY_LABEL, LIMITS[target][field])
        assert expected in {value for f, value in found if f == field}, field
