# Helpers for scripts that run the app against the throwaway PostgreSQL cluster of with-postgres.sh
# (sourced by scripts/production-smoke.sh and bench/load/run.sh).

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Re-run the calling script inside scripts/with-postgres.sh unless it already runs there.
ensure_postgres() {
  if [ -z "${PORTFOLIO_TEST_DATABASE_URL:-}" ]; then
    export PORTFOLIO_PG_PORT="${PORTFOLIO_PG_PORT:-$(free_port)}"
    exec bash scripts/with-postgres.sh bash "$@"
  fi
}

# Create database NAME in the cluster and print its SQLAlchemy URL.
create_database() {
  local bindir pg host_port
  bindir="$(pg_config --bindir)"
  pg="${PORTFOLIO_TEST_DATABASE_URL#*//}"; host_port="${pg#*@}"; host_port="${host_port%%/*}"
  "$bindir/createdb" -h "${host_port%%:*}" -p "${host_port##*:}" -U app "$1"
  echo "${PORTFOLIO_TEST_DATABASE_URL%/*}/$1"
}

# Wait until the app on PORT answers /healthz (20 s at most).
wait_healthy() {
  for _ in $(seq 1 100); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$1/healthz', timeout=1)" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "the app on port $1 did not become healthy"; return 1
}
