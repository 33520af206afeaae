#!/usr/bin/env bash
# Install what Cloudwright needs into .venv and build the frontend; safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
    "${PYTHON:-python3}" -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
scripts/install-checkov.sh

# Rebuild the canvas only when its sources changed since the last build.
if [ -f frontend/package.json ]; then
    if [ ! -f frontend/dist/index.html ] \
        || [ -n "$(find frontend/src frontend/package-lock.json frontend/index.html \
                    -newer frontend/dist/index.html -print -quit)" ]; then
        (cd frontend && npm ci --no-audit --no-fund && npm run build)
    fi
fi
