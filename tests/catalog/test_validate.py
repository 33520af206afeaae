import shutil

import pytest
import yaml

from builder.catalog import DocumentInvalid, check_document, load_catalog, validate_document
from builder.catalog.loader import DATA_DIR
from codegen.templates import get_template


def node(doc: dict, node_id: str) -> dict:
    return next(n for n in doc["nodes"] if n["id"] == node_id)


def connect(source: str, target: str, **extra):
    def change(doc):
        doc["edges"].append({"id": "new-edge", "source": source, "target": target, **extra})

    return change


def set_in(node_id: str, key: str, value):
    def change(doc):
        node(doc, node_id)[key] = value

    return change


def set_prop(node_id: str, prop: str, value):
    def change(doc):
        node(doc, node_id).setdefault("props", {})[prop] = value

    return change


def add_node(**fields):
    def change(doc):
        doc["nodes"].append({"position": {"x": 0, "y": 0}, **fields})

    return change


CASES = {
    "invalid edge pair lists the accepted targets": (
        connect("ui_bucket", "database"),
        {"path": "/edges/18/target", "edge_id": "new-edge"},
        "aws.s3.bucket cannot connect to aws.rds.instance; it connects to: "
        "aws.lambda.function, aws.sns.topic, aws.sqs.queue",
    ),
    "unknown prop lists the known props": (
        set_prop("jobs", "fifoo", True),
        {"path": "/nodes/16/props/fifoo", "node_id": "jobs"},
        "unknown prop 'fifoo' for aws.sqs.queue; known props: encrypted, fifo,",
    ),
    "prop outside its range": (
        set_prop("jobs", "visibility_timeout_s", -1),
        {"path": "/nodes/16/props/visibility_timeout_s", "node_id": "jobs"},
        "-1 is less than the minimum of 0",
    ),
    "duplicate node id": (
        add_node(id="jobs", type="aws.sqs.queue"),
        {"path": "/nodes/23/id", "node_id": "jobs"},
        "duplicate id 'jobs'",
    ),
    "wrong container": (
        set_in("database", "parent", "nat_a"),
        {"path": "/nodes/14/parent", "node_id": "database"},
        "aws.rds.instance cannot sit inside aws.ec2.nat_gateway; "
        "it goes in aws.ec2.vpc, aws.ec2.subnet",
    ),
    "container required": (
        set_in("database", "parent", None),
        {"path": "/nodes/14/parent", "node_id": "database"},
        "aws.rds.instance must sit inside one of: aws.ec2.vpc, aws.ec2.subnet",
    ),
    "NAT gateway outside a public subnet": (
        set_in("nat_a", "parent", "private_a"),
        {"path": "/nodes/7/parent", "node_id": "nat_a"},
        "aws.ec2.nat_gateway must sit in a public subnet",
    ),
    "subnet outside the VPC range": (
        set_prop("private_b", "cidr_block", "192.168.0.0/24"),
        {"path": "/nodes/13/props/cidr_block", "node_id": "private_b"},
        "192.168.0.0/24 is not inside the VPC's range 10.0.0.0/16",
    ),
    "overlapping subnets": (
        set_prop("private_b", "cidr_block", "10.0.10.128/25"),
        {"path": "/nodes/13/props/cidr_block", "node_id": "private_b"},
        "10.0.10.128/25 overlaps subnet 'private_a'",
    ),
    "access level the target does not offer": (
        connect("worker", "ops_alerts", access="read"),
        {"path": "/edges/18/access", "edge_id": "new-edge"},
        "access to aws.sns.topic is one of: write",
    ),
    "unknown access level": (
        connect("worker", "ui_bucket", access="admin"),
        {"path": "/edges/18/access", "edge_id": "new-edge"},
        "access to aws.s3.bucket is one of: read, write, read_write",
    ),
    "access on a pair without data access": (
        connect("alb", "worker", access="read"),
        {"path": "/edges/18/access", "edge_id": "new-edge"},
        "aws.elbv2.application_load_balancer -> aws.ecs.fargate_service carries no data access",
    ),
    "a FIFO topic subscribing a standard queue": (
        lambda doc: (
            set_prop("ops_alerts", "fifo", True)(doc),
            connect("ops_alerts", "jobs")(doc),
        ),
        {"path": "/edges/18", "edge_id": "new-edge"},
        "a FIFO topic delivers only to FIFO queues",
    ),
    "a NUL character in a label": (
        set_in("jobs", "name", "jobs\x00"),
        {"path": "/nodes/16/name"},
        "text may not contain the NUL character",
    ),
    "an HTTPS listener without a certificate": (
        set_prop("alb", "listener_protocol", "HTTPS"),
        {"path": "/nodes/9/props/certificate_arn", "node_id": "alb"},
        "an HTTPS listener needs a certificate_arn",
    ),
    "a C1 control character in a prop": (
        set_prop("cdn", "default_root_object", "Bob\x92s.html"),
        {"path": "/nodes/1/props/default_root_object", "node_id": "cdn"},
        "text may not contain the character U+0092",
    ),
    "a control character escaped inside an event pattern": (
        add_node(
            id="nightly",
            type="aws.events.rule",
            props={
                "schedule_expression": "",
                "event_pattern": '{"source": ["shop\\u0085\\u007f"]}',
            },
        ),
        {"path": "/nodes/23/props/event_pattern", "node_id": "nightly"},
        "text may not contain the character U+007F",
    ),
    "a name prefix AWS names cannot start with": (
        lambda doc: doc.setdefault("metadata", {}).update(name_prefix="9lives"),
        {"path": "/metadata/name_prefix"},
        "name_prefix is 1-20 characters",
    ),
    "edge to a missing node": (
        connect("worker", "ghost"),
        {"path": "/edges/18/target", "edge_id": "new-edge"},
        "target 'ghost' is not a node of this document",
    ),
}


@pytest.mark.parametrize(("change", "where", "message"), CASES.values(), ids=CASES.keys())
def test_an_invalid_document_gets_an_error_naming_where_and_why(change, where, message):
    doc = get_template("container-platform")
    change(doc)
    errors = [e.as_dict() for e in validate_document(doc)]
    assert len(errors) == 1, errors
    error = errors[0]
    assert {key: error.get(key) for key in where} == where
    assert message in error["message"]


def test_a_parent_cycle_is_reported_on_the_nodes_in_it(tmp_path):
    # With the shipped rules containers cannot nest deep enough to loop, so this
    # catalog lets subnets nest in subnets.
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "components" / "networking.yaml"
    types = yaml.safe_load(path.read_text())
    types["aws.ec2.subnet"]["placement"]["parents"].append("aws.ec2.subnet")
    path.write_text(yaml.safe_dump(types))
    doc = get_template("container-platform")
    node(doc, "public_a")["parent"] = "public_b"
    node(doc, "public_b")["parent"] = "public_a"
    errors = validate_document(doc, load_catalog(data))
    found = {(e.node_id, e.path, e.message) for e in errors}
    assert ("public_a", "/nodes/5/parent", "parent cycle through 'public_a'") in found
    assert ("public_b", "/nodes/6/parent", "parent cycle through 'public_b'") in found
    assert all("parent cycle" in e.message for e in errors)


def test_an_edge_id_that_is_also_a_node_id_is_a_duplicate():
    doc = get_template("container-platform")
    doc["edges"].append({"id": "jobs", "source": "api_service", "target": "ui_bucket"})
    [error] = validate_document(doc)
    assert (error.edge_id, error.message) == ("jobs", "duplicate id 'jobs'")


def test_a_queue_takes_one_dead_letter_queue():
    doc = get_template("container-platform")
    doc["nodes"].append({"id": "dlq2", "type": "aws.sqs.queue", "position": {"x": 0, "y": 0}})
    doc["edges"].append({"id": "second-dlq", "source": "jobs", "target": "dlq2"})
    [error] = validate_document(doc)
    assert error.edge_id == "second-dlq"
    assert error.message == "a queue has at most one dead-letter queue"


def test_check_document_raises_with_every_error():
    doc = get_template("container-platform")
    doc["nodes"][0]["props"]["bogus"] = 1
    doc["edges"].append({"id": "jobs-dup", "source": "jobs", "target": "jobs_dlq"})
    with pytest.raises(DocumentInvalid) as raised:
        check_document(doc)
    assert {(e.node_id, e.edge_id) for e in raised.value.errors} == {
        ("edge_firewall", None),
        (None, "jobs-dup"),
    }
