"""How big one architecture document may be; beyond it the API answers 413 and the
collaboration protocol rejects the op, with the same message."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings


class DocumentTooLarge(Exception):
    """The document exceeds a size limit; the message says which and by how much."""


def json_size(value: Any) -> int:
    """Bytes of `value` as compact JSON (ASCII, so characters are bytes)."""
    return len(json.dumps(value, separators=(",", ":")))


# No character of a JSON text grows to more than 12 bytes of json_size (one beyond the
# Basic Multilingual Plane is written as two \u escapes; a number grows at most 4.5
# times, `1e15` to `1000000000000000.0`), and every character takes at least one byte.
MAX_GROWTH = 12


def check_size(
    document: Any, measure: Callable[[Any], int] = json_size, source_bytes: int | None = None
) -> None:
    """Raise DocumentTooLarge over the node or byte limit; `measure` gives json_size.

    `source_bytes`, the size of the JSON text `document` was decoded from (a request
    body), spares measuring a document too small to be over the limit whatever it holds:
    the body's size alone is no bound, as non-ASCII text and numbers grow in json_size.
    """
    nodes = document.get("nodes") if isinstance(document, dict) else None
    if isinstance(nodes, list) and len(nodes) > settings.DOCUMENT_MAX_NODES:
        raise DocumentTooLarge(
            f"the document has {len(nodes)} nodes; the limit is {settings.DOCUMENT_MAX_NODES}"
        )
    if source_bytes is not None and source_bytes * MAX_GROWTH <= settings.DOCUMENT_MAX_BYTES:
        return
    size = measure(document)
    if size > settings.DOCUMENT_MAX_BYTES:
        raise DocumentTooLarge(
            f"the document is {size} bytes; the limit is {settings.DOCUMENT_MAX_BYTES} bytes"
        )


class SizeMeter:
    """json_size of successive versions of one document, measuring only new objects.

    A room checks the size after every op, and serialising a 1,000-node document costs
    milliseconds. The op reducer never mutates a node or edge in place (a changed one is
    a new object), so the size of one it measured before still holds. Holds references
    to the objects it measured, so their ids stay unique.
    """

    def __init__(self) -> None:
        self._sizes: dict[int, tuple[Any, int]] = {}

    def size(self, document: Any) -> int:
        nodes = document.get("nodes") if isinstance(document, dict) else None
        edges = document.get("edges") if isinstance(document, dict) else None
        if not isinstance(nodes, list) or not isinstance(edges, list):
            return json_size(document)
        sizes: dict[int, tuple[Any, int]] = {}
        for item in (*nodes, *edges):
            known = self._sizes.get(id(item))
            sizes[id(item)] = known if known and known[0] is item else (item, json_size(item))
        # Keep only this document's objects: memory stays bounded by one document.
        self._sizes = sizes
        items = sum(sizes[id(item)][1] for item in (*nodes, *edges))
        # The lists' commas (brackets are in the rest, measured with empty lists).
        commas = max(len(nodes) - 1, 0) + max(len(edges) - 1, 0)
        return json_size({**document, "nodes": [], "edges": []}) + items + commas
