-- wrk script for bench/run.sh: sends one fixed request over and over and writes the figures
-- as JSON. The request comes from the environment so one script serves every scenario:
--   BENCH_BODY    JSON-RPC body; when empty the request is a GET (for /auth)
--   BENCH_METHOD  value of Mcp-Method; BENCH_NAME value of Mcp-Name (optional)
--   BENCH_TOKEN   bearer token (optional)
--   BENCH_OUT     where to write the JSON figures

local body = os.getenv("BENCH_BODY") or ""
local method = os.getenv("BENCH_METHOD") or ""
local name = os.getenv("BENCH_NAME") or ""
local token = os.getenv("BENCH_TOKEN") or ""

if body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json, text/event-stream"
  wrk.headers["MCP-Protocol-Version"] = "2026-07-28"
  wrk.headers["Mcp-Method"] = method
  if name ~= "" then
    wrk.headers["Mcp-Name"] = name
  end
else
  wrk.method = "GET"
end
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("BENCH_OUT"), "w"))
  local e = summary.errors
  out:write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
  out:close()
end
