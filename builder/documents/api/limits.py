"""Refuse request bodies over the document limit before anything reads them."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse


class BodySizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            return JsonResponse(
                {
                    "errors": [
                        {
                            "path": "",
                            "message": f"the request body is {length} bytes; the limit is "
                            f"{self.limit} bytes",
                        }
                    ]
                },
                status=413,
            )
        return self.get_response(request)
