"""Two daphne processes on channels_redis and PostgreSQL serve one room.

Run with DATABASE_URL (PostgreSQL) and REDIS_URL set: `pytest -m services`.
"""

import asyncio
import json
import os
import random

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.db import connection, connections

from builder.collab.consumer import max_message_bytes
from builder.documents import actions
from builder.documents.models import Architecture, Change
from tests.collab.clients import random_op
from tests.collab.servers import Peer, Server, wait_for

pytestmark = [
    pytest.mark.services,
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (
            os.environ.get("DATABASE_URL", "").startswith("postgres")
            and os.environ.get("REDIS_URL")
        ),
        reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL",
    ),
]


@pytest.fixture
def servers(architecture):
    db = connection.settings_dict
    env = {"DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "REDIS_URL": os.environ["REDIS_URL"]}  # fmt: skip
    started = [Server(env), Server(env)]
    yield started
    for server in started:
        server.stop()


@pytest_asyncio.fixture(autouse=True)
async def close_thread_connections():
    """The ORM thread's connection must close, or the test database cannot be dropped."""
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def keys(users):
    return {name: actions.create_token(users[name], "ws")[1] for name in ("owner", "editor")}


@database_sync_to_async
def stored(architecture_id: int) -> tuple[dict, int, dict[str, list[int]]]:
    architecture = Architecture.objects.get(pk=architecture_id)
    log: dict[str, list[int]] = {}
    for tag, revision in Change.objects.filter(
        architecture_id=architecture_id, client_op_id__isnull=False
    ).values_list("client_op_id", "revision"):
        log.setdefault(tag, []).append(revision)
    return architecture.document, architecture.revision, log


async def open_peers(servers, architecture, keys, count: int) -> list[Peer]:
    peers = []
    for index in range(count):
        peer = Peer()
        name = ("owner", "editor")[index % 2]
        await peer.open(servers[index % len(servers)].url(architecture.pk, keys[name]))
        peers.append(peer)
    await wait_for(lambda: all(p.replica.document is not None for p in peers))
    return peers


def answered(peer: Peer) -> set[str]:
    return set(peer.replica.acks) | set(peer.replica.rejects)


async def converged(peers: list[Peer], architecture_id: int) -> None:
    document, revision, _ = await stored(architecture_id)
    await wait_for(lambda: all(p.replica.revision == revision or p.error for p in peers))
    for peer in peers:
        assert peer.error is None
        assert peer.replica.document == document


async def test_clients_on_two_processes_converge(servers, architecture, keys):
    rng = random.Random(7)
    peers = await open_peers(servers, architecture, keys, 6)
    sent = {id(p): [] for p in peers}
    for step in range(20):
        for index, peer in enumerate(peers):
            tag = f"p{index}-{step}"
            await peer.send_op(random_op(rng, peer.replica.document, tag), tag)
            sent[id(peer)].append(tag)
    await wait_for(lambda: all(answered(p) == set(sent[id(p)]) for p in peers))
    await converged(peers, architecture.pk)
    _, _, log = await stored(architecture.pk)
    for peer in peers:
        for tag, revision in peer.replica.acks.items():
            assert log[tag] == [revision]
    for peer in peers:
        await peer.close()


async def test_a_killed_process_loses_no_acknowledged_op(servers, architecture, keys):
    doomed, survivor = servers
    rng = random.Random(11)
    victims = [Peer(), Peer()]
    for index, peer in enumerate(victims):
        await peer.open(doomed.url(architecture.pk, keys[("owner", "editor")[index]]))
    watcher = Peer()
    await watcher.open(survivor.url(architecture.pk, keys["owner"]))
    await wait_for(lambda: all(p.replica.document is not None for p in [*victims, watcher]))
    sent: dict[int, list[tuple[str, dict]]] = {0: [], 1: []}
    for step in range(40):
        for index, peer in enumerate(victims):
            tag = f"k{index}-{step}"
            op = random_op(rng, peer.replica.document, tag)
            await peer.send_op(op, tag)
            sent[index].append((tag, op))
        await asyncio.sleep(0.01)
        if step == 20:
            doomed.process.kill()  # SIGKILL mid-session, ops still in flight
            break
    doomed.process.wait(10)
    acked_before = {tag: rev for p in victims for tag, rev in p.replica.acks.items()}
    _, _, log = await stored(architecture.pk)
    assert acked_before, "some ops were acknowledged before the kill"
    for tag, revision in acked_before.items():
        assert log[tag] == [revision], f"acknowledged op {tag} is stored at its revision"
    # The victims reconnect to the other process and re-send what was not acknowledged.
    for index, peer in enumerate(victims):
        await peer.close()
        since = peer.replica.revision
        await peer.open(survivor.url(architecture.pk, keys[("owner", "editor")[index]], since))
        for tag, op in sent[index]:
            if tag not in peer.replica.acks:
                await peer.send_op(op, tag)
    await wait_for(lambda: all(answered(p) >= {t for t, _ in sent[i]}
                               for i, p in enumerate(victims)))  # fmt: skip
    await watcher.send_op({"type": "move_node", "id": "fn", "position": {"x": 1, "y": 1}}, "end")
    await wait_for(lambda: "end" in watcher.replica.acks)
    await converged([*victims, watcher], architecture.pk)
    _, _, log = await stored(architecture.pk)
    assert all(len(revisions) == 1 for revisions in log.values()), "each op applied once"
    for peer in [*victims, watcher]:
        await peer.close()


async def test_a_message_over_the_limit_is_refused_through_daphne_and_the_socket_stays(
    servers, architecture, keys
):
    """daphne reads messages up to the Procfile's limit, so the room itself answers one
    past its own limit (instead of daphne dropping the connection, 1 MiB by default)."""
    [peer] = await open_peers(servers[:1], architecture, keys, 1)
    limit = max_message_bytes()
    op = {"type": "set_document", "set": {"description": "x" * limit}}
    await peer.send_op(op, "big")
    await wait_for(lambda: "big" in peer.replica.rejects)
    size = len(json.dumps({"type": "op", "client_op_id": "big", "op": op}))
    assert peer.replica.rejects["big"] == f"the message is {size} bytes; the limit is {limit} bytes"
    await peer.send_op({"type": "move_node", "id": "fn", "position": {"x": 1, "y": 1}}, "next")
    await wait_for(lambda: "next" in peer.replica.acks)
    document, revision, log = await stored(architecture.pk)
    assert (revision, set(log)) == (2, {"next"})
    assert "description" not in document
    await peer.close()
