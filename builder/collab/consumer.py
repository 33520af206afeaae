"""One websocket consumer per open architecture: the room at /ws/architectures/<id>/.

The server is the authority. An op is applied, validated and stored under the
architecture's row lock (store.py, in group commits: committer.py), acknowledged to
its sender once committed, then broadcast to the room; room messages reach the socket
through this process's one subscription to the room (hub.py). Every socket receives
ops and snapshots in strict revision order with no gaps: out-of-order arrivals wait
in a small buffer, and a gap that does not fill itself (a peer's process died between
commit and broadcast) is read back from the Change log. The protocol is docs/collaboration.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import ChannelFull
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from builder.catalog import safejson
from builder.collab import hub
from builder.collab.committer import commit, commit_undo
from builder.collab.groups import architecture_group
from builder.collab.ops import MAX_OPS, OpRejected, count_ops
from builder.collab.presence import Throttle, clean_presence, member_info
from builder.collab.store import RoomClosed, UndoState, catch_up, room_role, undo_state

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_GONE = 4404
MAX_CLIENT_OP_ID = 64
EDITS = ("op", "undo", "redo")
# How long a revision gap may last before the missing changes are read from the log.
GAP_WAIT_S = 0.5
# A message may carry a whole document (an import) or paste one; on top of the document
# limit, room for the ops around its nodes and edges. The web server must read messages
# larger than this (daphne's own limit, 1 MiB by default, is raised in the Procfile and
# scripts/start.sh): past its limit it drops the connection without a word.
MESSAGE_OVERHEAD_BYTES = 1024 * 1024
# The start of a message as the canvas writes it, for the client_op_id of one too large
# to decode.
MESSAGE_HEAD = re.compile(
    r'\s*\{\s*"type"\s*:\s*"(?P<type>\w+)"\s*(?:,\s*"client_op_id"\s*:\s*"(?P<id>[^"\\]{1,64})")?'
)
TOO_MANY_OPS = (
    f"the op holds more than {MAX_OPS} ops, the most one message may hold "
    "(each batch counts one, and so does each op in it)"
)


def max_message_bytes() -> int:
    return settings.DOCUMENT_MAX_BYTES + MESSAGE_OVERHEAD_BYTES


def _since(query_string: bytes) -> int | None:
    values = parse_qs(query_string.decode("latin-1")).get("since", [])
    try:
        since = int(values[-1]) if values else None
    except ValueError:
        return None
    return since if since is not None and since >= 0 else None


def _valid_op_id(client_op_id: Any) -> bool:
    return isinstance(client_op_id, str) and 0 < len(client_op_id) <= MAX_CLIENT_OP_ID


def _echoed_op_id(content: dict[str, Any]) -> str | None:
    client_op_id = content.get("client_op_id")
    return client_op_id if _valid_op_id(client_op_id) else None


def _refusal(content: dict[str, Any], unsafe: safejson.UnsafeValue) -> dict[str, Any]:
    """What to answer a message holding a value no one could store or read back.

    An edit is rejected like an op that does not apply, naming the value's path in the
    message (`/op/...` for the op); anything else is an error.
    """
    if content.get("type") not in EDITS:
        return {"type": "error", "reason": f"{unsafe.path}: {unsafe.message}"}
    client_op_id = None if unsafe.path == "/client_op_id" else _echoed_op_id(content)
    return _reject(
        client_op_id,
        "the op holds a value that cannot be stored: " + unsafe.message,
        [{"path": unsafe.path, "message": unsafe.message}],
    )


def _oversized(text: str) -> dict[str, Any] | None:
    """The answer to a message over max_message_bytes, read no further than its start;
    None for one within the limit.

    An edit that starts as the canvas writes it, `{"type": "op", "client_op_id": ...`, is
    rejected with its client_op_id, so the client drops it; anything else is an error.
    """
    limit = max_message_bytes()
    if len(text) <= limit // 4:  # UTF-8 takes at most 4 bytes a character
        return None
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    if size <= limit:
        return None
    reason = f"the message is {size} bytes; the limit is {limit} bytes"
    head = MESSAGE_HEAD.match(text, 0, 200)
    if head is None or head["type"] not in EDITS:
        return {"type": "error", "reason": reason}
    return _reject(head["id"], reason, [{"path": "", "message": reason}])


def _hello(architecture_id: int, since: int | None, user) -> tuple[list[dict], UndoState]:
    """What a socket that connects is sent: the catch-up, and the user's undo state."""
    return catch_up(architecture_id, since), undo_state(architecture_id, user)


def _reject(client_op_id: str | None, reason: str, errors: list | None = None) -> dict:
    return {
        "type": "reject",
        "client_op_id": client_op_id,
        "reason": reason,
        "errors": errors or [],
    }


class ArchitectureConsumer(AsyncJsonWebsocketConsumer):
    async def dispatch(self, message: dict[str, Any]) -> None:
        """Run the handler without channels' per-message `aclose_old_connections`.

        That hop to the one database thread, for every broadcast every socket receives,
        queued 2,500 thread switches a second in front of the commits of a 50-client
        room. Every database call here goes through `database_sync_to_async`, which
        closes stale connections itself.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"no handler for message type {message['type']}")
        await handler(message)

    async def connect(self) -> None:
        self.architecture_id = int(self.scope["url_route"]["kwargs"]["architecture_id"])
        self.group = architecture_group(self.architecture_id)
        self.joined = False
        self.announced = False  # our own room.join came back through the room
        # Accept first: a close code only reaches the browser on an open socket.
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        role = await database_sync_to_async(room_role)(user, self.architecture_id)
        if role is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        self.me = {**member_info(user), "role": role.value}
        self.members: dict[str, dict[str, Any]] = {self.channel_name: self.me}
        self.next_revision = 0
        self.pending: dict[int, str] = {}  # encoded ops waiting for an earlier revision
        self.gap_task: asyncio.Task | None = None
        self.delivery = asyncio.Lock()
        self.presence = Throttle(self._publish_presence)
        # Join before reading the state, so nothing committed in between is missed;
        # room messages wait in the inbox until the catch-up is sent.
        self.inbox = await hub.join(self.channel_layer, self.group, self.dispatch)
        self.joined = True
        since = _since(self.scope.get("query_string", b""))
        try:
            messages, undo = await database_sync_to_async(_hello)(self.architecture_id, since, user)
        except RoomClosed:
            await self.close(code=CLOSE_GONE)
            return
        replay = since is not None and all(m["type"] == "op" for m in messages)
        # A snapshot sets the revision itself; replayed ops continue from `since`.
        self.next_revision = since + 1 if replay else 0
        # The last message of the catch-up says who is here and what the user may undo.
        hello = {"members": self._member_list(), **undo.fields()}
        async with self.delivery:
            for message in messages:
                if message["type"] == "snapshot":
                    message.update(hello)
                await self._deliver(message)
        if replay:
            await self.send_json({"type": "members", **hello})
        self.inbox.start()
        await self.channel_layer.group_send(
            self.group, {"type": "room.join", "channel": self.channel_name, "member": self.me}
        )

    async def disconnect(self, code: int) -> None:
        if not self.joined:
            return
        self.presence.cancel()
        if self.gap_task is not None:
            self.gap_task.cancel()
        await hub.leave(self.group, self.inbox)
        await self.channel_layer.group_send(
            self.group, {"type": "room.leave", "channel": self.channel_name, "member": self.me}
        )

    # From the browser ---------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None):
        """Refuse a message too large to read; decode and check the others as the REST
        API's parser does (safejson)."""
        oversized = _oversized(text_data) if text_data is not None else None
        if oversized is not None:
            await self.send_json(oversized)
            return
        try:
            content = safejson.decode(text_data) if text_data is not None else None
        except ValueError as exc:  # also nested too deeply to decode (UnsafeValue)
            await self.send_json({"type": "error", "reason": f"messages are JSON objects: {exc}"})
            return
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "reason": "messages are JSON objects"})
            return
        try:
            safejson.check_decoded(content, text_data)
        except safejson.UnsafeValue as unsafe:
            await self.send_json(_refusal(content, unsafe))
            return
        await self.receive_json(content)

    async def receive_json(self, content: dict[str, Any], **kwargs) -> None:
        kind = content.get("type")
        if kind == "op" and count_ops(content.get("op")) > MAX_OPS:
            errors = [{"path": "/op", "message": TOO_MANY_OPS}]
            await self.send_json(_reject(_echoed_op_id(content), TOO_MANY_OPS, errors))
        elif kind == "op":
            await self._edit(content, commit, content.get("op"))
        elif kind in EDITS:
            await self._edit(content, commit_undo, kind == "redo")
        elif kind == "presence":
            update = clean_presence(content)
            if update is None:
                await self.send_json({"type": "error", "reason": "malformed presence message"})
            else:
                await self.presence.push(update)
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "reason": f"unknown message type {kind!r}"})

    async def _edit(self, content: dict[str, Any], commit: Callable, argument: Any) -> None:
        client_op_id = content.get("client_op_id")
        if client_op_id is not None and not _valid_op_id(client_op_id):
            await self.send_json(_reject(None, "client_op_id must be 1-64 characters"))
            return
        try:
            committed = await commit(
                self.channel_layer, self.architecture_id, self.user, client_op_id, argument
            )
        except OpRejected as rejected:
            await self.send_json(_reject(client_op_id, rejected.reason, rejected.errors))
            return
        except RoomClosed as closed:
            await self.send_json({"type": "error", "reason": str(closed)})
            await self.close(code=CLOSE_FORBIDDEN)
            return
        # Committed: now it is safe to acknowledge (the committer tells the room).
        await self.send_json(
            {
                "type": "ack",
                "client_op_id": client_op_id,
                "revision": committed.revision,
                **committed.undo.fields(),
            }
        )

    async def _publish_presence(self, update: dict[str, Any]) -> None:
        await self.channel_layer.group_send(
            self.group,
            {
                "type": "room.presence",
                "channel": self.channel_name,
                "event": {"type": "presence", "user": self.me, **update},
            },
        )

    # From the room ------------------------------------------------------------------

    async def room_event(self, message: dict[str, Any]) -> None:
        """Ops from peers, and snapshots and job events from REST and workers."""
        event = message["event"]
        async with self.delivery:
            await self._deliver(event)
        if event.get("type") == "deleted":
            await self.close(code=CLOSE_GONE)

    async def room_ops(self, message: dict[str, Any]) -> None:
        """Committed ops as the committer encoded them once for the room: [[revision, text]]."""
        async with self.delivery:
            for revision, text in message["ops"]:
                await self._deliver_op(revision, text)

    async def room_presence(self, message: dict[str, Any]) -> None:
        if message["channel"] != self.channel_name:
            await self.send_json(message["event"])

    async def room_join(self, message: dict[str, Any]) -> None:
        if message["channel"] == self.channel_name:
            self.announced = True
            return
        if not self.announced:
            # Every process sees announcements in one order, so this socket was in the
            # room before us and answers ours; answering its stale one too would tell
            # it about us before our own announcement arrives.
            return
        self.members[message["channel"]] = message["member"]
        await self.send_json({"type": "join", "user": message["member"]})
        await self.send_json({"type": "members", "members": self._member_list()})
        reply = {"type": "room.here", "channel": self.channel_name, "member": self.me}
        # A flooded newcomer misses this reply; it learns of us from our next presence.
        with contextlib.suppress(ChannelFull):
            await self.channel_layer.send(message["channel"], reply)

    async def room_here(self, message: dict[str, Any]) -> None:
        self.members[message["channel"]] = message["member"]
        await self.send_json({"type": "members", "members": self._member_list()})

    async def room_leave(self, message: dict[str, Any]) -> None:
        if self.members.pop(message["channel"], None) is None:
            return
        await self.send_json({"type": "leave", "user": message["member"]})
        await self.send_json({"type": "members", "members": self._member_list()})

    def _member_list(self) -> list[dict[str, Any]]:
        """One entry per user, however many tabs they have open."""
        by_user = {member["id"]: member for member in self.members.values()}
        return [by_user[key] for key in sorted(by_user)]

    # Ordered delivery ---------------------------------------------------------------

    async def _deliver(self, event: dict[str, Any]) -> None:
        """Send `event`, keeping ops and snapshots in revision order (hold `delivery`)."""
        revision = event.get("revision")
        if event.get("type") not in ("op", "snapshot") or not isinstance(revision, int):
            await self.send_json(event)
        elif event["type"] == "op":
            await self._deliver_op(revision, json.dumps(event))
        elif revision >= self.next_revision:  # else already covered by what we sent
            await self.send_json(event)
            self.next_revision = revision + 1
            self.pending = {r: text for r, text in self.pending.items() if r > revision}
            await self._send_in_order()

    async def _deliver_op(self, revision: int, text: str) -> None:
        """Send the encoded op at `revision` once every revision before it went out."""
        if revision >= self.next_revision:
            self.pending[revision] = text
            await self._send_in_order()

    async def _send_in_order(self) -> None:
        while self.next_revision in self.pending:
            await self.send(text_data=self.pending.pop(self.next_revision))
            self.next_revision += 1
        if self.pending and self.gap_task is None:
            self.gap_task = asyncio.create_task(self._fill_gap())

    async def _fill_gap(self) -> None:
        await asyncio.sleep(GAP_WAIT_S)
        async with self.delivery:
            self.gap_task = None
            if not self.pending:
                return
            try:
                missing = await database_sync_to_async(catch_up)(
                    self.architecture_id, self.next_revision - 1, min(self.pending) - 1
                )
            except RoomClosed:
                return
            for event in missing:
                await self._deliver(event)
