"""Architectures: the document with its revision guard, history, versions, code and jobs."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from builder.documents import actions, jobs
from builder.documents.api.codegen import generated_code, template_document
from builder.documents.api.params import DIFF_PARAMETERS, diff_sides, whole_number
from builder.documents.api.serializers import (
    ArchitectureCreateSerializer,
    ArchitecturePatchSerializer,
    ArchitectureReplaceSerializer,
    ArchitectureSerializer,
    ArchitectureSummarySerializer,
    ChangeSerializer,
    FilesSerializer,
    GitPushSerializer,
    JobSerializer,
    TargetSerializer,
    VersionCreateSerializer,
    VersionSerializer,
    VersionSummarySerializer,
)
from builder.documents.diff import diff_documents
from builder.documents.exports import check_branch, check_remote_url
from builder.documents.models import Architecture, Change, Role, Version
from builder.documents.permissions import get_architecture, get_project


def etag(architecture: Architecture) -> str:
    return f'"{architecture.revision}"'


def _with_etag(architecture: Architecture, status_code: int = 200) -> Response:
    response = Response(ArchitectureSerializer(architecture).data, status=status_code)
    response["ETag"] = etag(architecture)
    return response


def _if_match_revision(request) -> int | None:
    """The revision named by If-Match; None when absent or `*`; 412 if unreadable."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if whole_number(value) is None:
        raise PreconditionFailed("If-Match must be the ETag from GET (the revision in quotes).")
    return int(value)


class PreconditionFailed(serializers.ValidationError):
    status_code = status.HTTP_412_PRECONDITION_FAILED


def _stale_response(current: Architecture, expected: int, status_code: int) -> Response:
    response = Response(
        {
            "errors": [
                {
                    "path": "/revision",
                    "message": f"the architecture is at revision {current.revision}, "
                    f"not {expected}; reload and apply your change again",
                }
            ],
            "revision": current.revision,
        },
        status=status_code,
    )
    response["ETag"] = etag(current)
    return response


class ArchitectureListView(generics.ListCreateAPIView):
    serializer_class = ArchitectureSummarySerializer
    queryset = Architecture.objects.none()
    search_fields = ["name"]
    ordering_fields = ["id", "name", "created_at", "updated_at"]

    def get_queryset(self):
        project = get_project(self.request.user, self.kwargs["project_id"])
        # Lists omit the document; loading it would parse megabytes of JSON per page.
        return project.architectures.defer("document")

    @extend_schema(request=ArchitectureCreateSerializer, responses={201: ArchitectureSerializer})
    def post(self, request, project_id: int):
        project = get_project(request.user, project_id, Role.EDITOR)
        serializer = ArchitectureCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        document = data.get("document")
        if "template" in data:
            document = {**template_document(data["template"]), "name": data["name"]}
        architecture = actions.create_architecture(request.user, project, data["name"], document)
        return _with_etag(architecture, status.HTTP_201_CREATED)


class ArchitectureDetailView(generics.GenericAPIView):
    serializer_class = ArchitectureSerializer

    def get(self, request, architecture_id: int):
        return _with_etag(get_architecture(request.user, architecture_id))

    def _replace(self, request, architecture: Architecture, data: dict) -> Response:
        header = _if_match_revision(request)
        for expected, status_code in ((header, 412), (data.get("revision"), 409)):
            if expected is not None and expected != architecture.revision:
                return _stale_response(architecture, expected, status_code)
        # The guard is re-checked under the row lock, for a write that lands in between.
        expected = header if header is not None else data.get("revision")
        try:
            architecture = actions.replace_document(
                request.user, architecture, data["document"], expected
            )
        except actions.StaleRevision as exc:
            fresh = Architecture.objects.get(pk=architecture.pk)
            return _stale_response(fresh, exc.expected, 412 if header is not None else 409)
        return _with_etag(architecture)

    @extend_schema(
        request=ArchitectureReplaceSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)],
    )
    def put(self, request, architecture_id: int):
        # The guard needs the revision only; replace_document reads the row under its lock.
        architecture = get_architecture(
            request.user, architecture_id, Role.EDITOR, with_document=False
        )
        serializer = ArchitectureReplaceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._replace(request, architecture, serializer.validated_data)

    @extend_schema(
        request=ArchitecturePatchSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER)],
    )
    def patch(self, request, architecture_id: int):
        architecture = get_architecture(
            request.user, architecture_id, Role.EDITOR, with_document=False
        )
        serializer = ArchitecturePatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "document" in data:
            response = self._replace(request, architecture, data)
            if response.status_code != 200:
                return response
            architecture = Architecture.objects.get(pk=architecture.pk)
        if "name" in data and data["name"] != architecture.name:
            architecture = actions.rename_architecture(request.user, architecture, data["name"])
        return _with_etag(architecture)

    @extend_schema(responses={204: None})
    def delete(self, request, architecture_id: int):
        architecture = get_architecture(request.user, architecture_id, Role.OWNER)
        actions.delete_architecture(request.user, architecture)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChangeListView(generics.ListAPIView):
    """The audit trail and op log; `?since=N` gives the changes after revision N."""

    serializer_class = ChangeSerializer
    queryset = Change.objects.none()
    filterset_fields = ["kind", "user"]
    ordering_fields = ["revision", "created_at"]

    def get_queryset(self):
        architecture = get_architecture(
            self.request.user, self.kwargs["architecture_id"], with_document=False
        )
        changes = architecture.changes.select_related("user").order_by("revision")
        since = self.request.query_params.get("since")
        if since is not None:
            if whole_number(since) is None:
                raise serializers.ValidationError({"since": "since must be a revision number"})
            changes = changes.filter(revision__gt=int(since))
        return changes

    @extend_schema(parameters=[OpenApiParameter("since", int, description="revision")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class VersionListView(generics.ListCreateAPIView):
    serializer_class = VersionSummarySerializer
    queryset = Version.objects.none()
    search_fields = ["name", "message"]
    ordering_fields = ["number", "created_at"]

    def get_queryset(self):
        architecture = get_architecture(
            self.request.user, self.kwargs["architecture_id"], with_document=False
        )
        versions = architecture.versions.select_related("author").order_by("-number")
        return versions.defer("document")  # as for architectures: lists omit it

    @extend_schema(request=VersionCreateSerializer, responses={201: VersionSerializer})
    def post(self, request, architecture_id: int):
        # save_version reads the document under the row lock.
        architecture = get_architecture(
            request.user, architecture_id, Role.EDITOR, with_document=False
        )
        serializer = VersionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = actions.save_version(request.user, architecture, **serializer.validated_data)
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


def _version(user, architecture_id: int, version_id: int, needed: Role = Role.VIEWER) -> Version:
    architecture = get_architecture(user, architecture_id, needed, with_document=False)
    return get_object_or_404(architecture.versions.select_related("author"), pk=version_id)


class VersionDetailView(generics.GenericAPIView):
    serializer_class = VersionSerializer

    def get(self, request, architecture_id: int, version_id: int):
        return Response(VersionSerializer(_version(request.user, architecture_id, version_id)).data)


class VersionRestoreView(generics.GenericAPIView):
    serializer_class = ArchitectureSerializer

    @extend_schema(request=None, responses=ArchitectureSerializer)
    def post(self, request, architecture_id: int, version_id: int):
        version = _version(request.user, architecture_id, version_id, Role.EDITOR)
        return _with_etag(actions.restore_version(request.user, version))


class DiffView(generics.GenericAPIView):
    """Compare two versions, or a version and the working copy (`working`)."""

    serializer_class = None

    @extend_schema(
        parameters=DIFF_PARAMETERS,
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, architecture_id: int):
        # Read only if a side is the working copy.
        architecture = get_architecture(request.user, architecture_id, with_document=False)
        return Response(diff_documents(*diff_sides(architecture, request.query_params)))


class CodeView(generics.GenericAPIView):
    serializer_class = FilesSerializer

    @extend_schema(parameters=[OpenApiParameter("target", str, enum=["terraform", "cdk"])])
    def get(self, request, architecture_id: int):
        architecture = get_architecture(request.user, architecture_id)
        serializer = TargetSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        target = serializer.validated_data["target"]
        return Response(generated_code(architecture.document, target))


class ExportView(generics.GenericAPIView):
    """Start a job that zips the generated repository; poll jobs/{id}/ or watch the socket."""

    serializer_class = TargetSerializer

    @extend_schema(responses={202: JobSerializer})
    def post(self, request, architecture_id: int):
        architecture = get_architecture(request.user, architecture_id, with_document=False)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        params = {**serializer.validated_data, **_version_param(request, architecture)}
        job = jobs.start_job(request.user, "export", architecture, params)
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


def _version_param(request, architecture: Architecture) -> dict:
    version = request.data.get("version") if isinstance(request.data, dict) else None
    if version is None:
        return {}
    if not isinstance(version, int) or not architecture.versions.filter(pk=version).exists():
        raise serializers.ValidationError({"version": "no such version in this architecture"})
    return {"version_id": version}


class GitPushView(generics.GenericAPIView):
    """Start a job that commits the generated repository and pushes it to a git remote."""

    serializer_class = GitPushSerializer

    @extend_schema(responses={202: JobSerializer})
    def post(self, request, architecture_id: int):
        architecture = get_architecture(
            request.user, architecture_id, Role.EDITOR, with_document=False
        )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        params = dict(serializer.validated_data)
        for field, check in (("remote_url", check_remote_url), ("branch", check_branch)):
            try:
                check(params[field])
            except ValueError as exc:
                raise serializers.ValidationError({field: str(exc)}) from None
        params.update(_version_param(request, architecture))
        job = jobs.start_job(request.user, "git_push", architecture, params)
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
