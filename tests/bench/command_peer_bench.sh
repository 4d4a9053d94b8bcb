#!/usr/bin/env bash
# scripts/bench command-peer: our engine's durable activations against the design a team would
# otherwise build on PostgreSQL 15 (inline projections in the command's transaction, as Marten
# does), with 1, 8 and 64 concurrent callers, in the same run.
# The peer: one transaction per activation with its view row (command_peer_lib.sh). Ours:
# engine_bench, the same software activations (four events on the benefit's stream, a version
# check on its package, the views written in the command's own write), fsync on.
# Usage: tests/bench/command_peer_bench.sh [--quick] BUILD_DIR
set -euo pipefail
here=$(dirname "$(realpath "$0")")  # postgres_lib.sh changes the directory
source "$here/bench_args.sh"
engine_bench=$(bench_program engine_bench)
source "$here/postgres_lib.sh"
source "$here/command_peer_lib.sh"

engine_rate() {  # CALLERS: activations per second through our engine
  local commands=6000
  [ $quick -eq 0 ] || commands=600
  "$engine_bench" --dir "$work/engine" --callers "$1" --commands "$commands" 2>/dev/null |
    awk -v c="$1" '$1 == c { print $2 }' | grep .
}

echo "$(pg_sql -tA -c 'select version()' | cut -d' ' -f1-2), pgbench $seconds s per row;" \
  "$(printf '%s; ' "${settings[@]:3}")wal_sync_method = $(pg_sql -tA -c 'show wal_sync_method')"
printf '%-8s %18s %20s %14s %10s\n' callers "ours activations/s" "postgres activ./s" "ours / peer" "load after"
for callers in 1 8 64; do
  ours=$(engine_rate "$callers")
  peer=$(peer_rate "$callers")
  awk -v c="$callers" -v a="$ours" -v b="$peer" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "%-8d %18.0f %20.0f %14.2f %10s\n", c, a, b, a / b, load }'
done
