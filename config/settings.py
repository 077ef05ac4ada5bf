"""Support Desk settings: one module, read from the environment (12-factor).

Every variable is listed in `.env.example` and the README. Local defaults are safe to run on a
laptop (SQLite file, no Redis, tasks in-process); production refuses to start without a secret key.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment for a production start, "
            "or DEBUG=1 for local development (which uses a development-only key)."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

DATA_DIR = Path(env_str("DATA_DIR") or BASE_DIR / "data")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if DEBUG:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Public address of the web app, used for links in emails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "anymail",
    "desk.core",
    "desk.accounts",
    "desk.support",
    "desk.notifications",
    "desk.mail",
    "desk.sla",
    "desk.realtime",
    "desk.workspace",
    "desk.people",
    "desk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "desk.core.security.SecurityHeadersMiddleware",
    "desk.core.security.NullCharacterGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "desk.core.ratelimit.RateLimitHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "desk" / "templates"],
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

# --- Database ---------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'desk.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and a writer work at once; IMMEDIATE avoids "database is locked"
        # upgrades when two requests write at the same moment.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # Tests use a file (not memory) so that a live server thread shares the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DB_POOL_MAX_SIZE = env_int("DB_POOL_MAX_SIZE", 10)
    if DB_POOL_MAX_SIZE > 0:
        # A connection pool per process (psycopg's). Under ASGI every request runs in its own
        # thread, so persistent per-thread connections would pile up until PostgreSQL refuses more;
        # the pool lends one for the request and takes it back.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": DB_POOL_MAX_SIZE,
            "timeout": env_int("DB_POOL_TIMEOUT", 10),
        }
    else:
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, channels, tasks --------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "desk"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # A socket listens with a blocking pop that Redis answers after 5 s without events;
                # the read timeout must outlast it, or an idle connection's receive fails.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15, "socket_connect_timeout": 2}],
                "prefix": env_str("CHANNELS_PREFIX", "desk"),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "desk"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Embedded mode (no REDIS_URL): tasks run in-process once the transaction commits.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not (env_str("CELERY_BROKER_URL") or REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "desk")
# When the broker is down, give up publishing quickly: the email's delivery record waits for the
# periodic retry rather than holding the request.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BEAT_SCHEDULE = {
    "retry-due-emails": {"task": "desk.notifications.tasks.retry_due_emails", "schedule": 60.0},
    "check-sla": {"task": "desk.sla.tasks.check_sla", "schedule": 60.0},
    "purge-unsent-attachments": {"task": "desk.support.tasks.purge_unsent_attachments", "schedule": 3600.0},
    "purge-attempts": {"task": "desk.accounts.tasks.purge_attempts", "schedule": 3600.0},
    "poll-mailboxes": {"task": "desk.mail.tasks.poll_mailboxes", "schedule": 60.0},
    "retry-inbound-email": {"task": "desk.mail.tasks.retry_received", "schedule": 300.0},
}
# Embedded mode has no beat process: with this on, the ASGI server runs the same sweep in a thread.
EMBEDDED_SCHEDULER = env_bool("EMBEDDED_SCHEDULER", default=False)

# --- Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "SIGNING_KEY": env_str("JWT_SIGNING_KEY") or SECRET_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "TOKEN_OBTAIN_SERIALIZER": "desk.accounts.authentication.DeskTokenObtainPairSerializer",
}
# A rotated refresh token used again this long after its rotation ends its session (it was
# copied); sooner, it is only refused (two tabs of one browser refreshing at the same moment).
REFRESH_REUSE_GRACE_SECONDS = env_int("REFRESH_REUSE_GRACE_SECONDS", 10)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["desk.accounts.authentication.DeskJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "desk.core.parsers.SafeJSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["desk.core.ratelimit.RateLimitThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "desk.core.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Support Desk API",
    "DESCRIPTION": "Tickets, conversations, attachments and staff tools for a services marketplace.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SourceEnum": "desk.support.models.Source",
        "StatusEnum": "desk.support.models.Status",
        "InboundStatusEnum": "desk.mail.models.InboundStatus",
        "InboundChannelEnum": "desk.mail.models.Channel",
        "SlaTargetEnum": "desk.sla.models.Target",
        "SlaTargetStateEnum": "desk.sla.schema.TARGET_STATE_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "desk.core.schema.document_query_refusals",
    ],
}

# --- Limits -----------------------------------------------------------------------------------
RATE_LIMIT_ENABLED = env_bool("RATE_LIMIT_ENABLED", default=True)
RATE_LIMIT_TICKET_CREATE = env_int("RATE_LIMIT_TICKET_CREATE", 30)  # per user per minute
RATE_LIMIT_DEFAULT = env_int("RATE_LIMIT_DEFAULT", 100)  # per user per minute
RATE_LIMIT_ANONYMOUS = env_int("RATE_LIMIT_ANONYMOUS", 100)  # unauthenticated requests per address per minute
RATE_LIMIT_SIGN_IN = env_int("RATE_LIMIT_SIGN_IN", 10)  # sign-in attempts per address and account per minute
RATE_LIMIT_REFRESH = env_int("RATE_LIMIT_REFRESH", 30)  # token refreshes (and sign-outs) per account per minute
RATE_LIMIT_ACCOUNT = env_int("RATE_LIMIT_ACCOUNT", 20)  # registrations and reset requests per address per minute
RATE_LIMIT_INBOUND_EMAIL = env_int("RATE_LIMIT_INBOUND_EMAIL", 6000)  # raw mails per client address per minute
RATE_LIMIT_WINDOW_SECONDS = env_int("RATE_LIMIT_WINDOW_SECONDS", 60)
# How many proxies of our own stand in front of the app (a TLS terminator, a load balancer): the
# client's address is then read from X-Forwarded-For, never otherwise.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Failed sign-ins allowed per (sliding) window, per account and per address. A locked account is
# refused even with the right password; a busy address only has its wrong guesses refused.
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_IP = env_int("LOGIN_FAILURES_PER_IP", 20)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 900)
# Password reset emails per address per window, and how long a reset link works.
PASSWORD_RESETS_PER_ACCOUNT = env_int("PASSWORD_RESETS_PER_ACCOUNT", 3)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600)
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# Benchmark only: mount the bare-SQL limit views of bench/ (never set in production).
BENCH_LIMIT_VIEWS = env_bool("BENCH_LIMIT_VIEWS")
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_HANDLERS = ["desk.core.uploads.LimitedTemporaryFileUploadHandler"]

# --- Email ------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 1025)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Support Desk <support@example.com>")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or str(DATA_DIR / "outbox")
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 10)
# The desk's name in the From of staff replies ("Alice at Support Desk").
DESK_NAME = env_str("DESK_NAME", "Support Desk")

# --- Email channel (inbound) ------------------------------------------------------------------
# The address customers write to; replies come back to <local>+<signed ticket token>@<domain>.
# Default: the address of DEFAULT_FROM_EMAIL.
INBOUND_EMAIL_ADDRESS = env_str("INBOUND_EMAIL_ADDRESS")
# Other addresses that are ours (aliases, mailbox users): mail from them is never answered.
OWN_EMAIL_ADDRESSES = env_list("OWN_EMAIL_ADDRESSES", [])
# The bearer token of POST /api/inbound/email/ (raw MIME); unset, the endpoint answers 404.
INBOUND_EMAIL_TOKEN = env_str("INBOUND_EMAIL_TOKEN")
INBOUND_EMAIL_MAX_BYTES = env_int("INBOUND_EMAIL_MAX_BYTES", 25 * 1024 * 1024)
# Mail from an unknown address opens a ticket for a new customer account ("create"), or is
# ignored ("reject").
INBOUND_UNKNOWN_SENDERS = env_str("INBOUND_UNKNOWN_SENDERS", "create")
INBOUND_TICKETS_PER_SENDER_PER_HOUR = env_int("INBOUND_TICKETS_PER_SENDER_PER_HOUR", 20)
INBOUND_MAX_ATTEMPTS = env_int("INBOUND_MAX_ATTEMPTS", 5)
IMAP_TIMEOUT = env_int("IMAP_TIMEOUT", 30)
IMAP_BATCH = env_int("IMAP_BATCH", 50)  # mails fetched per mailbox per poll
# The key that encrypts mailbox passwords at rest (default: derived from SECRET_KEY).
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")
# Provider webhooks (django-anymail): the shared secret of their basic auth, "user:password".
ANYMAIL = {"WEBHOOK_SECRET": env_str("ANYMAIL_WEBHOOK_SECRET")} if env_str("ANYMAIL_WEBHOOK_SECRET") else {}

# --- Files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
WEB_DIST_DIR = BASE_DIR / "web" / "dist"
STATICFILES_DIRS = [WEB_DIST_DIR] if WEB_DIST_DIR.is_dir() else []
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or DATA_DIR / "media")
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": AWS_STORAGE_BUCKET_NAME,
                "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
                "region_name": env_str("AWS_S3_REGION_NAME") or None,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
        if AWS_STORAGE_BUCKET_NAME
        else {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}}
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = False
# Serve the web build straight from web/dist too, so a fresh build needs no collectstatic to show.
WHITENOISE_USE_FINDERS = True
# Vite names its build files by content hash (assets/index-3f2a1b9c.js): cache those for a year.
WHITENOISE_IMMUTABLE_FILE_TEST = r"^/static/assets/.+-[0-9a-zA-Z_-]{8}\.\w+$"

# --- Security ---------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "desk.core.views.csrf_failure"
HTTPS = env_bool("HTTPS", default=False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# --- I18N -------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        # Stale channels of closed sockets fill up until they expire; that is expected, not news.
        "channels_redis": {"level": "WARNING"},
    },
}
if CELERY_TASK_ALWAYS_EAGER:
    # Embedded mode runs tasks in-process: a line per task run (every email of the demo data) and
    # kombu's note about the broker it does not use are noise here; a worker logs its own.
    LOGGING["loggers"].update({"celery.app.trace": {"level": "WARNING"}, "kombu.connection": {"level": "ERROR"}})
