"""Run Cloudwright for real: build the frontend, migrate a throw-away database and
serve HTTP and websockets with daphne. Used by the browser tests and bench/canvas_open.py.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
from psycopg import sql

from tests import processes

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class CannotRun(RuntimeError):
    """A tool the live server needs (npm, chromium) is missing."""


def _newest_mtime(path: Path) -> float:
    return max((p.stat().st_mtime for p in path.rglob("*") if p.is_file()), default=0.0)


def build_frontend() -> None:
    """Build frontend/dist unless it is newer than every source file."""
    index = FRONTEND / "dist" / "index.html"
    sources = max(_newest_mtime(FRONTEND / "src"), (FRONTEND / "package-lock.json").stat().st_mtime)
    if index.exists() and index.stat().st_mtime >= sources:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise CannotRun("npm is not installed; cannot build the frontend")
    if not (FRONTEND / "node_modules").exists():
        subprocess.run([npm, "ci"], cwd=FRONTEND, check=True)
    subprocess.run([npm, "run", "build"], cwd=FRONTEND, check=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the server did not start listening")


@contextmanager
def _fresh_database(url: str | None) -> Iterator[str | None]:
    """With a PostgreSQL DATABASE_URL, the URL of a new database on that server, dropped
    afterwards; otherwise None (the server makes its SQLite file in its own var dir)."""
    if not url or not url.startswith("postgres"):
        yield None
        return
    parsed = urlparse(url)
    name = f"{parsed.path.lstrip('/') or 'cloudwright'}_live_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunparse(parsed._replace(path="/" + name))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def running_server() -> Iterator[str]:
    """The base URL of a fresh Cloudwright on an empty database: embedded SQLite, or
    PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set (the second test pass)."""
    if not Path(CHROMIUM).exists():
        raise CannotRun(f"{CHROMIUM} is missing (apt-get install chromium)")
    build_frontend()
    with (
        tempfile.TemporaryDirectory(prefix="cloudwright-live-") as var_dir,
        _fresh_database(os.environ.get("DATABASE_URL")) as database_url,
    ):
        env = {
            **os.environ,
            "CLOUDWRIGHT_VAR_DIR": var_dir,
            "DJANGO_SECRET_KEY": "live-" + uuid.uuid4().hex,
            "DJANGO_DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "builder.settings",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT,
                                 env=env, capture_output=True, text=True)  # fmt: skip
        if migrate.returncode:
            raise RuntimeError(f"manage.py migrate failed:\n{migrate.stderr[-3000:]}")
        port = _free_port()
        log_path = Path(var_dir) / "server.log"
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                 "builder.asgi:application"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            try:
                _wait_for_port(port, server)
                yield f"http://127.0.0.1:{port}"
            finally:
                processes.stop(server)
                if os.environ.get("CI"):
                    print(log_path.read_text()[-4000:])
