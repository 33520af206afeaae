"""N clients edit one room at once; everyone ends with the stored document."""

import random

import pytest
from channels.db import database_sync_to_async

from builder.documents.models import Architecture, Change
from tests.collab.clients import Replica, drain, next_message, random_op, send_op

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

CLIENTS = ("owner", "editor", "owner", "editor")
OPS_EACH = 15


@database_sync_to_async
def stored_state(architecture_id: int) -> tuple[dict, dict[str, int]]:
    document = Architecture.objects.get(pk=architecture_id).document
    log = dict(
        Change.objects.filter(
            architecture_id=architecture_id, client_op_id__isnull=False
        ).values_list("client_op_id", "revision")
    )
    return document, log


async def pump(socket, replica: Replica) -> None:
    for message in await drain(socket, 0.01):
        replica.receive(message)


@pytest.mark.parametrize("seed", [1, 2])
async def test_concurrent_random_ops_converge_to_the_stored_document(connect, architecture, seed):
    rng = random.Random(seed)
    sockets = [await connect(name) for name in CLIENTS]
    replicas = [Replica() for _ in sockets]
    for socket, replica in zip(sockets, replicas, strict=True):
        replica.receive(await next_message(socket))  # the snapshot, before any edit
    sent: list[str] = []
    for step in range(OPS_EACH):
        for index, (socket, replica) in enumerate(zip(sockets, replicas, strict=True)):
            await pump(socket, replica)
            tag = f"c{index}-{step}"
            await send_op(socket, random_op(rng, replica.document, tag), tag)
            sent.append(tag)
    for socket, replica in zip(sockets, replicas, strict=True):
        for message in await drain(socket, 0.5):
            replica.receive(message)
    document, log = await stored_state(architecture.pk)
    answered = {}
    for replica in replicas:
        assert replica.document == document
        answered.update(replica.acks)
        answered.update(dict.fromkeys(replica.rejects))
    assert set(answered) == set(sent), "every op is answered"
    acked = {tag: rev for r in replicas for tag, rev in r.acks.items()}
    assert acked and all(log[tag] == rev for tag, rev in acked.items())
