"""Turn domain exceptions into the API's error shape: `{"errors": [{path, message, ...}]}`."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from rest_framework import status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from builder.catalog import DocumentInvalid
from builder.documents.actions import ActionRefused, StaleRevision
from builder.documents.limits import DocumentTooLarge


def errors_response(errors: list[dict], status_code: int, **extra) -> Response:
    return Response({"errors": errors, **extra}, status=status_code)


def document_errors(exc: DocumentInvalid, prefix: str = "/document") -> list[dict]:
    return [{**e.as_dict(), "path": prefix + e.path} for e in exc.errors]


def _flatten(detail, path: str = "") -> list[dict]:
    """DRF's nested `{field: [messages]}` as a flat list of `{path, message}`."""
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            sub = path if key == "non_field_errors" else f"{path}/{key}"
            out.extend(_flatten(value, sub))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [{"path": path, "message": str(item)} for item in detail]
        return [e for index, item in enumerate(detail) for e in _flatten(item, f"{path}/{index}")]
    return [{"path": path, "message": str(detail)}]


def exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        return errors_response(_flatten(exc.detail), exc.status_code)
    if isinstance(exc, ParseError):
        # parsers.UnsafeJSON names the value at fault; a syntax error names the whole body.
        return errors_response(
            [{"path": getattr(exc, "path", ""), "message": str(exc.detail)}], exc.status_code
        )
    if isinstance(exc, DocumentInvalid):
        return errors_response(document_errors(exc), status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DocumentTooLarge):
        return errors_response(
            [{"path": "/document", "message": str(exc)}], status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        )
    if isinstance(exc, RequestDataTooBig):
        return errors_response(
            [{"path": "", "message": "the request body is over the size limit"}],
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, StaleRevision):
        return errors_response(
            [{"path": "/revision", "message": str(exc)}],
            status.HTTP_409_CONFLICT,
            revision=exc.current,
        )
    if isinstance(exc, ActionRefused):
        return errors_response([{"path": exc.field, "message": exc.message}], 400)
    return drf_exception_handler(exc, context)
