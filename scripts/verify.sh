#!/usr/bin/env bash
# Checks a deployment from outside before you connect ChatGPT or Claude:
#
#   scripts/verify.sh https://your-domain.ddns.net/mcp
#   VERIFY_TOKEN="$TOKEN" scripts/verify.sh https://your-domain.ddns.net/mcp --register-client
#
# A thin wrapper over `real-estate-mcp verify` (see `real-estate-mcp verify --help` for the
# options). It uses, in this order: the program on PATH, Docker (the compose image, run in a
# throwaway container on the stack's network), or a build from this checkout with cargo.
# In the container `localhost` is the container itself, so a loopback URL is checked through
# the `caddy` container with the URL's host name kept (--connect-to caddy). A token in the
# VERIFY_TOKEN variable is passed on by name. It also checks this checkout's .env (the access
# list, values that cannot work). Exit status 0 means every check passed.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
# The deployment's settings, read by verify itself (inside the container they are its
# environment already).
env_file=()
if [ -f "$root/.env" ]; then
    env_file=(--env-file "$root/.env")
fi

if command -v real-estate-mcp >/dev/null 2>&1; then
    exec real-estate-mcp verify ${env_file[@]+"${env_file[@]}"} "$@"
fi

cd "$root"

if command -v docker >/dev/null 2>&1; then
    detour=()
    case "$1" in
        *://localhost | *://localhost[:/]* | *://127.* | *://\[::1\]*) detour=(--connect-to caddy) ;;
    esac
    case " $* " in *" --connect-to"*) detour=() ;; esac
    # `-e VERIFY_TOKEN` (by name only) hands the container the token from this shell; the
    # container reads the deployment's settings from its own environment.
    pass=()
    if [ -n "${VERIFY_TOKEN:-}" ]; then pass+=(-e VERIFY_TOKEN); fi
    exec docker compose run --rm --no-deps -T ${pass[@]+"${pass[@]}"} mcp verify "$@" \
        ${detour[@]+"${detour[@]}"}
fi

if command -v cargo >/dev/null 2>&1; then
    exec cargo run --quiet --release --package real-estate-mcp -- verify \
        ${env_file[@]+"${env_file[@]}"} "$@"
fi

echo "error: found neither real-estate-mcp, docker, nor cargo." >&2
echo "Install Docker (docs/setup-docker.md), or Rust from https://rustup.rs." >&2
exit 1
