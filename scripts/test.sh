#!/usr/bin/env bash
# The whole suite: lint, formatting, migrations, the canvas's unit tests, tests on the
# embedded default, then on PostgreSQL + Redis every test that uses the database (marked
# `backend` automatically, tests/conftest.py) and the `services` tests. Under CI=true
# missing servers fail.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh

.venv/bin/ruff check .
.venv/bin/ruff format --check .
DJANGO_DEBUG=1 .venv/bin/python manage.py makemigrations --check --dry-run

(cd frontend && npx vitest run)
env -u DATABASE_URL -u REDIS_URL .venv/bin/pytest -m "not services" "$@"

DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}" \
REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/0}" \
    .venv/bin/pytest -m "services or backend" "$@"
