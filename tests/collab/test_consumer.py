import asyncio

import pytest
from channels.db import database_sync_to_async

from builder.collab.consumer import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED
from builder.documents import actions
from builder.documents.models import Architecture, Change
from tests.collab.clients import CHATTER, drain, next_message, send_op
from tests.collab.sample import sample_document

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

RENAME_FN = {"type": "update_node", "id": "fn", "set": {"name": "Place order"}}
DELETE_FN = {"type": "delete_node", "id": "fn"}


@database_sync_to_async
def stored(architecture) -> Architecture:
    return Architecture.objects.get(pk=architecture.pk)


@database_sync_to_async
def changes(architecture) -> list[Change]:
    return list(Change.objects.filter(architecture=architecture).order_by("revision"))


def node(document: dict, node_id: str) -> dict:
    return next(n for n in document["nodes"] if n["id"] == node_id)


@pytest.mark.parametrize("name", ["owner", "editor", "viewer"])
async def test_members_get_a_snapshot_with_who_is_online(connect, architecture, name):
    socket = await connect(name)
    snapshot = await next_message(socket)
    assert snapshot["type"] == "snapshot"
    assert snapshot["revision"] == 1
    assert snapshot["document"] == architecture.document
    assert [m["username"] for m in snapshot["members"]] == [name]
    assert snapshot["members"][0]["role"] == name


@pytest.mark.parametrize(
    ("name", "code"), [("stranger", CLOSE_FORBIDDEN), ("anonymous", CLOSE_UNAUTHENTICATED)]
)
async def test_strangers_and_anonymous_users_are_refused(connect, name, code):
    socket = await connect(name)
    assert await socket.receive_output(1) == {"type": "websocket.close", "code": code}


async def test_an_unknown_architecture_is_refused_like_a_strangers_one(connect):
    socket = await connect("owner", architecture_id=987654)
    assert (await socket.receive_output(1))["code"] == CLOSE_FORBIDDEN


@pytest.mark.parametrize("name", ["owner", "editor"])
async def test_an_op_is_stored_acked_to_its_sender_then_broadcast_to_the_room(
    connect, architecture, name
):
    editor, watcher = await connect(name), await connect("viewer")
    await next_message(editor), await next_message(watcher)
    await send_op(editor, RENAME_FN, "c1")
    assert await next_message(editor) == {
        "type": "ack",
        "client_op_id": "c1",
        "revision": 2,
        "can_undo": True,
        "can_redo": False,
    }
    for socket in (editor, watcher):
        broadcast = await next_message(socket)
        assert broadcast["type"] == "op"
        assert broadcast["revision"] == 2
        assert broadcast["op"] == RENAME_FN
        assert broadcast["client_op_id"] == "c1"
        assert broadcast["user"]["username"] == name
    assert node((await stored(architecture)).document, "fn")["name"] == "Place order"
    last = (await changes(architecture))[-1]
    assert (last.revision, last.kind, last.client_op_id) == (2, "op", "c1")


async def test_a_viewer_receives_but_cannot_edit(connect, architecture):
    viewer = await connect("viewer")
    await next_message(viewer)
    await send_op(viewer, RENAME_FN, "v1")
    reject = await next_message(viewer)
    assert reject["type"] == "reject"
    assert reject["client_op_id"] == "v1"
    assert "viewers cannot edit" in reject["reason"]
    assert (await stored(architecture)).revision == 1


async def test_an_invalid_op_is_rejected_with_errors_and_changes_nothing(connect, architecture):
    editor, watcher = await connect("editor"), await connect("owner")
    await next_message(editor), await next_message(watcher)
    await send_op(editor, {"type": "update_node", "id": "fn", "set": {"props.memory_mb": 1}}, "b")
    reject = await next_message(editor)
    assert reject["type"] == "reject"
    assert reject["errors"][0]["node_id"] == "fn"
    assert reject["errors"][0]["path"].endswith("/props/memory_mb")
    assert (await stored(architecture)).document == architecture.document
    assert [m for m in await drain(watcher) if m["type"] not in CHATTER] == []


async def test_an_op_on_a_node_someone_deleted_is_rejected_with_a_reason(connect):
    first, second = await connect("owner"), await connect("editor")
    await next_message(first), await next_message(second)
    await send_op(first, {"type": "delete_node", "id": "fn"}, "del")
    await send_op(second, RENAME_FN, "late")
    replies = [await next_message(second) for _ in range(2)]
    reject = next(r for r in replies if r["type"] == "reject")
    assert reject["client_op_id"] == "late"
    assert "'fn' does not exist" in reject["reason"]


async def test_a_resent_op_is_applied_once_and_acked_with_its_revision(connect, architecture):
    editor = await connect("editor")
    await next_message(editor)
    await send_op(editor, RENAME_FN, "same")
    assert (await next_message(editor))["revision"] == 2
    await next_message(editor)  # its broadcast
    await send_op(editor, RENAME_FN, "same")
    ack = await next_message(editor)
    assert (ack["type"], ack["client_op_id"], ack["revision"]) == ("ack", "same", 2)
    assert [m for m in await drain(editor) if m["type"] not in CHATTER] == []
    assert [c.revision for c in await changes(architecture)] == [1, 2]


async def test_reconnecting_with_since_replays_the_missed_ops(connect):
    editor = await connect("editor")
    await next_message(editor)
    for index in range(3):
        await send_op(editor, {"type": "move_node", "id": "queue",
                               "position": {"x": index, "y": 0}}, f"m{index}")  # fmt: skip
        await next_message(editor), await next_message(editor)
    back = await connect("editor", since=2)
    replayed = [await next_message(back) for _ in range(2)]
    assert [(m["type"], m["revision"]) for m in replayed] == [("op", 3), ("op", 4)]
    assert replayed[-1]["op"]["position"] == {"x": 2, "y": 0}


async def test_reconnecting_after_a_rest_replace_gets_a_snapshot(connect, architecture, users):
    document = {**sample_document(), "name": "replaced"}
    await database_sync_to_async(actions.replace_document)(users["owner"], architecture, document)
    back = await connect("editor", since=1)
    snapshot = await next_message(back)
    assert (snapshot["type"], snapshot["revision"]) == ("snapshot", 2)
    assert snapshot["document"]["name"] == "replaced"


async def test_a_rest_replace_is_broadcast_to_the_room(connect, architecture, users):
    viewer = await connect("viewer")
    await next_message(viewer)
    document = {**sample_document(), "name": "from the API"}
    await database_sync_to_async(actions.replace_document)(users["owner"], architecture, document)
    snapshot = await next_message(viewer)
    assert snapshot["type"] == "snapshot"
    assert snapshot["revision"] == 2
    assert snapshot["document"]["name"] == "from the API"


async def test_undo_undoes_only_my_own_last_change_and_redo_brings_it_back(connect, architecture):
    mine, theirs = await connect("editor"), await connect("owner")
    await next_message(mine), await next_message(theirs)
    await send_op(mine, {"type": "update_node", "id": "fn", "set": {"props.memory_mb": 2048}}, "a")
    await send_op(theirs, {"type": "update_node", "id": "fn", "set": {"props.timeout_s": 99}}, "b")
    await asyncio.sleep(0.3)
    await mine.send_json_to({"type": "undo"})
    await asyncio.sleep(0.3)
    props = node((await stored(architecture)).document, "fn")["props"]
    assert props == {"memory_mb": 512, "timeout_s": 99}
    await mine.send_json_to({"type": "redo"})
    await asyncio.sleep(0.3)
    props = node((await stored(architecture)).document, "fn")["props"]
    assert props == {"memory_mb": 2048, "timeout_s": 99}


async def test_undo_of_a_change_to_a_node_someone_deleted_is_rejected(connect, architecture):
    mine, theirs = await connect("editor"), await connect("owner")
    await next_message(mine), await next_message(theirs)
    await send_op(mine, RENAME_FN, "a")
    await asyncio.sleep(0.2)
    await send_op(theirs, {"type": "delete_node", "id": "fn"}, "b")
    await asyncio.sleep(0.2)
    await drain(mine)
    await mine.send_json_to({"type": "undo"})
    reject = await next_message(mine)
    assert reject["type"] == "reject"
    assert "cannot undo" in reject["reason"] and "'fn' does not exist" in reject["reason"]


async def test_nothing_to_undo_is_said_plainly(connect):
    editor = await connect("editor")
    await next_message(editor)
    await editor.send_json_to({"type": "undo"})
    assert (await next_message(editor))["reason"] == "nothing to undo"


async def test_presence_reaches_others_with_who_and_colour_never_stored(connect, architecture):
    mover, watcher = await connect("editor"), await connect("viewer")
    await next_message(mover), await next_message(watcher)
    await mover.send_json_to({"type": "presence", "cursor": {"x": 1, "y": 2}, "selection": ["fn"]})
    while (message := await watcher.receive_json_from(1))["type"] != "presence":
        pass
    assert message["cursor"] == {"x": 1, "y": 2}
    assert message["selection"] == ["fn"]
    assert message["user"]["username"] == "editor"
    assert message["user"]["color"].startswith("#")
    assert [c.revision for c in await changes(architecture)] == [1]


async def test_presence_is_throttled_and_the_last_position_wins(connect):
    mover, watcher = await connect("editor"), await connect("viewer")
    await next_message(mover), await next_message(watcher)
    for x in range(30):
        await mover.send_json_to({"type": "presence", "cursor": {"x": x, "y": 0}, "selection": []})
    seen = [m["cursor"]["x"] for m in await drain(watcher) if m["type"] == "presence"]
    assert 1 <= len(seen) <= 5
    assert seen[-1] == 29


async def test_joins_and_leaves_update_the_members_list(connect):
    first = await connect("owner")
    await next_message(first)
    second = await connect("viewer")
    joined = await first.receive_json_from(1)
    assert (joined["type"], joined["user"]["username"]) == ("join", "viewer")
    members = await first.receive_json_from(1)
    assert [m["username"] for m in members["members"]] == ["owner", "viewer"]
    await second.disconnect()
    left = await first.receive_json_from(1)
    assert (left["type"], left["user"]["username"]) == ("leave", "viewer")


async def test_a_message_that_is_not_json_gets_an_error_not_a_dropped_socket(connect):
    editor = await connect("editor")
    await next_message(editor)
    await editor.send_to(text_data="{nope")
    assert (await next_message(editor))["type"] == "error"
    await editor.send_json_to({"type": "ping"})
    assert (await next_message(editor))["type"] == "pong"


def undo_flags(message: dict) -> tuple[bool, bool]:
    """What the toolbar shows: (can undo, can redo)."""
    return message["can_undo"], message["can_redo"]


async def edit(socket, message: dict) -> tuple[dict, dict]:
    """Send an edit; its answer to the sender and its broadcast, whichever comes first."""
    await socket.send_json_to(message)
    replies = {m["type"]: m for m in [await next_message(socket), await next_message(socket)]}
    return replies["ack"], replies["op"]


async def test_the_sender_learns_whether_it_can_undo_and_redo(connect):
    editor = await connect("editor")
    assert undo_flags(await next_message(editor)) == (False, False)
    steps = [
        ({"type": "op", "client_op_id": "a", "op": RENAME_FN}, (True, False)),
        ({"type": "op", "client_op_id": "b", "op": DELETE_FN}, (True, False)),
        ({"type": "undo", "client_op_id": "u1"}, (True, True)),
        ({"type": "undo", "client_op_id": "u2"}, (False, True)),
        ({"type": "redo", "client_op_id": "r1"}, (True, True)),
        ({"type": "op", "client_op_id": "c", "op": RENAME_FN}, (True, False)),
    ]  # fmt: skip
    for message, flags in steps:
        ack, broadcast = await edit(editor, message)
        assert (ack["client_op_id"], undo_flags(ack)) == (message["client_op_id"], flags)
        assert undo_flags(broadcast) == flags  # for the user's other tabs
    assert undo_flags(await next_message(await connect("editor"))) == (True, False)


async def test_a_resent_undo_is_acked_with_the_stacks_as_they_stand(connect):
    editor = await connect("editor")
    await next_message(editor)
    await edit(editor, {"type": "op", "client_op_id": "a", "op": RENAME_FN})
    await edit(editor, {"type": "undo", "client_op_id": "u1"})
    await editor.send_json_to({"type": "undo", "client_op_id": "u1"})
    ack = await next_message(editor)
    assert (ack["revision"], undo_flags(ack)) == (3, (False, True))
    assert [m for m in await drain(editor) if m["type"] not in CHATTER] == []


async def test_another_tab_of_the_same_user_follows_its_undo_state(connect):
    tab, other_tab = await connect("editor"), await connect("editor")
    await next_message(tab), await next_message(other_tab)
    await edit(tab, {"type": "op", "client_op_id": "a", "op": RENAME_FN})
    assert undo_flags(await next_message(other_tab)) == (True, False)
    await edit(tab, {"type": "undo", "client_op_id": "u1"})
    seen = await next_message(other_tab)
    assert (seen["user"]["username"], undo_flags(seen)) == ("editor", (False, True))


async def test_a_reconnect_that_replays_ops_ends_with_the_undo_state(connect):
    editor = await connect("editor")
    await next_message(editor)
    await edit(editor, {"type": "op", "client_op_id": "a", "op": RENAME_FN})
    await edit(editor, {"type": "undo", "client_op_id": "u1"})
    back = await connect("editor", since=1)
    received = [await back.receive_json_from() for _ in range(3)]
    assert [(m["type"], m.get("revision")) for m in received] == [
        ("op", 2), ("op", 3), ("members", None)
    ]  # fmt: skip
    assert undo_flags(received[-1]) == (False, True)
    assert [m["username"] for m in received[-1]["members"]] == ["editor"]
