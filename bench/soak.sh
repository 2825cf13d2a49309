#!/usr/bin/env bash
# Soak: steady mixed MCP load through the real Caddy in guarded mode, then a verdict.
#
#   bash bench/soak.sh                  # 10 minutes
#   SOAK_SECS=180 bash bench/soak.sh    # shorter
#
# On loopback only; every process stops by itself. Exits non-zero unless, over the soak:
# the service's RSS at the end is within 10% of its RSS after the warm-up, no answer was a
# 5xx or a 401 (every request carries a valid token), every answer was a 200, and no tool
# result was an error. Writes bench/out/soak.json and refreshes the soak section of
# docs/performance.md when bench/run.sh has produced results before.
#
# Knobs (environment): SOAK_SECS (600), SOAK_WARMUP_SECS (30), SOAK_CONNECTIONS (8).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

SOAK_SECS=${SOAK_SECS:-600}
SOAK_WARMUP_SECS=${SOAK_WARMUP_SECS:-30}
SOAK_CONNECTIONS=${SOAK_CONNECTIONS:-8}
SAMPLE_EVERY_SECS=5
LIFETIME=$(( SOAK_SECS + SOAK_WARMUP_SECS + 120 ))
# The token must outlive the soak, or expected expiry would show up as 401s.
TOKEN_TTL=$(( LIFETIME > 3600 ? LIFETIME : 3600 ))
[ "$TOKEN_TTL" -le 86400 ] || die "SOAK_SECS is too long: tokens live at most a day"

trap stop_all EXIT
STARTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)

ensure_tools
build_release
SOAK=$OUT_DIR/soak
rm -rf "$SOAK" "$OUT_DIR/caddy-soak"
mkdir -p "$SOAK"

start_upstream "$LIFETIME"
CLIENT_SECRET=$(new_client_secret)
PORT=$(free_port)
start_service soak oauth "$PORT" "$LIFETIME" OAUTH_TOKEN_TTL="$TOKEN_TTL"
start_caddy soak oauth "$SERVICE_PORT" "$PORT" "$LIFETIME"
TOKEN=$(fetch_token "$PORT")
URL="http://127.0.0.1:$PORT/mcp"

# The mix: one line per request, Mcp-Method <TAB> Mcp-Name (`-` for none) <TAB> body.
REQUESTS=$SOAK/requests.tsv
add() { # METHOD [TOOL ARGUMENTS_JSON]
    printf '%s\t%s\t%s\n' "$1" "${2:--}" "$(mcp_body "$@")" >>"$REQUESTS"
}
add tools/list
add tools/call get_apartment_trades '{"region_code":"11680","year_month":"202503"}'
add tools/call get_apartment_rent '{"region_code":"서울 마포구","year_month":"202503"}'
add tools/call get_officetel_trades '{"region_code":"11650","year_month":"202503"}'
add tools/call get_region_code '{"query":"서울 중구"}'
add tools/call get_current_year_month '{}'
add tools/call calculate_loan_payment '{"principal_manwon":30000,"annual_rate_percent":4.2,"term_months":360}'

# Each request once by hand: a 200 with a successful tool result, or there is no point going on.
while IFS=$'\t' read -r method name body; do
    [ "$name" = - ] && name=""
    answer=$(mcp_post "$URL" "$body" "$method" "$name" "$TOKEN") ||
        die "$method $name through Caddy failed before the soak"
    grep -q '"isError":true' <<<"$answer" && die "$name answered an error before the soak: $answer"
done <"$REQUESTS"

run_mix() { # OUT SECONDS
    BENCH_OUT=$1 BENCH_TOKEN=$TOKEN SOAK_REQUESTS=$REQUESTS \
        wrk -t1 -c"$SOAK_CONNECTIONS" -d"${2}s" --timeout 5s -s "$BENCH_DIR/mixed.lua" "$URL" >/dev/null
}

log "warm-up: ${SOAK_WARMUP_SECS} s"
run_mix "$SOAK/warmup.json" "$SOAK_WARMUP_SECS"
sleep 1
RSS_AFTER_WARMUP=$(rss_kb "$SERVICE_PID" VmRSS)

(
    while :; do
        echo "$(date +%s),$(rss_kb "$SERVICE_PID" VmRSS)"
        sleep "$SAMPLE_EVERY_SECS"
    done
) >"$SOAK/rss.csv" &
STARTED_PIDS+=("$!")

log "soak: ${SOAK_SECS} s at ${SOAK_CONNECTIONS} connections"
run_mix "$SOAK/soak.json" "$SOAK_SECS"
sleep 1
assert_alive "$SERVICE_PID" "$SERVICE_WRAPPER" service "$OUT_DIR/service-soak.err"
RSS_AT_END=$(rss_kb "$SERVICE_PID" VmRSS)
stop_all
sleep 0.5
UPSTREAM_REQUESTS=$(sed -n 's/^UPSTREAM_REQUESTS=//p' "$OUT_DIR/upstream.out")

SOAK_STARTED_AT=$STARTED_AT RSS_AFTER_WARMUP_KB=$RSS_AFTER_WARMUP RSS_AT_END_KB=$RSS_AT_END \
    UPSTREAM_REQUESTS=${UPSTREAM_REQUESTS:-0} SOAK_SECS=$SOAK_SECS SOAK_WARMUP_SECS=$SOAK_WARMUP_SECS \
    SOAK_CONNECTIONS=$SOAK_CONNECTIONS "$PYTHON" "$BENCH_DIR/soak_verdict.py" "$SOAK" "$OUT_DIR/soak.json"

if [ -f "$OUT_DIR/results.json" ]; then
    "$PYTHON" "$BENCH_DIR/report.py" "$OUT_DIR" "$REPO_ROOT" --refresh-soak
fi
"$PYTHON" -c 'import json, sys; sys.exit(0 if json.load(open(sys.argv[1]))["passed"] else 1)' \
    "$OUT_DIR/soak.json" || die "soak FAILED (see $OUT_DIR/soak.json)"
log "soak passed"
