"""Cost endpoints: stateless estimate, a stored architecture's estimate (JSON, CSV, job)
and the cost difference between two versions.

Members of any role read costs; strangers and anonymous users get 404 / 403 as for
every other architecture endpoint (builder/documents/permissions.py).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from builder.catalog import check_document
from builder.documents import jobs
from builder.documents.api.params import DIFF_PARAMETERS, diff_sides
from builder.documents.api.parsers import UnsafeJSON, check_value
from builder.documents.api.serializers import JobSerializer
from builder.documents.limits import check_size
from builder.documents.permissions import get_architecture
from builder.insights.cost import GrowthInvalid, diff, estimate, known_regions, parse_growth
from builder.insights.cost.render import diff_json, panel_json, to_csv
from builder.insights.tasks_cost import COST_ESTIMATE
from codegen import resolve

# Above this many nodes the stateless estimate runs as a job rather than in the request.
JOB_MIN_NODES = getattr(settings, "COST_JOB_MIN_NODES", 2000)


class CostOptionsSerializer(serializers.Serializer):
    """How to price: region (default the document's), free tier, monthly growth."""

    region = serializers.CharField(required=False, allow_null=True, default=None)
    free_tier = serializers.BooleanField(required=False, default=False)
    growth = serializers.JSONField(required=False, allow_null=True, default=None)

    def validate_region(self, value: str | None) -> str | None:
        if value is not None and value not in known_regions():
            raise serializers.ValidationError(f"unknown AWS region {value!r}")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["growth"] = parse_growth(attrs.get("growth"))
        except GrowthInvalid as exc:
            key = exc.field.partition(".")[2]
            raise serializers.ValidationError(
                {"growth": {key: [exc.message]} if key else [exc.message]}
            ) from None
        return attrs


class EstimateRequestSerializer(CostOptionsSerializer):
    document = serializers.JSONField()
    job = serializers.BooleanField(
        required=False, default=False, help_text="run as a job even for a small document"
    )


class CostQuerySerializer(CostOptionsSerializer):
    """The same options as query parameters: growth as a number or JSON text."""

    def to_internal_value(self, data):
        data = data.dict() if hasattr(data, "dict") else dict(data)
        raw = data.get("growth")
        if isinstance(raw, str) and raw:
            try:
                data["growth"] = json.loads(raw)
                check_value(data["growth"])
            except (ValueError, RecursionError):  # ValueError: also too many digits
                raise serializers.ValidationError(
                    {"growth": ["give a number or a JSON object"]}
                ) from None
            except UnsafeJSON as exc:
                raise serializers.ValidationError({"growth": [str(exc.detail)]}) from None
        return super().to_internal_value(data)


def cost_payload(document: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """The panel JSON for a document (raises DocumentInvalid for an invalid one)."""
    result = estimate(resolve(document), options["region"], options["free_tier"])
    return panel_json(result, options["growth"])


def _options(request) -> dict[str, Any]:
    serializer = CostQuerySerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _job_params(options: dict[str, Any]) -> dict[str, Any]:
    return {k: options[k] for k in ("region", "free_tier", "growth")}


_QUERY_PARAMETERS = [
    OpenApiParameter("region", str, description="AWS region (default: the document's)"),
    OpenApiParameter("free_tier", bool, description="offset the AWS free tier (default off)"),
    OpenApiParameter("growth", str, description='monthly growth: 0.05 or {"*": 0.05, "key": r}'),
]


class EstimateView(generics.GenericAPIView):
    """Estimate a document that need not be stored; big documents run as a job (202)."""

    serializer_class = EstimateRequestSerializer

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 202: JobSerializer})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        document = data["document"]
        check_size(document)
        nodes = document.get("nodes") if isinstance(document, dict) else None
        if data["job"] or (isinstance(nodes, list) and len(nodes) >= JOB_MIN_NODES):
            # A bad document is a 400 now, as below, not a failed job later; the job's
            # params are stored, and PostgreSQL refuses some of what an invalid one holds.
            check_document(document)
            params = {**_job_params(data), "document": document}
            job = jobs.start_job(request.user, COST_ESTIMATE, None, params)
            return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        return Response(cost_payload(document, data))


class ArchitectureEstimateView(generics.GenericAPIView):
    """GET: the stored document's estimate now. POST: the same as a job with progress."""

    serializer_class = CostOptionsSerializer

    @extend_schema(parameters=_QUERY_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request, architecture_id: int):
        architecture = get_architecture(request.user, architecture_id)
        payload = cost_payload(architecture.document, _options(request))
        return Response(
            {"architecture_id": architecture.pk, "revision": architecture.revision, **payload}
        )

    @extend_schema(responses={202: JobSerializer})
    def post(self, request, architecture_id: int):
        architecture = get_architecture(request.user, architecture_id)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = jobs.start_job(
            request.user, COST_ESTIMATE, architecture, _job_params(serializer.validated_data)
        )
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ArchitectureEstimateCsvView(generics.GenericAPIView):
    """The stored document's line items as CSV, for spreadsheets."""

    serializer_class = None

    @extend_schema(parameters=_QUERY_PARAMETERS, responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request, architecture_id: int):
        architecture = get_architecture(request.user, architecture_id)
        options = _options(request)
        result = estimate(resolve(architecture.document), options["region"], options["free_tier"])
        response = HttpResponse(to_csv(result), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="architecture-{architecture.pk}-estimate.csv"'
        )
        return response


class CostDiffView(generics.GenericAPIView):
    """How the monthly cost moves between two versions (or a version and `working`)."""

    serializer_class = None

    @extend_schema(
        parameters=[
            *DIFF_PARAMETERS,
            *_QUERY_PARAMETERS[:2],
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, architecture_id: int):
        architecture = get_architecture(request.user, architecture_id)
        options = _options(request)
        sides = diff_sides(architecture, request.query_params)
        before, after = (
            estimate(resolve(doc), options["region"], options["free_tier"]) for doc in sides
        )
        return Response(diff_json(diff(before, after)))
