"""Schemathesis drives the whole API from its OpenAPI schema: no request may get a 5xx."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from builder.documents import actions
from tests.documents.conftest import make_user, sample_document

MIN_REQUESTS = 1000


def test_generated_requests_never_get_a_server_error(live_server, transactional_db, tmp_path):
    owner = make_user("fuzz-owner")
    project = actions.create_project(owner, "Fuzz")
    architecture = actions.create_architecture(owner, project, "orders", sample_document())
    actions.save_version(owner, architecture, "v1")
    _token, key = actions.create_token(owner, "schemathesis")
    har = tmp_path / "requests.har"
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            f"{live_server.url}/api/schema/",
            "--header",
            f"Authorization: Token {key}",
            "--checks",
            "not_a_server_error",
            # Revoking its own token would turn the rest of the run into 401s.
            "--exclude-operation-id",
            "api_tokens_destroy",
            "--max-examples",
            "20",
            "--max-time",
            "110",
            "--seed",
            "20240601",
            "--workers",
            "1",
            "--no-shrink",
            "--report",
            "har",
            "--report-har-path",
            str(har),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    requests = len(json.loads(har.read_text())["log"]["entries"])
    print(f"schemathesis sent {requests} requests")
    assert requests >= MIN_REQUESTS, result.stdout[-3000:]
