#!/usr/bin/env python3
"""Package each function's code, functions/<name>/, as functions/<name>.zip.

Cloudwright writes these zips with this same code when it generates the repository,
so `terraform init && terraform apply` needs no build step. After editing a function,
run `make build` (or `python3 scripts/build_lambdas.py`; `make plan` does it first) to
refresh its zip.

A zip is byte-identical for identical code on any machine: entries sorted, fixed
timestamps and permissions, and stored rather than deflated (deflated bytes depend on
the zlib build), so `source_code_hash` and git see a change only when the code changes.

This file is both a codegen module and, copied as it is, the repository's script: it
needs nothing but the standard library.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

EPOCH = (1980, 1, 1, 0, 0, 0)
UNIX = 3  # zip "created by" system whose permission bits unzip tools and Lambda read


def package(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (path inside the zip, content) entries: the same entries, the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in sorted(entries):
            info = zipfile.ZipInfo(name, EPOCH)
            info.create_system = UNIX  # ZipInfo's default depends on the platform
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, content)
    return buffer.getvalue()


def package_directory(directory: Path) -> bytes:
    """The zip of every file under `directory` (bytecode caches left out)."""
    files = (p for p in directory.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return package((p.relative_to(directory).as_posix(), p.read_bytes()) for p in files)


def main() -> None:
    functions = Path(__file__).resolve().parent.parent / "functions"
    directories = sorted(p for p in functions.iterdir() if p.is_dir()) if functions.is_dir() else []
    for directory in directories:
        target = directory.parent / f"{directory.name}.zip"
        data = package_directory(directory)
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
            print(f"updated {target.relative_to(functions.parent)}")


if __name__ == "__main__":
    main()
