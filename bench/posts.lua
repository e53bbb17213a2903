-- wrk script: each request is a distinct real POST (a check-in, a redemption, a fulfilment).
-- Reads "token path body" lines from the file named by BENNIU_REQUESTS; thread N takes every Nth.
-- With BENNIU_DELAY_MS, each connection waits a random time of that mean (exponential: arrivals
-- at random, not in lockstep) before each request: a paced load, not a saturating one.
local counter = 0
local pace_ms = tonumber(os.getenv("BENNIU_DELAY_MS") or "0")

if pace_ms > 0 then
  function delay()
    return -math.log(1 - math.random()) * pace_ms
  end
end

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  lines_ = {}
  local stride, index = tonumber(os.getenv("BENNIU_THREADS")), 0
  for line in io.lines(os.getenv("BENNIU_REQUESTS")) do
    if index % stride == id then
      local token, path, body = line:match("(%S+) (%S+) (.+)")
      table.insert(lines_, {token, path, body})
    end
    index = index + 1
  end
  next_ = 1
end

function request()
  local line = lines_[next_]
  next_ = next_ % #lines_ + 1
  return wrk.format("POST", line[2],
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. line[1]}, line[3])
end

function done(summary, latency, requests)
  io.write(string.format("BENNIU p50_us=%d p99_us=%d mean_us=%d requests=%d errors_status=%d\n",
    latency:percentile(50), latency:percentile(99), latency.mean, summary.requests, summary.errors.status))
end
