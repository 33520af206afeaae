"""One channel-layer subscription per room per process, fanned out to its sockets here.

With a socket per group member, channels_redis carries every broadcast once per
socket: 50 people in a room made each op 50 Redis messages, each read back with its
own round trip, and the process's one reader fell behind. Instead each process joins
the room's group with a single channel and hands every message to its sockets in
memory, each through the socket's own inbox so a slow socket never holds up the rest.
Direct messages to one socket (presence replies) still use the socket's own channel.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)
# After a failed read (Redis restarting), wait this long before reading again.
RETRY_S = 1.0

Handler = Callable[[dict[str, Any]], Awaitable[None]]


class Inbox:
    """A socket's queue of room messages, handled one at a time in arrival order.

    Messages queue up until start(), so a socket can finish its catch-up first.
    """

    def __init__(self, handle: Handler):
        self.handle = handle
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            message = await self.queue.get()
            try:
                await self.handle(message)
            except Exception:  # one bad message must not silence the socket
                log.exception("room message %s failed", message.get("type"))

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()


class _Room:
    def __init__(self, layer, group: str):
        self.layer, self.group = layer, group
        self.inboxes: set[Inbox] = set()
        self.channel: str | None = None
        self.reader: asyncio.Task | None = None
        self.opened = asyncio.get_running_loop().create_future()

    async def open(self) -> None:
        self.channel = await self.layer.new_channel()
        await self.layer.group_add(self.group, self.channel)
        self.reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self.reader is not None:
            self.reader.cancel()
        if self.channel is not None:
            await self.layer.group_discard(self.group, self.channel)

    async def _read(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except Exception:
                log.exception("reading room %s failed", self.group)
                await asyncio.sleep(RETRY_S)
                continue
            # Handlers never mutate a message, so every socket can share it.
            for inbox in self.inboxes:
                inbox.queue.put_nowait(message)


_rooms: dict[tuple[int, str], _Room] = {}


async def join(layer, group: str, handle: Handler) -> Inbox:
    """An inbox that gets every group message from now on (once the process's channel
    is in the group); start() it, and leave() when done."""
    key = (id(asyncio.get_running_loop()), group)
    room = _rooms.get(key)
    if room is None:
        room = _rooms[key] = _Room(layer, group)
        try:
            await room.open()
        except Exception as failure:
            del _rooms[key]
            room.opened.set_exception(failure)
        else:
            room.opened.set_result(None)
    await room.opened
    inbox = Inbox(handle)
    room.inboxes.add(inbox)
    return inbox


async def leave(group: str, inbox: Inbox) -> None:
    inbox.close()
    key = (id(asyncio.get_running_loop()), group)
    room = _rooms.get(key)
    if room is None or inbox not in room.inboxes:
        return
    room.inboxes.discard(inbox)
    if not room.inboxes:
        del _rooms[key]
        await room.close()
