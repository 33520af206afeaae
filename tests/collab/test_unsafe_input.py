"""The websocket holds ops to the REST API's rules: values no later step could store or
send back (builder.catalog.safejson) and the document size limits (documents/limits.py);
and bounds what one message may cost before any work: its size and how many ops it holds.

Frames are written as raw JSON text: lone surrogates and huge numbers cannot be
produced by encoding Python values.
"""

import json

import pytest
from channels.db import database_sync_to_async
from django.conf import settings as django_settings

from builder.collab.consumer import TOO_MANY_OPS, max_message_bytes
from builder.collab.ops import MAX_OPS
from builder.documents.models import Architecture, Change
from tests.collab.clients import CHATTER, drain, next_message
from tests.collab.sample import sample_document

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

RENAME_FN = {"type": "update_node", "id": "fn", "set": {"name": "Place order"}}
HUGE = "1" + "0" * 4999  # more digits than Python turns into an int
DEEP = "[" * 100 + "]" * 100


@database_sync_to_async
def stored() -> tuple[int, dict, int]:
    architecture = Architecture.objects.get()
    return architecture.revision, architecture.document, Change.objects.count()


def op_frame(op_json: str, client_op_id: str = '"u1"') -> str:
    return f'{{"type": "op", "client_op_id": {client_op_id}, "op": {op_json}}}'


async def room(connect):
    editor, watcher = await connect("editor"), await connect("owner")
    await next_message(editor), await next_message(watcher)
    return editor, watcher


async def assert_nothing_changed(watcher) -> None:
    """Nothing stored, nothing broadcast: the room goes on as if the op was never sent."""
    assert await stored() == (1, sample_document(), 1)
    assert [m for m in await drain(watcher) if m["type"] not in CHATTER] == []


async def assert_still_editing(editor, watcher) -> None:
    await editor.send_json_to({"type": "op", "client_op_id": "after", "op": RENAME_FN})
    assert await next_message(editor) == {
        "type": "ack",
        "client_op_id": "after",
        "revision": 2,
        "can_undo": True,
        "can_redo": False,
    }
    assert (await next_message(watcher))["client_op_id"] == "after"


@pytest.mark.parametrize(
    ("op_json", "path", "words"),
    [
        (r'{"type": "add_node", "node": {"id": "q2", "type": "aws.sqs.queue", '
         r'"name": "Jobs \ud83d", "position": {"x": 0, "y": 0}}}',
         "/op/node/name", "lone UTF-16 surrogate (\\ud83d)"),
        (r'{"type": "set_document", "set": {"metadata": {"a\udc00": 1}}}',
         "/op/set/metadata/a\\udc00", "a key may not hold"),
        ('{"type": "update_node", "id": "queue", "set": {"props.visibility_timeout_s": '
         + HUGE + "}}", "/op/set/props.visibility_timeout_s", "beyond the range of a double"),
        ('{"type": "move_node", "id": "fn", "position": {"x": 9007199254740993, "y": 0}}',
         "/op/position/x", "integers must be between"),
        ('{"type": "move_node", "id": "fn", "position": {"x": 1e400, "y": 0}}',
         "/op/position/x", "beyond the range of a double"),
        ('{"type": "set_document", "set": {"metadata": {"deep": ' + DEEP + "}}}",
         "/op/set/metadata/deep" + "/0" * 60, "nest at most 64 levels"),
        ('{"type": "batch", "ops": [' + json.dumps(RENAME_FN) + ', {"type": "move_node", '
         '"id": "table", "position": {"x": -9007199254740993, "y": 0}}]}',
         "/op/ops/1/position/x", "integers must be between"),
    ],
    ids=["surrogate", "surrogate-key", "5000-digits", "beyond-2**53", "1e400", "deep", "batch"],
)  # fmt: skip
async def test_an_op_holding_an_unsafe_value_is_rejected_naming_it(connect, op_json, path, words):
    editor, watcher = await room(connect)
    await editor.send_to(text_data=op_frame(op_json))
    reject = await next_message(editor)
    assert reject["type"] == "reject"
    assert reject["client_op_id"] == "u1"
    assert words in reject["reason"]
    [error] = reject["errors"]
    assert error["path"] == path
    assert words in error["message"]
    await assert_nothing_changed(watcher)
    await assert_still_editing(editor, watcher)


async def test_an_unsafe_client_op_id_is_not_echoed(connect):
    """Storing it in the change log used to fail the whole group commit."""
    editor, watcher = await room(connect)
    await editor.send_to(text_data=op_frame(json.dumps(RENAME_FN), client_op_id=r'"c\ud800"'))
    reject = await next_message(editor)
    assert (reject["type"], reject["client_op_id"]) == ("reject", None)
    assert reject["errors"][0]["path"] == "/client_op_id"
    await assert_nothing_changed(watcher)
    await assert_still_editing(editor, watcher)


@pytest.mark.parametrize(
    ("frame", "words"),
    [
        ("[" * 5000 + "]" * 5000, "nest at most 64 levels"),  # RecursionError in json.loads
        (op_frame('{"type": "move_node", "id": "fn", "position": {"x": NaN, "y": 0}}'),
         "NaN is not a JSON number"),
        ('{"type": "presence", "cursor": {"x": 1e400, "y": 0}}', "/cursor/x"),
    ],
    ids=["too-deep-to-decode", "NaN", "presence"],
)  # fmt: skip
async def test_a_message_that_cannot_be_carried_gets_an_error_and_goes_no_further(
    connect, frame, words
):
    editor, watcher = await room(connect)
    await editor.send_to(text_data=frame)
    error = await next_message(editor)
    assert error["type"] == "error"
    assert words in error["reason"]
    # Not relayed either: a browser cannot parse the Infinity a cursor of inf becomes.
    assert [m for m in await drain(watcher) if m["type"] == "presence"] == []
    await assert_nothing_changed(watcher)
    await assert_still_editing(editor, watcher)


async def test_an_op_taking_the_document_over_the_node_limit_is_rejected_with_the_413_words(
    connect, settings
):
    settings.DOCUMENT_MAX_NODES = len(sample_document()["nodes"])
    editor, watcher = await room(connect)
    node = {"id": "q2", "type": "aws.sqs.queue", "name": "More", "position": {"x": 0, "y": 0}}
    op = {"type": "add_node", "node": node}
    await editor.send_json_to({"type": "op", "client_op_id": "big", "op": op})
    reject = await next_message(editor)
    message = "the document has 6 nodes; the limit is 5"
    assert reject == {"type": "reject", "client_op_id": "big", "reason": message,
                      "errors": [{"path": "", "message": message}]}  # fmt: skip
    await assert_nothing_changed(watcher)


async def test_an_op_taking_the_document_over_the_byte_limit_is_rejected_with_the_413_words(
    connect,
):
    editor, watcher = await room(connect)
    description = "x" * django_settings.DOCUMENT_MAX_BYTES
    op = {"type": "set_document", "set": {"description": description}}
    await editor.send_json_to({"type": "op", "client_op_id": "mb", "op": op})
    reject = await next_message(editor, timeout=10)
    assert reject["client_op_id"] == "mb"
    size = len(json.dumps({**sample_document(), "description": description}, separators=(",", ":")))
    message = (
        f"the document is {size} bytes; the limit is {django_settings.DOCUMENT_MAX_BYTES} bytes"
    )
    assert reject["reason"] == message
    assert reject["errors"] == [{"path": "", "message": message}]
    await assert_nothing_changed(watcher)
    await assert_still_editing(editor, watcher)


async def test_an_undo_that_would_go_over_the_node_limit_is_rejected(connect, settings):
    editor, watcher = await room(connect)
    await editor.send_json_to(
        {"type": "op", "client_op_id": "del", "op": {"type": "delete_node", "id": "queue"}}
    )
    assert (await next_message(editor))["type"] == "ack"
    await drain(editor), await drain(watcher)
    settings.DOCUMENT_MAX_NODES = 4
    await editor.send_json_to({"type": "undo", "client_op_id": "undo"})
    reject = await next_message(editor)
    assert reject["client_op_id"] == "undo"
    assert reject["reason"] == (
        "cannot undo your change at revision 2: the document has 5 nodes; the limit is 4"
    )
    revision, document, _ = await stored()
    assert revision == 2
    assert "queue" not in {n["id"] for n in document["nodes"]}


@pytest.mark.parametrize(
    ("head", "answer", "client_op_id"),
    [
        ('{"type": "op", "client_op_id": "u1", "op": ', "reject", "u1"),
        ('{"type": "undo", "client_op_id": "u1", "filler": ', "reject", "u1"),
        ('{"type": "op", "op": ', "reject", None),
        ('{"client_op_id": "u1", "type": "op", "op": ', "error", None),
        ('{"type": "presence", "cursor": ', "error", None),
    ],
    ids=["op", "undo", "op-without-id", "id-first", "presence"],
)
async def test_a_message_over_the_size_limit_is_refused_without_reading_it(
    connect, head, answer, client_op_id
):
    """Refused before decoding, so even one that is not JSON gets the size as the reason.
    An edit written as the canvas writes it is rejected with its client_op_id, so the
    client drops it; the socket stays open."""
    editor, watcher = await room(connect)
    limit = max_message_bytes()
    frame = head + '"' + "x" * limit  # never closed: not JSON
    await editor.send_to(text_data=frame)
    refusal = await next_message(editor)
    reason = f"the message is {len(frame)} bytes; the limit is {limit} bytes"
    if answer == "reject":
        assert refusal == {"type": "reject", "client_op_id": client_op_id, "reason": reason,
                           "errors": [{"path": "", "message": reason}]}  # fmt: skip
    else:
        assert refusal == {"type": "error", "reason": reason}
    await assert_nothing_changed(watcher)
    await assert_still_editing(editor, watcher)


async def test_the_size_limit_counts_bytes_not_characters(connect):
    editor, watcher = await room(connect)
    limit = max_message_bytes()
    op = {"type": "set_document", "set": {"description": "é" * (limit // 2)}}
    frame = op_frame(json.dumps(op, ensure_ascii=False))
    assert len(frame) < limit < len(frame.encode())
    await editor.send_to(text_data=frame)
    reject = await next_message(editor)
    assert reject["reason"] == (
        f"the message is {len(frame.encode())} bytes; the limit is {limit} bytes"
    )
    await assert_nothing_changed(watcher)


def nested_ghost_deletes(count: int) -> dict:
    """A batch of batches holding `count` ops in all, each deleting a node that is not there."""
    inner = {"type": "batch", "ops": [{"type": "delete_node", "id": "ghost"}] * 999}
    return {"type": "batch", "ops": [inner] * (count // 1000)}


async def test_an_op_holding_more_ops_than_a_message_may_is_rejected_unread(connect):
    """Counted through nested batches; no op in it is looked at (else: "node 'ghost' does
    not exist")."""
    editor, watcher = await room(connect)
    op = nested_ghost_deletes(MAX_OPS + 999)
    await editor.send_json_to({"type": "op", "client_op_id": "many", "op": op})
    assert await next_message(editor) == {
        "type": "reject", "client_op_id": "many", "reason": TOO_MANY_OPS,
        "errors": [{"path": "/op", "message": TOO_MANY_OPS}],
    }  # fmt: skip
    assert str(MAX_OPS) in TOO_MANY_OPS
    await assert_nothing_changed(watcher)
    await assert_still_editing(editor, watcher)


async def test_a_batch_as_large_as_a_message_may_hold_is_applied(connect):
    """As many ops as pasting all a document can hold: more than one batch held before."""
    editor, watcher = await room(connect)
    names = [f"Jobs {i}" for i in range(MAX_OPS - 1)]
    op = {"type": "batch", "ops": [{"type": "update_node", "id": "queue", "set": {"name": name}}
                                   for name in names]}  # fmt: skip
    await editor.send_json_to({"type": "op", "client_op_id": "paste", "op": op})
    assert await next_message(editor, timeout=20) == {
        "type": "ack",
        "client_op_id": "paste",
        "revision": 2,
        "can_undo": True,
        "can_redo": False,
    }
    assert (await next_message(watcher))["client_op_id"] == "paste"
    revision, document, _ = await stored()
    assert revision == 2
    assert [n["name"] for n in document["nodes"] if n["id"] == "queue"] == [names[-1]]


@pytest.mark.parametrize(
    ("op", "path", "message"),
    [
        ({"type": "add_node", "node": {"type": "aws.sqs.queue", "name": "No id"}},
         "/nodes/5/id", "id must be 1-64 characters of A-Z a-z 0-9 _ -"),
        ({"type": "add_edge", "edge": {"source": "queue", "target": "fn"}},
         "/edges/2/id", "id must be 1-64 characters of A-Z a-z 0-9 _ -"),
        ({"type": "batch", "ops": [{"type": "set_document", "document": {"name": "x"}},
                                   {"type": "delete_node", "id": "fn"}]},
         "/op/ops/1/id", "node 'fn' does not exist (it may have been deleted)"),
    ],
    ids=["node-without-id", "edge-without-id", "ops-after-a-document-without-nodes"],
)  # fmt: skip
async def test_an_op_the_reducer_used_to_trip_on_is_rejected_naming_the_fault(
    connect, op, path, message
):
    """Working out the undo of these raised KeyError, which failed every op of the group
    commit and closed the sender's socket."""
    editor, watcher = await room(connect)
    await editor.send_json_to({"type": "op", "client_op_id": "odd", "op": op})
    reject = await next_message(editor)
    assert (reject["type"], reject["client_op_id"]) == ("reject", "odd")
    assert reject["errors"][0]["path"] == path
    assert reject["errors"][0]["message"] == message
    await assert_nothing_changed(watcher)
    await assert_still_editing(editor, watcher)


@pytest.mark.parametrize(
    ("op", "path"),
    [
        ({"type": "update_node", "id": "fn", "set": {"name": "a\x00b"}}, "/nodes/2/name"),
        ({"type": "add_edge", "edge": {"id": "q-t", "source": "queue", "target": "table",
                                       "name": "\x00"}}, "/edges/2/name"),
        ({"type": "set_document", "set": {"metadata": {"owner\x00": "ops"}}}, "/metadata"),
    ],
    ids=["node", "edge", "key"],
)  # fmt: skip
async def test_an_op_bringing_a_nul_character_is_rejected_naming_where_it_lands(connect, op, path):
    """The room searches only what an op changed for NUL (PostgreSQL cannot store it)."""
    editor, watcher = await room(connect)
    await editor.send_json_to({"type": "op", "client_op_id": "nul", "op": op})
    reject = await next_message(editor)
    assert (reject["type"], reject["client_op_id"]) == ("reject", "nul")
    assert {"path": path, "message": "text may not contain the NUL character (\\u0000)"} in [
        {"path": e["path"], "message": e["message"]} for e in reject["errors"]
    ]
    await assert_nothing_changed(watcher)
    await assert_still_editing(editor, watcher)
