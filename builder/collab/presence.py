"""Presence: who is in a room, their colour, and their cursor and selection.

Presence is volatile: it travels over the channel layer only, is never stored, and is
throttled per connection so a fast mouse cannot flood a room.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

# Distinct on white and dark canvases; a user keeps one colour in every room.
COLOURS = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4",
           "#f032e6", "#469990", "#9a6324", "#800000", "#808000", "#000075")  # fmt: skip
MAX_SELECTION = 500
MIN_INTERVAL_S = 0.05  # at most 20 presence updates a second per connection


def member_info(user) -> dict[str, Any]:
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": full_name or user.get_username(),
        "color": COLOURS[user.pk * 7 % len(COLOURS)],
    }


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def clean_presence(message: dict[str, Any]) -> dict[str, Any] | None:
    """The cursor and selection of a client's presence message, or None if malformed."""
    cursor = message.get("cursor")
    selection = message.get("selection", [])
    if cursor is not None and not (
        isinstance(cursor, dict) and _is_number(cursor.get("x")) and _is_number(cursor.get("y"))
    ):
        return None
    if not isinstance(selection, list) or len(selection) > MAX_SELECTION:
        return None
    if not all(isinstance(item, str) and len(item) <= 64 for item in selection):
        return None
    return {
        "cursor": None if cursor is None else {"x": cursor["x"], "y": cursor["y"]},
        "selection": selection,
    }


class Throttle:
    """Passes at most one update per interval; the latest update within it is sent late.

    Coalescing (not dropping) keeps the last cursor position right when the mouse stops.
    """

    def __init__(self, send: Callable[[dict], Awaitable[None]], interval: float = MIN_INTERVAL_S):
        self.send = send
        self.interval = interval
        self.last = float("-inf")
        self.pending: dict | None = None
        self.timer: asyncio.Task | None = None

    async def push(self, update: dict) -> None:
        wait = self.last + self.interval - time.monotonic()
        if wait <= 0 and self.timer is None:
            self.last = time.monotonic()
            await self.send(update)
            return
        self.pending = update
        if self.timer is None:
            self.timer = asyncio.create_task(self._flush_later(max(wait, 0)))

    async def _flush_later(self, wait: float) -> None:
        await asyncio.sleep(wait)
        self.timer = None
        update, self.pending = self.pending, None
        if update is not None:
            self.last = time.monotonic()
            await self.send(update)

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
