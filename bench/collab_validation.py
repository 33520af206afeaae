"""What the room spends applying and validating an op on a large document.

    python bench/collab_validation.py [--nodes 1000] [--ops 200]

Per op: each op renames or moves one node of a generated document (bench/docgen.py);
milliseconds per op for apply + inverse + validation, with a validator that has seen
nothing (full validation) and with the room's, which re-checks only what changed.
Per batch: the auto-layout batch (one update per node) and a paste of a copy of the
whole document (one add per node and per edge), as the room applies and validates
each in one piece; milliseconds for the batch.
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
from builder.collab.validation import DocumentValidator, apply_validated  # noqa: E402


def layout(document: dict) -> dict:
    return {"type": "batch", "ops": [
        {"type": "update_node", "id": node["id"], "set": {"position": {"x": i, "y": i}}}
        for i, node in enumerate(document["nodes"])
    ]}  # fmt: skip


def paste(document: dict) -> dict:
    """The whole document again under new ids, as the canvas pastes a copy of it."""
    new = {node["id"]: f"{node['id']}-copy" for node in document["nodes"]}
    nodes = [{**node, "id": new[node["id"]], "parent": new.get(node.get("parent"))}
             for node in document["nodes"]]  # fmt: skip
    edges = [{**edge, "id": f"{edge['id']}-copy", "source": new[edge["source"]],
              "target": new[edge["target"]]} for edge in document["edges"]]  # fmt: skip
    return {"type": "batch", "ops": [{"type": "add_node", "node": n} for n in nodes]
            + [{"type": "add_edge", "edge": e} for e in edges]}  # fmt: skip


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
    validator = DocumentValidator()
    validator.validate(document)
    for label, make_validator in (
        ("full validation", DocumentValidator),
        ("fast path", lambda: validator),
    ):
        doc, times = document, []
        for op in ops:
            start = time.perf_counter()
            doc = apply_validated(doc, op, make_validator())[0]
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"{label:16} {args.nodes} nodes: median {statistics.median(times):.2f} ms/op, "
              f"p99 {times[int(len(times) * 0.99) - 1]:.2f} ms/op")  # fmt: skip
    for label, make_batch in (("layout batch", layout), ("paste batch", paste)):
        batch = make_batch(document)
        validator = DocumentValidator()
        validator.validate(document)
        start = time.perf_counter()
        apply_validated(document, batch, validator)
        elapsed = (time.perf_counter() - start) * 1000
        print(f"{label:16} {args.nodes} nodes: {len(batch['ops'])} ops in {elapsed:.0f} ms")


if __name__ == "__main__":
    main()
