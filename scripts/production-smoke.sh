#!/usr/bin/env bash
# Production as the README documents it, tried: a throwaway PostgreSQL cluster (scripts/with-postgres.sh),
# the README's steps (virtualenv, translations, db upgrade, users create) and gunicorn with 4 workers
# behind an imagined TLS proxy; then sign in with a password and visit every kind of page
# (scripts/production_smoke.py). CI runs it after the two test suites. About a minute.
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

workers=$(grep -c "Booting worker" "$work/gunicorn.log" || true)
log_lines=$(grep -c '^{"time"' "$work/gunicorn.log" || true)
echo "gunicorn: $workers workers booted; $log_lines JSON request log lines"
if [ "$workers" -lt 4 ]; then echo "FAILED: expected 4 gunicorn workers"; status=1; fi
if grep -q -e "$password" -e "$token" "$work/gunicorn.log"; then echo "FAILED: a secret is in the log"; status=1; fi
if grep -q "Traceback" "$work/gunicorn.log"; then echo "FAILED: errors in the log:"; grep -A 20 Traceback "$work/gunicorn.log" | head -60; status=1; fi
echo "production smoke took $(( $(date +%s) - started )) s"
exit $status
