"""How a URL that names no view answers: in JSON under /api/, and a missing trailing
slash redirected with 308, which keeps the method and body.

Django's 301 made a client that follows redirects (requests, `curl -L`, fetch) turn
`POST /api/projects` into `GET /api/projects/`: it got the list with a 200 and took its
project for created.
"""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.middleware.common import CommonMiddleware
from django.views.defaults import page_not_found


class PermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    status_code = 308


class AppendSlashMiddleware(CommonMiddleware):
    """Django's CommonMiddleware, redirecting to the slashed path with 308, not 301."""

    response_redirect_class = PermanentRedirectKeepingMethod


def not_found(request, exception):
    """handler404: the API's `{"detail"}` shape for API paths, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": f"No API endpoint at {request.path}."}, status=404)
    return page_not_found(request, exception)
