-- mixed.lua - wrk script for bench/api/load.sh: authenticated reads
-- (GET /api/v1/companies/ID) and writes (POST /api/v1/companies), WRITE_PCT
-- percent writes. A response is an error unless it is 2xx. Environment:
-- TB_TOKEN (bearer token), TB_COMPANY_ID, WRITE_PCT (default 20),
-- TB_PATH (set for the peer: plain GETs of that path, no token),
-- TB_READ_PATH (reads of that path instead of /api/v1/companies/ID).
local token = os.getenv("TB_TOKEN")
local company = os.getenv("TB_COMPANY_ID")
local write_pct = tonumber(os.getenv("WRITE_PCT") or "20")
local peer_path = os.getenv("TB_PATH")
local read_path = os.getenv("TB_READ_PATH")
if read_path == "" then read_path = nil end
if peer_path == "" then peer_path = nil end
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  errors, reads, writes, n = 0, 0, 0, 0
  math.randomseed(os.time() * 100 + id)
end

function request()
  n = n + 1
  if peer_path then
    reads = reads + 1
    return wrk.format("GET", peer_path)
  end
  local h = { ["Authorization"] = "Bearer " .. token, ["Host"] = "127.0.0.1" }
  if math.random(100) <= write_pct then
    writes = writes + 1
    h["Content-Type"] = "application/json"
    local body = string.format('{"legal_name":"Load %d-%d-%d AB","country":"SE"}', id, n, math.random(1e9))
    return wrk.format("POST", "/api/v1/companies", h, body)
  end
  reads = reads + 1
  return wrk.format("GET", read_path or ("/api/v1/companies/" .. company), h)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    errors = errors + 1
    if errors <= 3 then io.stderr:write("non-2xx " .. status .. ": " .. string.sub(body or "", 1, 200) .. "\n") end
  end
end

function done(summary, latency, requests)
  local e, r, w = 0, 0, 0
  for _, t in ipairs(threads) do
    e = e + t:get("errors"); r = r + t:get("reads"); w = w + t:get("writes")
  end
  local s = summary.duration / 1e6
  local sock = summary.errors
  io.write(string.format(
    "RESULT requests=%d req_per_s=%.0f reads=%d writes=%d non2xx=%d socket_errors=%d " ..
    "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, summary.requests / s, r, w, e,
    sock.connect + sock.read + sock.write + sock.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
