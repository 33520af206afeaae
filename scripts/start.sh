#!/usr/bin/env bash
# One command for a new user: install, migrate, create the first admin, then run the
# web server and a Celery worker (embedded mode: SQLite, filesystem broker) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh

var_dir="${CLOUDWRIGHT_VAR_DIR:-var}"
mkdir -p "$var_dir"
# builder/settings.py reads the key from this file when DJANGO_SECRET_KEY is unset, so
# manage.py commands run later find it too.
if [ -z "${DJANGO_SECRET_KEY:-}" ] && [ ! -s "$var_dir/secret_key" ]; then
    (umask 077 && .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))" \
        > "$var_dir/secret_key")
fi
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py ensure_admin

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
# Websocket messages up to 8 MiB reach the app, which answers those over its own limit
# (docs/collaboration.md); daphne's default of 1 MiB would drop the connection instead.
# Each server runs in a session of its own, so a signal to this script's process group
# (Ctrl-C, `kill -- -PGID`, a supervisor) reaches only this script, which stops them in
# order: Celery's pool deadlocks when its children are signalled with it.
setsid .venv/bin/daphne -b "$HOST" -p "$PORT" --websocket-max-message-size 8388608 \
    --websocket-max-frame-size 8388608 builder.asgi:application &
web=$!
setsid .venv/bin/celery -A builder.celery worker --beat --schedule "$var_dir/celerybeat-schedule" \
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
