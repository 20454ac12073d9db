#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL for the database tests; without one they skip visibly.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
if [ -z "${BOT_TEST_POSTGRES_URL:-}" ]; then
  if url=$(bash scripts/test-postgres.sh start 2>var/test-postgres.log); then
    export BOT_TEST_POSTGRES_URL="$url"
    trap 'bash scripts/test-postgres.sh stop >/dev/null 2>&1' EXIT
    echo "PostgreSQL for tests: started (tests run on SQLite and PostgreSQL)"
  else
    echo "PostgreSQL could not be started (see var/test-postgres.log): PostgreSQL tests will be skipped." >&2
  fi
fi
"$@"
