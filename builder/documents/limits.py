"""How big one architecture document may be; beyond it the API answers 413."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings


class DocumentTooLarge(Exception):
    """The document exceeds a size limit; the message says which and by how much."""


def check_size(document: Any) -> None:
    nodes = document.get("nodes") if isinstance(document, dict) else None
    if isinstance(nodes, list) and len(nodes) > settings.DOCUMENT_MAX_NODES:
        raise DocumentTooLarge(
            f"the document has {len(nodes)} nodes; the limit is {settings.DOCUMENT_MAX_NODES}"
        )
    size = len(json.dumps(document, separators=(",", ":")).encode())
    if size > settings.DOCUMENT_MAX_BYTES:
        raise DocumentTooLarge(
            f"the document is {size} bytes; the limit is {settings.DOCUMENT_MAX_BYTES} bytes"
        )
