"""Settings for mallseg, read from the environment only.

Every value that differs between machines comes from an environment variable (see the
configuration reference in README.md). The defaults are the embedded ones: a SQLite file and
a filesystem Celery broker under ``var/``. Production-safe by default: DEBUG is off unless
asked for, and without DEBUG a SECRET_KEY must be set.
"""

from datetime import date, timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# CORE
DEBUG = env.bool("DEBUG", default=False)

# Only a development machine may run without a secret key; the key below is public.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
        "string (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or set DEBUG=true on a development machine."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "axes",
    "auditlog",
    "django_celery_beat",
    "core",
    "accounts",
    "customers",
    "segmentation",
    "rfm",
    "predictions",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RequestSizeLimitMiddleware",  # before anything reads the body
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "audit.middleware.AuditActorMiddleware",  # after authentication: entries name their actor
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "mallseg.urls"
WSGI_APPLICATION = "mallseg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# DATABASE
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'mallseg.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)  # the embedded default lives in var/, which git ignores
    # WAL lets the web server read while the worker writes; IMMEDIATE transactions take the
    # write lock up front instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
# Connections are reused, and checked before each reuse: a dropped connection costs no request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# AUTHENTICATION
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in ("UserAttributeSimilarityValidator", "MinimumLengthValidator")
    + ("CommonPasswordValidator", "NumericPasswordValidator")
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "segmentation:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Password guessing: after LOGIN_FAILURE_LIMIT failed logins for one username from one address
# (portal, admin or API token), that pair is locked out for LOGIN_COOLOFF_MINUTES. Admins see
# and clear lockouts in Django admin ("Access attempts") or with `manage.py axes_reset`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_page"
# The client's address, for the lockout and the API's rate limits: REMOTE_ADDR, or behind this
# many reverse proxies the address the outermost one saw (see core/http.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.http.client_address"
AXES_VERBOSE = False  # failures and lockouts are still logged as warnings

# INTERNATIONALISATION
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# STATIC FILES
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded customer files wait here for a worker; the web server and workers must share it.
IMPORT_UPLOAD_DIR = Path(env.str("IMPORT_UPLOAD_DIR", default=str(VAR_DIR / "uploads")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": IMPORT_UPLOAD_DIR, "file_permissions_mode": 0o600},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    if DEBUG  # whitenoise serves compressed, fingerprinted files in production
    else {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# SECURITY (production defaults; a TLS-terminating proxy is assumed in front of gunicorn)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # the orchestrator's health check speaks plain HTTP
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own files (no inline script anywhere); styles may be inline attributes
# (segment colours), never from elsewhere. JSON for charts travels in json_script data blocks.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = {feature: [] for feature in ("camera", "microphone", "geolocation", "payment", "usb")}

# CUSTOMER IMPORT
IMPORT_MAX_FILE_MB = env.float("IMPORT_MAX_FILE_MB", default=100)
# What one file may make the reader do (customers/importing/limits.py); beyond, it is refused.
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=100)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=10_000_000)
IMPORT_MAX_HEADER_CELL_CHARS = env.int("IMPORT_MAX_HEADER_CELL_CHARS", default=200)
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=1_000)
IMPORT_MAX_XLSX_INFLATED_MB = env.float("IMPORT_MAX_XLSX_INFLATED_MB", default=500)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads spool to a temporary file
# An import taking longer is stopped and writes nothing; imports one user may have unfinished.
IMPORT_TIME_LIMIT_SECONDS = env.int("IMPORT_TIME_LIMIT_SECONDS", default=1800)
IMPORTS_IN_PROGRESS_PER_USER = env.int("IMPORTS_IN_PROGRESS_PER_USER", default=2)

# BEHAVIOUR FEATURES (customers/behaviour.py), recomputed after every purchase import
# As of the end of this day (YYYY-MM-DD); empty: the day of the latest purchase in the book.
_behaviour_as_of = env.str("BEHAVIOUR_AS_OF", default="")
BEHAVIOUR_AS_OF = date.fromisoformat(_behaviour_as_of) if _behaviour_as_of else None
# Frequency and monetary count the purchases of this many days up to the as-of moment.
BEHAVIOUR_WINDOW_DAYS = env.int("BEHAVIOUR_WINDOW_DAYS", default=365)

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_standardized_errors.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.AnonRateThrottle",
        "core.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
    },
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],  # imports add multipart
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "mallseg API",
    "DESCRIPTION": (
        "Customers, segmentation runs, segments, personas, campaigns, recommendations and "
        "predictions. Authenticate with `Authorization: Token <key>` (POST /api/v1/auth/token/)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["accounts.api.HasRole"],
    # Error responses in the schema come from drf-standardized-errors.
    "ENUM_NAME_OVERRIDES": {
        name: f"drf_standardized_errors.openapi_serializers.{name}.choices"
        for name in [
            *("ValidationErrorEnum", "ClientErrorEnum", "ServerErrorEnum"),
            *(f"ErrorCode{status}Enum" for status in (401, 403, 404, 405, 406, 415, 429, 500)),
        ]
    },
    "POSTPROCESSING_HOOKS": ["drf_standardized_errors.openapi_hooks.postprocess_schema_enums"],
}

API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)  # a token older than this is refused
DRF_STANDARDIZED_ERRORS = {"EXCEPTION_HANDLER_CLASS": "core.api.errors.ExceptionHandler"}

# CACHE (API throttling counts live here; use Redis when several processes serve the API)
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# CELERY
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_FOLDER = Path(env.str("CELERY_BROKER_FOLDER", default=str(VAR_DIR / "broker")))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True  # progress and outcomes live on database rows
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Beat reads its schedule from the database (django-celery-beat): the periodic jobs below are
# written there when it starts, beside the re-segmentation schedules users create.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "fail-stale-runs": {"task": "segmentation.tasks.fail_stale_runs", "schedule": 60.0},
    "fail-stale-imports": {"task": "customers.tasks.fail_stale_imports", "schedule": 60.0},
    "place-new-customers": {"task": "segmentation.tasks.place_new_customers", "schedule": 60.0},
    "fail-stale-forecasts": {"task": "predictions.tasks.fail_stale_forecasts", "schedule": 60.0},
}

# BACKGROUND JOBS (runs and imports)
# A running job whose worker has not reported progress for this long is marked failed, and so
# is a queued job that no worker has picked up for JOB_QUEUE_TIMEOUT_SECONDS.
JOB_HEARTBEAT_TIMEOUT_SECONDS = env.int("JOB_HEARTBEAT_TIMEOUT_SECONDS", default=300)
JOB_QUEUE_TIMEOUT_SECONDS = env.int("JOB_QUEUE_TIMEOUT_SECONDS", default=7200)

# PREDICTIONS (lapse risk and expected spend, predictions/)
# Lapse means no purchase within FORECAST_HORIZON_DAYS; expected spend is over the same days.
FORECAST_HORIZON_DAYS = env.int("FORECAST_HORIZON_DAYS", default=90)
FORECAST_TIME_LIMIT_SECONDS = env.int("FORECAST_TIME_LIMIT_SECONDS", default=3600)
FORECASTS_IN_PROGRESS_PER_USER = env.int("FORECASTS_IN_PROGRESS_PER_USER", default=1)

# SEGMENTATION
RUN_TIME_LIMIT_SECONDS = env.int("RUN_TIME_LIMIT_SECONDS", default=3600)
RUNS_IN_PROGRESS_PER_USER = env.int("RUNS_IN_PROGRESS_PER_USER", default=3)  # queued or running
# Threads the maths libraries may use inside one worker process during a run.
ENGINE_THREADS = env.int("ENGINE_THREADS", default=1)
# Guardrails (segmentation/engine/trust.py): stability re-clusters this many subsets of the
# customers; a segment under SEGMENT_MIN_SHARE of them or SEGMENT_MIN_SIZE customers is tiny.
STABILITY_RESAMPLES = env.int("STABILITY_RESAMPLES", default=10)
SEGMENT_MIN_SHARE = env.float("SEGMENT_MIN_SHARE", default=0.02)
SEGMENT_MIN_SIZE = env.int("SEGMENT_MIN_SIZE", default=10)
# Campaign outcomes rank a segment's campaigns once both the customers sent a campaign and its
# control group reach this many (segmentation/outcomes/ranking.py).
CAMPAIGN_MIN_SENDS = env.int("CAMPAIGN_MIN_SENDS", default=30)

# LOGGING
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
