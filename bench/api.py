"""REST API benchmark: p50 / p95 ms per request through Django's test client.

    python bench/api.py                # SQLite (a fresh database in a temporary folder)
    python bench/api.py --postgres     # and PostgreSQL + Redis (recreates cloudwright_bench_api)
    python bench/api.py --runs 50

For generated documents (bench/docgen.py) of 200 and 1,000 nodes, signed in with a
session as the browser is: GET the architecture; PUT it back with If-Match (two
documents in turn, so every PUT stores a change); POST validate/; GET diff/ between two
versions that differ in a tenth of their nodes; GET versions/ (20 of them); GET
catalog/. Each request goes through
the whole middleware and DRF stack, parsing and rendering included, but not a socket.
Target: a single read under 200 ms at 1,000 nodes.

Each database runs in its own process: settings are read once, at start-up.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from time import perf_counter
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.docgen import make_document  # noqa: E402
from bench.fresh_project import fresh_project  # noqa: E402

SIZES = (200, 1000)
READ_TARGET_MS = 200
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/cloudwright_bench_api"
REDIS = "redis://127.0.0.1:6379/6"
READS = ("GET architecture", "GET diff", "GET versions", "GET catalog")
VERSIONS = 20  # saved per architecture: the versions list shows them all


def edited(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every tenth node renamed and moved: a realistic second version."""
    copy = json.loads(json.dumps(document))
    for node in copy["nodes"][::10]:
        node["name"] = f"{node['name']} (edited)"
        node["position"] = {"x": node["position"]["x"] + 40, "y": node["position"]["y"]}
    return copy


def percentiles(work: Callable[[], Any], runs: int) -> tuple[float, float]:
    """p50 and p95 in ms over `runs` calls, after one warm-up call."""
    work()
    times = []
    for _ in range(runs):
        start = perf_counter()
        work()
        times.append((perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def expect(response, status: int = 200):
    if response.status_code != status:
        raise RuntimeError(f"{response.status_code}: {response.content[:500]!r}")
    return response


def measure(runs: int) -> None:
    """(In the child process, with the database's environment.) Print one row per request."""
    user, project = fresh_project("bench")
    from django.test import Client

    from builder.documents import actions

    client = Client()
    client.force_login(user)
    for size in SIZES:
        first = make_document(size)
        second = edited(first)
        architecture = actions.create_architecture(user, project, f"bench {size}", first)
        old = new = actions.save_version(user, architecture, "v1")
        for number in range(2, VERSIONS + 1):
            document = second if number % 2 == 0 else first
            architecture = actions.replace_document(user, architecture, document)
            new = actions.save_version(user, architecture, f"v{number}")
        url = f"/api/architectures/{architecture.pk}/"
        bodies = [json.dumps({"document": doc}) for doc in (first, second)]
        validate_body = json.dumps({"document": first})
        state = {"etag": expect(client.get(url))["ETag"], "turn": 0}

        def put(url=url, bodies=bodies, state=state) -> None:
            state["turn"] += 1
            response = client.put(
                url,
                bodies[state["turn"] % 2],
                content_type="application/json",
                headers={"If-Match": state["etag"]},
            )
            state["etag"] = expect(response)["ETag"]

        requests: dict[str, Callable[[], Any]] = {
            "GET architecture": lambda url=url: expect(client.get(url)),
            "PUT architecture": put,
            "POST validate": lambda body=validate_body: expect(
                client.post("/api/validate/", body, content_type="application/json")
            ),
            "GET diff": lambda url=url, old=old, new=new: expect(
                client.get(f"{url}diff/?from={old.pk}&to={new.pk}")
            ),
            "GET versions": lambda url=url: expect(client.get(f"{url}versions/")),
            "GET catalog": lambda: expect(client.get("/api/catalog/")),
        }
        for name, work in requests.items():
            p50, p95 = percentiles(work, runs)
            print(json.dumps({"request": name, "nodes": size, "p50": p50, "p95": p95}), flush=True)


def recreate_postgres_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS cloudwright_bench_api WITH (FORCE)")
        conn.execute("CREATE DATABASE cloudwright_bench_api")


def run_database(label: str, env: dict[str, str], runs: int) -> None:
    with tempfile.TemporaryDirectory() as var:
        child_env = {
            **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
            **env,
            "CLOUDWRIGHT_VAR_DIR": var,
            # As in production: DEBUG would keep every query in memory and log more.
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        process = subprocess.Popen(
            [sys.executable, __file__, "--measure", "--runs", str(runs)],
            env=child_env, cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert process.stdout is not None
        for line in process.stdout:
            row = json.loads(line)
            verdict = ""
            if row["request"] in READS and row["nodes"] == max(SIZES):
                ok = row["p95"] < READ_TARGET_MS
                verdict = f"p95 < {READ_TARGET_MS} ms: {'ok' if ok else 'MISSED'}"
            print(f"{label:<11}{row['request']:<18}{row['nodes']:>6}"
                  f"{row['p50']:>9.1f}{row['p95']:>9.1f}   {verdict}")  # fmt: skip
        if process.wait() != 0:
            raise SystemExit(f"the {label} run failed (exit {process.returncode})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="requests per figure")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL + Redis")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.runs)
        return
    print(f"{'database':<11}{'request':<18}{'nodes':>6}{'p50 ms':>9}{'p95 ms':>9}   target")
    run_database("sqlite", {}, args.runs)
    if args.postgres:
        recreate_postgres_database()
        run_database("postgresql", {"DATABASE_URL": PG_BENCH, "REDIS_URL": REDIS}, args.runs)


if __name__ == "__main__":
    main()
