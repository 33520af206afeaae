"""A project in a freshly migrated database, for benchmarks that run Django in a child
process whose environment names an empty database."""

from __future__ import annotations

import os
from typing import Any


def fresh_project(username: str) -> tuple[Any, Any]:
    """Set Django up, migrate, and return a new user and the project it owns."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "builder.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from builder.documents import actions

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user(username)
    return user, actions.create_project(user, "bench")
