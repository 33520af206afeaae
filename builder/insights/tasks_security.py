"""The deep security scan as a job: checkov and cdk-nag on the generated code.

A thin shell over builder.insights.security.deep; the jobs mechanism (builder/documents/
jobs.py) runs it on a Celery worker, records progress and broadcasts it to the room.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings

from builder.catalog import DocumentInvalid
from builder.documents.jobs import JobFailed, Progress, job_runner
from builder.documents.models import Job
from builder.insights.security.deep import deep_scan

DEEP_SCAN = "deep_scan"


def checkov_path() -> Path | None:
    """checkov in its own virtualenv (scripts/install-checkov.sh), or CLOUDWRIGHT_CHECKOV."""
    configured = os.environ.get("CLOUDWRIGHT_CHECKOV")
    path = Path(configured) if configured else settings.BASE_DIR / ".checkov-venv/bin/checkov"
    return path if path.exists() else None


@job_runner(DEEP_SCAN)
def run_deep_scan(job: Job, progress: Progress) -> dict[str, Any]:
    architecture = job.architecture
    if architecture is None:
        raise JobFailed("The architecture was deleted before the scan ran.")
    document = architecture.document
    progress(5, f"Scanning revision {architecture.revision}")
    try:
        result = deep_scan(document, checkov=checkov_path(), progress=progress)
    except DocumentInvalid as exc:
        raise JobFailed(f"The stored document is not valid: {exc.errors[0].message}") from exc
    if len(result["errors"]) == 2:
        raise JobFailed("; ".join(f"{e['tool']}: {e['message']}" for e in result["errors"]))
    return {"revision": architecture.revision, **result}
