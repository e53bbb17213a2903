-- wrk script: the ceiling, GET /healthz on the same server.
function done(summary, latency, requests)
  io.write(string.format("BENNIU p50_us=%d p99_us=%d requests=%d errors_status=%d\n",
    latency:percentile(50), latency:percentile(99), summary.requests, summary.errors.status))
end
