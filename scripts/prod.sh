#!/usr/bin/env bash
# The production-like start on this machine (`make prod`): gunicorn (WEB_CONCURRENCY workers,
# 5 unless set) and the huey worker on this machine's PostgreSQL and Redis, with the settings
# and the checks of production. Ctrl-C stops both.
#
# PostgreSQL 127.0.0.1:5432 (user postgres, trust), database PROD_DATABASE (school_libraries),
# created and migrated when needed and given the demo data when empty; Redis 127.0.0.1:6379,
# database 2 for the login counters and 3 for the task queue. Each is started when down.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_HOST=127.0.0.1
PG_PORT=5432
DATABASE=${PROD_DATABASE:-school_libraries}
BIN=${VENV:-.venv}/bin
PORT=${PORT:-8000}

if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "Starting PostgreSQL $version."
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 60); do pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break; sleep 1; done
  pg_isready -h "$PG_HOST" -p "$PG_PORT" || { echo "PostgreSQL did not start." >&2; exit 1; }
fi
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  echo "Starting Redis."
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/prod.log
  for _ in $(seq 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done
  redis-cli -h 127.0.0.1 ping >/dev/null || { echo "Redis did not start." >&2; exit 1; }
fi

psql_() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -tAq "$@"; }
if [ -z "$(psql_ -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" ]; then
  echo "Creating the database $DATABASE."
  psql_ -d postgres -c "CREATE DATABASE \"$DATABASE\""
fi

# One key for every process of this start, kept between starts so sessions survive a restart.
mkdir -p instance
if [ ! -s instance/prod-secret-key ]; then
  (umask 077 && "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(48))' \
    > instance/prod-secret-key)
fi

export PRODUCTION=true
export SECRET_KEY="$(cat instance/prod-secret-key)"
export DATABASE_URL="postgresql+psycopg://postgres@$PG_HOST:$PG_PORT/$DATABASE"
export RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/2
export HUEY_URL=redis://127.0.0.1:6379/3
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-5}
export GUNICORN_BIND=${GUNICORN_BIND:-127.0.0.1:$PORT}

"$BIN/flask" --app wsgi db upgrade
if [ "$(psql_ -d "$DATABASE" -c 'SELECT count(*) FROM organization')" = 0 ]; then
  echo "The database is empty: loading the demo data."
  "$BIN/flask" --app wsgi demo
fi

pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping gunicorn and the worker."
  kill -INT "${pids[0]}" 2>/dev/null || true  # huey: after the running tasks
  kill -TERM "${pids[1]}" 2>/dev/null || true  # gunicorn: after the running requests
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

"$BIN/huey_consumer" app.reports.jobs.huey --workers 2 &
pids+=($!)
"$BIN/gunicorn" --config deploy/gunicorn.conf.py wsgi:app &
pids+=($!)
echo "Serving http://$GUNICORN_BIND with $WEB_CONCURRENCY workers on $DATABASE; Ctrl-C stops."
# Whichever stops first (or Ctrl-C) stops the other.
wait -n "${pids[@]}" || true
