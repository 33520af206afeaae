"""Code generation: resolve a document into one model, render it as Terraform or CDK.

Imports no Django.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from builder.catalog import check_document
from codegen.files import DOCUMENT_FILE, READ_BACK, Files, PreviousInvalid, document_file
from codegen.model import Model
from codegen.resolve import resolve

TARGETS = ("terraform", "cdk")


def generate(
    document: dict[str, Any], target: str, previous: Mapping[str, str | bytes] | None = None
) -> Files:
    """The files of the generated repository for `target`, deterministic: path -> text,
    or bytes for binary files (the Terraform repository's function zips).

    `previous` is the repository as generated before (path -> text or bytes), when
    regenerating it: what must not move is read from it (the files in `READ_BACK`: the
    CDK app's `stacks.json`). PreviousInvalid (a ValueError) names a file that cannot
    be read back.
    """
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}; choose one of {', '.join(TARGETS)}")
    check_document(document)
    key = (target, _code_key(document)) if previous is None else None
    cached = _RECENT.get(key) if key else None
    if cached is not None:
        return {**cached, DOCUMENT_FILE: document_file(document)}
    model = resolve(document, checked=True)
    if target == "terraform":
        from codegen.terraform import render

        files = render(model)
    else:
        from codegen.cdk import render as render_cdk

        files = render_cdk(model, previous)
    if key:
        _RECENT.put(key, files)
    return files


# Layout never reaches the code, only the document file every repository carries (a
# test moves every box and checks). The canvas asks for a preview after each drag, so
# the code of the last few documents is kept by a digest of all but their layout.
LAYOUT_KEYS = frozenset({"position", "size"})


def _code_key(document: dict[str, Any]) -> str:
    """Digest of what in a valid `document` can reach generated code: all but layout."""
    nodes = [
        {k: v for k, v in node.items() if k not in LAYOUT_KEYS}
        for node in document.get("nodes", [])
    ]
    text = json.dumps({**document, "nodes": nodes}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class _Recent:
    """The files of the last few documents generated, by (target, code key): thread-safe
    (the web process renders in worker threads); it keeps its own copy of each set,
    which readers copy again before changing anything."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[tuple[str, str], Files] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> Files | None:
        with self.lock:
            files = self.entries.get(key)
            if files is not None:
                self.entries.move_to_end(key)
            return files

    def put(self, key: tuple[str, str], files: Files) -> None:
        with self.lock:
            self.entries[key] = dict(files)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_RECENT = _Recent(8)


__all__ = ["READ_BACK", "TARGETS", "Files", "Model", "PreviousInvalid", "generate", "resolve"]
