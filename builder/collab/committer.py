"""Group commit: the ops that arrive while a transaction is running share the next one.

Every op must be stored before it is acknowledged, and the transaction (a disk flush
on PostgreSQL, a lock and a log append on SQLite), not the op itself, dominates an op's
cost. One committer per architecture per process queues the ops of every socket of
that room in the process and commits whatever is waiting in one transaction; ops
still apply one by one in queue order, each accepted or rejected on its own. The
committed ops then go to the room in one channel-layer message, each encoded to JSON
once for every socket.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from channels.db import database_sync_to_async

from builder.collab import store
from builder.collab.groups import architecture_group
from builder.collab.store import Committed

MAX_BATCH = 500
log = logging.getLogger(__name__)
_committers: dict[tuple[int, int], _Committer] = {}


def ops_broadcast(committed: list[Committed]) -> dict[str, Any]:
    """The room message for committed ops: [[revision, JSON text]] in revision order."""
    return {
        "type": "room.ops",
        "ops": [[c.revision, json.dumps(c.message)] for c in committed if c.message is not None],
    }


async def _broadcast(layer, architecture_id: int, committed: list[Committed]) -> None:
    message = ops_broadcast(committed)
    if not message["ops"]:
        return
    try:
        await layer.group_send(architecture_group(architecture_id), message)
    except Exception:
        # The ops are stored and acknowledged; sockets fill the gap from the change log.
        log.exception("broadcast of revisions %s failed", [op[0] for op in message["ops"]])


class _Committer:
    def __init__(self, key: tuple[int, int], layer, first: tuple):
        self.key = key
        self.layer = layer
        self.queue = [first]
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        try:
            while self.queue:
                batch, self.queue = self.queue[:MAX_BATCH], self.queue[MAX_BATCH:]
                try:
                    results = await database_sync_to_async(store.commit_ops)(
                        self.key[1], [(user, op_id, op) for user, op_id, op, _ in batch]
                    )
                except Exception as failure:  # the database is away: every op in it fails
                    results = [failure] * len(batch)
                for (*_, future), result in zip(batch, results, strict=True):
                    if isinstance(result, BaseException):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
                committed = [r for r in results if isinstance(r, Committed)]
                await _broadcast(self.layer, self.key[1], committed)
        finally:
            del _committers[self.key]


async def commit(layer, architecture_id: int, user, client_op_id: str | None, op: Any) -> Committed:
    """Commit one op with any others waiting in this process and broadcast it to the room.

    Raises the op's own OpRejected or RoomClosed.
    """
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    key = (id(loop), architecture_id)
    request = (user, client_op_id, op, future)
    if key in _committers:
        _committers[key].queue.append(request)
    else:
        _committers[key] = _Committer(key, layer, request)
    return await future


async def commit_undo(
    layer, architecture_id: int, user, client_op_id: str | None, redo: bool
) -> Committed:
    """Undo (or redo) the user's own last op and broadcast the inverse to the room."""
    committed = await database_sync_to_async(store.commit_undo)(
        architecture_id, user, client_op_id, redo
    )
    await _broadcast(layer, architecture_id, [committed])
    return committed
