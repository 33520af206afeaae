"""Celery tasks: thin shells over jobs.py that take ids."""

from __future__ import annotations

from builder.celery import app
from builder.documents import jobs


@app.task(bind=True, name="builder.documents.tasks.run_job", max_retries=None)
def run_job_task(self, job_id: int) -> None:
    try:
        jobs.run_job(job_id)
    except jobs.RetryLater as exc:
        # Bounded by JOB_MAX_ATTEMPTS in run_job; back off 2, 4, 8... seconds.
        raise self.retry(countdown=2**exc.attempts, exc=exc) from exc


@app.task(name="builder.documents.tasks.sweep_jobs")
def sweep_jobs() -> int:
    return jobs.sweep_stale_jobs()
