#!/usr/bin/env bash
# Checks a deployment from outside before you connect ChatGPT or Claude:
#
#   scripts/verify.sh https://your-domain.ddns.net/mcp
#   scripts/verify.sh https://your-domain.ddns.net/mcp --token "$TOKEN" --register-client
#
# A thin wrapper over `real-estate-mcp verify` (see `real-estate-mcp verify --help` for the
# options). It uses, in this order: the program on PATH, Docker (the compose image, run in a
# throwaway container on the stack's network), or a build from this checkout with cargo.
# In the container `localhost` is the container itself, so a loopback URL is checked through
# the `caddy` container with the URL's host name kept (--connect-to caddy). A token in the
# MCP_TOKEN variable is passed on by name. Exit status 0 means every check passed.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi

if command -v real-estate-mcp >/dev/null 2>&1; then
    exec real-estate-mcp verify "$@"
fi

cd "$(dirname "$0")/.."

if command -v docker >/dev/null 2>&1; then
    detour=()
    case "$1" in
        *://localhost | *://localhost[:/]* | *://127.* | *://\[::1\]*) detour=(--connect-to caddy) ;;
    esac
    case " $* " in *" --connect-to"*) detour=() ;; esac
    pass=()
    for name in MCP_TOKEN VERIFY_TOKEN; do
        if [ -n "${!name:-}" ]; then pass+=(-e "$name"); fi
    done
    exec docker compose run --rm --no-deps -T ${pass[@]+"${pass[@]}"} mcp verify "$@" \
        ${detour[@]+"${detour[@]}"}
fi

if command -v cargo >/dev/null 2>&1; then
    exec cargo run --quiet --release --package real-estate-mcp -- verify "$@"
fi

echo "error: found neither real-estate-mcp, docker, nor cargo." >&2
echo "Install Docker (docs/setup-docker.md), or Rust from https://rustup.rs." >&2
exit 1
