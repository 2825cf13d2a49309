#!/usr/bin/env bash
# Runs every benchmark and regenerates docs/performance.md and its plots.
#
#   bash bench/run.sh
#
# On loopback only, bounded in time, stops by itself. It builds the release binaries, starts
# the MOLIT stand-in (bench-upstream), the service twice (open; guarded with the built-in
# client credentials) and the real Caddy with caddy/Caddyfile in front of each, warms the
# cache, then drives both with wrk: MCP tools/list and a cached tools/call at several
# concurrency levels, and /auth alone. It samples the services' memory from /proc, runs the
# criterion benches, and writes bench/out/results.json, docs/performance.md and
# docs/img/{throughput,latency}.png.
#
# Knobs (environment):
#   BENCH_SECS         seconds per load run (default 8)
#   BENCH_CONCURRENCY  connection counts (default "1 8 32 64")
#   BENCH_CRITERION    0 skips the criterion benches (default 1)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

BENCH_SECS=${BENCH_SECS:-8}
BENCH_CONCURRENCY=${BENCH_CONCURRENCY:-"1 8 32 64"}
BENCH_CRITERION=${BENCH_CRITERION:-1}
# Every process started here is gone after this long, whatever happens to this script.
LIFETIME=$(( 120 + 20 * BENCH_SECS * $(wc -w <<<"$BENCH_CONCURRENCY") ))

trap stop_all EXIT
# Everything started from here inherits a higher priority, when the system allows it, so
# other work on the machine disturbs the figures less.
renice -n -10 -p $$ >/dev/null 2>&1 || log "could not raise the priority; other work may add noise"
STARTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)

ensure_tools
build_release
RAW=$OUT_DIR/raw
rm -rf "$RAW" "$OUT_DIR"/caddy-*
mkdir -p "$RAW"

# --- the stack -----------------------------------------------------------------------------
start_upstream "$LIFETIME"
CLIENT_SECRET=$(new_client_secret)
declare -A CADDY_PORT SVC_PORT SVC_PID SVC_WRAPPER CADDY_PID_OF
for mode in open guarded; do
    CADDY_PORT[$mode]=$(free_port)
    auth_mode=none
    [ "$mode" = guarded ] && auth_mode=oauth
    start_service "$mode" "$auth_mode" "${CADDY_PORT[$mode]}" "$LIFETIME"
    SVC_PORT[$mode]=$SERVICE_PORT
    SVC_PID[$mode]=$SERVICE_PID
    SVC_WRAPPER[$mode]=$SERVICE_WRAPPER
    start_caddy "$mode" "$auth_mode" "$SERVICE_PORT" "${CADDY_PORT[$mode]}" "$LIFETIME"
    CADDY_PID_OF[$mode]=$CADDY_PID
done
log "stack up: open via :${CADDY_PORT[open]}, guarded via :${CADDY_PORT[guarded]}"
sleep 1
for mode in open guarded; do
    echo "${mode},idle_after_start,$(rss_kb "${SVC_PID[$mode]}" VmRSS)" >>"$RAW/memory.csv"
done

TOKEN=$(fetch_token "${CADDY_PORT[guarded]}")
declare -A TOKEN_FOR=([open]="" [guarded]="$TOKEN")
LIST_BODY=$(mcp_body tools/list)
CALL_ARGS='{"region_code":"11680","year_month":"202503"}'
CALL_BODY=$(mcp_body tools/call get_apartment_trades "$CALL_ARGS")

# --- warm the cache and check the answers are what we mean to measure ---------------------
for mode in open guarded; do
    url="http://127.0.0.1:${CADDY_PORT[$mode]}/mcp"
    token=${TOKEN_FOR[$mode]}
    mcp_post "$url" "$LIST_BODY" tools/list "" "$token" >"$RAW/check-$mode-list.json" ||
        die "tools/list through Caddy ($mode) failed"
    mcp_post "$url" "$CALL_BODY" tools/call get_apartment_trades "$token" >"$RAW/check-$mode-live.json" ||
        die "tools/call through Caddy ($mode) failed"
    mcp_post "$url" "$CALL_BODY" tools/call get_apartment_trades "$token" >"$RAW/check-$mode-cached.json" ||
        die "the second tools/call through Caddy ($mode) failed"
    "$PYTHON" - "$RAW/check-$mode-list.json" "$RAW/check-$mode-live.json" "$RAW/check-$mode-cached.json" <<'PY' ||
import json, sys
tools = json.load(open(sys.argv[1]))["result"]["tools"]
live = json.load(open(sys.argv[2]))["result"]
cached = json.load(open(sys.argv[3]))["result"]
assert len(tools) >= 10, f"only {len(tools)} tools listed"
assert not live.get("isError") and not cached.get("isError"), cached
assert live["structuredContent"]["summary"]["deals_in_month"] == 2350, live["structuredContent"]
assert cached["structuredContent"]["source"]["cached"] is True, cached["structuredContent"]["source"]
PY
        die "the $mode answers are not what the benchmark means to measure (see $RAW/check-$mode-*.json)"
    echo "${mode},idle_after_warmup,$(rss_kb "${SVC_PID[$mode]}" VmRSS)" >>"$RAW/memory.csv"
done
# Without a token the guarded stack must refuse: a benchmark of an open door proves nothing.
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' --data-binary "$LIST_BODY" \
    "http://127.0.0.1:${CADDY_PORT[guarded]}/mcp")
[ "$status" = 401 ] || die "the guarded stack answered $status without a token, expected 401"

# --- load ----------------------------------------------------------------------------------
sample_memory() {
    while :; do
        for mode in open guarded; do
            echo "$(date +%s.%N),$mode,$(rss_kb "${SVC_PID[$mode]}" VmRSS)"
        done
        sleep 0.5
    done >>"$RAW/rss_samples.csv"
}
sample_memory &
SAMPLER=$!
STARTED_PIDS+=("$SAMPLER")

both_ticks() { echo "$(cpu_ticks "${CADDY_PID_OF[$1]}") $(cpu_ticks "${SVC_PID[$1]}")"; }

run_wrk() { # OUT URL CONNECTIONS BODY METHOD NAME TOKEN
    BENCH_OUT=$1 BENCH_BODY=$4 BENCH_METHOD=$5 BENCH_NAME=$6 BENCH_TOKEN=$7 \
        wrk -t1 -c"$3" -d"${BENCH_SECS}s" --timeout 5s -s "$BENCH_DIR/request.lua" "$2" >/dev/null
}

for mode in open guarded; do # connections and code paths warm, not measured
    BENCH_SECS=2 run_wrk "$RAW/warmup-$mode.json" "http://127.0.0.1:${CADDY_PORT[$mode]}/mcp" \
        8 "$CALL_BODY" tools/call get_apartment_trades "${TOKEN_FOR[$mode]}"
done
for c in $BENCH_CONCURRENCY; do
    for mode in open guarded; do # interleaved, so drift in the machine's load hits both
        url="http://127.0.0.1:${CADDY_PORT[$mode]}/mcp"
        log "c=$c $mode: tools/list, tools/call"
        before=$(both_ticks "$mode")
        run_wrk "$RAW/load-$mode-tools_list-c$c.json" "$url" "$c" "$LIST_BODY" tools/list "" "${TOKEN_FOR[$mode]}"
        echo "$before $(both_ticks "$mode")" >"$RAW/cpu-$mode-tools_list-c$c.txt"
        echo "$mode,tools_list,$c,$(rss_kb "${SVC_PID[$mode]}" VmHWM)" >>"$RAW/hwm.csv"
        before=$(both_ticks "$mode")
        run_wrk "$RAW/load-$mode-tools_call-c$c.json" "$url" "$c" "$CALL_BODY" tools/call \
            get_apartment_trades "${TOKEN_FOR[$mode]}"
        echo "$before $(both_ticks "$mode")" >"$RAW/cpu-$mode-tools_call-c$c.txt"
        echo "$mode,tools_call,$c,$(rss_kb "${SVC_PID[$mode]}" VmHWM)" >>"$RAW/hwm.csv"
    done
done
for c in 1 32; do # /auth straight to the service, as Caddy's forward_auth calls it
    log "c=$c /auth alone (cached token)"
    run_wrk "$RAW/auth-c$c.json" "http://127.0.0.1:${SVC_PORT[guarded]}/auth" "$c" "" "" "" "$TOKEN"
done
kill "$SAMPLER" 2>/dev/null || true
for mode in open guarded; do
    assert_alive "${SVC_PID[$mode]}" "${SVC_WRAPPER[$mode]}" "service ($mode)" "$OUT_DIR/service-$mode.err"
done

sleep 5
for mode in open guarded; do
    echo "${mode},idle_after_load,$(rss_kb "${SVC_PID[$mode]}" VmRSS)" >>"$RAW/memory.csv"
    echo "${mode},peak,$(rss_kb "${SVC_PID[$mode]}" VmHWM)" >>"$RAW/memory.csv"
done
stop_all
sleep 0.5
sed -n 's/^UPSTREAM_REQUESTS=//p' "$OUT_DIR/upstream.out" >"$RAW/upstream_requests.txt"

# --- criterion -----------------------------------------------------------------------------
if [ "$BENCH_CRITERION" != 0 ]; then
    log "criterion benches (cargo bench)"
    touch "$RAW/criterion.start"
    cut -d' ' -f1-3 /proc/loadavg >"$RAW/criterion.loadavg"
    (cd "$REPO_ROOT" && cargo bench --quiet -p real-estate-mcp \
        --bench regions --bench molit_parse --bench auth_gate --bench mcp_http --bench cold_month \
        --bench cache_store \
        -- --warm-up-time 1 --measurement-time 3 --noplot) >"$RAW/criterion.log" 2>&1 ||
        die "cargo bench failed; see $RAW/criterion.log"
fi

# --- report --------------------------------------------------------------------------------
log "writing bench/out/results.json, docs/performance.md and docs/img/*.png"
BENCH_STARTED_AT=$STARTED_AT BENCH_LOAD_AT_START=$LOAD_AT_START BENCH_SECS=$BENCH_SECS \
    BENCH_CONCURRENCY=$BENCH_CONCURRENCY CADDY_BIN=$CADDY_BIN \
    "$PYTHON" "$BENCH_DIR/report.py" "$OUT_DIR" "$REPO_ROOT"
