-- wrk script: sends the headers given in the environment (BENCH_COOKIE, BENCH_AUTH) and, when
-- done, prints one JSON line with request counts, errors, status classes and latency percentiles.

local cookie = os.getenv("BENCH_COOKIE") or ""
local auth = os.getenv("BENCH_AUTH") or ""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  if cookie ~= "" then wrk.headers["Cookie"] = cookie end
  if auth ~= "" then wrk.headers["Authorization"] = auth end
  wrk.headers["Accept-Encoding"] = "gzip"
  statuses = { s2 = 0, s3 = 0, s4 = 0, s5 = 0 }
end

function response(status, headers, body)
  local class = "s" .. math.floor(status / 100)
  statuses[class] = (statuses[class] or 0) + 1
end

function done(summary, latency, requests)
  local counts = { s2 = 0, s3 = 0, s4 = 0, s5 = 0 }
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    if s then
      for k, v in pairs(s) do counts[k] = (counts[k] or 0) + v end
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"status": {"2xx": %d, "3xx": %d, "4xx": %d, "5xx": %d}, '
      .. '"latency_us": {"mean": %.1f, "max": %d, "p50": %d, "p90": %d, "p95": %d, "p99": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    counts.s2, counts.s3, counts.s4, counts.s5,
    latency.mean, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99)
  ))
end
