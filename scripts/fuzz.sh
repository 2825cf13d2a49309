#!/usr/bin/env bash
# Fuzzes every parser and edge that reads untrusted input, each for a bounded time.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#   SECONDS  time per target (default 30)
#   TARGET   molit_xml applyhome_json bearer_token region_query mcp_request (default: all)
# FUZZ_SANITIZER=address switches AddressSanitizer on (default none: the code is safe Rust,
# and none runs about twice as many inputs). See fuzz/README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../fuzz"

seconds="${1:-30}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=(molit_xml applyhome_json bearer_token region_query mcp_request)
fi
sanitizer="${FUZZ_SANITIZER:-none}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
# cargo fuzz passes compiler flags that are nightly-only; on a stable toolchain
# RUSTC_BOOTSTRAP=1 allows them. A nightly toolchain needs nothing.
export RUSTC_BOOTSTRAP=1

echo "==> building the fuzz targets (sanitizer: $sanitizer)"
cargo fuzz build --sanitizer "$sanitizer"

failed=()
for target in "${targets[@]}"; do
    echo "==> $target for ${seconds}s"
    mkdir -p "corpus/$target"
    # New inputs go to corpus/ (ignored by git); seeds/ is read only. -timeout turns an
    # input that takes over 10 s into a failure: slowness is a bug for these parsers too.
    if ! cargo fuzz run --sanitizer "$sanitizer" "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -max_len=8192 -rss_limit_mb=2048 \
        -print_final_stats=1; then
        failed+=("$target")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "FAILED: ${failed[*]}; the inputs are in fuzz/artifacts/<target>/ (see fuzz/README.md)"
    exit 1
fi
echo "OK: ${targets[*]} ran ${seconds}s each without a failure"
