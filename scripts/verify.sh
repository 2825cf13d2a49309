#!/usr/bin/env bash
# Checks a deployment from outside before you connect ChatGPT or Claude:
#
#   scripts/verify.sh https://your-domain.ddns.net/mcp
#   VERIFY_TOKEN="$TOKEN" scripts/verify.sh https://your-domain.ddns.net/mcp --register-client
#
# A thin wrapper over `real-estate-mcp verify` (see `real-estate-mcp verify --help` for the
# options). It uses, in this order: the program on PATH, the compose image (run in a throwaway
# container), or a build from this checkout with cargo. It also checks this checkout's .env
# (the access list, values that cannot work). Exit status 0 means every check passed.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
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

if command -v docker >/dev/null 2>&1 && docker image inspect real-estate-mcp:local >/dev/null 2>&1; then
    # `-e VERIFY_TOKEN` hands the container the token from this shell, when there is one.
    exec docker compose run --rm --no-deps -T ${VERIFY_TOKEN+-e VERIFY_TOKEN} mcp verify "$@"
fi

if command -v cargo >/dev/null 2>&1; then
    exec cargo run --quiet --release --package real-estate-mcp -- verify \
        ${env_file[@]+"${env_file[@]}"} "$@"
fi

echo "error: found neither real-estate-mcp, a built compose image, nor cargo." >&2
echo "Build the image with \`docker compose build\`, or install Rust from https://rustup.rs." >&2
exit 1
