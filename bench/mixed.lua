-- wrk script for bench/soak.sh: rotates through a mix of MCP requests and counts every answer
-- by status, plus 200 answers whose tool result is an error, then writes the figures as JSON.
--   SOAK_REQUESTS  file with one request per line: Mcp-Method <TAB> Mcp-Name (`-` for none)
--                  <TAB> JSON body
--   BENCH_TOKEN    bearer token sent with every request
--   BENCH_OUT      where to write the JSON figures

local token = os.getenv("BENCH_TOKEN") or ""
local prepared = {}
local next_index = 0

-- Per-thread counters (globals, so done() can read them with thread:get).
ok, unauthorized, server_errors, other, tool_errors = 0, 0, 0, 0, 0

function init(args)
  for line in io.lines(os.getenv("SOAK_REQUESTS")) do
    local method, name, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {
      ["Content-Type"] = "application/json",
      ["Accept"] = "application/json, text/event-stream",
      ["MCP-Protocol-Version"] = "2026-07-28",
      ["Mcp-Method"] = method,
      ["Authorization"] = "Bearer " .. token,
    }
    if name ~= "-" then
      headers["Mcp-Name"] = name
    end
    prepared[#prepared + 1] = wrk.format("POST", "/mcp", headers, body)
  end
end

function request()
  next_index = next_index % #prepared + 1
  return prepared[next_index]
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    if body and body:find('"isError":true', 1, true) then
      tool_errors = tool_errors + 1
    end
  elseif status == 401 then
    unauthorized = unauthorized + 1
  elseif status >= 500 then
    server_errors = server_errors + 1
  else
    other = other + 1
  end
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local totals = { ok = 0, unauthorized = 0, server_errors = 0, other = 0, tool_errors = 0 }
  for _, thread in ipairs(threads) do
    for key in pairs(totals) do
      totals[key] = totals[key] + thread:get(key)
    end
  end
  local e = summary.errors
  local out = assert(io.open(os.getenv("BENCH_OUT"), "w"))
  out:write(string.format(
    '{"requests":%d,"duration_us":%d,"status_200":%d,"status_401":%d,"status_5xx":%d,' ..
    '"status_other":%d,"tool_errors":%d,"socket_errors":%d,' ..
    '"latency_us":{"p50":%d,"p99":%d,"max":%d}}\n',
    summary.requests, summary.duration, totals.ok, totals.unauthorized, totals.server_errors,
    totals.other, totals.tool_errors, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
  out:close()
end
