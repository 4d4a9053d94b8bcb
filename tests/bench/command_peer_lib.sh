# The command-level PostgreSQL peer of an activation (sourced by command_peer_bench.sh and
# cluster_bench.sh, after postgres_lib.sh): one transaction per activation that reads the
# package's stream version (FOR SHARE, so a cancellation's update of it would wait), inserts the
# benefit's four events at versions 1..4 of its stream (unique (stream, version): the optimistic
# check), records the stream's head, and upserts the benefit's view row, driven by pgbench with
# prepared statements. Sourcing creates the peer's tables in the database pg_sql reaches; then
# `peer_rate CALLERS` prints activations per second with that many pgbench clients on
# $pg_host:$pg_port.

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
  runuser -u postgres -- "$pg_bin/pgbench" -h "$pg_host" -p "$pg_port" -n -M prepared -D n=0 -D actor=user:U1 \
    -D data="$data" -D view="$view" -f "$work/activate.sql" -c "$1" -j 2 -T "$seconds" postgres \
    >"$work/pgbench.out" 2>&1 || { cat "$work/pgbench.out" >&2; return 1; }
  sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' "$work/pgbench.out" | grep . ||
    { cat "$work/pgbench.out" >&2; return 1; }
}

