#!/usr/bin/env bash
# Run a command with PORTFOLIO_TEST_DATABASE_URL pointing at a throwaway PostgreSQL cluster,
# started here and stopped (and deleted) afterwards. Needs the PostgreSQL server binaries
# (Debian: postgresql-15) and, when run as root, the postgres system user.
set -euo pipefail

bindir="$(pg_config --bindir)"
port="${PORTFOLIO_PG_PORT:-54329}"
dir="$(mktemp -d /tmp/portfolio-pg.XXXXXX)"
as_owner=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi

cleanup() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U app -A trust -E UTF8 --locale=C.UTF-8 \
  --locale-provider=icu --icu-locale=sv-SE >/dev/null
"${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null

export PORTFOLIO_TEST_DATABASE_URL="postgresql+psycopg://app@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on port $port"
"$@"
