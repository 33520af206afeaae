#!/usr/bin/env bash
# Run every benchmark under bench/; each prints its own figures.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
shopt -s nullglob
for script in bench/*.py; do
    # docgen.py makes the documents the benchmarks use; it measures nothing itself.
    case "$(basename "$script")" in __init__.py|docgen.py) continue ;; esac
    echo "== $script"
    .venv/bin/python "$script"
done
