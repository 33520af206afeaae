"""The files of a generated repository: path -> text, or bytes for binary files.

Most files are text; the Terraform repository also carries each Lambda function's
zip, so `terraform apply` works without a build step. Whatever writes, zips or pushes
the files goes through `as_bytes`, so text is always UTF-8 and binary files pass
through untouched.
"""

from __future__ import annotations

import json
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
    in the builder: sorted keys and one value a line, so it diffs cleanly."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


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
