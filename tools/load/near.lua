-- wrk script for shanyu's load benchmark (scripts/load): nearest-10 searches
-- from random points of the sample county (seeded, so runs repeat), and one
-- machine-readable line at the end.
local path = os.getenv("LOAD_PATH")
math.randomseed(7)

request = function()
  if path ~= nil and path ~= "" then
    return wrk.format("GET", path)
  end
  local lon = 118.9 + math.random() * 0.4
  local lat = 27.45 + math.random() * 0.35
  return wrk.format("GET", string.format("/api/v1/facilities?near=%.5f,%.5f&limit=10", lon, lat))
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT rps=%.0f p50_ms=%.3f p99_ms=%.3f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests, errors))
end
