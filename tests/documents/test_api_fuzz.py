"""Schemathesis drives the whole API from its OpenAPI schema: no request may get a 5xx.

The run is reproducible: a fixed seed, a fixed number of examples per operation and no
example database carried over between runs. A failure quotes the requests that got a
5xx (method, path, body, response) and the server's tracebacks.

`make test` runs it on SQLite and again on PostgreSQL, which refuses what SQLite
stores (NUL characters, lone surrogates, big integers). A longer local hunt changes the
knobs through the environment, for example:

    CLOUDWRIGHT_FUZZ_SEED=7 CLOUDWRIGHT_FUZZ_EXAMPLES=300 \
        .venv/bin/pytest tests/documents/test_api_fuzz.py -p no:cacheprovider
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/pytest tests/documents/test_api_fuzz.py -p no:cacheprovider
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from builder.documents import actions
from builder.documents.tasks import run_job_task
from tests.documents.conftest import make_user, sample_document

MIN_REQUESTS = 1000
SEED = int(os.environ.get("CLOUDWRIGHT_FUZZ_SEED", "20240601"))
EXAMPLES = int(os.environ.get("CLOUDWRIGHT_FUZZ_EXAMPLES", "50"))
# Only a guard against a hung run; the examples bound the run, not the clock.
TIMEOUT_S = max(600, EXAMPLES * 10)
BODY_CHARS = 2000
SHOWN = 10  # failing requests quoted in full; one bug often fails many


def _server_errors(har: dict) -> list[dict]:
    return [e for e in har["log"]["entries"] if e["response"]["status"] >= 500]


def _describe(entry: dict) -> str:
    """One failing exchange as a reader needs it to send the request again."""
    request, response = entry["request"], entry["response"]
    body = (request.get("postData") or {}).get("text") or "(no body)"
    answer = " ".join(((response.get("content") or {}).get("text") or "(empty)").split())
    return (
        f"{request['method']} {request['url']}\n"
        f"  body: {body[:BODY_CHARS]}\n"
        f"  -> {response['status']}: {answer[:BODY_CHARS]}"
    )


def _tracebacks(records: list[logging.LogRecord]) -> list[str]:
    """The server's distinct tracebacks, by their last line (one crash, many requests)."""
    formatter = logging.Formatter("%(message)s")
    distinct: dict[str, str] = {}
    for record in records:
        if record.exc_info and record.levelno >= logging.ERROR:
            text = formatter.format(record)
            distinct.setdefault(text.rstrip().splitlines()[-1], text)
    return list(distinct.values())


def _report(failures: list[dict], records: list[logging.LogRecord]) -> str:
    shown = failures[:SHOWN]
    more = f"\n\n... and {len(failures) - SHOWN} more" if len(failures) > SHOWN else ""
    return (
        f"{len(failures)} request(s) got a server error (seed {SEED}, {EXAMPLES} examples):\n\n"
        + "\n\n".join(_describe(e) for e in shown)
        + more
        + "\n\nServer tracebacks:\n"
        + "\n\n".join(_tracebacks(records))
    )


def test_generated_requests_never_get_a_server_error(
    live_server, transactional_db, tmp_path, caplog, monkeypatch
):
    # Jobs the run starts stay queued: no messages left in the checkout's broker folder.
    monkeypatch.setattr(run_job_task, "delay", lambda job_id: None)
    owner = make_user("fuzz-owner")
    project = actions.create_project(owner, "Fuzz")
    architecture = actions.create_architecture(owner, project, "orders", sample_document())
    actions.save_version(owner, architecture, "v1")
    _token, key = actions.create_token(owner, "schemathesis")
    har_path = tmp_path / "requests.har"
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{live_server.url}/api/schema/",
        "--header",
        f"Authorization: Token {key}",
        # Django's test server answers a kept-alive connection ~40 ms late (Nagle's
        # algorithm meets delayed ACKs); a fresh connection per request takes ~4 ms.
        "--header",
        "Connection: close",
        "--checks",
        "not_a_server_error",
        # Revoking its own token would turn the rest of the run into 401s.
        "--exclude-operation-id",
        "api_tokens_destroy",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(SEED),
        # No examples replayed from an earlier run: the seed alone decides the requests.
        "--generation-database",
        "none",
        "--workers",
        "1",
        "--no-shrink",
        "--continue-on-failure",
        "--report",
        "har",
        "--report-har-path",
        str(har_path),
    ]
    caplog.set_level(logging.ERROR, logger="django.request")
    # cwd: schemathesis keeps a crash cache (.schemathesis/) in its working directory
    # and replays it; a run inside the repository would depend on the runs before it.
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=TIMEOUT_S, cwd=tmp_path
    )
    output = result.stdout[-6000:] + result.stderr[-2000:]
    if not har_path.exists():
        pytest.fail(f"schemathesis wrote no report:\n{output}")
    har = json.loads(har_path.read_text())
    failures = _server_errors(har)
    assert not failures, _report(failures, caplog.records)
    assert result.returncode == 0, output
    requests = len(har["log"]["entries"])
    print(f"schemathesis sent {requests} requests (seed {SEED}, {EXAMPLES} examples)")
    assert requests >= MIN_REQUESTS, result.stdout[-3000:]
