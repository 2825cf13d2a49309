#!/usr/bin/env bash
# Installs the Redis server the shared-store tests start (one per test, on loopback): Debian's
# redis-server package. Called by scripts/install-test-tools.sh. Does nothing when
# redis-server is already on PATH; otherwise needs root (CI runs as root) and apt. Debian ships
# one Redis per release with its security updates, so the version follows the distribution
# (7.0 on Debian 12); the tests need 6.2 or later (SET … NX PX, EXPIREAT, Lua scripts).
set -euo pipefail

MIN_MAJOR=6

if ! command -v redis-server >/dev/null 2>&1; then
    bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" \
        "the shared-store tests need redis-server on PATH" redis-server
    # The package starts a system-wide server where an init system runs; the tests start
    # their own on free ports and need none.
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
        systemctl disable --now redis-server >/dev/null 2>&1 || true
    fi
fi

version=$(redis-server --version | sed -n 's/.* v=\([0-9.]*\).*/\1/p')
if [ "${version%%.*}" -lt "$MIN_MAJOR" ] 2>/dev/null; then
    echo "error: redis-server $version is older than $MIN_MAJOR.0; the tests need $MIN_MAJOR.2 or later" >&2
    exit 1
fi
echo "redis-server: $version"
