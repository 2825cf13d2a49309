#!/usr/bin/env bash
# The one command that runs every check and test: formatting, lints, and the whole test
# suite (unit, integration, stdio, the end-to-end tests with the real Caddy, the official MCP
# SDKs' sign-in against a real OpenID provider, and the MCP conformance suite).
# Usage: scripts/test.sh            (from anywhere inside the repository)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The end-to-end tests run the real Caddy and lint the Dockerfile; install them if missing.
bash scripts/install-test-tools.sh
# The interoperability tests drive the official MCP SDKs, oidc-provider and the MCP
# conformance suite under Node 24 (all pinned, in interop/); install them if missing.
bash scripts/install-interop-tools.sh

echo "==> cargo fmt --check"
cargo fmt --all -- --check

echo "==> cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "==> tests"
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --locked --no-fail-fast
else
    echo "(cargo-nextest not found: using cargo test; install it with 'cargo install cargo-nextest --locked')"
    cargo test --workspace --locked --no-fail-fast
fi
