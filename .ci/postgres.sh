#!/usr/bin/env bash
# Start the machine's PostgreSQL (installing it if missing) and create a superuser role for the
# tests. Safe to run more than once.
#
# Prints the SQLAlchemy URL to use, and nothing else, on stdout: callers capture it with $(...).
# Everything the tools say (apt-get, pg_ctlcluster's "Removed stale pid file.") goes to stderr,
# and the server never inherits the captured stdout, so the capture ends when this script does.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
{
    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        apt-get update -qq
        apt-get install -y -qq postgresql >/dev/null
    fi
    if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
        version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
        pg_createcluster "$version" main >/dev/null
    fi
    read -r version cluster port status _ < <(pg_lsclusters -h | head -n 1)
    if [ "$status" != "online" ]; then
        pg_ctlcluster "$version" "$cluster" start
    fi
    for _ in $(seq 1 30); do
        pg_isready -q -h 127.0.0.1 -p "$port" && break
        sleep 1
    done
    su postgres -c "psql -q -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='trainer'\"" | grep -q 1 ||
        su postgres -c "psql -q -p $port -c \"CREATE ROLE trainer LOGIN SUPERUSER PASSWORD 'trainer'\""
    su postgres -c "psql -q -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='trainer'\"" | grep -q 1 ||
        su postgres -c "createdb -p $port -O trainer trainer"
} >&2  # a redirected { } group runs in this shell, so $port is still set below
echo "postgresql+psycopg://trainer:trainer@127.0.0.1:$port/trainer"
