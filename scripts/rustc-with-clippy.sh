#!/usr/bin/env bash
# The compiler scripts/test.sh gives the workspace's own crates (cargo's
# RUSTC_WORKSPACE_WRAPPER; dependencies never pass through here). clippy-driver is rustc with
# Clippy's lints added, so one build both lints every target and produces the test binaries:
# `cargo clippy` would check every dependency a second time, which on two cores costs as much
# as a third of the whole run. Warnings are errors, as with `cargo clippy -- -D warnings`.
# Cargo calls it as: rustc-with-clippy.sh /path/to/rustc <rustc arguments>.
set -euo pipefail

if ! command -v clippy-driver >/dev/null 2>&1; then
    echo "error: clippy-driver not found; install Clippy with 'rustup component add clippy'" >&2
    exit 1
fi
exec clippy-driver "$@" -D warnings
