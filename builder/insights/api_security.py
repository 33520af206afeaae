"""Security endpoints: stateless scan, findings of a stored architecture, suppressions,
applying a fix through the op path, and the deep scan job.

Viewers read findings and suppressions; editors suppress, unsuppress and apply fixes;
strangers get 404 for everything (builder/documents/permissions.py).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from builder.catalog import check_document
from builder.collab.groups import broadcast
from builder.collab.ops import OpRejected
from builder.documents import actions, jobs
from builder.documents.api.serializers import DocumentInputSerializer, JobSerializer
from builder.documents.limits import check_size
from builder.documents.models import Architecture, ChangeKind, Role
from builder.documents.permissions import get_architecture
from builder.insights.models import Suppression
from builder.insights.security import Finding, apply_fix, get_rules, scan, summarize
from builder.insights.tasks_security import DEEP_SCAN
from codegen import resolve

MAX_REASON = 2000


def _findings_payload(findings: list[Finding], **extra: Any) -> dict[str, Any]:
    return {**extra, "summary": summarize(findings), "findings": [f.as_dict() for f in findings]}


def architecture_findings(architecture: Architecture) -> list[Finding]:
    """The stored document's findings, with the architecture's suppressions applied."""
    suppressions = [s.as_engine() for s in architecture.suppressions.select_related("author")]
    return scan(resolve(architecture.document), suppressions)


# Actions ------------------------------------------------------------------------------


@transaction.atomic
def suppress(user, architecture: Architecture, data: dict[str, Any]) -> Suppression:
    existing = architecture.suppressions.filter(
        rule_id=data["rule_id"], node_id=data.get("node_id")
    ).first()
    if existing is not None and existing.is_active():
        message = f"{data['rule_id']} is already suppressed there (suppression {existing.pk})"
        raise serializers.ValidationError({"rule_id": message})
    return Suppression.objects.create(architecture=architecture, author=user, **data)


class FindingGone(Exception):
    """The finding to fix is not (or no longer) in the stored document."""


class NoFix(Exception):
    """The finding's rule offers no automatic fix."""


@transaction.atomic
def apply_finding_fix(
    user, architecture: Architecture, rule_id: str, node_id: str, expected_revision: int | None
) -> tuple[Architecture, Finding]:
    """Apply the open finding's fix as the next revision: a `fix` change, broadcast.

    The finding is looked up again under the row lock, so the fix is computed against
    the document it patches. Raises StaleRevision, FindingGone, NoFix, OpRejected and
    DocumentInvalid; nothing is stored then.
    """
    locked = Architecture.objects.select_for_update().get(pk=architecture.pk)
    if expected_revision is not None and expected_revision != locked.revision:
        raise actions.StaleRevision(locked.revision, expected_revision)
    finding = next(
        (f for f in architecture_findings(locked) if f.rule_id == rule_id and f.node_id == node_id),
        None,
    )
    if finding is None:
        raise FindingGone(
            f"{rule_id} does not apply to {node_id!r} at revision {locked.revision}; "
            "it may be fixed already"
        )
    if not finding.fix:
        raise NoFix(f"{rule_id} offers no automatic fix; see its remediation")
    document = apply_fix(locked.document, finding)
    check_size(document)
    check_document(document)
    change = actions.record_change(
        locked, user, ChangeKind.FIX, document,
        {"rule_id": rule_id, "node_ids": list(finding.node_ids), "ops": finding.fix},
    )  # fmt: skip
    event = actions.snapshot_event(locked, change)
    transaction.on_commit(lambda: broadcast(locked.pk, event))
    return locked, finding


# Serializers --------------------------------------------------------------------------


class SuppressionSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    active = serializers.SerializerMethodField()

    class Meta:
        model = Suppression
        fields = ["id", "rule_id", "node_id", "reason", "author", "created_at", "expires_at",
                  "active"]  # fmt: skip
        read_only_fields = ["id", "author", "created_at", "active"]
        extra_kwargs = {"reason": {"max_length": MAX_REASON, "allow_blank": False}}

    def get_author(self, suppression: Suppression) -> str | None:
        return suppression.author.get_username() if suppression.author else None

    def get_active(self, suppression: Suppression) -> bool:
        return suppression.is_active()

    def validate_rule_id(self, value: str) -> str:
        if value not in {r.id for r in get_rules()}:
            raise serializers.ValidationError(f"no rule {value!r}; see GET /api/security/rules/")
        return value

    def validate_node_id(self, value: str | None) -> str | None:
        architecture = self.context["architecture"]
        if value and value not in {n["id"] for n in architecture.document.get("nodes", [])}:
            raise serializers.ValidationError(f"no node {value!r} in this architecture")
        return value or None

    def validate_expires_at(self, value):
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError("the expiry must be in the future")
        return value


class SuppressionUpdateSerializer(SuppressionSerializer):
    class Meta(SuppressionSerializer.Meta):
        read_only_fields = ["id", "rule_id", "node_id", "author", "created_at", "active"]


class ApplyFixSerializer(serializers.Serializer):
    rule_id = serializers.CharField(max_length=64)
    node_ids = serializers.ListField(
        child=serializers.CharField(max_length=64), min_length=1, max_length=100
    )
    revision = serializers.IntegerField(required=False, min_value=0)


# Views --------------------------------------------------------------------------------


class ScanView(generics.GenericAPIView):
    """Findings of a document that need not be stored (the canvas scans on every edit)."""

    serializer_class = DocumentInputSerializer

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = serializer.validated_data["document"]
        check_size(document)
        return Response(_findings_payload(scan(resolve(document))))


class RuleListView(generics.GenericAPIView):
    """The security rules, for the hints panel and the docs."""

    serializer_class = None

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response({"rules": [r.as_dict() for r in get_rules()]})


class FindingListView(generics.GenericAPIView):
    serializer_class = None

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, architecture_id: int):
        architecture = get_architecture(request.user, architecture_id)
        findings = architecture_findings(architecture)
        return Response(_findings_payload(findings, revision=architecture.revision))


class ApplyFixView(generics.GenericAPIView):
    """Apply the fix of the open finding `rule_id` on `node_ids` as one edit."""

    serializer_class = ApplyFixSerializer

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def post(self, request, architecture_id: int):
        architecture = get_architecture(request.user, architecture_id, Role.EDITOR)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        rule_id, node_ids = data["rule_id"], data["node_ids"]
        if rule_id not in {r.id for r in get_rules()}:
            raise serializers.ValidationError({"rule_id": f"no rule {rule_id!r}"})
        try:
            architecture, finding = apply_finding_fix(
                request.user, architecture, rule_id, node_ids[0], data.get("revision")
            )
        except FindingGone as gone:
            error = {"path": "/node_ids", "node_id": node_ids[0], "message": str(gone)}
            return Response({"errors": [error]}, status=status.HTTP_409_CONFLICT)
        except NoFix as no_fix:
            raise serializers.ValidationError({"rule_id": str(no_fix)}) from None
        except OpRejected as rejected:
            errors = rejected.errors or [{"path": "", "message": rejected.reason}]
            return Response({"errors": errors}, status=status.HTTP_409_CONFLICT)
        return Response(
            _findings_payload(
                architecture_findings(architecture),
                revision=architecture.revision,
                applied=finding.fix,
            )
        )


class SuppressionListView(generics.ListCreateAPIView):
    serializer_class = SuppressionSerializer
    queryset = Suppression.objects.none()
    pagination_class = None

    def get_queryset(self):
        architecture = get_architecture(self.request.user, self.kwargs["architecture_id"])
        return architecture.suppressions.select_related("author")

    def post(self, request, architecture_id: int):
        architecture = get_architecture(request.user, architecture_id, Role.EDITOR)
        serializer = SuppressionSerializer(
            data=request.data, context={"architecture": architecture}
        )
        serializer.is_valid(raise_exception=True)
        suppression = suppress(request.user, architecture, serializer.validated_data)
        return Response(SuppressionSerializer(suppression).data, status=status.HTTP_201_CREATED)


class SuppressionDetailView(generics.GenericAPIView):
    serializer_class = SuppressionUpdateSerializer

    def _get(self, request, architecture_id: int, suppression_id: int, needed: Role):
        architecture = get_architecture(request.user, architecture_id, needed)
        return get_object_or_404(architecture.suppressions, pk=suppression_id)

    def get(self, request, architecture_id: int, suppression_id: int):
        suppression = self._get(request, architecture_id, suppression_id, Role.VIEWER)
        return Response(SuppressionSerializer(suppression).data)

    def patch(self, request, architecture_id: int, suppression_id: int):
        suppression = self._get(request, architecture_id, suppression_id, Role.EDITOR)
        serializer = SuppressionUpdateSerializer(
            suppression, data=request.data, partial=True,
            context={"architecture": suppression.architecture},
        )  # fmt: skip
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(SuppressionSerializer(suppression).data)

    @extend_schema(responses={204: None})
    def delete(self, request, architecture_id: int, suppression_id: int):
        self._get(request, architecture_id, suppression_id, Role.EDITOR).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeepScanView(generics.GenericAPIView):
    """Start checkov and cdk-nag on the generated code; poll jobs/{id}/ or watch the socket."""

    # The request has no body; a serializer still lets OPTIONS describe the POST.
    serializer_class = serializers.Serializer

    @extend_schema(request=None, responses={202: JobSerializer})
    def post(self, request, architecture_id: int):
        architecture = get_architecture(request.user, architecture_id)
        job = jobs.start_job(request.user, DEEP_SCAN, architecture, {})
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
