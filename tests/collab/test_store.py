"""Group commit: the ops of one batch are judged one by one and stored together."""

import pytest

from builder.collab.ops import OpRejected
from builder.collab.store import AFTER_NEW_OP, Committed, commit_ops
from builder.documents.models import Architecture, Change

pytestmark = pytest.mark.django_db(transaction=True)


def move(node_id: str, x: int) -> dict:
    return {"type": "move_node", "id": node_id, "position": {"x": x, "y": 0}}


def test_one_batch_accepts_rejects_and_deduplicates_each_op_on_its_own(architecture, users):
    results = commit_ops(
        architecture.pk,
        [
            (users["editor"], "e-1", move("queue", 1)),
            (users["viewer"], "v-1", move("queue", 2)),
            (users["editor"], "e-2", {"type": "delete_node", "id": "nope"}),
            (users["editor"], "e-1", move("queue", 3)),  # a re-send within the batch
            (users["owner"], "o-1", move("table", 4)),
        ],
    )
    assert [type(r) for r in results] == [Committed, OpRejected, OpRejected, Committed, Committed]
    assert "viewer" in results[1].reason
    assert (results[0].revision, results[3]) == (2, Committed(2, None, AFTER_NEW_OP))
    assert results[4].revision == 3
    assert [m["revision"] for m in (results[0].message, results[4].message)] == [2, 3]
    stored = Architecture.objects.get(pk=architecture.pk)
    positions = {n["id"]: n["position"]["x"] for n in stored.document["nodes"]}
    assert (stored.revision, positions["queue"], positions["table"]) == (3, 1, 4)
    log = Change.objects.filter(architecture=architecture, revision__gt=1).order_by("revision")
    assert [(c.revision, c.client_op_id, c.user.username) for c in log] == [
        (2, "e-1", "editor"),
        (3, "o-1", "owner"),
    ]


def test_an_op_resent_in_a_later_batch_answers_with_its_stored_revision(architecture, users):
    commit_ops(architecture.pk, [(users["editor"], "e-1", move("queue", 1))])
    again = commit_ops(architecture.pk, [(users["editor"], "e-1", move("queue", 9))])
    assert again == [Committed(2, None, AFTER_NEW_OP)]
    assert Architecture.objects.get(pk=architecture.pk).revision == 2


def test_a_batch_of_only_rejected_ops_changes_nothing(architecture, users):
    results = commit_ops(architecture.pk, [(users["viewer"], "v-1", move("queue", 1))])
    assert isinstance(results[0], OpRejected)
    stored = Architecture.objects.get(pk=architecture.pk)
    assert (stored.revision, stored.document) == (1, architecture.document)
