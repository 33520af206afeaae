#!/usr/bin/env bash
# One command for a new user: install, migrate, create the first admin, then run the
# web server and a Celery worker (embedded mode: SQLite, filesystem broker) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh

mkdir -p var
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
    [ -s var/secret_key ] || .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
    DJANGO_SECRET_KEY="$(cat var/secret_key)"
    export DJANGO_SECRET_KEY
fi
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py ensure_admin

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
.venv/bin/daphne -b "$HOST" -p "$PORT" builder.asgi:application &
web=$!
.venv/bin/celery -A builder.celery worker --beat --schedule var/celerybeat-schedule \
    --concurrency 2 --loglevel INFO &
worker=$!

stop() {
    trap - INT TERM EXIT
    kill -TERM "$web" "$worker" 2>/dev/null || true
    wait "$web" "$worker" 2>/dev/null || true
}
trap stop INT TERM EXIT
echo "Cloudwright is running on http://$HOST:$PORT/ (Ctrl-C stops it)"
# When either process exits, stop the other one too.
wait -n "$web" "$worker"
