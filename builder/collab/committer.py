"""Group commit: the ops that arrive while a transaction is running share the next one.

Every op must be flushed to disk before it is acknowledged, and the flush, not the
work, dominates an op's cost (10-30 ms on a busy disk). One committer per architecture
per process queues the ops of every socket of that room in the process, and commits
whatever is waiting in one transaction; ops still apply one by one in queue order,
each accepted or rejected on its own.
"""

from __future__ import annotations

import asyncio
from typing import Any

from channels.db import database_sync_to_async

from builder.collab.store import Committed, commit_ops

MAX_BATCH = 100
_committers: dict[tuple[int, int], _Committer] = {}


class _Committer:
    def __init__(self, key: tuple[int, int], first: tuple[Any, str | None, Any, asyncio.Future]):
        self.key = key
        self.queue = [first]
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        try:
            while self.queue:
                batch, self.queue = self.queue[:MAX_BATCH], self.queue[MAX_BATCH:]
                try:
                    results = await database_sync_to_async(commit_ops)(
                        self.key[1], [(user, op_id, op) for user, op_id, op, _ in batch]
                    )
                except Exception as failure:  # the database is away: every op in it fails
                    results = [failure] * len(batch)
                for (*_, future), result in zip(batch, results, strict=True):
                    if isinstance(result, BaseException):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:
            del _committers[self.key]


async def commit(architecture_id: int, user, client_op_id: str | None, op: Any) -> Committed:
    """Commit one op with any others waiting in this process; raises its OpRejected."""
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    key = (id(loop), architecture_id)
    request = (user, client_op_id, op, future)
    if key in _committers:
        _committers[key].queue.append(request)
    else:
        _committers[key] = _Committer(key, request)
    return await future
