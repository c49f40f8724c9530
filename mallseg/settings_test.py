"""Test settings: the real settings with only what tests need switched."""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-used-anywhere-else")
# Tests publish to their own embedded queue, never to a development worker's.
TEST_BROKER_FOLDER = Path(__file__).resolve().parent.parent / "var" / "test-broker"
os.environ.setdefault("CELERY_BROKER_FOLDER", str(TEST_BROKER_FOLDER))
os.environ.setdefault("IMPORT_UPLOAD_DIR", str(TEST_BROKER_FOLDER.parent / "test-uploads"))

from mallseg.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so that a real Celery worker process can open the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
