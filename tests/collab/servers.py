"""Real ASGI server processes (daphne) on free localhost ports, and websocket peers."""

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

from websockets.asyncio.client import connect

from tests import processes
from tests.collab.clients import Replica

ROOT = Path(__file__).resolve().parents[2]


def web_options() -> list[str]:
    """The daphne options of the Procfile's web process (its websocket message limits),
    so the servers under test read messages as production's do."""
    procfile = (ROOT / "Procfile").read_text().splitlines()
    web = next(line for line in procfile if line.startswith("web:"))
    return " ".join(re.findall(r"--websocket-max-[a-z]+-size \d+", web)).split()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One `daphne builder.asgi:application` process."""

    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port),
             *web_options(), "builder.asgi:application"],
            cwd=ROOT, env={**os.environ, **env, "DJANGO_SECRET_KEY": "test-only-secret"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                assert self.process.poll() is None, "the server process exited at start-up"
                time.sleep(0.1)
        raise TimeoutError(f"daphne did not listen on {self.port}")

    def url(self, architecture_id: int, key: str, since: int | None = None) -> str:
        query = f"token={key}" + (f"&since={since}" if since is not None else "")
        return f"ws://127.0.0.1:{self.port}/ws/architectures/{architecture_id}/?{query}"

    def stop(self) -> None:
        processes.stop(self.process)


class Peer:
    """A websocket client keeping a replica of the document from what it receives."""

    def __init__(self):
        self.replica = Replica()
        self.websocket = None
        self.reader: asyncio.Task | None = None
        self.error: BaseException | None = None

    async def open(self, url: str) -> None:
        self.websocket = await connect(url, origin="http://127.0.0.1", max_size=2**24)
        self.reader = asyncio.create_task(self._read(self.websocket))

    async def _read(self, websocket) -> None:
        try:
            async for raw in websocket:
                self.replica.receive(json.loads(raw))
        except AssertionError as exc:
            self.error = exc
        except Exception:  # the server went away; the test decides what that means
            return

    async def send_op(self, op: dict, tag: str) -> None:
        await self.websocket.send(json.dumps({"type": "op", "client_op_id": tag, "op": op}))

    async def close(self) -> None:
        if self.websocket is not None:
            await self.websocket.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)


async def wait_for(condition, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)
