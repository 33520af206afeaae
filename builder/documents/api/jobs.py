"""Job state and results."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response

from builder.documents.api.serializers import JobSerializer
from builder.documents.models import Job, JobState
from builder.documents.permissions import get_job


class JobListView(generics.ListAPIView):
    """Jobs the user started."""

    serializer_class = JobSerializer
    queryset = Job.objects.none()
    filterset_fields = ["state", "kind", "architecture"]
    ordering_fields = ["id", "created_at"]

    def get_queryset(self):
        jobs = Job.objects.filter(started_by=self.request.user).select_related("started_by")
        # Params are not shown, and a stateless estimate's hold a whole document.
        return jobs.defer("params")


class JobDetailView(generics.GenericAPIView):
    serializer_class = JobSerializer

    def get(self, request, job_id: int):
        return Response(JobSerializer(get_job(request.user, job_id)).data)


class JobDownloadView(generics.GenericAPIView):
    serializer_class = None

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request, job_id: int):
        job = get_job(request.user, job_id)
        if job.state != JobState.SUCCEEDED or not job.result_file:
            raise Http404("This job has no file to download.")
        root = Path(settings.JOB_FILES_DIR).resolve()
        path = (root / job.result_file).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise Http404("The job's file is gone; run the export again.")
        return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
