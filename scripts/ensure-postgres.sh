#!/usr/bin/env bash
# Make sure a private PostgreSQL server runs on 127.0.0.1 for the sandbox's PostgreSQL tests and
# print its URL (postgresql://…/sandbox_test). Installs Debian's postgresql package when it is
# missing (root or passwordless sudo only). The cluster is our own, in a cache folder, on its own
# port, so it never touches a system cluster. Idempotent: a running server is reused.
#   PG_HOME  where the cluster lives (default: ~/.cache/vendor-console/postgres, or
#            /var/lib/postgresql/vendor-console-test as root)
#   PG_PORT  its port (default: 55432)
# Usage:  export MARKETPLACE_SANDBOX_TEST_DATABASE="$(scripts/ensure-postgres.sh)"
set -euo pipefail
if [ "$(id -u)" = 0 ]; then  # root's home is closed to the postgres user that runs the server
    HOME_DIR="${PG_HOME:-/var/lib/postgresql/vendor-console-test}"
else
    HOME_DIR="${PG_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/vendor-console/postgres}"
fi
PORT="${PG_PORT:-55432}"
DB=sandbox_test

if [ "$(id -u)" = 0 ]; then SUDO=(); elif sudo -n true 2>/dev/null; then SUDO=(sudo -n); else SUDO=(); fi
bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(bindir)" ] || [ ! -x "$(bindir)/initdb" ]; then
    if [ "$(id -u)" != 0 ] && [ ${#SUDO[@]} -eq 0 ]; then
        echo "ensure-postgres: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1
    fi
    echo "ensure-postgres: installing Debian's postgresql" >&2
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq postgresql >/dev/null
fi
BIN="$(bindir)"

# initdb and postgres refuse to run as root: there, the cluster belongs to the postgres user.
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
    AS=(runuser -u postgres --)
    OWNER=postgres
else
    AS=()
    OWNER="$(id -un)"
fi
URL="postgresql://$OWNER@127.0.0.1:$PORT/$DB"

if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    echo "$URL"; exit 0
fi
mkdir -p "$HOME_DIR"
if [ "$(id -u)" = 0 ]; then chown postgres "$HOME_DIR"; chmod 700 "$HOME_DIR"; fi
if [ ! -f "$HOME_DIR/data/PG_VERSION" ]; then
    echo "ensure-postgres: creating a cluster in $HOME_DIR/data" >&2
    "${AS[@]}" "$BIN/initdb" -D "$HOME_DIR/data" -U "$OWNER" --auth=trust -E UTF8 >/dev/null
fi
# fsync off: a test server's data is thrown away, and it keeps CI fast. Sockets in the data dir.
"${AS[@]}" "$BIN/pg_ctl" -D "$HOME_DIR/data" -l "$HOME_DIR/server.log" -w -t 60 start \
    -o "-h 127.0.0.1 -p $PORT -k $HOME_DIR/data -c fsync=off -c synchronous_commit=off \
        -c full_page_writes=off -c max_connections=200" >/dev/null
if ! "${AS[@]}" "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$OWNER" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    "${AS[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$OWNER" "$DB"
fi
echo "$URL"
