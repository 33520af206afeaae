"""Endpoints that read no stored data: catalog, templates, validation and preview."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from builder.catalog import get_catalog, validate_document
from builder.documents.api.codegen import generated_code, list_templates
from builder.documents.api.serializers import (
    DocumentInputSerializer,
    FilesSerializer,
    PreviewSerializer,
    ValidationResultSerializer,
)
from builder.documents.limits import check_size


class CatalogView(generics.GenericAPIView):
    """Component types with their props JSON Schemas, and the edge rules."""

    permission_classes = [AllowAny]
    serializer_class = None

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(get_catalog().to_json())


class TemplateListView(generics.GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = None

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(list_templates())


class ValidateView(generics.GenericAPIView):
    """Check a document; 200 with `valid` and every error (none when valid)."""

    serializer_class = DocumentInputSerializer

    @extend_schema(responses=ValidationResultSerializer)
    def post(self, request):
        body_size = len(request.body)  # read before request.data consumes the stream
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = serializer.validated_data["document"]
        check_size(document, source_bytes=body_size)
        errors = [e.as_dict() for e in validate_document(document)]
        return Response({"valid": not errors, "errors": errors})


class PreviewView(generics.GenericAPIView):
    """Generated files for a document that need not be stored."""

    serializer_class = PreviewSerializer

    @extend_schema(responses=FilesSerializer)
    def post(self, request):
        body_size = len(request.body)  # read before request.data consumes the stream
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        check_size(data["document"], source_bytes=body_size)
        return Response(generated_code(data["document"], data["target"]))
