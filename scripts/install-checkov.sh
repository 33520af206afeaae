#!/usr/bin/env sh
# Checkov gets a virtualenv of its own: its bc-python-hcl2 dependency overwrites the
# `hcl2` package python-hcl2 provides, and it pins old boto3/urllib3. Tests call it as
# a subprocess from here. Idempotent: an existing venv with the pinned version is kept.
set -eu
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/.checkov-venv"
VERSION="3.3.30"

if [ -x "$VENV/bin/checkov" ] && "$VENV/bin/checkov" --version 2>/dev/null | grep -qx "$VERSION"; then
    echo "checkov $VERSION already in $VENV"
    exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "checkov==$VERSION"
echo "checkov $("$VENV/bin/checkov" --version) installed in $VENV"
