"""Random op sequences: the fast validator agrees with full validation, the size meter
with serialising the whole document, the stored document stays valid, and every
accepted op's inverse restores what was there."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.catalog import validate_document
from builder.collab.ops import OpRejected, apply_op
from builder.collab.validation import DocumentValidator, apply_validated
from builder.documents.limits import SizeMeter, json_size
from tests.collab.sample import sample_document

TYPES = ["aws.lambda.function", "aws.dynamodb.table", "aws.sqs.queue", "aws.s3.bucket",
         "aws.sns.topic", "aws.ec2.vpc", "aws.ec2.subnet"]  # fmt: skip
NEW_IDS = ["a", "b", "c", "fn", "table", "e1"]
VALUES = {
    "props.memory_mb": st.sampled_from([5, 128, 1024, "big"]),
    "props.fifo": st.booleans(),
    "props.cidr_block": st.sampled_from(["10.0.1.0/24", "10.0.2.0/24", "10.1.0.0/24", "nope"]),
    "usage.storage_gb": st.sampled_from([-1, 0, 10.5]),
    "name": st.sampled_from(["x", "", "y" * 200, "nul \x00"]),
    "position": st.sampled_from([{"x": 1, "y": 2}, {"x": "a"}]),
    "size": st.sampled_from([{"width": 10, "height": 5}, None]),
}


def ids(doc, key):
    return [item["id"] for item in doc[key]] + ["ghost"]


def draw_op(draw, doc, depth=0):
    kind = draw(st.sampled_from(["add_node", "update_node", "move_node", "delete_node",
                                 "add_edge", "update_edge", "delete_edge", "set_document"]
                                + (["batch"] if depth == 0 else [])))  # fmt: skip
    node_ids, edge_ids = ids(doc, "nodes"), ids(doc, "edges")
    parents = st.sampled_from([None, *node_ids])
    index = draw(st.sampled_from([None, None, 0, 1, 3, -1]))  # where an add inserts
    at = {} if index is None else {"index": index}
    if kind == "add_node":
        new = {"id": draw(st.sampled_from(NEW_IDS)), "type": draw(st.sampled_from(TYPES)),
               "name": "n", "position": {"x": 0, "y": 0}, "parent": draw(parents)}  # fmt: skip
        return {"type": kind, "node": new, **at}
    if kind == "update_node":
        keys = draw(st.lists(st.sampled_from([*VALUES, "parent"]), min_size=1, max_size=3))
        set_ = {k: draw(parents if k == "parent" else VALUES[k]) for k in keys}
        unset = draw(st.lists(st.sampled_from(["props.memory_mb", "usage.storage_gb"]),
                              max_size=1))  # fmt: skip
        return {"type": kind, "id": draw(st.sampled_from(node_ids)), "set": set_, "unset": unset}
    if kind == "move_node":
        return {"type": kind, "id": draw(st.sampled_from(node_ids)),
                "position": {"x": 3, "y": 4}, "parent": draw(parents)}  # fmt: skip
    if kind in ("delete_node", "delete_edge"):
        return {"type": kind, "id": draw(st.sampled_from(node_ids if kind == "delete_node"
                                                         else edge_ids))}  # fmt: skip
    if kind == "add_edge":
        edge = {"id": draw(st.sampled_from(NEW_IDS)), "source": draw(st.sampled_from(node_ids)),
                "target": draw(st.sampled_from(node_ids))}  # fmt: skip
        if draw(st.booleans()):
            edge["access"] = draw(st.sampled_from(["read", "write", "admin"]))
        return {"type": kind, "edge": edge, **at}
    if kind == "update_edge":
        key, values = draw(st.sampled_from([("access", ["read", "write", "bogus"]),
                                            ("name", ["reads", "nul \x00"])]))  # fmt: skip
        return {"type": kind, "id": draw(st.sampled_from(edge_ids)),
                "set": {key: draw(st.sampled_from(values))}}  # fmt: skip
    if kind == "set_document":
        key, values = draw(st.sampled_from([("region", ["eu-west-1", "mars-1"]),
                                            ("description", ["d", "nul \x00"])]))  # fmt: skip
        return {"type": kind, "set": {key: draw(st.sampled_from(values))}}
    return {"type": "batch", "ops": [draw_op(draw, doc, 1) for _ in range(draw(st.integers(1, 6)))]}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_op_sequences_keep_the_stored_document_valid(data):
    doc = sample_document()
    validator = DocumentValidator()
    validator.validate(doc)
    for _ in range(data.draw(st.integers(1, 25))):
        op = draw_op(data.draw, doc)
        before = copy.deepcopy(doc)
        try:
            candidate = apply_op(doc, op)
        except OpRejected:
            candidate = None
        if candidate is not None:
            assert DocumentValidator().validate(candidate) == validate_document(candidate)
        try:
            new_doc, inverse = apply_validated(doc, op, validator)
        except OpRejected as rejected:
            assert rejected.errors
            assert doc == before
            continue
        assert validate_document(new_doc) == []
        assert apply_op(new_doc, inverse) == before
        doc = new_doc


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_the_fast_validator_matches_full_validation_as_the_document_evolves(data):
    doc = sample_document()
    validator = DocumentValidator()
    for _ in range(data.draw(st.integers(1, 25))):
        try:
            doc = apply_op(doc, draw_op(data.draw, doc))
        except OpRejected:
            continue
        assert validator.validate(doc) == validate_document(doc)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_the_size_meter_matches_serialising_the_whole_document(data):
    doc = sample_document()
    meter = SizeMeter()
    assert meter.size(doc) == json_size(doc)
    for _ in range(data.draw(st.integers(1, 25))):
        try:
            doc = apply_op(doc, draw_op(data.draw, doc))
        except OpRejected:
            continue
        assert meter.size(doc) == json_size(doc)


@pytest.mark.parametrize(
    "change",
    [
        lambda doc: {("na\x00me" if key == "name" else key): value for key, value in doc.items()},
        lambda doc: {**doc, "nodes": {"first": doc["nodes"][0], "text": "nul \x00"}},
        lambda doc: {**doc, "edges": [*doc["edges"], "nul \x00"]},
    ],
    ids=["key-of-a-known-value", "nodes-not-a-list", "edge-not-an-object"],
)
def test_the_fast_validator_finds_a_nul_next_to_what_it_has_seen(change):
    """Only new parts are searched for NUL: the document's keys and whatever stands where
    a list of nodes or edges should are new parts too."""
    doc = sample_document()
    validator = DocumentValidator()
    validator.validate(doc)
    changed = change(doc)
    errors = validate_document(changed)
    assert any("NUL" in error.message for error in errors)
    assert validator.validate(changed) == errors
