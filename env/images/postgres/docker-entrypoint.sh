#!/usr/bin/env bash
# Entrypoint of slo-harness/postgres, after the official postgres image's docker-entrypoint.sh:
# `postgres [args...]` initialises $PGDATA when it is empty, then execs the server as user
# postgres with the remaining args (e.g. `postgres -c max_connections=40`). Anything else is exec'd.
#   PGDATA                     data directory (/var/lib/postgresql/data)
#   POSTGRES_USER              superuser (postgres)
#   POSTGRES_PASSWORD          its password; required unless POSTGRES_HOST_AUTH_METHOD=trust
#   POSTGRES_DB                database created at init when not "postgres" (= POSTGRES_USER)
#   POSTGRES_HOST_AUTH_METHOD  pg_hba method for host connections (scram-sha-256)
#   POSTGRES_INITDB_ARGS       extra initdb arguments
#   /docker-entrypoint-initdb.d/*.sh|*.sql|*.sql.gz run once at init, in name order.
# The init-time server listens on the unix socket only and logs to a file, so "database system is
# ready to accept connections" is printed once, by the real server, when it accepts TCP.
set -Eeo pipefail

export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
POSTGRES_USER="${POSTGRES_USER:-postgres}"
POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
POSTGRES_HOST_AUTH_METHOD="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
export PATH="/usr/lib/postgresql/15/bin:$PATH"

log() { echo "docker-entrypoint: $*" >&2; }
as_postgres() {
  if [[ "$(id -u)" == 0 ]]; then setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; else "$@"; fi
}

initialise() {
  if [[ -z "$POSTGRES_PASSWORD" && "$POSTGRES_HOST_AUTH_METHOD" != trust ]]; then
    log "error: database is uninitialized and superuser password is not specified."
    log "       Set POSTGRES_PASSWORD, or POSTGRES_HOST_AUTH_METHOD=trust to allow all connections without one."
    exit 1
  fi
  log "initialising $PGDATA (superuser $POSTGRES_USER)"
  local pwfile; pwfile="$(mktemp)"
  printf '%s\n' "${POSTGRES_PASSWORD:-}" > "$pwfile"
  [[ "$(id -u)" == 0 ]] && chown postgres "$pwfile"
  local pwargs=(); [[ -n "$POSTGRES_PASSWORD" ]] && pwargs=(--pwfile="$pwfile")
  # shellcheck disable=SC2086
  as_postgres initdb --username="$POSTGRES_USER" "${pwargs[@]}" --auth-local=trust --auth-host="$POSTGRES_HOST_AUTH_METHOD" \
    $POSTGRES_INITDB_ARGS -D "$PGDATA"
  rm -f "$pwfile"
  printf "\nlisten_addresses = '*'\n" >> "$PGDATA/postgresql.conf"
  { echo; echo "# slo-harness/postgres: any host, password required";
    echo "host all all 0.0.0.0/0 $POSTGRES_HOST_AUTH_METHOD";
    echo "host all all ::/0 $POSTGRES_HOST_AUTH_METHOD"; } >> "$PGDATA/pg_hba.conf"

  local scripts=(); shopt -s nullglob; scripts=(/docker-entrypoint-initdb.d/*); shopt -u nullglob
  if [[ "$POSTGRES_DB" != postgres || ${#scripts[@]} -gt 0 ]]; then
    local initlog=/tmp/postgres-init.log
    as_postgres pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w -l "$initlog" start \
      || { cat "$initlog" >&2; exit 1; }
    export PGUSER="$POSTGRES_USER" PGHOST=/var/run/postgresql PGPORT=5432
    if [[ "$POSTGRES_DB" != postgres ]]; then
      log "creating database $POSTGRES_DB"
      as_postgres psql -q -v ON_ERROR_STOP=1 --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
    fi
    local f
    # shellcheck disable=SC1090 # initdb.d scripts are the user's
    for f in "${scripts[@]}"; do
      case "$f" in
        *.sh) log "running $f"; if [[ -x "$f" ]]; then "$f"; else . "$f"; fi ;;
        *.sql) log "running $f"; as_postgres psql -v ON_ERROR_STOP=1 --dbname "$POSTGRES_DB" -f "$f" ;;
        *.sql.gz) log "running $f"; gunzip -c "$f" | as_postgres psql -v ON_ERROR_STOP=1 --dbname "$POSTGRES_DB" ;;
        *) log "ignoring $f" ;;
      esac
    done
    as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    unset PGUSER PGHOST PGPORT
  fi
  log "PostgreSQL init process complete; ready for start up."
}

# `docker run image -c foo=bar` means `postgres -c foo=bar`, as in the official image.
if [[ "${1:0:1}" == - ]]; then set -- postgres "$@"; fi

# `postgres --version` (or -V, --help, --describe-config) only asks; it needs no data directory.
want_help() {
  local arg
  for arg in "$@"; do
    case "$arg" in -'?'|--help|--describe-config|-V|--version) return 0 ;; esac
  done
  return 1
}

if [[ "$1" == postgres ]] && want_help "${@:2}"; then
  shift; exec postgres "$@"
fi

if [[ "$1" == postgres ]]; then
  shift
  if [[ "$(id -u)" == 0 ]]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    chown postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 3777 /var/run/postgresql
  fi
  chmod 700 "$PGDATA" 2>/dev/null || true
  [[ -s "$PGDATA/PG_VERSION" ]] || initialise
  if [[ "$(id -u)" == 0 ]]; then
    exec setpriv --reuid=postgres --regid=postgres --init-groups -- postgres -D "$PGDATA" "$@"
  fi
  exec postgres -D "$PGDATA" "$@"
fi

exec "$@"
