"""ASGI entry point: HTTP through Django, websockets through Channels.

Websockets authenticate by session cookie or by `?token=<API token>`.
"""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "builder.settings")
django_asgi_app = get_asgi_application()

# Imported after Django is set up: these modules use the ORM.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from builder.catalog import get_catalog  # noqa: E402
from builder.collab.routing import websocket_urlpatterns  # noqa: E402
from builder.documents.relay import JobRelay  # noqa: E402
from builder.documents.ws_auth import TokenAuthMiddleware  # noqa: E402

application = JobRelay(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            "websocket": AllowedHostsOriginValidator(
                AuthMiddlewareStack(TokenAuthMiddleware(URLRouter(websocket_urlpatterns)))
            ),
        }
    )
)

# Load the catalog now and move everything built at start-up (Django, the catalog and
# its schemas) out of the collector's reach: otherwise every full collection rescans it,
# an 80-100 ms pause every few seconds in a busy collaboration room.
get_catalog()
gc.freeze()
