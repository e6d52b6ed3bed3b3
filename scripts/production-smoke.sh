#!/usr/bin/env bash
# Production as the README documents it, tried: a throwaway PostgreSQL cluster (scripts/with-postgres.sh),
# the README's steps (virtualenv, translations, db upgrade, users create) and gunicorn with 4 workers
# behind an imagined TLS proxy; then sign in with a password and visit every kind of page
# (scripts/production_smoke.py); then the README's backup and restore: a backup, a damaged copy of it
# refused with every row left in place, and the backup restored into a wiped (new, empty) database
# with every row and stored paper as before. CI runs it after the two test suites. About a minute.
set -euo pipefail
self="$(realpath "$0")"
cd "$(dirname "$0")/.."

source scripts/throwaway.sh
ensure_postgres "$self" "$@"

started=$(date +%s)
work="$(mktemp -d /tmp/portfolio-smoke.XXXXXX)"
gunicorn_pid=""
cleanup() {
  if [ -n "$gunicorn_pid" ]; then kill "$gunicorn_pid" 2>/dev/null || true; wait "$gunicorn_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A database of its own in the throwaway cluster, as an installation would have.
database_url="$(create_database portfolio)"

# --- the README's production section, step by step -----------------------------------------------
python3 -m venv .venv && .venv/bin/pip install -q -e . >"$work/pip.log" 2>&1
export PORTFOLIO_ENVIRONMENT=production PORTFOLIO_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')" \
       PORTFOLIO_DATABASE_URL="$database_url"
export PORTFOLIO_PROXY_FIX_X_FOR=1  # behind one TLS proxy, as the README says
.venv/bin/pybabel compile -d portfolio/translations -D messages >/dev/null
.venv/bin/flask --app portfolio db upgrade
password="smoke-$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')"
.venv/bin/flask --app portfolio users create --email it@kommun.se --name "Systemägare" \
  --role admin --role management --role finance --role innovation_leader --password "$password"
# Something to look at: the demo portfolio (its own accounts are not used here).
.venv/bin/flask --app portfolio seed-demo >/dev/null
token="$(.venv/bin/flask --app portfolio tokens create it@kommun.se --name smoke --days 1)"
port="$(free_port)"
.venv/bin/gunicorn --workers 4 --bind "127.0.0.1:$port" "portfolio:create_app()" 2>"$work/gunicorn.log" &
gunicorn_pid=$!
# --------------------------------------------------------------------------------------------------

wait_healthy "$port"

status=0
.venv/bin/python scripts/production_smoke.py "http://127.0.0.1:$port" it@kommun.se "$password" "$token" || status=$?

# --- the README's backup and restore ---------------------------------------------------------------
# Every table's row count and every stored PDF's SHA-256 (papers, minutes, meeting documents).
fingerprint() {
  .venv/bin/python - "$1" <<'PY'
import hashlib, sys
from sqlalchemy import LargeBinary, MetaData, create_engine, func, select
engine = create_engine(sys.argv[1]); metadata = MetaData(); metadata.reflect(engine)
with engine.connect() as connection:
    for name, table in sorted(metadata.tables.items()):
        print(name, connection.scalar(select(func.count()).select_from(table)))
        for column in (c for c in table.columns if isinstance(c.type, LargeBinary)):
            for value in connection.scalars(select(column).order_by(*table.primary_key.columns)):
                print(name, hashlib.sha256(value).hexdigest())
PY
}
fingerprint "$database_url" >"$work/before.txt"
papers=$(grep -c "^paper_versions [0-9a-f]\{64\}$" "$work/before.txt" || true)
.venv/bin/flask --app portfolio backup "$work/portfolio.backup"
head -c "$(( $(stat -c %s "$work/portfolio.backup") / 2 ))" "$work/portfolio.backup" >"$work/truncated.backup"
if .venv/bin/flask --app portfolio restore --force "$work/truncated.backup" >"$work/refused.log" 2>&1; then
  echo "FAILED: a truncated backup was restored"; status=1
elif ! grep -q "The database was not changed" "$work/refused.log"; then
  echo "FAILED: a truncated backup was refused without saying so:"; cat "$work/refused.log"; status=1
fi
fingerprint "$database_url" >"$work/after-refusal.txt"
if ! cmp -s "$work/before.txt" "$work/after-refusal.txt"; then echo "FAILED: a refused restore changed the data"; status=1; fi
wiped_url="$(create_database portfolio_wiped)"
PORTFOLIO_DATABASE_URL="$wiped_url" .venv/bin/flask --app portfolio restore "$work/portfolio.backup"
fingerprint "$wiped_url" >"$work/restored.txt"
if cmp -s "$work/before.txt" "$work/restored.txt" && [ "$papers" -gt 0 ]; then
  echo "backup and restore: every row and all $papers stored papers' SHA-256 as before; a truncated backup refused, nothing changed"
else
  echo "FAILED: the restored database differs from the backed-up one ($papers papers)"; diff "$work/before.txt" "$work/restored.txt" | head; status=1
fi
# --------------------------------------------------------------------------------------------------

workers=$(grep -c "Booting worker" "$work/gunicorn.log" || true)
log_lines=$(grep -c '^{"time"' "$work/gunicorn.log" || true)
echo "gunicorn: $workers workers booted; $log_lines JSON request log lines"
if [ "$workers" -lt 4 ]; then echo "FAILED: expected 4 gunicorn workers"; status=1; fi
if grep -q -e "$password" -e "$token" "$work/gunicorn.log"; then echo "FAILED: a secret is in the log"; status=1; fi
if grep -q "Traceback" "$work/gunicorn.log"; then echo "FAILED: errors in the log:"; grep -A 20 Traceback "$work/gunicorn.log" | head -60; status=1; fi
echo "production smoke took $(( $(date +%s) - started )) s"
exit $status
