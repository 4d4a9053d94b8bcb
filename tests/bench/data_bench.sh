#!/usr/bin/env bash
# scripts/bench rebuild and scripts/bench restart, on one seeded data dir of at least a million
# events (gold packages: 9 events each).
#   rebuild: `benefitctl projections rebuild` (drop every view, project the whole log again):
#            events/s and peak memory, against `benefitctl audit verify` on the same log in the
#            same run (read, decode and hash every event: the floor for any pass over the log).
#   restart: from exec of benefitd to its `listening on` line (store opened, views caught up,
#            due timers fired), against the same on an empty data dir.
#   export:  `benefitctl audit export` of the whole log, of the seed's partner (through its log
#            index: here every event, the worst case for an index), of a time window that
#            selects nothing and of the log's first minute (the seed moves the clock a minute
#            every 1,000 purchases; each window reads the blocks of the log whose times overlap
#            it: store/log_times.h), to /dev/null, against `audit verify`.
#   All against a raw read of every event's bytes (in order on one thread, and split over every
#   core: no pass can be faster), and the same read decoding each event (log_read_bench), in the
#   same run.
# Usage: tests/bench/data_bench.sh BUILD_DIR [--quick] [--data-dir DIR] [rebuild] [restart] [export]
#   --data-dir DIR: seed DIR the first time, use it as it is after (seeding a million events
#   takes minutes); without it, a temporary dir is seeded and removed.
set -euo pipefail
build=$(realpath "$1")
shift
quick=0 benchmarks=() kept=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --data-dir) kept=$2; shift ;;
    *) benchmarks+=("$1") ;;
  esac
  shift
done
[ ${#benchmarks[@]} -gt 0 ] || benchmarks=(rebuild restart)
here=$(dirname "$(realpath "$0")")
work=$(mktemp -d)
source "$here/server_lib.sh"
trap 'stop_server; rm -rf "$work"' EXIT

if [ $quick -eq 1 ]; then packages=5000; else packages=112000; fi
data=$work/data
[ -z "$kept" ] || data=$kept
if [ -f "$data/seeded.txt" ]; then
  seeded=$(cat "$data/seeded.txt")
else
  # A minute of the simulated clock per 1,000 purchases: the log spans time (112 minutes).
  seeded=$("$build/tests/bench/seed_data" --data-dir "$data" --ids-out "$work/ids.txt" --packages "$packages" \
           --minute-every 1000)
  echo "$seeded" >"$data/seeded.txt"
fi
echo "$seeded"
events=$(sed -n 's/.*(\([0-9]*\) events).*/\1/p' <<<"$seeded")
benefitctl=$build/adapters/cli/benefitctl

timed() {  # COMMAND...: prints "SECONDS PEAK_KIB"
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>>"$work/tools.log"
  cat "$work/time"
}

for benchmark in "${benchmarks[@]}"; do
  case "$benchmark" in
    rebuild)
      "$build/tests/bench/log_read_bench" --data-dir "$data" >"$work/read"
      raw_s=$(awk '/^raw read [0-9]/ {print $(NF-3)}' "$work/read")
      split_s=$(awk '/^raw read on/ {print $(NF-3)}' "$work/read")
      decode_s=$(awk '/^read and decode/ {print $(NF-3)}' "$work/read")
      read -r verify_s verify_kib < <(timed "$benefitctl" audit verify --data-dir "$data")
      read -r rebuild_s rebuild_kib < <(timed "$benefitctl" projections rebuild --data-dir "$data")
      awk -v n="$events" -v raw="$raw_s" -v both="$split_s" -v cores="$(nproc)" -v dec="$decode_s" \
          -v vs="$verify_s" -v vk="$verify_kib" -v rs="$rebuild_s" -v rk="$rebuild_kib" 'BEGIN {
        printf "%-36s %10s %12s %14s\n", "pass over " n " events", "seconds", "events/s", "peak RSS MiB"
        printf "%-36s %10.2f %12.0f %14s\n", "raw read of the bytes, one thread", raw, n / raw, "-"
        printf "%-36s %10.2f %12.0f %14s\n", "raw read on " cores " threads (ceiling)", both, n / both, "-"
        printf "%-36s %10.2f %12.0f %14s\n", "read and decode", dec, n / dec, "-"
        printf "%-36s %10.2f %12.0f %14.0f\n", "audit verify (baseline)", vs, n / vs, vk / 1024
        printf "%-36s %10.2f %12.0f %14.0f\n", "projections rebuild", rs, n / rs, rk / 1024
        printf "rebuild / verify: %.2f, rebuild / raw read: %.3f\n", vs / rs, raw / rs }'
      ;;
    export)
      "$build/tests/bench/log_read_bench" --data-dir "$data" >"$work/read"
      raw_s=$(awk '/^raw read [0-9]/ {print $(NF-3)}' "$work/read")
      read -r verify_s verify_kib < <(timed "$benefitctl" audit verify --quiet --data-dir "$data")
      read -r export_s export_kib < <(timed "$benefitctl" audit export --quiet --data-dir "$data")
      # The seed's one partner: the subject of the log's first event (its registration).
      first_line=$({ "$benefitctl" audit export --quiet --data-dir "$data" || true; } | head -1)
      partner=$(sed -n 's/.*"subject":"partner-\([^"]*\)".*/\1/p' <<<"$first_line")
      # The log's first minute: the seed's first purchases.
      minute_from=$(sed -n 's/.*"time":"\([^"]*\)".*/\1/p' <<<"$first_line")
      minute_to=$(date -u -d "@$(($(date -u -d "$minute_from" +%s) + 59))" +%Y-%m-%dT%H:%M:%SZ)
      read -r partner_s partner_kib < <(timed "$benefitctl" audit export --quiet --data-dir "$data" --partner "$partner")
      read -r window_s window_kib < <(timed "$benefitctl" audit export --quiet --data-dir "$data" \
                                      --from 2100-01-01T00:00:00Z)
      read -r minute_s minute_kib < <(timed "$benefitctl" audit export --quiet --data-dir "$data" \
                                      --from "$minute_from" --to "$minute_to")
      minute_events=$("$benefitctl" audit export --quiet --data-dir "$data" --from "$minute_from" --to "$minute_to" |
                      wc -l)
      awk -v n="$events" -v raw="$raw_s" -v vs="$verify_s" -v vk="$verify_kib" -v es="$export_s" \
          -v ek="$export_kib" -v ps="$partner_s" -v pk="$partner_kib" -v ws="$window_s" -v wk="$window_kib" \
          -v ms="$minute_s" -v mk="$minute_kib" -v mn="$minute_events" 'BEGIN {
        printf "%-36s %10s %12s %14s\n", "pass over " n " events", "seconds", "events/s", "peak RSS MiB"
        printf "%-36s %10.2f %12.0f %14s\n", "raw read of the bytes (ceiling)", raw, n / raw, "-"
        printf "%-36s %10.2f %12.0f %14.0f\n", "audit verify (baseline)", vs, n / vs, vk / 1024
        printf "%-36s %10.2f %12.0f %14.0f\n", "audit export", es, n / es, ek / 1024
        printf "%-36s %10.2f %12.0f %14.0f\n", "audit export --partner (all events)", ps, n / ps, pk / 1024
        printf "%-36s %10.2f %12s %14.0f\n", "audit export --from (selects none)", ws, "-", wk / 1024
        printf "%-36s %10.2f %12.0f %14.0f\n", "audit export, the first minute", ms, mn / ms, mk / 1024
        printf "(the first minute: %d events)\n", mn
        printf "export / verify: %.2f, export / raw read: %.3f\n", vs / es, raw / es }'
      ;;
    restart)
      start_server "$work/empty"
      empty_ms=$server_ready_ms
      stop_server
      start_server "$data"
      full_ms=$server_ready_ms
      stop_server
      printf '%-36s %10s\n' "benefitd start to ready" "ms"
      printf '%-36s %10s\n' "empty data dir (baseline)" "$empty_ms"
      printf '%-36s %10s\n' "$events events" "$full_ms"
      ;;
    *) echo "data_bench: unknown benchmark $benchmark" >&2; exit 2 ;;
  esac
done
