"""The deep scan: checkov and cdk-nag reports mapped back to the nodes that produced them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.documents import actions, jobs
from builder.documents.models import Job, JobState
from builder.insights.security.deep import NodeResolver, cdk_nag_findings, checkov_findings
from builder.insights.tasks_security import DEEP_SCAN, checkov_path
from codegen import resolve
from codegen.templates import get_template

FIXTURES = Path(__file__).parent.parent / "fixtures" / "security"


@pytest.fixture
def model():
    document = json.loads((FIXTURES / "CW-IAM-001" / "fail.json").read_text())
    document["nodes"].append(
        {
            "id": "9lives",
            "type": "aws.s3.bucket",
            "name": "Digits first",
            "parent": None,
            "position": {"x": 0, "y": 0},
        }  # fmt: skip
    )
    return resolve(document)


@pytest.mark.parametrize(
    ("address", "nodes"),
    [
        ("aws_sqs_queue.jobs", ("jobs",)),
        ("aws_iam_role.worker__execution", ("worker",)),
        ("aws_lambda_event_source_mapping.jobs-worker", ("jobs", "worker")),
        ("module.app.aws_s3_bucket.n9lives", ("9lives",)),
        ("aws_s3_bucket.access_logs", ()),
    ],
)
def test_terraform_addresses_map_to_their_nodes(model, address, nodes):
    assert NodeResolver(model).for_tf_address(address) == nodes


@pytest.mark.parametrize(
    ("path", "nodes"),
    [
        ("stack/jobs/Resource", ("jobs",)),
        ("stack/worker/ServiceRole/DefaultPolicy/Resource", ("worker",)),
        ("stack/worker-task/Resource", ("worker",)),
        ("stack/worker_dlq_alarm/Resource", ("worker",)),
        ("stack/BucketNotificationsHandler050a/Role/Resource", ()),
    ],
)
def test_construct_paths_map_to_their_nodes(model, path, nodes):
    assert NodeResolver(model).for_construct_path(path) == nodes


def test_a_checkov_check_names_its_node_and_our_matching_rule(model):
    report = {
        "check_type": "terraform",
        "results": {
            "failed_checks": [
                {"check_id": "CKV_AWS_27", "check_name": "Ensure all data stored in the SQS "
                 "queue is encrypted", "resource": "aws_sqs_queue.jobs", "severity": None,
                 "guideline": "https://docs.prismacloud.io/x"},
                {"check_id": "CKV_AWS_116", "check_name": "Ensure that AWS Lambda function "
                 "is configured for a Dead Letter Queue(DLQ)",
                 "resource": "aws_lambda_function.worker", "severity": "LOW"},
            ]
        },
    }  # fmt: skip
    sqs, dlq = checkov_findings([report], model)
    assert (sqs.node_ids, sqs.rule_id, sqs.severity) == (("jobs",), "CW-SQS-001", "medium")
    assert (dlq.node_ids, dlq.rule_id, dlq.severity) == (("worker",), None, "low")


def test_a_cdk_nag_violation_names_each_construct_node(model):
    violations = [
        {"rule_name": "AwsSolutions-SQS3", "description": "The SQS queue has no DLQ.",
         "severity": "error", "fix": None,
         "construct_paths": ["stack/jobs/Resource", "stack/Custom/Resource"]},
    ]  # fmt: skip
    jobs_queue, plumbing = cdk_nag_findings(violations, model)
    assert (jobs_queue.node_ids, jobs_queue.rule_id) == (("jobs",), "CW-SQS-002")
    assert plumbing.node_ids == ()


@pytest.mark.synth
@pytest.mark.skipif(
    checkov_path() is None, reason="checkov is not installed (scripts/install-checkov.sh)"
)
def test_the_deep_scan_job_reports_both_tools_on_a_template(db, django_user_model):
    user = django_user_model.objects.create_user("deep", "d@example.com", "a-long-passphrase-9")
    project = actions.create_project(user, "Deep")
    architecture = actions.create_architecture(
        user, project, "platform", get_template("container-platform")
    )
    job = jobs.start_job(user, DEEP_SCAN, architecture, {})
    jobs.run_job(job.pk)
    job = Job.objects.get(pk=job.pk)
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.result["errors"] == []
    tools = {f["tool"] for f in job.result["findings"]}
    assert tools == {"checkov", "cdk-nag"}
    node_ids = {n["id"] for n in architecture.document["nodes"]}
    mapped = [f for f in job.result["findings"] if f["node_ids"]]
    assert mapped and all(set(f["node_ids"]) <= node_ids for f in mapped)
