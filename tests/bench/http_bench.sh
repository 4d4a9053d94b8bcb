#!/usr/bin/env bash
# scripts/bench http: benefitd over HTTP under wrk (keep-alive, 64 connections), durable (fsync).
#   1. GET /healthz: the HTTP stack's ceiling, the baseline of the same run;
#   2. POST /v1/benefits/{id}/activate on seeded software and cloud benefits: each a durable
#      command (decide, four events, fsync, reply), each benefit activated once;
#   3. GET /v1/benefits/{id}: status polls of the same benefits, from the views.
# Each starts once the server is idle again (settle_server).
# Usage: tests/bench/http_bench.sh BUILD_DIR [--quick]
set -euo pipefail
build=$(realpath "$1")
quick=${2:-}
here=$(dirname "$(realpath "$0")")
work=$(mktemp -d)
source "$here/server_lib.sh"
trap 'stop_server; rm -rf "$work"' EXIT

# Four benefits per package to activate: enough for 12,000 (quick) or 16,000 (full)
# activations per second, so that no wrk thread runs out during its run.
if [ "$quick" = --quick ]; then packages=10000 seconds=3; else packages=80000 seconds=20; fi
connections=64 threads=2

"$build/tests/bench/seed_data" --data-dir "$work/data" --ids-out "$work/ids.txt" --packages "$packages"
start_server "$work/data"
url=http://127.0.0.1:$server_port

run_wrk() {  # MODE SECONDS
  wrk -t "$threads" -c "$connections" -d "${2}s" --timeout 10s -s "$here/http/benefits.lua" "$url" \
    -- "$1" "$work/ids.txt" "$threads" | grep '^result '
}

# Each workload starts on a settled store: none pays for the RocksDB compactions of what the
# seeder or the workload before it wrote (profiled in its first seconds, a server just started
# on a fresh seed spent 37% of its samples compacting what the seeder left).
settle_server; settled=("$settled_s")
health=$(run_wrk health "$seconds")
settle_server; settled+=("$settled_s")
activate=$(run_wrk activate "$seconds")
if [ "$(field exhausted "$activate")" != 0 ]; then
  echo "http_bench: the seeded benefits ran out during the activation run; seed more packages" >&2
  exit 1
fi
settle_server; settled+=("$settled_s")
poll=$(run_wrk poll "$seconds")
stop_server

health_rate=$(field rate "$health")
printf '%-34s %10s %9s %9s %11s %12s\n' "workload ($connections connections)" "requests/s" "p50 ms" "p99 ms" "not 200" "vs healthz"
for row in "GET /healthz (baseline):$health" "POST activate (durable):$activate" "GET benefit (poll):$poll"; do
  name=${row%%:result*} result=${row#*:}
  rate=$(field rate "$result")
  printf '%-34s %10s %9s %9s %11s %12s\n' "$name" "$rate" "$(field p50_ms "$result")" \
    "$(field p99_ms "$result")" "$(field unexpected "$result")" "$(awk -v a="$rate" -v b="$health_rate" 'BEGIN{printf "%.2f", a/b}')"
done
echo "activations: $(field requests "$activate") in $(field seconds "$activate") s, each on its own benefit"
echo "waited for the server to settle before each workload: ${settled[*]} s"
