import copy
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.collab import ops
from builder.collab.ops import (
    MAX_OPS,
    OpRejected,
    apply_op,
    apply_with_inverse,
    count_ops,
    inverse_op,
)
from builder.collab.validation import apply_validated
from tests.collab import reference_ops
from tests.collab.sample import sample_document
from tests.collab.test_validation import draw_op


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


def outcome(apply, document: dict, op) -> tuple:
    try:
        return apply(document, op)
    except OpRejected as rejected:
        return rejected.reason, rejected.errors


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_reducer_gives_what_the_plain_one_gave(data):
    """Same documents, inverses and rejections as tests/collab/reference_ops.py, through
    batches, deletes of containers and the undos that put items back at an index; with
    tiny blocks, so the blocks split and empty (ops.BLOCK)."""
    doc = sample_document()
    with mock.patch.object(ops, "BLOCK", 2):
        for _ in range(data.draw(st.integers(1, 25))):
            op = draw_op(data.draw, doc)
            expected = outcome(plain, doc, op)
            assert outcome(apply_with_inverse, doc, op) == expected
            if isinstance(expected[0], str):
                continue  # rejected, with the same reason and errors
            new_doc, inverse = expected
            assert outcome(apply_with_inverse, new_doc, inverse) == outcome(plain, new_doc, inverse)
            assert apply_op(new_doc, inverse) == doc
            doc = new_doc


def plain(document: dict, op: dict) -> tuple[dict, dict]:
    return reference_ops.apply_op(document, op), reference_ops.inverse_op(document, op)


def test_a_batch_of_hundreds_of_ops_on_its_own_new_nodes():
    """Enough ops in one batch that the draft's blocks split (ops.BLOCK), and its later
    ops find, change and remove items in the blocks split off."""
    doc = sample_document()
    ids = [f"q{i}" for i in range(700)]
    batch = {"type": "batch", "ops": [
        *({"type": "add_node", "node": {"id": i, "type": "aws.sqs.queue", "name": i}}
          for i in ids),
        *({"type": "add_node", "index": 3, "node": {"id": f"{i}-dlq", "type": "aws.sqs.queue",
                                                      "name": "DLQ"}} for i in ids[:300]),
        *({"type": "update_node", "id": i, "set": {"props.fifo": True}} for i in ids[::3]),
        *({"type": "delete_node", "id": i} for i in ids[::2]),
    ]}  # fmt: skip
    result = apply_with_inverse(doc, batch)
    assert result == plain(doc, batch)
    assert len(result[0]["nodes"]) == 5 + 700 + 300 - 350
    assert apply_op(*result) == doc


@pytest.mark.parametrize(
    ("move", "survivors"),
    [
        ({"type": "update_node", "id": "fn", "unset": ["parent"]}, ["fn", "table"]),
        ({"type": "move_node", "id": "table", "position": {"x": 0, "y": 0}, "parent": "private"},
         []),
    ],
    ids=["moved-out", "moved-in"],
)  # fmt: skip
def test_a_delete_takes_what_the_batch_moved_into_the_container_and_not_what_it_moved_out(
    move, survivors
):
    """The first delete learns which nodes sit where; the move must update that."""
    doc = sample_document()
    batch = {"type": "batch", "ops": [{"type": "delete_node", "id": "queue"}, move,
                                      {"type": "delete_node", "id": "vpc"}]}  # fmt: skip
    result = apply_with_inverse(doc, batch)
    assert result == plain(doc, batch)
    assert [n["id"] for n in result[0]["nodes"]] == survivors


def test_undoing_the_delete_of_a_large_container_puts_everything_back():
    """The undo is one batch of thousands of ops, more than a batch could hold before."""
    doc = sample_document()
    for i in range(3000):
        doc["nodes"].append({"id": f"f{i}", "type": "aws.lambda.function", "name": f"F{i}",
                             "parent": "private"})  # fmt: skip
        doc["edges"].append({"id": f"f{i}-table", "source": f"f{i}", "target": "table"})
    gone, restore = apply_with_inverse(doc, {"type": "delete_node", "id": "vpc"})
    assert [n["id"] for n in gone["nodes"]] == ["table", "queue"]
    assert gone["edges"] == []
    assert len(restore["ops"]) == 3003 + 3002
    assert apply_op(gone, restore) == doc


@pytest.mark.parametrize(
    ("op", "count"),
    [
        ({"type": "delete_node", "id": "fn"}, 1),
        ({"type": "batch", "ops": [{"type": "delete_node", "id": "fn"}] * 3}, 4),
        ({"type": "batch", "ops": [{"type": "batch", "ops": [{}] * 2}] * 3}, 10),
        ({"type": "batch", "ops": "not a list"}, 1),
    ],
)
def test_count_ops_counts_every_op_inside_batches(op, count):
    assert count_ops(op) == count


def test_count_ops_stops_past_the_limit():
    nested = {"type": "batch", "ops": [{"type": "batch", "ops": [{}] * 1000}] * 1000}
    assert count_ops(nested) == MAX_OPS + 1
