"""Helpers the tests of kept CDK stacks share: a large document grown so that its own
split would move existing components, and the assignment an app's stacks.json records."""

from __future__ import annotations

import copy
import json

from bench.docgen import make_document


def large_document() -> dict:
    """A document that splits into several stacks."""
    return make_document(400)


def grown(doc: dict) -> dict:
    """`doc` with 30 new functions, each reading an existing table and writing a new
    queue, and an existing API routing to the first of them."""
    out = copy.deepcopy(doc)
    tables = [n["id"] for n in doc["nodes"] if n["type"] == "aws.dynamodb.table"]
    api = next(n["id"] for n in doc["nodes"] if n["type"] == "aws.apigateway.rest_api")
    for k in range(30):
        fn, queue = f"new-fn-{k}", f"new-queue-{k}"
        out["nodes"] += [
            {"id": fn, "type": "aws.lambda.function", "position": {"x": 0, "y": 0}},
            {"id": queue, "type": "aws.sqs.queue", "position": {"x": 0, "y": 0}},
        ]
        out["edges"] += [
            {
                "id": f"{fn}-reads",
                "source": fn,
                "target": tables[k % len(tables)],
                "access": "read",
            },
            {"id": f"{fn}-sends", "source": fn, "target": queue, "access": "write"},
        ]
    out["edges"].append({"id": "new-route", "source": api, "target": "new-fn-0"})
    return out


def stacks_of(stacks_json: str | bytes) -> dict[str, str]:
    """Node id -> the stack a stacks.json records it in."""
    recorded = json.loads(stacks_json)["stacks"]
    return {node: stack["name"] for stack in recorded for node in stack["nodes"]}


def moved(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The nodes recorded in `before` that `after` puts in another stack."""
    return [node for node, stack in before.items() if after.get(node) != stack]
