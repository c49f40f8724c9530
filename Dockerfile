# The mallseg image: web (gunicorn) and worker (celery) run from it with different commands.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# Processes never write bytecode (PYTHONDONTWRITEBYTECODE; the app is not theirs to write), so the
# project is compiled once here: otherwise every web worker, Celery process and command would
# compile its few hundred modules again as it starts.
RUN python -m compileall -q .
# collectstatic needs settings to load; this key exists only during the build.
RUN SECRET_KEY=collectstatic-build-only python manage.py collectstatic --no-input -v0

# var/uploads exists (owned by mallseg) so that a named volume mounted there starts writable
# (docker-compose.yml: import-uploads, IMPORT_UPLOAD_DIR).
RUN useradd --create-home mallseg && mkdir -p var/uploads && chown -R mallseg var
USER mallseg

EXPOSE 8000
CMD ["gunicorn", "mallseg.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
