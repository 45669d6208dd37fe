-- wrk prints p50/75/90/99 with --latency; this adds the p95 the budgets are stated in
done = function(summary, latency, requests)
  io.write(string.format("p95 %.3fms\n", latency:percentile(95) / 1000))
end
