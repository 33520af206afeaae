"""Token authentication for integrations: `Authorization: Token <key>`."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from builder.documents.actions import hash_key
from builder.documents.models import ApiToken

KEYWORD = "Token"


def user_for_key(key: str):
    """The active user owning `key`, or None; records when the token was last used."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Give the header as 'Authorization: Token <key>'.")
        try:
            key = parts[1].decode()
        except UnicodeDecodeError:
            raise AuthenticationFailed("The token holds invalid characters.") from None
        user = user_for_key(key)
        if user is None:
            raise AuthenticationFailed("Invalid or revoked token.")
        return (user, None)

    def authenticate_header(self, request) -> str:
        return KEYWORD


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`; create keys at /api/tokens/.",
        }
