-- wrk script for bench/server.py: each request issues a ticket with its own request id, rotating over the
-- device tokens in TOKENS (comma-separated); done() prints the figures as one JSON line for the bench to read.
local tokens = {}
for t in string.gmatch(os.getenv("TOKENS") or "", "[^,]+") do tokens[#tokens + 1] = t end
local counter = 0
-- a fresh prefix per run (Lua's generator starts from the same seed): a repeated request id is a retry, which
-- the server answers from the stored ticket, and the bench would measure retries instead of issues
math.randomseed(os.time() + math.floor(os.clock() * 1e6))
local prefix = string.format("w%07d", math.random(0, 9999999))

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  local body = string.format('{"service_id":"juminhyo","request_id":"%s-%010d"}', prefix, counter)
  -- headers given to wrk.format replace wrk.headers (Host, Content-Type), so pass them all
  local headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Authorization"] = "Bearer " .. token
  return wrk.format(nil, "/api/v1/tickets", headers, body)
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"non_2xx":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
