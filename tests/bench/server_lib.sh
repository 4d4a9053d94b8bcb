# Shell helpers for the server benchmarks (sourced by http_bench.sh and data_bench.sh).
# Needs $build (the Release build dir) and $work (a scratch dir, removed by the caller).

server_pid=""
server_port=""
operator_token=bench-operator-token

# start_server DATA_DIR: starts benefitd on DATA_DIR (simulated clock, fsync durability) on a
# free loopback port; returns once it accepts connections, setting server_pid, server_port and
# server_ready_ms (milliseconds from exec to the `listening on` line).
start_server() {
  local data_dir=$1 fifo=$work/server.out
  rm -f "$fifo"
  mkfifo "$fifo"
  local started
  started=$(date +%s%N)
  "$build/adapters/http/benefitd" --data-dir "$data_dir" --listen 127.0.0.1:0 \
    --operator-token "$operator_token" --clock simulated --durability fsync --log-level warn \
    >"$fifo" 2>>"$work/server.log" &
  server_pid=$!
  local line
  exec 9<"$fifo"
  if ! read -r -t 120 line <&9 || [[ $line != "listening on "* ]]; then
    echo "benefitd did not start; its log:" >&2
    cat "$work/server.log" >&2
    return 1
  fi
  server_ready_ms=$((($(date +%s%N) - started) / 1000000))
  server_port=${line##*:}
}

# stop_server: SIGTERM, and waits for the graceful exit.
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  exec 9<&- || true
  server_pid=""
}

# settle_server: waits until the server is idle (under 5% of a core for a second: RocksDB done
# flushing and compacting what came before), at most 300 s, so that a workload does not pay for
# the background work of the one before it (or of the seeder). Sets settled_s to the seconds
# waited.
settle_server() {
  local ticks_per_s before after waited=0
  ticks_per_s=$(getconf CLK_TCK)
  before=$(server_cpu_ticks)
  while [ $waited -lt 300 ]; do
    sleep 1
    waited=$((waited + 1))
    after=$(server_cpu_ticks)
    [ $(((after - before) * 100)) -lt $((ticks_per_s * 5)) ] && break
    before=$after
  done
  settled_s=$waited
}

# server_cpu_ticks: the server's user and system time so far, in clock ticks. Fails, with the
# server's log, when the server is gone.
server_cpu_ticks() {
  local stat
  if ! stat=$(cat "/proc/$server_pid/stat" 2>/dev/null); then
    echo "benefitd (pid $server_pid) exited while the benchmark ran; its log:" >&2
    cat "$work/server.log" >&2
    return 1
  fi
  awk '{print $14 + $15}' <<<"$stat"
}

# field NAME LINE: the value of NAME=value in a `result ...` line.
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }
