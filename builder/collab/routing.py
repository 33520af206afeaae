"""Websocket routes; builder/asgi.py mounts them behind session and token authentication."""

from django.urls import path

from builder.collab.consumer import ArchitectureConsumer

websocket_urlpatterns = [
    path("ws/architectures/<int:architecture_id>/", ArchitectureConsumer.as_asgi()),
]
