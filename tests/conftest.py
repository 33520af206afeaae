"""Suite-wide rules: tests that need servers or a browser skip locally but FAIL under CI.

`services` tests need PostgreSQL and Redis (DATABASE_URL, REDIS_URL); `browser` tests
need Chromium. On a developer machine without them those tests skip with the reason;
with CI=true a missing server is a failure, so CI can never pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def _reachable(url: str, default_port: int) -> str | None:
    """None when a TCP connection to the URL's host opens; else why not."""
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as exc:
        return f"{host}:{port} is unreachable ({exc})"
    return None


def _services_problem() -> str | None:
    for name, port in (("DATABASE_URL", 5432), ("REDIS_URL", 6379)):
        url = os.environ.get(name)
        if not url:
            return f"{name} is not set (make test sets it for the services run)"
        problem = _reachable(url, port)
        if problem:
            return f"{name}: {problem}"
    return None


def _browser_problem() -> str | None:
    if any(os.path.exists(p) for p in CHROMIUM_PATHS) or shutil.which("chromium"):
        return None
    return "Chromium is not installed (apt-get install chromium)"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_runtest_setup(item: pytest.Item) -> None:
    checks = {"services": _services_problem, "browser": _browser_problem}
    for marker, check in checks.items():
        if item.get_closest_marker(marker) is None:
            continue
        problem = check()
        if problem is None:
            continue
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"[CI] {marker} test cannot run: {problem}", pytrace=False)
        pytest.skip(f"{marker}: {problem}")
