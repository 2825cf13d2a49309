#!/usr/bin/env bash
# The one command that runs every check and test: formatting, lints, and the whole test
# suite (unit, integration, stdio, the end-to-end tests with the real Caddy, the official MCP
# SDKs' sign-in against a real OpenID provider, and the MCP conformance suite).
# Usage: scripts/test.sh            (from anywhere inside the repository)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The test tools (Caddy, hadolint, the browser, Redis, Node 24 with the MCP SDKs and the
# conformance suite; see the two scripts) are installed while the Rust build runs: they wait
# on the network, the build on the CPU. Their output is shown once the build is done.
install_log=$(mktemp)
# Job control gives the installs a process group of their own, so a stop (a failed build,
# Ctrl-C) ends pip, apt-get and npm with the script instead of leaving them running.
set -m
(
    # The end-to-end tests run the real Caddy and lint the Dockerfile; install them if missing.
    bash scripts/install-test-tools.sh
    # The interoperability tests drive the official MCP SDKs, oidc-provider and the MCP
    # conformance suite under Node 24 (all pinned, in interop/); install them if missing.
    bash scripts/install-interop-tools.sh
) >"$install_log" 2>&1 &
installs=$!
set +m
trap 'kill -- -"$installs" 2>/dev/null || true; rm -f "$install_log"' EXIT
trap 'exit 130' INT TERM

echo "==> cargo fmt --check"
cargo fmt --all -- --check

# One build lints and compiles every target: the workspace's crates are compiled by Clippy's
# driver with warnings as errors (scripts/rustc-with-clippy.sh), the same checks as
# `cargo clippy --workspace --all-targets -- -D warnings` without checking every dependency
# a second time. The tests below reuse this build, so they must see the same wrapper.
echo "==> build, with Clippy's lints (warnings are errors)"
export RUSTC_WORKSPACE_WRAPPER="$PWD/scripts/rustc-with-clippy.sh"
cargo build --workspace --all-targets --locked

echo "==> test tools"
if ! wait "$installs"; then
    cat "$install_log"
    echo "error: installing the test tools failed (output above)" >&2
    exit 1
fi
cat "$install_log"

echo "==> tests"
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --locked --no-fail-fast
else
    echo "(cargo-nextest not found: using cargo test; install it with 'cargo install cargo-nextest --locked')"
    cargo test --workspace --locked --no-fail-fast
fi
