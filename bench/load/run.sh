#!/usr/bin/env bash
# The load benchmark: gunicorn (4 workers, as the README runs it) and a throwaway PostgreSQL on
# 127.0.0.1, the Locust scenario (bench/load/locustfile.py) headless for DURATION at each number of
# simulated users, then a table per run (throughput, median and 95th percentile per page, failures)
# and a check that every write answered as saved is in the database.
#
#   .venv/bin/pip install -e ".[bench]"     # Locust
#   bash bench/load/run.sh                  # 60 s at 50 users, then 60 s at 200
#   USERS="50 200" DURATION=60 SPAWN_RATE=2 GUNICORN_ARGS="--workers 4" bash bench/load/run.sh
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
self="$(realpath "$0")"
cd "$(dirname "$0")/../.."

source scripts/throwaway.sh
ensure_postgres "$self" "$@"
if [ ! -x .venv/bin/locust ]; then
  echo 'Locust is missing: .venv/bin/pip install -e ".[bench]"'; exit 1
fi

users_list="${USERS:-50 200}"
duration="${DURATION:-60}"
spawn_rate="${SPAWN_RATE:-2}"
out="${LOAD_OUT:-bench/load/results}"
mkdir -p "$out"
work="$(mktemp -d /tmp/portfolio-load.XXXXXX)"
gunicorn_pid=""
cleanup() {
  if [ -n "$gunicorn_pid" ]; then kill "$gunicorn_pid" 2>/dev/null || true; wait "$gunicorn_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export PORTFOLIO_DATABASE_URL="$(create_database portfolio)"
export PORTFOLIO_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
.venv/bin/flask --app portfolio db upgrade >/dev/null
# Accounts for the largest run: leaders 3/8, finance 1/8, management 1/8, viewers 3/8 (Locust's weights).
max_users=$(echo "$users_list" | tr ' ' '\n' | sort -n | tail -1)
.venv/bin/python bench/load/setup_data.py "$work/accounts.json" \
  $(( max_users * 3 / 8 + 2 )) $(( max_users / 8 + 2 )) $(( max_users / 8 + 2 )) $(( max_users * 3 / 8 + 2 ))

port="$(free_port)"
.venv/bin/gunicorn ${GUNICORN_ARGS:---workers 4} --bind "127.0.0.1:$port" "portfolio:create_app()" 2>"$work/gunicorn.log" &
gunicorn_pid=$!
wait_healthy "$port"

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
