-- wrk script: each request is a real QR check-in by a distinct volunteer and activity.
-- Reads "token code" lines from the file named by BENNIU_PAIRS; thread N takes every Nth.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  pairs_ = {}
  local stride, index = tonumber(os.getenv("BENNIU_THREADS")), 0
  for line in io.lines(os.getenv("BENNIU_PAIRS")) do
    if index % stride == id then
      local token, code = line:match("(%S+) (%S+)")
      table.insert(pairs_, {token, code})
    end
    index = index + 1
  end
  next_ = 1
end

function request()
  local pair = pairs_[next_]
  next_ = next_ % #pairs_ + 1
  return wrk.format("POST", "/api/v1/checkins",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. pair[1]},
    '{"code": "' .. pair[2] .. '"}')
end

function done(summary, latency, requests)
  io.write(string.format("BENNIU p50_us=%d p99_us=%d requests=%d errors_status=%d\n",
    latency:percentile(50), latency:percentile(99), summary.requests, summary.errors.status))
end
