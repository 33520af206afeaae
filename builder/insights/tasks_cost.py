"""The cost estimate and forecast as a job, for big documents (builder/documents/jobs.py).

Thin: resolve, price, forecast, reporting progress between the steps. The result is the
same JSON the synchronous endpoints return.
"""

from __future__ import annotations

from typing import Any

from builder.catalog import DocumentInvalid
from builder.documents.jobs import JobFailed, Progress, job_runner
from builder.documents.models import Job
from builder.insights.cost import estimate
from builder.insights.cost.render import panel_json
from codegen import resolve

COST_ESTIMATE = "cost_estimate"


@job_runner(COST_ESTIMATE)
def run_cost_estimate(job: Job, progress: Progress) -> dict[str, Any]:
    params = job.params
    if "document" in params:
        document, extra = params["document"], {}
    elif job.architecture is not None:
        document = job.architecture.document
        extra = {"architecture_id": job.architecture_id, "revision": job.architecture.revision}
    else:
        raise JobFailed("The architecture was deleted before the estimate ran.")
    progress(10, f"Resolving {len(document.get('nodes', []))} nodes")
    try:
        model = resolve(document)
    except DocumentInvalid as exc:
        raise JobFailed(f"The document is not valid: {exc.errors[0].message}") from exc
    progress(50, "Pricing line items")
    result = estimate(model, params.get("region"), bool(params.get("free_tier")))
    progress(80, "Forecasting 12 months in three scenarios")
    return {**extra, **panel_json(result, params.get("growth") or {})}
