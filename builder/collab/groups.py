"""The one registry of channel-layer group names, and broadcasting to an architecture's room.

Consumers join `architecture_group(aid)` and implement `room_event(self, message)`,
which forwards `message["event"]` to the browser.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def architecture_group(architecture_id: int) -> str:
    return f"architecture.{architecture_id}"


def broadcast(architecture_id: int, message: dict[str, Any]) -> None:
    """Send `message` to every socket open on the architecture (call after commit)."""
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(
        architecture_group(architecture_id), {"type": "room.event", "event": message}
    )
