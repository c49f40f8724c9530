#!/usr/bin/env bash
# Schemathesis against the live OpenAPI schema: every endpoint, every default check, as a
# Marketing user and as staff. Fails on any 5xx, any response that breaks the schema, any
# malformed request accepted and any schema-valid request refused as malformed (400).
# scripts/schemathesis.toml names the two operations (runs/, predict/) whose 422 answers a rule
# the schema cannot state; POST imports/ answers 202, or 409 beyond the per-user limit. Runs a
# production-like server (gunicorn, DEBUG off) on a throwaway SQLite database. No worker runs:
# posted imports stay queued, their uploads in the throwaway folder.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${CONTRACT_PORT:-8765}"
MAX_EXAMPLES="${CONTRACT_MAX_EXAMPLES:-25}"
SEED="${CONTRACT_SEED:-1}"
workdir="$(mktemp -d)"
export DATABASE_URL="sqlite:///${workdir}/contract.sqlite3"
export CELERY_BROKER_URL="filesystem://" CELERY_BROKER_FOLDER="${workdir}/broker"
export IMPORT_UPLOAD_DIR="${workdir}/uploads"
export SECRET_KEY="contract-check-$(python -c 'import secrets; print(secrets.token_urlsafe(32))')"
export DEBUG=false SECURE_SSL_REDIRECT=false API_THROTTLE_USER=100000/minute API_THROTTLE_ANON=100000/minute

python manage.py migrate -v0
python manage.py collectstatic --no-input -v0
python manage.py seed_demo --customers 500 --seed 1 >/dev/null
python manage.py segment --sync >/dev/null
tokens="$(python manage.py shell --no-imports -c '
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
analyst = User.objects.create_user("contract-analyst")
analyst.groups.add(Group.objects.get(name="Marketing"))
staff = User.objects.create_user("contract-staff", is_staff=True, is_superuser=True)
print(Token.objects.create(user=analyst).key, Token.objects.create(user=staff).key)
')"
read -r analyst_token staff_token <<<"$tokens"

# --limit-request-line 0: the fuzzer sends query strings longer than gunicorn's own 4 KB cap,
# which gunicorn refuses (414) before Django sees them; the API itself is what is under test.
gunicorn mallseg.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --log-level warning --limit-request-line 0 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$workdir"' EXIT

for _ in $(seq 60); do
  curl -sf -o "${workdir}/schema.json" -H "Authorization: Token ${analyst_token}" \
    -H "Accept: application/vnd.oai.openapi+json" "http://127.0.0.1:${PORT}/api/schema/" && break
  sleep 0.5
done

status=0
for token in "$analyst_token" "$staff_token"; do
  schemathesis --config-file scripts/schemathesis.toml run "${workdir}/schema.json" --url "http://127.0.0.1:${PORT}" \
    --header "Authorization: Token ${token}" \
    --max-examples "$MAX_EXAMPLES" --seed "$SEED" --no-color || status=1
done
exit "$status"
