#!/usr/bin/env bash
# scripts/bench cluster: durable activations over HTTP (wrk, keep-alive, 64 connections, each
# benefit activated once) through benefitd nodes on the Patroni cluster of scripts/cluster
# (3 PostgreSQL 15 under Patroni, synchronous replication: each commit flushed on the primary
# and a standby), through 1 node and through 2 nodes at once (32 connections each); in the same
# run, the baselines: one benefitd on the embedded RocksDB store (as `scripts/bench http`), and
# the command-level PostgreSQL peer (command_peer_lib.sh, 64 pgbench clients) on one local
# PostgreSQL and on the cluster's primary.
# Usage: tests/bench/cluster_bench.sh BUILD_DIR [--quick]
set -euo pipefail
build=$(realpath "$1")
quick=0
[ "${2:-}" != --quick ] || quick=1
here=$(dirname "$(realpath "$0")")
repo=$(realpath "$here/../..")
for tool in "$build/tests/bench/seed_data" "$build/adapters/http/benefitd"; do
  [ -x "$tool" ] || { echo "cluster_bench: no $tool; build with -DBENEFITD_BENCH=ON" >&2; exit 1; }
done
source "$here/postgres_lib.sh"
source "$here/server_lib.sh"
# Seconds per row; seeded packages (4 activations each) for the cluster and for RocksDB.
if [ $quick -eq 1 ]; then seconds=3 cluster_packages=3000 rocksdb_packages=10000
else seconds=10 cluster_packages=20000 rocksdb_packages=30000; fi

cluster_flags=(--dir "$work/cluster" --base-port 25600 --clock simulated --benefitd "$build/adapters/http/benefitd")
trap 'stop_server; "$repo/scripts/cluster" stop "${cluster_flags[@]}" >/dev/null 2>&1; stop_postgres; rm -rf "$work"' EXIT
node_url() { echo "http://127.0.2.$1:25605"; }

# The database first, seeded as benefitd would write it; then the nodes, which find it there.
"$repo/scripts/cluster" start "${cluster_flags[@]}" --nodes 0 >/dev/null
store=$("$repo/scripts/cluster" status "${cluster_flags[@]}" | sed -n 's/^store: //p')
"$build/tests/bench/seed_data" --data-dir "$work/seed" --store "$store" --ids-out "$work/cluster-ids.txt" \
  --packages "$cluster_packages" >/dev/null
"$repo/scripts/cluster" start "${cluster_flags[@]}" --nodes 2 >/dev/null

# ids_file NAME FIRST STEP: the admin token, then every STEP-th seeded benefit from FIRST (1-based).
ids_file() {
  { head -1 "$work/cluster-ids.txt"; tail -n +2 "$work/cluster-ids.txt" | awk -v f="$2" -v s="$3" 'NR >= f && (NR - f) % s == 0'; } >"$work/$1"
}
ids_file one-node.txt 1 3
ids_file two-nodes-1.txt 2 3
ids_file two-nodes-2.txt 3 3

activate() {  # URL IDS THREADS CONNECTIONS: wrk's result line
  local result
  result=$(wrk -t "$3" -c "$4" -d "${seconds}s" --timeout 10s -s "$here/http/benefits.lua" "$1" \
    -- activate "$2" "$3" | grep '^result ')
  if [ "$(field exhausted "$result")" != 0 ]; then
    echo "cluster_bench: the seeded benefits ran out during a run; seed more packages" >&2
    return 1
  fi
  echo "$result"
}
load() { cut -d' ' -f1 /proc/loadavg; }
row() {  # NAME RATE P50 P99 UNEXPECTED BASELINE LOAD
  printf '%-46s %14.0f %8s %8s %8s %12s %6s\n' "$1" "$2" "$3" "$4" "$5" \
    "$(awk -v a="$2" -v b="$6" 'BEGIN { printf "%.2f", a / b }')" "$7"
}

one=$(activate "$(node_url 1)" "$work/one-node.txt" 2 64)
one_load=$(load)
activate "$(node_url 1)" "$work/two-nodes-1.txt" 1 32 >"$work/two-1.out" &
two_1=$!
activate "$(node_url 2)" "$work/two-nodes-2.txt" 1 32 >"$work/two-2.out"
wait "$two_1"
two_load=$(load)
two_rate=$(($(field rate "$(cat "$work/two-1.out")") + $(field rate "$(cat "$work/two-2.out")")))
two_unexpected=$(($(field unexpected "$(cat "$work/two-1.out")") + $(field unexpected "$(cat "$work/two-2.out")")))
leader=$(curl -s "http://127.0.2.1:25603/cluster" |
  python3 -c 'import json,sys; print([m["host"] for m in json.load(sys.stdin)["members"] if m["role"] == "leader"][0])')

# The embedded engine, in the same run.
"$build/tests/bench/seed_data" --data-dir "$work/rocksdb" --ids-out "$work/rocksdb-ids.txt" \
  --packages "$rocksdb_packages" >/dev/null
start_server "$work/rocksdb"
settle_server  # the seeder's last flushes compacted before, not during, the baseline
rocksdb=$(activate "http://127.0.0.1:$server_port" "$work/rocksdb-ids.txt" 2 64)
rocksdb_load=$(load)
stop_server
rocksdb_rate=$(field rate "$rocksdb")

# The peer: on the local PostgreSQL of postgres_lib.sh, then on the cluster's primary.
source "$here/command_peer_lib.sh"
peer_local=$(peer_rate 64)
peer_local_load=$(load)
pg_host=$leader pg_port=25604
source "$here/command_peer_lib.sh"
peer_cluster=$(peer_rate 64)
peer_cluster_load=$(load)

echo "$seconds s per row; machine load (1 min) after each row in the last column"
printf '%-46s %14s %8s %8s %8s %12s %6s\n' "durable activations, 64 connections" "activations/s" "p50 ms" \
  "p99 ms" "not 200" "vs RocksDB" load
row "benefitd, embedded RocksDB (baseline)" "$rocksdb_rate" "$(field p50_ms "$rocksdb")" "$(field p99_ms "$rocksdb")" \
  "$(field unexpected "$rocksdb")" "$rocksdb_rate" "$rocksdb_load"
row "benefitd x1 on the Patroni cluster" "$(field rate "$one")" "$(field p50_ms "$one")" "$(field p99_ms "$one")" \
  "$(field unexpected "$one")" "$rocksdb_rate" "$one_load"
row "benefitd x2 on the Patroni cluster (sum)" "$two_rate" "-" "-" "$two_unexpected" "$rocksdb_rate" "$two_load"
row "peer: one transaction per activation, local PG" "$peer_local" "-" "-" "-" "$rocksdb_rate" "$peer_local_load"
row "peer on the Patroni cluster's primary" "$peer_cluster" "-" "-" "-" "$rocksdb_rate" "$peer_cluster_load"
awk -v one="$(field rate "$one")" -v two="$two_rate" -v local_peer="$peer_local" -v cluster_peer="$peer_cluster" \
  'BEGIN { printf "2 nodes / 1 node: %.2f; 1 node / peer on the cluster: %.2f; peer on the cluster / local peer: %.2f\n",
           two / one, one / cluster_peer, cluster_peer / local_peer }'
