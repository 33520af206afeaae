"""Settings come from the environment and fail loudly on bad values."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_settings(
    show: str = "s.DEBUG, s.CELERY_BROKER_URL", **env: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", f"import builder.settings as s; print({show})"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", **env},
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = load_settings(DJANGO_DEBUG="0", CLOUDWRIGHT_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_the_key_make_start_generated_lets_commands_run_without_the_variable(tmp_path):
    """The README's manage.py commands ran into the missing-key error after `make start`,
    which had generated the key into var/ but only exported it to its own processes."""
    (tmp_path / "secret_key").write_text("k" * 50 + "\n")
    result = load_settings("s.SECRET_KEY", DJANGO_DEBUG="0", CLOUDWRIGHT_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "k" * 50


def test_production_starts_with_a_secret_key_on_the_embedded_broker():
    result = load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "filesystem://"]


def test_redis_url_switches_the_broker():
    result = load_settings(DJANGO_DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.stdout.split() == ["True", "redis://127.0.0.1:6379/0"]


@pytest.mark.parametrize(
    ("name", "value"), [("DJANGO_DEBUG", "maybe"), ("CLOUDWRIGHT_JOB_STALE_AFTER_S", "soon")]
)
def test_malformed_values_fail_naming_the_variable(name, value):
    result = load_settings(**{"DJANGO_DEBUG": "1", name: value})
    assert result.returncode != 0
    assert f"{name}={value!r}" in result.stderr
