"""Serve the built single-page app: index.html for every client-side route."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_safe

MISSING_BUILD = """<!doctype html>
<html><head><title>Cloudwright</title></head>
<body><h1>Cloudwright</h1>
<p>The web interface has not been built yet. Run <code>make start</code> (or
<code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>) and reload.</p>
<p>The REST API is up: see <a href="/api/docs/">/api/docs/</a>.</p>
</body></html>
"""


@require_safe
def index(request, path: str = "") -> HttpResponse:
    page = settings.FRONTEND_DIST / "index.html"
    if not page.is_file():
        return HttpResponse(MISSING_BUILD)
    # Read per request: a rebuild must show without restarting; the file is small.
    return HttpResponse(page.read_bytes(), content_type="text/html; charset=utf-8")
