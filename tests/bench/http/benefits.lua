-- wrk script for `scripts/bench http`: activations of seeded benefits, or status polls of them.
-- Arguments after `--`: MODE (activate | poll | health), IDS_FILE (seed_data's output: the admin token,
-- then one benefit id per line), THREADS (wrk's -t, so each thread takes its own share).
-- Activations take each benefit once (a second activation would be refused); a thread whose
-- share is used up stops and is counted as exhausted, since wrk's duration would then include
-- idle time (the caller seeds enough that none is); polls cycle over the share; health asks GET /healthz, the
-- HTTP stack's own ceiling, as the baseline of the same run.
-- done() prints one line for tests/bench/http_bench.sh to read:
--   result requests=N seconds=S rate=R p50_ms=X p99_ms=Y unexpected=U exhausted=E

local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1]
  local thread_count = tonumber(args[3])
  local lines = {}
  for line in io.lines(args[2]) do table.insert(lines, line) end
  token = table.remove(lines, 1)
  ids = {}
  for i = thread_index + 1, #lines, thread_count do table.insert(ids, lines[i]) end
  next_id = 0
  unexpected = 0
  exhausted = 0
end

local activation_body = '{"language":"en-US","os":"x64"}'

function request()
  next_id = next_id + 1
  if mode == "activate" then
    local id = ids[next_id]
    if id == nil then
      exhausted = 1
      wrk.thread:stop()
      id = ids[#ids]  -- the thread stops: this request is not sent
    end
    return wrk.format("POST", "/v1/benefits/" .. id .. "/activate",
                      {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"},
                      activation_body)
  end
  if mode == "health" then return wrk.format("GET", "/healthz") end
  local id = ids[(next_id - 1) % #ids + 1]
  return wrk.format("GET", "/v1/benefits/" .. id, {["Authorization"] = "Bearer " .. token})
end

function response(status, headers, body)
  if status ~= 200 then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local total_unexpected, total_exhausted = 0, 0
  for _, thread in ipairs(threads) do
    total_unexpected = total_unexpected + thread:get("unexpected")
    total_exhausted = total_exhausted + thread:get("exhausted")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("result requests=%d seconds=%.2f rate=%.0f p50_ms=%.2f p99_ms=%.2f unexpected=%d exhausted=%d\n",
                         summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000, total_unexpected, total_exhausted))
end
