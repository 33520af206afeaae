"""The files of a generated repository: path -> text, or bytes for binary files.

Most files are text; the Terraform repository also carries each Lambda function's
zip, so `terraform apply` works without a build step. Whatever writes, zips or pushes
the files goes through `as_bytes`, so text is always UTF-8 and binary files pass
through untouched.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

Files = dict[str, str | bytes]
DOCUMENT_FILE = "cloudwright.json"
# The CDK app's record of the stack each node is in, read back when it is regenerated.
STACKS_FILE = "stacks.json"
# What `codegen.generate(..., previous=...)` reads of the files generated before: a
# caller regenerating a repository (a git branch, an output directory) passes these.
READ_BACK = (STACKS_FILE,)


class PreviousInvalid(ValueError):
    """A file of the previous generation (`path`) that cannot be read back, and why."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def document_file(document: dict[str, Any]) -> str:
    """The document as every repository carries it (`cloudwright.json`), to re-open it
    in the builder: sorted keys and one value a line, so it diffs cleanly.

    The text is `json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)`
    plus a newline, put together from the text of each item of the top-level lists
    (nodes, edges): json's indented output has no C encoder (about 2 ms for 200 nodes),
    the live preview writes this file on every edit, and an edit changes one or two
    items. Indenting only spaces out the tokens of the compact text, so an item's
    indented text is a function of its compact text, which keys `_ITEM_TEXTS`.
    """
    members = []
    for key, value in sorted(document.items()):
        if type(value) is list and value:
            text = "[\n    " + ",\n    ".join([_item_text(item) for item in value]) + "\n  ]"
        else:
            text = _indented(value).replace("\n", "\n  ")
        members.append(f"  {encode_basestring(key)}: {text}")
    if not members:
        return "{}\n"
    return "{\n" + ",\n".join(members) + "\n}\n"


def _indented(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


# Indented text of recently written list items (at their depth), by compact JSON. A
# 1,000-node document has about 2,000 items; when full the cache starts again, which
# costs one slower write. Each operation on the dict is atomic, so threads rendering at
# once at worst compute an item twice.
_ITEM_TEXTS: dict[str, str] = {}
_ITEM_TEXTS_MAX = 4096


# One encoder for every key: json.dumps builds an encoder per call with these options.
_compact = json.JSONEncoder(sort_keys=True, separators=(",", ":")).encode


def _item_text(item: Any) -> str:
    key = _compact(item)
    text = _ITEM_TEXTS.get(key)
    if text is None:
        text = _indented(item).replace("\n", "\n    ")
        if len(_ITEM_TEXTS) >= _ITEM_TEXTS_MAX:
            _ITEM_TEXTS.clear()
        _ITEM_TEXTS[key] = text
    return text


def as_bytes(content: str | bytes) -> bytes:
    """A file's bytes on disk: text as UTF-8 (no newline translation), binary as it is."""
    return content if isinstance(content, bytes) else content.encode("utf-8")


def write_files(files: Files, directory: Path) -> Path:
    """Write `files` under `directory`; refuses a path that would land outside it."""
    root = directory.resolve()
    for relative, content in files.items():
        path = (root / relative).resolve()
        if not path.is_relative_to(root):
            raise ValueError(f"refusing to write {relative!r} outside {directory}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(as_bytes(content))
    return directory
