"""Jobs: one row per long-running piece of work, run by a Celery worker.

`start_job` creates the row and queues the task on commit. A runner registered with
`@job_runner(kind)` does the work, reporting progress through `Progress`; each report
writes the row (state, percentage, message, heartbeat) and broadcasts it to the
architecture's room. A runner raises `JobFailed` for a failure the user can act on; any
other exception is retried a bounded number of times. `sweep_stale_jobs` fails jobs
whose worker stopped sending heartbeats.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from builder.collab.groups import broadcast
from builder.documents.models import Architecture, Job, JobState

log = logging.getLogger(__name__)

# Params a runner needs but nobody should read back; dropped when the job finishes.
SECRET_PARAMS = ("password",)


class JobFailed(Exception):
    """A failure the user can understand; no retry. The message is shown as is."""


class RetryLater(Exception):
    """The attempt failed for a reason that may pass; the task retries after a delay."""

    def __init__(self, attempts: int):
        super().__init__(f"attempt {attempts} failed")
        self.attempts = attempts


Runner = Callable[[Job, "Progress"], dict[str, Any]]
RUNNERS: dict[str, Runner] = {}


def job_runner(kind: str) -> Callable[[Runner], Runner]:
    """Register the function that runs jobs of `kind`; it returns the job's result."""

    def register(func: Runner) -> Runner:
        if kind in RUNNERS:
            raise ValueError(f"job kind {kind!r} is registered twice")
        RUNNERS[kind] = func
        return func

    return register


def job_payload(job: Job) -> dict[str, Any]:
    """The job as the API and the websocket show it (plain JSON types)."""
    from builder.documents.api.serializers import JobSerializer

    return json.loads(json.dumps(JobSerializer(job).data, cls=JSONEncoder))


def broadcast_job(job: Job) -> None:
    if job.architecture_id is None:
        return
    event = {"type": "job", "job": job_payload(job)}
    architecture_id = job.architecture_id
    transaction.on_commit(lambda: broadcast(architecture_id, event))


def start_job(user, kind: str, architecture: Architecture | None, params: dict[str, Any]) -> Job:
    """Create the job row and queue its task once the row is committed."""
    from builder.documents.tasks import run_job_task

    if kind not in RUNNERS:
        raise ValueError(f"unknown job kind {kind!r}")
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            architecture=architecture,
            started_by=user,
            params=params,
            message="Waiting for a worker",
        )
        broadcast_job(job)
        transaction.on_commit(lambda: run_job_task.delay(job.pk))
    return job


class Progress:
    """What a runner calls to report how far it got; also the heartbeat."""

    def __init__(self, job: Job):
        self.job = job

    def __call__(self, percent: int, message: str) -> None:
        job = self.job
        job.progress = max(0, min(100, int(percent)))
        job.message = message[:256]
        job.heartbeat_at = timezone.now()
        with transaction.atomic():
            job.save(update_fields=["progress", "message", "heartbeat_at", "updated_at"])
            broadcast_job(job)


def _finish(job: Job, state: JobState, **fields: Any) -> None:
    job.state = state
    job.finished_at = timezone.now()
    job.params = {k: v for k, v in job.params.items() if k not in SECRET_PARAMS}
    for key, value in fields.items():
        setattr(job, key, value)
    with transaction.atomic():
        job.save()
        broadcast_job(job)


def _claim(job_id: int) -> Job | None:
    """Mark the job running for one more attempt; None if it is gone or finished."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        now = timezone.now()
        job.state = JobState.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or now
        job.heartbeat_at = now
        job.message = "Started"
        job.save()
        broadcast_job(job)
    return job


def run_job(job_id: int) -> None:
    """Run one attempt of the job. Idempotent: a finished job is left as it is.

    Raises RetryLater when an unexpected error may pass and attempts remain.
    """
    job = _claim(job_id)
    if job is None:
        return
    try:
        result = RUNNERS[job.kind](job, Progress(job))
    except JobFailed as exc:
        _finish(job, JobState.FAILED, error=str(exc), message="Failed")
    except Exception as exc:
        log.exception("job %s (%s) attempt %s failed", job.pk, job.kind, job.attempts)
        if job.attempts < settings.JOB_MAX_ATTEMPTS:
            job.state = JobState.QUEUED
            job.message = f"Attempt {job.attempts} failed; retrying"
            job.save(update_fields=["state", "message", "updated_at"])
            raise RetryLater(job.attempts) from exc
        _finish(
            job,
            JobState.FAILED,
            error=f"The job failed after {job.attempts} attempts: {exc or type(exc).__name__}",
            message="Failed",
        )
    else:
        _finish(job, JobState.SUCCEEDED, result=result, progress=100, message="Done")


def sweep_stale_jobs() -> int:
    """Fail running jobs whose worker stopped sending heartbeats; return how many."""
    cutoff = timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER_S)
    stale = Job.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=cutoff)
    count = 0
    for job in stale:
        _finish(
            job,
            JobState.FAILED,
            error="The worker running this job stopped responding. Start the job again.",
            message="Failed",
        )
        count += 1
    return count
