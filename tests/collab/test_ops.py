import copy

import pytest

from builder.collab.ops import OpRejected, apply_op, inverse_op
from builder.collab.validation import apply_validated
from tests.collab.sample import sample_document


def node(doc: dict, node_id: str) -> dict:
    return next(n for n in doc["nodes"] if n["id"] == node_id)


def test_two_updates_of_different_props_of_one_node_both_win():
    doc = sample_document()
    doc = apply_op(doc, {"type": "update_node", "id": "fn", "set": {"props.memory_mb": 1024}})
    doc = apply_op(doc, {"type": "update_node", "id": "fn", "set": {"props.timeout_s": 60}})
    assert node(doc, "fn")["props"] == {"memory_mb": 1024, "timeout_s": 60}


def test_later_update_of_the_same_prop_wins():
    doc = sample_document()
    for value in (1024, 2048):
        doc = apply_op(doc, {"type": "update_node", "id": "fn", "set": {"props.memory_mb": value}})
    assert node(doc, "fn")["props"]["memory_mb"] == 2048


def test_unset_removes_a_prop_and_keeps_the_others():
    doc = apply_op(
        sample_document(),
        {"type": "update_node", "id": "table", "unset": ["usage.storage_gb"], "set": {"name": "T"}},
    )
    assert node(doc, "table")["usage"] == {}
    assert node(doc, "table")["name"] == "T"


def test_update_of_a_deleted_node_is_rejected_naming_it():
    doc = apply_op(sample_document(), {"type": "delete_node", "id": "table"})
    with pytest.raises(OpRejected) as caught:
        apply_op(doc, {"type": "update_node", "id": "table", "set": {"name": "x"}})
    assert "deleted" in caught.value.reason
    assert caught.value.errors[0]["node_id"] == "table"


def test_delete_node_removes_its_children_and_every_edge_touching_them():
    doc = apply_op(sample_document(), {"type": "delete_node", "id": "vpc"})
    assert [n["id"] for n in doc["nodes"]] == ["table", "queue"]
    assert doc["edges"] == []


def test_move_node_sets_position_and_parent():
    doc = apply_op(
        sample_document(),
        {"type": "move_node", "id": "fn", "position": {"x": 5, "y": 6}, "parent": "vpc"},
    )
    assert node(doc, "fn")["position"] == {"x": 5, "y": 6}
    assert node(doc, "fn")["parent"] == "vpc"


def test_edge_ops_add_update_and_delete():
    doc = apply_op(
        sample_document(),
        {"type": "add_edge", "edge": {"id": "fn-queue", "source": "fn", "target": "queue"}},
    )
    doc = apply_op(doc, {"type": "update_edge", "id": "fn-queue", "set": {"access": "write"}})
    assert doc["edges"][-1] == {"id": "fn-queue", "source": "fn", "target": "queue",
                                "access": "write"}  # fmt: skip
    doc = apply_op(doc, {"type": "delete_edge", "id": "fn-table"})
    assert [e["id"] for e in doc["edges"]] == ["queue-fn", "fn-queue"]


def test_set_document_changes_only_the_named_fields():
    doc = apply_op(sample_document(), {"type": "set_document", "set": {"region": "eu-west-1"}})
    assert doc["region"] == "eu-west-1"
    assert doc["name"] == "orders"


@pytest.mark.parametrize(
    ("op", "message"),
    [
        ({"type": "explode"}, "unknown op type"),
        ({"type": "add_node", "node": {"id": "fn", "type": "aws.sqs.queue"}}, "taken"),
        ({"type": "add_edge", "edge": {"id": "x", "source": "fn", "target": "gone"}},
         "does not exist"),
        ({"type": "update_node", "id": "fn", "set": {"type": "aws.sqs.queue"}}, "cannot set"),
        ({"type": "update_node", "id": "fn"}, "changes nothing"),
        ({"type": "update_edge", "id": "nope", "set": {"name": "x"}}, "does not exist"),
        ({"type": "batch", "ops": []}, "ops must be"),
        ("not an op", "must be an object"),
    ],
)  # fmt: skip
def test_malformed_or_stale_ops_are_rejected_with_a_reason(op, message):
    with pytest.raises(OpRejected) as caught:
        apply_op(sample_document(), op)
    assert message in caught.value.reason
    assert caught.value.errors[0]["path"].startswith("/op")


def test_a_batch_is_atomic_and_the_input_is_never_mutated():
    doc = sample_document()
    before = copy.deepcopy(doc)
    with pytest.raises(OpRejected):
        apply_op(doc, {"type": "batch", "ops": [
            {"type": "delete_node", "id": "queue"},
            {"type": "update_node", "id": "queue", "set": {"name": "x"}},
        ]})  # fmt: skip
    assert doc == before


def test_an_op_making_the_document_invalid_is_rejected_with_the_catalog_errors():
    with pytest.raises(OpRejected) as caught:
        apply_validated(
            sample_document(), {"type": "update_node", "id": "fn", "set": {"props.memory_mb": 5}}
        )
    assert caught.value.errors == [
        {"path": "/nodes/2/props/memory_mb", "message": "5 is less than the minimum of 128",
         "node_id": "fn"}
    ]  # fmt: skip


def test_an_edge_the_catalog_does_not_allow_is_rejected():
    with pytest.raises(OpRejected) as caught:
        apply_validated(
            sample_document(),
            {"type": "add_edge", "edge": {"id": "t-q", "source": "table", "target": "vpc"}},
        )
    assert caught.value.errors[0]["edge_id"] == "t-q"


@pytest.mark.parametrize(
    "op",
    [
        {"type": "add_node", "node": {"id": "bucket", "type": "aws.s3.bucket", "name": "B",
                                      "position": {"x": 1, "y": 1}}},
        {"type": "update_node", "id": "fn", "set": {"props.memory_mb": 1024, "size": {"width": 9}},
         "unset": ["props.timeout_s", "parent"]},
        {"type": "move_node", "id": "fn", "position": {"x": 1, "y": 2}, "parent": "vpc"},
        {"type": "move_node", "id": "queue", "position": {"x": 1, "y": 2}},
        {"type": "delete_node", "id": "vpc"},
        {"type": "delete_node", "id": "queue"},
        {"type": "add_edge", "edge": {"id": "fn-q", "source": "fn", "target": "queue"}},
        {"type": "update_edge", "id": "fn-table", "set": {"access": "read", "name": "reads"}},
        {"type": "delete_edge", "id": "fn-table"},
        {"type": "set_document", "set": {"name": "renamed", "description": "d"}},
        {"type": "set_document", "document": {"format": "cloudwright/v1", "name": "empty",
                                              "nodes": [], "edges": []}},
        {"type": "batch", "ops": [
            {"type": "delete_node", "id": "table"},
            {"type": "add_node", "node": {"id": "table", "type": "aws.sqs.queue", "name": "Q"}},
            {"type": "update_node", "id": "table", "set": {"props.fifo": True}},
        ]},
    ],
)  # fmt: skip
def test_the_inverse_of_an_op_restores_the_document(op):
    doc = sample_document()
    assert apply_op(apply_op(doc, op), inverse_op(doc, op)) == doc
