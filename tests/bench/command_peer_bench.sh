#!/usr/bin/env bash
# scripts/bench command-peer: our engine's durable activations against the design a team would
# otherwise build on PostgreSQL 15 (inline projections in the command's transaction, as Marten
# does), with 1, 8 and 64 concurrent callers, in the same run.
# The peer: one transaction per activation that reads the package's stream version (FOR SHARE,
# so a cancellation's update of it would wait), inserts the benefit's four events at versions
# 1..4 of its stream (unique (stream, version): the optimistic check), records the stream's head,
# and upserts the benefit's view row, driven by pgbench with prepared statements. Ours:
# engine_bench, the same software activations (four events on the benefit's stream, a version
# check on its package, the views written in the command's own write), fsync on.
# Usage: tests/bench/command_peer_bench.sh [--quick] BUILD_DIR
set -euo pipefail
quick=0
if [ "${1:-}" = --quick ]; then quick=1; shift; fi
build=$(realpath "$1")
engine_bench=$build/tests/bench/engine_bench
[ -x "$engine_bench" ] || { echo "command_peer_bench: no $engine_bench; build with -DBENEFITD_BENCH=ON" >&2; exit 1; }
source "$(dirname "$0")/postgres_lib.sh"

pg_sql -c "
  create table events (
    position bigserial primary key,
    stream text not null,
    version int not null,
    id text not null,
    type text not null,
    occurred_at timestamptz not null,
    actor text not null,
    data jsonb not null,
    unique (stream, version)
  )" -c "
  create table streams (stream text primary key, version int not null)" -c "
  create table views (key text primary key, value jsonb not null)" -c "
  insert into streams select 'package-' || c, 12 from generate_series(0, 63) c"

# :n counts this client's activations, each on a benefit of its own; the package is the
# client's. The data and the view come from `pgbench -D` (the script would take their colons
# for variables).
cat >"$work/activate.sql" <<'SQL'
BEGIN;
SELECT version FROM streams WHERE stream = 'package-' || :client_id::text FOR SHARE;
INSERT INTO events (stream, version, id, type, occurred_at, actor, data) VALUES ('benefit-' || :client_id::text || '-' || :n::text, 1, 'evt-a-' || :n::text, 'ActivationRequested', now(), :actor, :data::jsonb), ('benefit-' || :client_id::text || '-' || :n::text, 2, 'evt-b-' || :n::text, 'FulfilmentAccepted', now(), :actor, :data::jsonb), ('benefit-' || :client_id::text || '-' || :n::text, 3, 'evt-c-' || :n::text, 'BenefitActivated', now(), :actor, :data::jsonb), ('benefit-' || :client_id::text || '-' || :n::text, 4, 'evt-d-' || :n::text, 'KeyRevealed', now(), :actor, :data::jsonb);
INSERT INTO streams (stream, version) VALUES ('benefit-' || :client_id::text || '-' || :n::text, 4) ON CONFLICT (stream) DO UPDATE SET version = excluded.version;
INSERT INTO views (key, value) VALUES ('benefit/' || :client_id::text || '-' || :n::text, :view::jsonb) ON CONFLICT (key) DO UPDATE SET value = excluded.value;
COMMIT;
\set n :n + 1
SQL
chmod a+r "$work/activate.sql"

# A software benefit's view as benefitd stores it, and an event's data, for the row sizes.
view='{"activatedAt":"2026-01-05T09:00:00Z","activationRequestedAt":"2026-01-05T09:00:00Z","benefitId":"B-0001","cancelledAt":null,"category":"software","expectedBy":null,"expiredAt":null,"expiresAt":"2027-01-05T09:00:00Z","keys":[{"key":"ABCDE-FGHIJ-KLMNO-PQRST-UVWXY","language":"en-US","maxActivations":10,"os":"x64","revealedAt":"2026-01-05T09:00:00Z"}],"kind":"","lastError":null,"packageId":"P-0001","partnerId":"PT-0001","pendingSince":null,"product":"Office Professional Plus","purchasedAt":"2026-01-05T09:00:00Z","quantity":10,"status":"active","version":5}'
data='{"benefitId":"B-0001","requestId":"R-0001","language":"en-US","os":"x64","at":"2026-01-05T09:00:00Z"}'

peer_rate() {  # CALLERS: activations per second on PostgreSQL
  pg_sql -c 'truncate events restart identity' -c "delete from streams where stream like 'benefit-%'" \
    -c 'truncate views' -c checkpoint || return 1
  runuser -u postgres -- "$pg_bin/pgbench" -h "$work" -p 5432 -n -M prepared -D n=0 -D actor=user:U1 \
    -D data="$data" -D view="$view" -f "$work/activate.sql" -c "$1" -j 2 -T "$seconds" postgres \
    >"$work/pgbench.out" 2>&1 || { cat "$work/pgbench.out" >&2; return 1; }
  sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' "$work/pgbench.out" | grep . ||
    { cat "$work/pgbench.out" >&2; return 1; }
}

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
