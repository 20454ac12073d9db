#!/usr/bin/env bash
# Throwaway PostgreSQL for the database tests.
#
#   scripts/test-postgres.sh start   start it (installing Debian's postgresql if missing); prints the URL
#   scripts/test-postgres.sh url     print the URL of the running cluster
#   scripts/test-postgres.sh stop    stop it and delete its files
#
# The cluster lives in /tmp, listens on 127.0.0.1 only (port 55432) and is owned by the
# postgres system user. Only the URL goes to stdout, so `url=$(... start)` works;
# progress and errors go to stderr. Overrides: BOT_TEST_PG_DIR, BOT_TEST_PG_PORT.
set -euo pipefail

PG_DIR="${BOT_TEST_PG_DIR:-/tmp/support-desk-bot-postgres}"
PG_PORT="${BOT_TEST_PG_PORT:-55432}"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/server.log"
URL_FILE="$PG_DIR/url"
DB_NAME="bot_test"
DB_USER="bot_test"
OS_USER="postgres"

say() { echo "test-postgres: $*" >&2; }
die() { say "$*"; exit 1; }

as_postgres() {
  if [ "$(id -un)" = "$OS_USER" ]; then "$@"; else runuser -u "$OS_USER" -- "$@"; fi
}

find_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

install_postgres() {
  [ "$(id -u)" -eq 0 ] || die "PostgreSQL is not installed and installing it needs root (apt-get install postgresql)."
  command -v apt-get >/dev/null || die "PostgreSQL is not installed and apt-get is not available."
  say "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
}

running() {
  local bindir=$1
  [ -f "$PG_DATA/PG_VERSION" ] && as_postgres "$bindir/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

start() {
  local bindir
  bindir=$(find_bindir) || { install_postgres; bindir=$(find_bindir) || die "initdb not found after installing postgresql"; }
  getent passwd "$OS_USER" >/dev/null || die "system user '$OS_USER' is missing (it comes with the postgresql package)"

  if running "$bindir" && [ -s "$URL_FILE" ]; then
    cat "$URL_FILE"
    return 0
  fi
  if [ -e "$PG_DIR" ]; then
    # Left over from a crashed run: start afresh.
    as_postgres "$bindir/pg_ctl" -D "$PG_DATA" stop -m immediate >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then
    die "port $PG_PORT on 127.0.0.1 is already in use (set BOT_TEST_PG_PORT)"
  fi

  mkdir -p "$PG_DIR"
  chown "$OS_USER" "$PG_DIR"
  chmod 700 "$PG_DIR"
  local password
  password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  # Unix socket: trust (only the postgres user can reach the 0700 directory);
  # TCP on loopback: password (scram-sha-256) for the test role.
  as_postgres "$bindir/initdb" -D "$PG_DATA" -U "$OS_USER" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
  # Throwaway data: durability settings off for speed.
  as_postgres "$bindir/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
    start >&2 || { cat "$PG_LOG" >&2; die "PostgreSQL did not start"; }

  as_postgres "$bindir/psql" -h "$PG_DIR" -p "$PG_PORT" -U "$OS_USER" -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$password'" \
    -c "CREATE DATABASE $DB_NAME OWNER $DB_USER ENCODING 'UTF8'" >&2 \
    || die "could not create the test database"
  local url="postgresql+psycopg2://$DB_USER:$password@127.0.0.1:$PG_PORT/$DB_NAME"
  echo "$url" >"$URL_FILE"
  chmod 600 "$URL_FILE"
  say "PostgreSQL running on 127.0.0.1:$PG_PORT (data in $PG_DATA)"
  echo "$url"
}

stop() {
  local bindir
  bindir=$(find_bindir || true)
  if [ -n "$bindir" ] && [ -f "$PG_DATA/PG_VERSION" ]; then
    as_postgres "$bindir/pg_ctl" -D "$PG_DATA" stop -m fast -w >&2 || true
  fi
  rm -rf "$PG_DIR"
  say "stopped"
}

url() {
  local bindir
  bindir=$(find_bindir) || die "PostgreSQL is not installed"
  running "$bindir" && [ -s "$URL_FILE" ] || die "not running (scripts/test-postgres.sh start)"
  cat "$URL_FILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
