"""The web server's own websocket limits leave the room's limits to bite."""

import re
from pathlib import Path

import pytest

from builder.collab.consumer import max_message_bytes

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("procfile", ["Procfile", "scripts/start.sh"])
def test_the_web_server_reads_messages_larger_than_the_room_refuses(procfile):
    """daphne drops the connection (1009) on a message over its own limit, 1 MiB by
    default, before the room can say why; the room's limit must be the one that bites."""
    text = (ROOT / procfile).read_text()
    for option in ("--websocket-max-message-size", "--websocket-max-frame-size"):
        assert int(re.search(option + r"\s+(\d+)", text)[1]) > max_message_bytes()
