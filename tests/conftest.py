"""Suite-wide rules: which tests run twice, and tests that need servers or a browser.

`make test` runs the suite on the embedded default (SQLite, in-memory channel layer,
filesystem broker), then again with DATABASE_URL / REDIS_URL every test whose outcome
can depend on them: the `services` tests, written for PostgreSQL + Redis, and the
`backend` tests, marked here automatically because they use the database (the channel
layer and the Celery broker are only ever used together with it: rooms and jobs are
rows). Tests that cannot differ run once.

`services` tests need PostgreSQL and Redis; `backend` tests need the servers the
environment names, if any; `browser` tests need Chromium. On a developer machine
without them those tests skip with the reason; with CI=true a missing server is a
failure, so CI can never pass by skipping them.
"""

from __future__ import annotations

import asyncio
import functools
import os
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock
from urllib.parse import urlparse

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers
from django.db import connections
from django.db.backends.utils import CursorWrapper
from django.test import TransactionTestCase

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
SERVERS = (("DATABASE_URL", 5432), ("REDIS_URL", 6379))
# pytest-django's database fixtures (`db`, `transactional_db` and the rest all build on
# `_django_db_helper`), its live server, and the browser tests' server process. Asking
# for one, directly or through another fixture, makes a test `backend`. A new fixture
# that starts a server process on the test database belongs here.
BACKEND_FIXTURES = frozenset({"_django_db_helper", "live_server", "app_server"})


@functools.cache
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
    for name, port in SERVERS:
        url = os.environ.get(name)
        if not url:
            return f"{name} is not set (make test sets it for the services run)"
        problem = _reachable(url, port)
        if problem:
            return f"{name}: {problem}"
    return None


def _backend_problem() -> str | None:
    """Embedded (nothing set) needs no server; a server the environment names must answer."""
    for name, port in SERVERS:
        url = os.environ.get(name)
        if url and urlparse(url).hostname:  # sqlite:///path names no server
            problem = _reachable(url, port)
            if problem:
                return f"{name}: {problem}"
    return None


def _browser_problem() -> str | None:
    if any(os.path.exists(p) for p in CHROMIUM_PATHS) or shutil.which("chromium"):
        return None
    return "Chromium is not installed (apt-get install chromium)"


def uses_backend(item: pytest.Item) -> bool:
    """Whether the test reaches the database (so the second pass must run it)."""
    test_class = getattr(item, "cls", None)
    return (
        item.get_closest_marker("django_db") is not None
        or not BACKEND_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))
        or (test_class is not None and issubclass(test_class, TransactionTestCase))
    )


@pytest.hookimpl(tryfirst=True)  # before `-m` selects on the marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if uses_backend(item):
            item.add_marker(pytest.mark.backend)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup) -> Iterator[None]:
    """pytest-django's test database, and closing the connection async tests leave open.

    Async tests reach the database from asgiref's one sync thread, whose connection
    outlives them; PostgreSQL refuses to drop a database someone is connected to.
    """
    yield
    asyncio.run(sync_to_async(connections.close_all)())


@contextmanager
def refusing_sql(test_id: str) -> Iterator[None]:
    """Fail any SQL run inside, in any thread, naming the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(
            f"{test_id} runs SQL but is not marked `backend`, so the PostgreSQL pass "
            f"skips it: request `db`/`transactional_db` or mark it `django_db` "
            f"(or add its server fixture to BACKEND_FIXTURES in tests/conftest.py)"
        )

    with (
        mock.patch.object(CursorWrapper, "execute", refuse),
        mock.patch.object(CursorWrapper, "executemany", refuse),
    ):
        yield


@pytest.fixture(autouse=True)
def _unmarked_tests_run_no_sql(request) -> Iterator[None]:
    # pytest-django already blocks the database for such tests; this also catches one
    # that unblocks it itself (`django_db_blocker.unblock()`) and so escapes the rule.
    if request.node.get_closest_marker("backend"):
        yield
        return
    with refusing_sql(request.node.nodeid):
        yield


@pytest.fixture(autouse=True)
def _channel_layer_per_test() -> None:
    # pytest-asyncio runs each test on its own event loop, but channels keeps one layer
    # per process, and channels_redis's receive locks bind to the loop that first waited
    # on them: one left locked by a finished test's loop failed or hung the next test's
    # receives. A server process runs one loop, so this is the tests' problem only.
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# tryfirst: a missing server must fail under CI before a test's own skipif can skip it.
@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    checks = {"services": _services_problem, "backend": _backend_problem,
              "browser": _browser_problem}  # fmt: skip
    for marker, check in checks.items():
        if item.get_closest_marker(marker) is None:
            continue
        problem = check()
        if problem is None:
            continue
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"[CI] {marker} test cannot run: {problem}", pytrace=False)
        pytest.skip(f"{marker}: {problem}")
