# A private PostgreSQL 15 for a benchmark run (sourced by peer_bench.sh and command_peer_bench.sh):
# a fresh cluster in a temp dir, durable (fsync, synchronous_commit, full_page_writes on),
# reachable only on a Unix socket in that dir, stopped and deleted on exit. After sourcing: $work
# (the temp dir, readable by postgres), $pg_bin, $settings, $seconds (per measured row: 20, or 3
# with quick=1), $pg_host and $pg_port (where the instance listens) and pg_sql (psql on it).
pg_bin=/usr/lib/postgresql/15/bin

missing=()
for package in postgresql-15 postgresql-client-15; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

work=$(mktemp -d)
pg_data=$work/pg
stop_postgres() {
  if [ -f "$pg_data/postmaster.pid" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null || true
  fi
}
trap 'stop_postgres; rm -rf "$work"' EXIT
chown postgres: "$work"
cd "$work"  # readable by postgres, for runuser

# Seconds per row, on each side.
if [ "${quick:-0}" -eq 1 ]; then seconds=3; else seconds=20; fi

settings=(
  "listen_addresses = ''"
  "unix_socket_directories = '$work'"
  "port = 5432"
  "max_connections = 100"
  "shared_buffers = 256MB"
  "fsync = on"
  "synchronous_commit = on"
  "full_page_writes = on"
)
runuser -u postgres -- "$pg_bin/initdb" -D "$pg_data" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
printf '%s\n' "${settings[@]}" >>"$pg_data/postgresql.conf"
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/postgres.log" -w start >/dev/null
pg_host=$work pg_port=5432
pg_sql() { runuser -u postgres -- "$pg_bin/psql" -h "$pg_host" -p "$pg_port" -d postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
