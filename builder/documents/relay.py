"""Carry job progress from the worker process to open websockets in embedded mode.

The in-memory channel layer lives inside one process, so a Celery worker's broadcasts
never reach the web process's sockets. Instead, each web process polls the Job table
for rows changed since it last looked and broadcasts them to the architecture's room.
With REDIS_URL the worker broadcasts through Redis itself and no relay runs.
"""

from __future__ import annotations

import asyncio
import logging

from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.utils import timezone

from builder.collab.groups import architecture_group
from builder.documents.jobs import job_payload
from builder.documents.models import Job

log = logging.getLogger(__name__)


def changed_jobs(since) -> list[tuple[int, dict, object]]:
    rows = (
        Job.objects.filter(updated_at__gt=since, architecture__isnull=False)
        .select_related("started_by")
        .order_by("updated_at")
    )
    return [(job.architecture_id, job_payload(job), job.updated_at) for job in rows]


async def relay_jobs(interval: float) -> None:
    layer = get_channel_layer()
    cursor = timezone.now()
    while True:
        await asyncio.sleep(interval)
        try:
            for architecture_id, payload, updated_at in await database_sync_to_async(changed_jobs)(
                cursor
            ):
                await layer.group_send(
                    architecture_group(architecture_id),
                    {"type": "room.event", "event": {"type": "job", "job": payload}},
                )
                cursor = max(cursor, updated_at)
        except Exception:
            # A locked SQLite file or a dropped connection: try again next tick.
            log.exception("job relay tick failed")


class JobRelay:
    """ASGI wrapper that starts the relay on the server's event loop at the first call."""

    def __init__(self, app):
        self.app = app
        self.task: asyncio.Task | None = None

    def needed(self) -> bool:
        return isinstance(get_channel_layer(), InMemoryChannelLayer)

    async def __call__(self, scope, receive, send):
        if self.task is None and self.needed():
            self.task = asyncio.get_running_loop().create_task(
                relay_jobs(settings.JOB_RELAY_INTERVAL_S)
            )
        return await self.app(scope, receive, send)
