#!/usr/bin/env bash
# scripts/bench peer: the store's durable appends against the same appends on PostgreSQL 15.
# Workload, for 1, 8 and 64 concurrent writers: one event per transaction, each writer appending
# to its own 16 streams with the version each stream must be at (optimistic concurrency on
# (stream, version)), the store bench's event bytes. On our side `store_bench --expected-version`;
# on PostgreSQL, pgbench (prepared statements) inserting into `events`, where unique (stream,
# version) rejects an append whose version already exists. The PostgreSQL instance is private to
# the run: a fresh cluster in a temp dir, durable (fsync, synchronous_commit, full_page_writes on),
# reachable only on a Unix socket in that dir, stopped and deleted on exit.
# Usage: tests/bench/peer_bench.sh [--quick] BUILD_DIR
set -euo pipefail
source "$(dirname "$0")/bench_args.sh"
store_bench=$(bench_program store_bench)
source "$(dirname "$0")/postgres_lib.sh"

pg_sql -c "
  create table events (
    position bigserial primary key,
    stream text not null,
    version int not null,
    id text not null,
    type text not null,
    schema_version int not null,
    occurred_at timestamptz not null,
    actor text not null,
    correlation_id text not null,
    causation_id text not null,
    data jsonb not null,
    metadata jsonb,
    unique (stream, version)
  )"

# One append per transaction. The actor and data come from `pgbench -D` (pgbench would take their
# colons for variables in the script). :n counts this client's appends (pgbench keeps a client's
# variables from one transaction to the next), so stream n % 16 is at version n / 16.
cat >"$work/append.sql" <<'SQL'
\set stream :n % 16
\set version :n / 16 + 1
INSERT INTO events (stream, version, id, type, schema_version, occurred_at, actor, correlation_id, causation_id, data) VALUES ('benefit-' || :client_id::text || '-' || :stream::text, :version::int, 'evt-' || :client_id::text || '-' || :n::text, 'BenefitActivated', 1, to_timestamp((1767600000000 + :n::bigint) / 1000.0), :actor, 'corr-' || :n::text, 'cmd-' || :n::text, :data::jsonb);
\set n :n + 1
SQL
chmod a+r "$work/append.sql"

peer_rate() {  # WRITERS: appends per second on PostgreSQL
  pg_sql -c 'truncate events restart identity' -c checkpoint || return 1
  runuser -u postgres -- "$pg_bin/pgbench" -h "$work" -p 5432 -n -M prepared -D n=0 \
    -D actor=user:U1 -D data='{"benefitId":"B-0001","status":"active","activatedAt":"2026-01-05T09:00:00Z"}' \
    -f "$work/append.sql" -c "$1" -j 2 -T "$seconds" postgres >"$work/pgbench.out" 2>&1 ||
    { cat "$work/pgbench.out" >&2; return 1; }
  sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' "$work/pgbench.out" | grep . ||
    { cat "$work/pgbench.out" >&2; return 1; }
}

store_rate() {  # WRITERS: appends per second through the store
  "$store_bench" --dir "$work/store" --writers "$1" --seconds "$seconds" \
    --expected-version | awk -v w="$1" '$1 == w { print $2 }' | grep .
}

echo "$(pg_sql -tA -c 'select version()' | cut -d' ' -f1-2), $seconds s per row and side;" \
  "$(printf '%s; ' "${settings[@]:3}")wal_sync_method = $(pg_sql -tA -c 'show wal_sync_method')"
printf '%-8s %16s %18s %14s %10s\n' writers "store events/s" "postgres events/s" "store / peer" \
  "load after"
for writers in 1 8 64; do
  ours=$(store_rate "$writers")
  peer=$(peer_rate "$writers")
  awk -v w="$writers" -v a="$ours" -v b="$peer" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "%-8d %16.0f %18.0f %14.2f %10s\n", w, a, b, a / b, load }'
done
