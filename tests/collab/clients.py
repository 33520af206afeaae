"""Reading a room socket the way a client does."""

from channels.testing import WebsocketCommunicator

from builder.collab.ops import apply_op

CHATTER = {"members", "join", "leave", "presence"}


async def next_message(communicator: WebsocketCommunicator, timeout: float = 2) -> dict:
    """The next message that is not presence chatter."""
    while True:
        message = await communicator.receive_json_from(timeout)
        if message["type"] not in CHATTER:
            return message


async def send_op(communicator, op: dict, client_op_id: str) -> None:
    await communicator.send_json_to({"type": "op", "client_op_id": client_op_id, "op": op})


class Replica:
    """A client's copy of the document: a snapshot plus ops applied in revision order."""

    def __init__(self):
        self.document: dict | None = None
        self.revision = 0
        self.acks: dict[str, int] = {}
        self.rejects: dict[str | None, str] = {}  # client_op_id -> reason

    def receive(self, message: dict) -> None:
        kind = message["type"]
        if kind == "snapshot":
            self.document, self.revision = message["document"], message["revision"]
        elif kind == "op":
            assert message["revision"] == self.revision + 1, "ops arrive in order, no gaps"
            self.document = apply_op(self.document, message["op"])
            self.revision = message["revision"]
        elif kind == "ack":
            self.acks[message["client_op_id"]] = message["revision"]
        elif kind == "reject":
            self.rejects[message["client_op_id"]] = message["reason"]


async def drain(communicator: WebsocketCommunicator, wait: float = 0.3) -> list[dict]:
    """Every message that arrives until the socket stays quiet for `wait` seconds."""
    messages = []
    while not await communicator.receive_nothing(wait):
        messages.append(await communicator.receive_json_from())
    return messages


def random_op(rng, document: dict, tag: str) -> dict:
    """An edit a user might make, chosen against their (possibly stale) copy."""
    nodes = [n["id"] for n in document["nodes"]]
    queues = [n["id"] for n in document["nodes"] if n["type"] == "aws.sqs.queue"]
    choice = rng.random()
    if choice < 0.3 or not queues:
        return {
            "type": "add_node",
            "node": {
                "id": tag,
                "type": "aws.sqs.queue",
                "name": tag,
                "position": {"x": rng.randint(0, 900), "y": 0},
            },
        }
    if choice < 0.5:
        return {
            "type": "move_node",
            "id": rng.choice(nodes),
            "position": {"x": rng.randint(0, 900), "y": rng.randint(0, 900)},
        }
    if choice < 0.65:
        return {
            "type": "update_node",
            "id": rng.choice(queues),
            "set": {"props.visibility_timeout_s": rng.randint(0, 900), "name": tag},
        }
    if choice < 0.75:
        return {"type": "update_node", "id": rng.choice(queues), "set": {"props.fifo": True}}
    if choice < 0.85:
        return {
            "type": "add_edge",
            "edge": {"id": tag, "source": rng.choice(queues), "target": "fn"},
        }
    return {"type": "delete_node", "id": rng.choice(queues)}  # fmt: skip
