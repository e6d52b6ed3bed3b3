#!/usr/bin/env bash
# The load benchmark: gunicorn (4 workers, as the README runs it) and a throwaway PostgreSQL on
# 127.0.0.1, the Locust scenario (bench/load/locustfile.py) headless for DURATION at each number of
# simulated users, then a table per run (throughput, median and 95th percentile per page, failures)
# and a check that every write answered as saved is in the database.
#
#   .venv/bin/pip install -e ".[bench]"     # Locust
#   bash bench/load/run.sh                  # 60 s at 50 users, then 60 s at 200
#   USERS="50 200" DURATION=60 SPAWN_RATE=4 bash bench/load/run.sh
#
# Each run: the simulated people arrive SPAWN_RATE a second and sign in (Argon2id, deliberately
# costly: their times are printed apart), then the statistics are reset and the table covers the
# next DURATION seconds, everyone working. Think time: 5-15 s between clicks.
#
# The app runs with PORTFOLIO_ENVIRONMENT=development and a fixed secret key: Locust talks plain HTTP
# and would not send production's Secure (__Host-) cookies back; everything else is as in production.
# Login throttling counts failed sign-ins only, and every simulated person signs in correctly with an
# account of their own, so the production defaults stay as they are.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -z "${PORTFOLIO_TEST_DATABASE_URL:-}" ]; then
  export PORTFOLIO_PG_PORT="${PORTFOLIO_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
  exec bash scripts/with-postgres.sh bash "$0" "$@"
fi
if [ ! -x .venv/bin/locust ]; then
  echo 'Locust is missing: .venv/bin/pip install -e ".[bench]"'; exit 1
fi

users_list="${USERS:-50 200}"
duration="${DURATION:-60}"
spawn_rate="${SPAWN_RATE:-4}"
out="${LOAD_OUT:-bench/load/results}"
mkdir -p "$out"
work="$(mktemp -d /tmp/portfolio-load.XXXXXX)"
gunicorn_pid=""
cleanup() {
  if [ -n "$gunicorn_pid" ]; then kill "$gunicorn_pid" 2>/dev/null || true; wait "$gunicorn_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

bindir="$(pg_config --bindir)"
pg="${PORTFOLIO_TEST_DATABASE_URL#*//}"; pg_host_port="${pg#*@}"; pg_host_port="${pg_host_port%%/*}"
"$bindir/createdb" -h "${pg_host_port%%:*}" -p "${pg_host_port##*:}" -U app portfolio
export PORTFOLIO_DATABASE_URL="${PORTFOLIO_TEST_DATABASE_URL%/*}/portfolio"
export PORTFOLIO_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
.venv/bin/flask --app portfolio db upgrade >/dev/null
# Accounts for the largest run: leaders 3/8, finance 1/8, management 1/8, viewers 3/8 (Locust's weights).
max_users=$(echo "$users_list" | tr ' ' '\n' | sort -n | tail -1)
.venv/bin/python bench/load/setup_data.py "$work/accounts.json" \
  $(( max_users * 3 / 8 + 2 )) $(( max_users / 8 + 2 )) $(( max_users / 8 + 2 )) $(( max_users * 3 / 8 + 2 ))

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
.venv/bin/gunicorn --workers 4 --bind "127.0.0.1:$port" "portfolio:create_app()" 2>"$work/gunicorn.log" &
gunicorn_pid=$!
for _ in $(seq 1 100); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=1)" 2>/dev/null && break
  sleep 0.2
done

status=0
for users in $users_list; do
  ramp=$(( (users + spawn_rate - 1) / spawn_rate ))
  echo "== $users users: $ramp s arriving, then ${duration} s measured =="
  LOAD_ACCOUNTS="$work/accounts.json" LOAD_WRITES="$out/writes-$users.json" \
    .venv/bin/locust -f bench/load/locustfile.py --headless --only-summary --users "$users" \
    --spawn-rate "$spawn_rate" --reset-stats --run-time "$(( ramp + duration ))s" --stop-timeout 20 \
    --host "http://127.0.0.1:$port" --csv "$out/u$users" >"$out/locust-$users.log" 2>&1 || true
  .venv/bin/python bench/load/report.py "$out/u${users}_stats.csv" "$users"
  .venv/bin/python bench/load/check_writes.py "$out/writes-$users.json" || status=1
done
if grep -q "Traceback" "$work/gunicorn.log"; then echo "errors in the server log:"; grep -A 15 Traceback "$work/gunicorn.log" | head -40; status=1; fi
exit $status
