"""A web ACL protecting CloudFront lives in us-east-1 whatever the architecture's region.

CloudFront takes CLOUDFRONT-scope web ACLs, which exist in us-east-1 only. Terraform
creates them through an aliased us-east-1 provider; the CDK app puts them in a stack
of their own in us-east-1 that the distribution's stack refers to across regions.
test_cdk_synth.py and test_terraform_cli.py run the same documents through the tools.
"""

from __future__ import annotations

import hcl2
import pytest

from codegen import generate, resolve
from codegen.cdk.stacks import plan
from codegen.templates import get_template
from tests.codegen.terraform_support import blocks

# container-platform: `edge_firewall` protects the distribution `cdn`, `api_firewall`
# the load balancer.


def in_region(region: str) -> dict:
    doc = get_template("container-platform")
    doc["region"] = region
    return doc


def test_cdk_puts_the_cloudfront_web_acl_in_a_us_east_1_stack():
    model = resolve(in_region("eu-west-1"))
    plans = {p.ident: p for p in plan(model)}

    assert list(plans) == ["us_east_1", "main"]
    assert plans["us_east_1"].node_ids == ["edge_firewall"]
    assert plans["us_east_1"].region == "us-east-1"
    assert "api_firewall" in plans["main"].node_ids and "cdn" in plans["main"].node_ids
    assert plans["main"].depends_on == ["us_east_1"]
    assert plans["main"].region is None


def test_cdk_app_deploys_that_stack_to_us_east_1_with_cross_region_references():
    files = generate(in_region("eu-west-1"), "cdk")
    app = files["app.py"]

    east = app.split("us_east_1 = UsEast1Stack(")[1].split("\n    )\n")[0]
    main = app.split("main = MainStack(")[1].split("\n    )\n")[0]
    assert 'env=cdk.Environment(region="us-east-1")' in east
    assert "env=env" in main and "us_east_1=us_east_1" in main
    for stack in (east, main):
        assert "cross_region_references=True" in stack
    assert 'scope="CLOUDFRONT"' in files["stacks/us_east_1_stack.py"]
    assert "web_acl_id=us_east_1.edge_firewall.attr_arn" in files["stacks/main_stack.py"]
    assert "bootstrap` in eu-west-1 and us-east-1" in files["README.md"]


def test_cdk_keeps_one_stack_in_us_east_1():
    files = generate(in_region("us-east-1"), "cdk")

    assert [p.ident for p in plan(resolve(in_region("us-east-1")))] == ["main"]
    assert "cross_region_references" not in files["app.py"]
    assert 'scope="CLOUDFRONT"' in files["stacks/main_stack.py"]


@pytest.mark.parametrize("region", ["eu-west-1", "us-east-1"])
def test_terraform_creates_the_cloudfront_web_acl_with_the_us_east_1_provider(region):
    files = generate(in_region(region), "terraform")
    acls = blocks(files["security.tf"], "resource", "aws_wafv2_web_acl")
    providers = hcl2.loads(files["providers.tf"])["provider"]

    assert acls["edge_firewall"]["scope"] == "CLOUDFRONT"
    assert acls["edge_firewall"]["provider"] == "${aws.us_east_1}"
    assert acls["api_firewall"]["scope"] == "REGIONAL"
    assert "provider" not in acls["api_firewall"]
    aliased = [p['"aws"'] for p in providers if p['"aws"'].get("alias") == '"us_east_1"']
    assert [p["region"] for p in aliased] == ['"us-east-1"']
