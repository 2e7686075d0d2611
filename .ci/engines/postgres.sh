#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback, from Debian's `postgresql` package.
#   postgres.sh start DIR PORT   -> prints postgres://attachkit:attachkit@127.0.0.1:PORT/attachkit
#   postgres.sh stop DIR
# The server never runs as root: when root, the cluster belongs to the `postgres` user.
# fsync stays on: the durability tests are only worth something against a real, syncing server.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (Debian: apt-get install postgresql)" >&2; exit 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$cmd" = stop ]; then
  [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  exit 0
fi
port=${3:?PORT}
mkdir -p "$dir"
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  runuser -u postgres -- test -w "$dir" \
    || { echo "the postgres user cannot reach $dir (a parent folder is not searchable by others)" >&2; exit 1; }
fi
if [ ! -f "$dir/data/PG_VERSION" ]; then
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
fi
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300" start >/dev/null \
  || { tail -n 20 "$dir/server.log" >&2; exit 1; }
psql() { "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
psql -tc "SELECT 1 FROM pg_roles WHERE rolname = 'attachkit'" | grep -q 1 \
  || psql -c "CREATE ROLE attachkit LOGIN SUPERUSER PASSWORD 'attachkit'"
psql -tc "SELECT 1 FROM pg_database WHERE datname = 'attachkit'" | grep -q 1 \
  || psql -c "CREATE DATABASE attachkit OWNER attachkit"
echo "postgres://attachkit:attachkit@127.0.0.1:$port/attachkit"
