"""Secret rotation: one model fact (`Model.secret_rotations`), rendered by both targets.

A secret whose `rotation_days` is set gets a rotation function (the same code in both
repositories) and a schedule; the function itself is run against Secrets Manager in
moto, whose rotate_secret walks the four steps through its Lambda backend, here
patched to run the generated handler in this process instead of a container.
"""

from __future__ import annotations

import json
import runpy
from unittest import mock

import boto3
import pytest
from moto import mock_aws

from codegen import generate, resolve
from tests.codegen.terraform_support import blocks

REGION = "eu-west-1"
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:123456789012:function:rotation"


def secret_doc(rotation_days: int) -> dict:
    return {
        "format": "cloudwright/v1",
        "name": "rotation",
        "region": REGION,
        "nodes": [
            {
                "id": "token",
                "type": "aws.secretsmanager.secret",
                "props": {"rotation_days": rotation_days},
            }
        ],
        "edges": [],
    }


def test_both_targets_rotate_the_secret_with_the_same_function():
    doc = secret_doc(45)
    (rotation,) = resolve(doc).secret_rotations
    cdk, terraform = generate(doc, "cdk"), generate(doc, "terraform")

    code = "functions/token_rotation/index.py"
    assert cdk[code] == terraform[code] == resolve(doc).lambda_code["token"].source
    stack = cdk["stacks/main_stack.py"]
    assert 'code=function_code("functions/token_rotation", "index.py")' in stack
    assert "rotation_lambda=self.token_rotation" in stack
    assert f"automatically_after=Duration.days({rotation.days})" in stack
    (schedule,) = blocks(
        terraform["security.tf"], "resource", "aws_secretsmanager_secret_rotation"
    ).values()
    assert schedule["rotation_lambda_arn"] == "${aws_lambda_function.token__rotation.arn}"
    assert schedule["rotation_rules"][0]["automatically_after_days"] == rotation.days
    function = blocks(terraform["security.tf"], "resource", "aws_lambda_function")
    assert function["token__rotation"]["filename"].endswith("/token_rotation.zip")
    assert function["token__rotation"]["runtime"] == rotation.runtime


def test_a_secret_without_rotation_days_gets_no_rotation():
    doc = secret_doc(0)
    cdk, terraform = generate(doc, "cdk"), generate(doc, "terraform")

    assert not resolve(doc).secret_rotations
    assert "add_rotation_schedule" not in cdk["stacks/main_stack.py"]
    assert "aws_secretsmanager_secret_rotation" not in terraform["security.tf"]
    assert not [path for path in cdk if path.startswith("functions/")]


@pytest.fixture
def rotated_secret(monkeypatch, tmp_path):
    """A secret rotated once by the generated handler; the client and the first version."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    index = tmp_path / "index.py"
    index.write_text(resolve(secret_doc(30)).lambda_code["token"].source)
    with mock_aws():
        client = boto3.client("secretsmanager")
        first = client.create_secret(Name="token", SecretString="initial")["VersionId"]
        # Imported as Lambda would: its client is made at import, inside the mock.
        handler = runpy.run_path(str(index))["handler"]

        def invoke(arn, qualifier, body, headers, response_headers):
            handler(json.loads(body), None)

        with (
            mock.patch("moto.awslambda.models.LambdaBackend.get_function"),
            mock.patch("moto.awslambda.models.LambdaBackend.invoke", side_effect=invoke),
        ):
            client.rotate_secret(
                SecretId="token",
                RotationLambdaARN=FUNCTION_ARN,
                RotationRules={"AutomaticallyAfterDays": 30},
            )
        yield client, first


def test_rotation_makes_a_new_random_password_current(rotated_secret):
    client, first = rotated_secret

    current = client.get_secret_value(SecretId="token", VersionStage="AWSCURRENT")
    stages = client.describe_secret(SecretId="token")["VersionIdsToStages"]

    assert current["VersionId"] != first
    assert len(current["SecretString"]) == 32 and current["SecretString"].isalnum()
    assert stages[first] == ["AWSPREVIOUS"]
    # Secrets Manager itself drops AWSPENDING once the last step returns (moto does not).
    assert "AWSCURRENT" in stages[current["VersionId"]]
