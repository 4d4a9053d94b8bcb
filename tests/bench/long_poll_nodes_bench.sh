#!/usr/bin/env bash
# scripts/bench long-poll-nodes: long_poll_bench.py with two benefitd nodes on a private
# PostgreSQL 15 (postgres_lib.sh): commands on node A, long-polls and the CPU measured on node B.
# Usage: tests/bench/long_poll_nodes_bench.sh BUILD_DIR [--quick]
set -euo pipefail
build=$(realpath "$1")
quick=0
[ "${2:-}" != --quick ] || quick=1
here=$(dirname "$(realpath "$0")")
source "$here/postgres_lib.sh"
"$here/long_poll_bench.py" "$build" ${2:+"$2"} --store "postgresql:///postgres?host=$pg_host&port=$pg_port&user=postgres"
