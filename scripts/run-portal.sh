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
python manage.py seed_demo_outcomes --if-empty

# The worker, and beat (the periodic jobs: failing stale runs, placing new customers, and the
# re-segmentation schedules, read from the database) as a
# process of its own, as in production: a beat embedded in the worker (-B) outlived a killed
# worker, and the next start ran two.
celery -A mallseg worker --loglevel=INFO --concurrency=1 >>var/worker.log 2>&1 &
worker=$!
celery -A mallseg beat --loglevel=INFO >>var/beat.log 2>&1 &
beat=$!
trap 'kill "$worker" "$beat" 2>/dev/null; wait "$worker" "$beat" 2>/dev/null' EXIT

echo
echo "mallseg runs on http://127.0.0.1:${PORT}/ (Celery worker pid ${worker}, beat pid ${beat}; logs in var/)"
echo "Demo logins:"
python manage.py reset_demo_logins
echo
python manage.py runserver "127.0.0.1:${PORT}"
