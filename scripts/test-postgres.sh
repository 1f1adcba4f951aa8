#!/usr/bin/env bash
# Runs the archive tests against a real PostgreSQL server from Debian's
# packages: installs it if missing, starts a throwaway cluster on a spare
# port, runs the archive tests (documents, notices, dossiers, inbox) with DATABASE_URL pointing at it,
# and removes the cluster again. Needs root (for apt-get and the postgres user).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
PORT=${TEST_POSTGRES_PORT:-55432}
DIR=$(mktemp -d /tmp/rongcuo-pg.XXXXXX)
chown postgres "$DIR"
cleanup() {
  su postgres -c "$PGBIN/pg_ctl -D $DIR/data -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

su postgres -c "$PGBIN/initdb -D $DIR/data -A trust -U rongcuo --encoding=UTF8 --locale=C.UTF-8" >/dev/null
su postgres -c "$PGBIN/pg_ctl -D $DIR/data -o '-p $PORT -k $DIR -c listen_addresses=127.0.0.1' -l $DIR/server.log -w start" >/dev/null
echo "[test-postgres] PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
DATABASE_URL="postgres://rongcuo@127.0.0.1:$PORT/postgres" npm test -- test/archive test/notices/notice-channels test/e2e/dossier-after-retention test/e2e/inbox-over-http
