# shellcheck shell=bash
# A throwaway PostgreSQL 15 cluster for CI and for running the suite against a real server locally.
#
#   source .ci/postgres.sh
#   pg_start                                   # exports PGPORT and DATABASE_URL_BASE
#   psql -h 127.0.0.1 -p "$PGPORT" -U postgres -c 'create database tally_dev'
#   DATABASE_URL="$DATABASE_URL_BASE/tally_dev" npm test
#   pg_stop                                    # stops the server and deletes its files
#
# Everything (data, socket, log) lives in one mktemp directory under /tmp, so nothing outside it
# is touched and a crashed run leaves no state a later run depends on. The server listens on
# 127.0.0.1 only and trusts every local connection: it is for tests, never for data you keep.
#
# postgres refuses to run as root. As root, the cluster runs as the `postgres` system user, or as
# `tallyci` (created on first use) on machines without one. As anyone else it runs as yourself.
#
# Settings (environment, all optional):
#   TALLY_PG_BIN   directory holding initdb/pg_ctl/postgres (default: /usr/lib/postgresql/15/bin
#                  when present, else whatever is on PATH)
#   TALLY_PG_PORT  first port to try (default 55432); the next free one up to +100 is used otherwise
#
# The functions never call `exit` and do not change shell options, so sourcing this file into an
# interactive shell is safe. They return non-zero on failure.

_pg_log() { printf '[postgres] %s\n' "$*" >&2; }

# Full path of a server binary (initdb, pg_ctl); PG 15's own directory wins over PATH.
_pg_tool() {
  local name=$1 dir
  for dir in "${TALLY_PG_BIN:-}" /usr/lib/postgresql/15/bin; do
    if [[ -n $dir && -x $dir/$name ]]; then
      printf '%s\n' "$dir/$name"
      return 0
    fi
  done
  command -v "$name" && return 0
  _pg_log "cannot find $name: install PostgreSQL 15 server binaries or set TALLY_PG_BIN"
  return 1
}

# The account the server runs as: ourselves unless we are root.
_pg_pick_user() {
  if [[ $(id -u) -ne 0 ]]; then
    id -un
  elif id postgres >/dev/null 2>&1; then
    printf 'postgres\n'
  else
    if ! id tallyci >/dev/null 2>&1; then
      _pg_log "no postgres user: creating system user tallyci"
      # A concurrent run may create it between the check and here; only a still-missing user is an error.
      useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin tallyci >/dev/null 2>&1 || id tallyci >/dev/null 2>&1 || {
        _pg_log "useradd tallyci failed"
        return 1
      }
    fi
    printf 'tallyci\n'
  fi
}

# Runs a command as the cluster's user, from the cluster's directory: PG 15's binaries call getcwd()
# at start and fail when the caller's directory (e.g. /root) is not readable by that user.
_pg_as() {
  (
    cd "$TALLY_PG_DIR" || exit 1
    if [[ $(id -u) -ne 0 ]]; then
      "$@"
    elif command -v runuser >/dev/null 2>&1; then
      runuser -u "$TALLY_PG_USER" -- "$@"
    else
      su "$TALLY_PG_USER" -s /bin/bash -c "$(printf '%q ' "$@")"
    fi
  )
}

# True when nothing accepts connections on 127.0.0.1:$1 (a listener on 0.0.0.0 counts as taken).
_pg_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Makes $1 and every parent searchable by other users, so the cluster's user can reach it.
_pg_make_traversable() {
  local dir=$1
  chmod 755 "$dir" || return 1
  dir=$(dirname "$dir")
  while [[ $dir != / ]]; do
    if [[ $(stat -c %A "$dir") != *[xt] ]]; then
      chmod o+x "$dir" || return 1
    fi
    dir=$(dirname "$dir")
  done
}

# Starts a fresh cluster. Sets and exports PGPORT and DATABASE_URL_BASE (no database name:
# append `/<db>`), plus TALLY_PG_DIR and TALLY_PG_USER for pg_stop.
pg_start() {
  if [[ -n ${TALLY_PG_DIR:-} && -d ${TALLY_PG_DIR:-} ]]; then
    _pg_log "a cluster from this shell is still around in $TALLY_PG_DIR: run pg_stop first"
    return 1
  fi
  local initdb pg_ctl user dir port attempt tries=0
  initdb=$(_pg_tool initdb) || return 1
  pg_ctl=$(_pg_tool pg_ctl) || return 1
  user=$(_pg_pick_user) || return 1

  dir=$(mktemp -d /tmp/tally-pg.XXXXXX) || return 1
  export TALLY_PG_DIR=$dir TALLY_PG_USER=$user
  if ! mkdir -p "$dir/data" "$dir/sock" || ! touch "$dir/server.log"; then
    pg_stop
    return 1
  fi
  if [[ $(id -u) -eq 0 ]] && ! { _pg_make_traversable "$dir" && chown -R "$user": "$dir"; }; then
    pg_stop
    return 1
  fi
  chmod 700 "$dir/data"

  # --no-sync: the cluster is thrown away, durability is irrelevant.
  if ! _pg_as "$initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      --no-sync >"$dir/initdb.log" 2>&1; then
    _pg_log "initdb failed:"
    cat "$dir/initdb.log" >&2
    pg_stop
    return 1
  fi

  # Try a few free ports: another process may grab the one we picked before postgres binds it.
  port=${TALLY_PG_PORT:-55432}
  for attempt in 1 2 3; do
    while ! _pg_port_free "$port"; do
      port=$((port + 1))
      if ((++tries > 100)); then
        _pg_log "no free port between ${TALLY_PG_PORT:-55432} and $port"
        pg_stop
        return 1
      fi
    done
    if _pg_as "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
        start >/dev/null; then
      export PGPORT=$port
      export DATABASE_URL_BASE="postgres://postgres@127.0.0.1:$port"
      _pg_log "PostgreSQL $("$(_pg_tool postgres)" --version | awk '{print $3}') on 127.0.0.1:$port as $user, files in $dir"
      return 0
    fi
    _pg_log "start on port $port failed (attempt $attempt):"
    tail -n 20 "$dir/server.log" >&2
    port=$((port + 1))
  done
  pg_stop
  return 1
}

# Last resort before deleting the data directory: never leave a server running on deleted files.
_pg_kill_postmaster() {
  local pid
  pid=$(head -n 1 "$1" 2>/dev/null) || return 0
  if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    _pg_log "killing postmaster $pid"
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

# Stops the cluster started by pg_start and deletes its directory. Safe to call twice, after a
# failed pg_start, or when nothing was started.
pg_stop() {
  local dir=${TALLY_PG_DIR:-} pg_ctl
  if [[ -z $dir ]]; then
    return 0
  fi
  if [[ -f $dir/data/postmaster.pid ]] && pg_ctl=$(_pg_tool pg_ctl); then
    if ! _pg_as "$pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null; then
      _pg_log "pg_ctl stop -m fast failed; stopping immediately"
      _pg_as "$pg_ctl" -D "$dir/data" -m immediate -w -t 10 stop >/dev/null ||
        _pg_kill_postmaster "$dir/data/postmaster.pid"
    fi
  fi
  # Only ever remove what pg_start created.
  if [[ $dir == /tmp/tally-pg.* ]]; then
    rm -rf -- "$dir"
  fi
  unset TALLY_PG_DIR TALLY_PG_USER PGPORT DATABASE_URL_BASE
  return 0
}
