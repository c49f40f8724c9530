#!/usr/bin/env bash
# Runs the portal for development: migrations, demo data, demo logins, a Celery worker
# process and the web server. Stop it with Ctrl-C (the worker stops with it).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-true}"
PORT="${PORT:-8000}"

python manage.py migrate --no-input
python manage.py collectstatic --no-input -v0
python manage.py seed_demo --if-empty --customers "${DEMO_CUSTOMERS:-2000}"
python manage.py segment --sync --if-no-active

# -B runs the periodic jobs (stale-run detection, placing new customers) in the same process.
celery -A mallseg worker -B --schedule=var/celerybeat-schedule --loglevel=INFO --concurrency=1 \
  >>var/worker.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT

echo
echo "mallseg runs on http://127.0.0.1:${PORT}/ (Celery worker pid ${worker}, log in var/worker.log)"
echo "Demo logins:"
python manage.py reset_demo_logins
echo
python manage.py runserver "127.0.0.1:${PORT}"
