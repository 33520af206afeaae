"""Validation cost per op on a large document: full validation vs the room's fast path.

    python bench/collab_validation.py [--nodes 1000] [--ops 200]

Each op renames or moves one node of a generated document (bench/docgen.py); the
figures are milliseconds per op for apply + inverse + validation.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.docgen import make_document  # noqa: E402
from builder.catalog import validate_document  # noqa: E402
from builder.collab.ops import apply_op, inverse_op  # noqa: E402
from builder.collab.validation import DocumentValidator, apply_validated  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--ops", type=int, default=200)
    args = parser.parse_args()
    document = make_document(args.nodes, 1)
    assert validate_document(document) == []
    ids = [node["id"] for node in document["nodes"]]
    ops = [
        {"type": "update_node", "id": ids[i % len(ids)], "set": {"name": f"renamed {i}"}}
        if i % 2
        else {"type": "move_node", "id": ids[i % len(ids)], "position": {"x": i, "y": i}}
        for i in range(args.ops)
    ]

    def full(doc, op):
        new = apply_op(doc, op)
        inverse_op(doc, op)
        assert validate_document(new) == []
        return new

    validator = DocumentValidator()
    validator.validate(document)
    for label, step in (
        ("full validation", full),
        ("fast path", lambda doc, op: apply_validated(doc, op, validator)[0]),
    ):
        doc, times = document, []
        for op in ops:
            start = time.perf_counter()
            doc = step(doc, op)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"{label:16} {args.nodes} nodes: median {statistics.median(times):.2f} ms/op, "
              f"p99 {times[int(len(times) * 0.99) - 1]:.2f} ms/op")  # fmt: skip


if __name__ == "__main__":
    main()
