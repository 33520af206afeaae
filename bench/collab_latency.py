"""Collaboration latency: M clients in one room sending ops over real websockets.

    python bench/collab_latency.py [--clients 10 50] [--seconds 10] [--rate 1]

For each setup (our server on the in-process layer with one daphne process; on
channels_redis + PostgreSQL with one and with two processes; and the reference relay,
a minimal `ws` relay from npm in bench/reference/ that neither validates nor persists)
it reports:

- paced: every client sends `--rate` ops a second for `--seconds`; latency is from send
  until every other client has received the op (p50 / p99 / max);
- saturated: every client sends its next op as soon as its previous one comes back;
  ops/s is what the room sustains.

The room's document holds one SQS queue per client (M nodes, a few KB). Each client
moves its own node (a ~170-byte op message), so nothing conflicts and every op is
accepted; the same JSON goes to the relay. Measuring starts once every client has the
full member list and the join chatter has stopped, and this process's garbage
collector is off while measuring (its pauses would count as server latency). All
clients share one asyncio loop in this process, the servers run in their own.
Needs PostgreSQL and Redis on localhost for the Redis setups (it recreates the
database `cloudwright_bench` and flushes Redis database 5), and node.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fresh_project import fresh_project  # noqa: E402
from tests.collab.servers import free_port  # noqa: E402

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/cloudwright_bench"
REDIS = "redis://127.0.0.1:6379/5"


def setup_room(clients: int) -> None:
    """(Run in a child process with the setup's environment.) Print the room as JSON."""
    owner, project = fresh_project("bench-owner")
    from django.contrib.auth import get_user_model

    from builder.documents import actions
    from builder.documents.models import Role

    nodes = [{"id": f"n{i}", "type": "aws.sqs.queue", "name": f"queue {i}",
              "position": {"x": 0, "y": 0}} for i in range(clients)]  # fmt: skip
    document = {"format": "cloudwright/v1", "name": "bench", "nodes": nodes, "edges": []}
    architecture = actions.create_architecture(owner, project, "bench", document)
    keys = []
    for index in range(clients):
        user = get_user_model().objects.create_user(f"bench-{index}")
        actions.add_member(owner, project, user, Role.EDITOR)
        keys.append(actions.create_token(user, "bench")[1])
    print(json.dumps({"architecture": architecture.pk, "keys": keys}))


def recreate_bench_database() -> None:
    """A fresh database, and an empty Redis database: a killed run leaves its sockets in
    the room's group (the room id repeats), and broadcasts would queue up for them."""
    import psycopg
    import redis

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS cloudwright_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE cloudwright_bench")
    redis.Redis.from_url(REDIS).flushdb()


def wait_listening(port: int, process: subprocess.Popen) -> None:
    import socket

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("server exited at start-up") from None
            time.sleep(0.1)
    raise TimeoutError(port)


class Client:
    def __init__(self, index: int, url: str, bench: Bench):
        self.index, self.url, self.bench = index, url, bench

    async def run(self) -> None:
        async with connect(self.url, origin="http://127.0.0.1", max_size=2**24) as ws:
            self.ws = ws
            self.bench.connected_one()
            async for raw in ws:
                message = json.loads(raw)
                if message.get("type") == "op":
                    self.bench.received(self.index, message["client_op_id"])
                elif message.get("type") == "members":
                    self.bench.saw_members(self.index, len(message["members"]))

    async def send(self, tag: str) -> None:
        op = {"type": "move_node", "id": f"n{self.index}",
              "position": {"x": self.bench.sent_count, "y": self.index}}  # fmt: skip
        self.bench.sent_at[tag] = time.perf_counter()
        self.bench.waiting[tag] = self.bench.clients_count - 1
        self.bench.sent_count += 1
        await self.ws.send(json.dumps({"type": "op", "client_op_id": tag, "op": op}))


class Bench:
    def __init__(self, urls: list[str], clients: int):
        self.urls, self.clients_count = urls, clients
        self.sent_at: dict[str, float] = {}
        self.waiting: dict[str, int] = {}
        self.latencies: list[float] = []
        self.sent_count = 0
        self.connected = 0
        self.ready = asyncio.Event()
        self.members_seen: dict[int, int] = {}
        self.chatter_at = time.perf_counter()
        self.own: dict[str, asyncio.Event] = {}

    def connected_one(self) -> None:
        self.connected += 1
        if self.connected == self.clients_count:
            self.ready.set()

    def saw_members(self, receiver: int, count: int) -> None:
        self.members_seen[receiver] = count
        self.chatter_at = time.perf_counter()

    async def settle(self, relay: bool) -> None:
        """Wait until every client knows the whole room and join chatter has stopped."""
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline:
            everyone = relay or (
                len(self.members_seen) == self.clients_count
                and min(self.members_seen.values()) == self.clients_count
            )
            if everyone and time.perf_counter() - self.chatter_at > 0.5:
                return
            await asyncio.sleep(0.1)
        raise TimeoutError("the room did not settle")

    def received(self, receiver: int, tag: str) -> None:
        if tag not in self.sent_at:
            return
        sender = int(tag.split("-")[0][1:])
        if receiver == sender:
            if tag in self.own:
                self.own.pop(tag).set()
            return
        self.waiting[tag] -= 1
        if self.waiting[tag] == 0:
            self.latencies.append((time.perf_counter() - self.sent_at[tag]) * 1000)

    async def run(self, seconds: float, rate: float, relay: bool) -> dict[str, float]:
        clients = [
            Client(i, self.urls[i % len(self.urls)], self) for i in range(self.clients_count)
        ]
        tasks = [asyncio.create_task(c.run()) for c in clients]
        await asyncio.wait_for(self.ready.wait(), 30)
        await self.settle(relay)
        # A full collection in this process pauses every client at once and would be
        # counted as server latency; the run allocates little, so collect only after.
        gc.collect()
        gc.disable()

        async def paced(client: Client) -> None:
            await asyncio.sleep(client.index / self.clients_count / rate)
            for step in range(int(seconds * rate)):
                await client.send(f"c{client.index}-p{step}")
                await asyncio.sleep(1 / rate)

        await asyncio.gather(*(paced(c) for c in clients))
        await asyncio.sleep(2)
        paced_lat = sorted(self.latencies)
        lost = sum(1 for v in self.waiting.values() if v > 0)

        async def saturate(client: Client, until: float) -> int:
            done = 0
            while time.perf_counter() < until:
                tag = f"c{client.index}-s{done}"
                self.own[tag] = event = asyncio.Event()
                await client.send(tag)
                await asyncio.wait_for(event.wait(), 30)
                done += 1
            return done

        start = time.perf_counter()
        counts = await asyncio.gather(*(saturate(c, start + seconds) for c in clients))
        ops_per_s = sum(counts) / (time.perf_counter() - start)
        gc.enable()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return {
            "p50": statistics.median(paced_lat),
            "p99": paced_lat[max(0, int(len(paced_lat) * 0.99) - 1)],
            "max": paced_lat[-1],
            "ops": len(paced_lat),
            "lost": lost,
            "ops_per_s": ops_per_s,
        }


def start_ours(env: dict[str, str], processes: int, clients: int) -> tuple[list, list[str]]:
    env = {**os.environ, **env, "DJANGO_SECRET_KEY": "bench-only", "DJANGO_LOG_LEVEL": "WARNING"}
    out = subprocess.run([sys.executable, __file__, "--setup", str(clients)], env=env, cwd=ROOT,
                         check=True, capture_output=True, text=True).stdout  # fmt: skip
    room = json.loads(out.strip().splitlines()[-1])
    servers, ports = [], []
    for _ in range(processes):
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
             "builder.asgi:application"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_listening(port, process)
        servers.append(process)
        ports.append(port)
    urls = [
        f"ws://127.0.0.1:{ports[i % processes]}/ws/architectures/{room['architecture']}/"
        f"?token={key}"
        for i, key in enumerate(room["keys"])
    ]
    return servers, urls


def start_relay(clients: int) -> tuple[list, list[str]]:
    reference = ROOT / "bench" / "reference"
    if not (reference / "node_modules" / "ws").is_dir():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=reference, check=True,
                       capture_output=True)  # fmt: skip
    port = free_port()
    process = subprocess.Popen(["node", "relay.mjs", str(port)], cwd=reference,
                               stdout=subprocess.DEVNULL)  # fmt: skip
    wait_listening(port, process)
    return [process], [f"ws://127.0.0.1:{port}/room"] * clients


def stop(servers: list[subprocess.Popen]) -> None:
    for server in servers:
        server.terminate()
    for server in servers:
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rate", type=float, default=1, help="ops per second per client")
    parser.add_argument("--setup", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup_room(args.setup)
        return
    setups = {
        "ours: in-process layer, 1 process (SQLite)": None,
        "ours: redis + postgres, 1 process": 1,
        "ours: redis + postgres, 2 processes": 2,
        "reference: ws relay (npm ws 8.23.0)": "relay",
    }
    print(f"{args.rate:g} op/s per client for {args.seconds:g}s paced, then saturated")
    print(f"{'setup':46} {'M':>3} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'ops/s':>8} lost")
    for clients in args.clients:
        p99s = {}
        for label, kind in setups.items():
            with tempfile.TemporaryDirectory() as var:
                if kind == "relay":
                    servers, urls = start_relay(clients)
                elif kind is None:
                    servers, urls = start_ours({"CLOUDWRIGHT_VAR_DIR": var}, 1, clients)
                else:
                    recreate_bench_database()
                    env = {"DATABASE_URL": PG_BENCH, "REDIS_URL": REDIS, "CLOUDWRIGHT_VAR_DIR": var}
                    servers, urls = start_ours(env, kind, clients)
                try:
                    bench = Bench(urls, clients)
                    result = asyncio.run(bench.run(args.seconds, args.rate, kind == "relay"))
                finally:
                    stop(servers)
            p99s[label] = result["p99"]
            figures = (result["p50"], result["p99"], result["max"], result["ops_per_s"])
            print(f"{label:46} {clients:>3} " + " ".join(f"{f:>8.1f}" for f in figures),
                  result["lost"])  # fmt: skip
        relay = p99s.pop("reference: ws relay (npm ws 8.23.0)")
        for label, p99 in p99s.items():
            print(f"  p99 ratio to the relay, {label}: {p99 / relay:.1f}x")


if __name__ == "__main__":
    main()
