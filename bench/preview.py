"""Live code preview: what `POST /api/preview/` costs for one target on a large document.

    python bench/preview.py              # 200 nodes, both targets
    python bench/preview.py --nodes 500 --runs 21

For each target it times the pure call (`generate_files`: validation, resolve, render)
and the whole request through Django's test client (authentication, parsing the JSON
body, the size check, generation, rendering the JSON answer): minimum, median and
maximum of `--runs`. Before each run the document is edited as the canvas edits it
between two previews: a box renamed (the code changes: everything is rendered again)
or a box moved (only the layout changes, which never reaches the code: codegen answers
from its cache of recent documents and writes only cloudwright.json again). The median
decides; on a shared machine the minimum shows the cost with nothing else running.
Goal: under 50 ms a request.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "builder.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

# The web process's start-up: Django set up, the catalog loaded, start-up objects frozen
# out of the garbage collector's full passes (builder/asgi.py).
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

import builder.asgi  # noqa: E402, F401
from bench.docgen import make_document  # noqa: E402
from builder.documents.api.codegen import generate_files  # noqa: E402

GOAL_MS = 50
TARGETS = ("terraform", "cdk")


def renamed(document: dict, run: int) -> dict:
    """One box renamed: its tags and descriptions change, so the code is rendered anew."""
    copy = json.loads(json.dumps(document))
    copy["nodes"][run % len(copy["nodes"])]["name"] = f"Renamed {run}"
    return copy


def moved(document: dict, run: int) -> dict:
    """One box moved: only the layout changes."""
    copy = json.loads(json.dumps(document))
    copy["nodes"][run % len(copy["nodes"])]["position"] = {"x": run, "y": -run}
    return copy


EDITS = {"rename": renamed, "move": moved}


def timings(
    work: Callable[[dict], object], document: dict, edit: Callable[[dict, int], dict], runs: int
) -> list[float]:
    work(edit(document, -1))  # warm the code's imports; the document is new each run
    times = []
    for run in range(runs):
        doc = edit(document, run)
        start = time.perf_counter()
        work(doc)
        times.append((time.perf_counter() - start) * 1000)
    return times


def request(client: Client, target: str) -> Callable[[dict], object]:
    def post(document: dict) -> None:
        body = json.dumps({"document": document, "target": target})
        response = client.post("/api/preview/", body, content_type="application/json")
        assert response.status_code == 200, response.content[:500]
        json.loads(response.content)  # what the browser does with it, minus the network

    return post


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    document = make_document(args.nodes)
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        user = get_user_model().objects.create_user("bench", "bench@example.com", "bench-pass-1")
        client = Client()
        client.force_login(user)
        print(
            f"preview of {args.nodes} nodes, {len(document['edges'])} edges; ms, {args.runs} runs"
        )
        header = f"{'target':<10} {'edit':<7} {'what':<20} {'min':>7} {'median':>7} {'max':>7}"
        print(f"{header}   goal < {GOAL_MS} ms")
        for target in TARGETS:
            for edit_name, edit in EDITS.items():
                for what, work in (
                    ("generate_files", lambda doc, t=target: generate_files(doc, t)),
                    ("POST /api/preview/", request(client, target)),
                ):
                    times = timings(work, document, edit, args.runs)
                    median = statistics.median(times)
                    verdict = "ok" if median < GOAL_MS else "MISSED"
                    print(
                        f"{target:<10} {edit_name:<7} {what:<20} {min(times):7.1f} "
                        f"{median:7.1f} {max(times):7.1f}   {verdict}"
                    )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
