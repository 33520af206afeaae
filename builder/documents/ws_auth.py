"""Websocket authentication by API token: `/ws/...?token=<key>`.

Browsers use their session cookie (AuthMiddlewareStack); scripts and tests that hold a
token pass it in the query string, since a websocket cannot set headers.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware

from builder.documents.api.auth import user_for_key


class TokenAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        query = parse_qs(scope.get("query_string", b"").decode(errors="replace"))
        keys = query.get("token")
        if keys:
            user = await database_sync_to_async(user_for_key)(keys[0])
            if user is not None:
                scope = {**scope, "user": user}
        return await super().__call__(scope, receive, send)
