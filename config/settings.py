"""Settings for the branch-brand portal.

Configuration comes only from environment variables (django-environ). With none set the portal
runs on the embedded default: a SQLite file and Celery in eager mode. With DATABASE_URL and
CELERY_BROKER_URL it runs on PostgreSQL and Redis, the production setup.
"""

from email.utils import getaddresses
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; real deployments set variables directly

DEBUG = env.bool("DEBUG", default=False)
# The fallback key only ever serves the embedded default; production sets SECRET_KEY.
SECRET_KEY = env.str("SECRET_KEY", default="insecure-dev-only-key-set-SECRET_KEY-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# bench/load.py's floor, /bench/trivial/ (config/trivial.py): off unless a bench run sets it.
BENCH_TRIVIAL_VIEW = env.bool("BENCH_TRIVIAL_VIEW", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "treebeard",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "django_celery_beat",
    "common",
    "workflow",
    "branches",
    "evaluation",
    "brands",
    "flagship",
    "bulletins",
    "ledger",
    "groups",
    "honours",
    "selection",
    "rectification",
    "backup",
]

MIDDLEWARE = [
    # first, so every log line of the request carries its id (config/request_id.py)
    "config.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # a stored file that vanished, or a storage that is down, gets a page saying so
    "common.middleware.StoredFileErrorsMiddleware",
    "branches.middleware.SessionIdleTimeoutMiddleware",
    "branches.middleware.ForcePasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # last, as django-axes asks, so it sees the outcome of authentication
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# No "loaders" option on purpose: Django (since 4.1) then wraps the filesystem and app loaders in
# the cached loader, compiling each template once per process (tests/test_settings.py checks it).
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
                "workflow.context_processors.notifications",
                "branches.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Production (DATABASE_URL set) keeps each thread's connection for CONN_MAX_AGE seconds instead of
# opening one per request (#19: a connect and authentication on every page); Django pings a reused
# connection before the request uses it (CONN_HEALTH_CHECKS), so a PostgreSQL restart costs no
# error page. The embedded SQLite default opens a file, which is cheap: 0 there.
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "CONN_MAX_AGE", default=60 if env.str("DATABASE_URL", default="") else 0
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "branches.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "branches.backends.RulesDecide",  # a rules permission is not looked up as a model one
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after this many minutes without a request (branches.middleware), whether or not
# the user ticked 记住我 at login; unticked, the cookie also ends when the browser closes.
# SESSION_COOKIE_AGE (Django's 14 days) only caps a remembered session that stays in use.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=120)
# How long an e-mailed activation link (设置密码) stays valid; it is void once used.
PASSWORD_RESET_TIMEOUT = env.int("ACTIVATION_LINK_DAYS", default=3) * 24 * 3600

# Failed-login throttling: after AXES_FAILURE_LIMIT failures the username+IP pair is locked.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")


# Media (logos, photos, attachments, evidence, bulletins, exports) go through Django's storage
# API only: the local MEDIA_ROOT by default; an S3-compatible object store (django-storages:
# AWS S3, MinIO, any S3 API) when a bucket is configured, so any number of web and worker
# nodes see the same files. Either STORAGE_URL=s3://KEY:SECRET@host:port/bucket (s3+http:// for
# a plain-HTTP endpoint such as MinIO on a private network), or the AWS_* variables one by one
# (they win over the URL). Downloads still stream through the portal's views, which check the
# permission on every request: the bucket stays private and no URL to it ever reaches a browser.
def _s3_options() -> dict:
    from urllib.parse import unquote, urlsplit

    options = {}
    url = env.str("STORAGE_URL", default="")
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("s3", "s3+http", "s3+https"):
            raise ValueError("STORAGE_URL must start with s3://, s3+https:// or s3+http://")
        scheme = "http" if parts.scheme == "s3+http" else "https"
        if parts.hostname:
            host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
            port = f":{parts.port}" if parts.port else ""
            options["endpoint_url"] = f"{scheme}://{host}{port}"
        options["bucket_name"] = parts.path.strip("/")
        if parts.username:
            options["access_key"] = unquote(parts.username)
            options["secret_key"] = unquote(parts.password or "")
    for variable, option in (
        ("AWS_STORAGE_BUCKET_NAME", "bucket_name"),
        ("AWS_S3_ENDPOINT_URL", "endpoint_url"),
        ("AWS_ACCESS_KEY_ID", "access_key"),
        ("AWS_SECRET_ACCESS_KEY", "secret_key"),
        ("AWS_S3_REGION_NAME", "region_name"),
    ):
        value = env.str(variable, default="")
        if value:
            options[option] = value
    if not options.get("bucket_name"):
        return {}
    from botocore.config import Config  # installed with django-storages[s3]

    options.update(
        # Private objects, never a public-read ACL; stored names stay unique as on disk (the
        # bulletins switch to new names atomically; nothing is overwritten in place).
        default_acl=None,
        file_overwrite=False,
        querystring_auth=True,
        querystring_expire=60,  # were a signed URL ever made, it would be short-lived
        # Fail within seconds when the store is down, so a form answers with its message.
        client_config=Config(
            connect_timeout=3,
            read_timeout=20,
            retries={"max_attempts": 2, "mode": "standard"},
            signature_version="s3v4",
            s3={"addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path")},
        ),
    )
    return options


S3_STORAGE = _s3_options()
STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_STORAGE}
        if S3_STORAGE
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env.bool("STATIC_MANIFEST", default=True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Django's widget templates, a select's options rendered without an include each (#19: same
# HTML, tests/test_form_renderer.py).
FORM_RENDERER = "common.renderers.FormRenderer"

# E-mail: console in the embedded default; EMAIL_URL (smtp://user:pass@host:587) in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Error reporting (config/errors.py): unhandled errors and failing scheduled jobs are mailed
# to ADMINS ("运维 <ops@example.org>, b@example.org"); Sentry too when SENTRY_DSN is set.
ADMINS = [(name or addr, addr) for name, addr in getaddresses([env.str("ADMINS", default="")])]
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from config.errors import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Celery: without a broker the tasks run eagerly in-process, so the portal still works.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# No global CELERY_TASK_(SOFT_)TIME_LIMIT: every task declares its own bounds
# (workflow.tasks.TASK_OPTIONS: 10/11 min; backup.tasks: 45/50 min).
CELERY_TIMEZONE = TIME_ZONE
# The worker logs through LOGGING above (JSON in production, the task's id as request id),
# not through Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# An unreachable broker must not hold a page: sending a task gives up within a second (the job
# row stays queued in the database and the catch-up jobs send it later). Without these the
# result backend's reconnect loop (20 retries, 1 s apart) held each enqueue ~19 s.
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
# A message is redelivered when its worker has not acknowledged it (acks_late) within the
# visibility timeout: 1 hour, five times the longest a portal task may run (11 min,
# TASK_OPTIONS) plus its retry backoff (< 1 min), so a
# job still running is never handed to a second worker. A worker that dies leaves its job to
# the reaper (JOB_LEASE_SECONDS) long before the redelivery, which then finds it failed.
BROKER_VISIBILITY_TIMEOUT = 60 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 0.5
CELERY_REDIS_SOCKET_TIMEOUT = 2
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
}

# Schedules live in the database (django-celery-beat), editable in the admin; the defaults
# are shipped by workflow's data migration.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A running background job (bulletin, export) whose task has not touched its row for this long
# is taken as dead and failed by `workflow.tasks.reap_stale_jobs` (every minute). The tasks
# report progress every few seconds; their longest silent step (the 100k-row export's
# queries) takes well under a minute (bench/evaluation.md), so 3 minutes never reaps a live one.
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=180)
REMINDER_DAYS_BEFORE = env.list("REMINDER_DAYS_BEFORE", cast=int, default=[7, 3, 1])
# A month's ledger records lock at the end of this day of the next month (ledger/locking.py).
LEDGER_LOCK_AFTER_DAYS = env.int("LEDGER_LOCK_AFTER_DAYS", default=10)
# Days before the end of a month / quarter / year that the ledger reminds of meetings not yet
# held (ledger/reminders.py), each offset once per task and recipient.
LEDGER_REMINDER_DAYS_BEFORE = env.list("LEDGER_REMINDER_DAYS_BEFORE", cast=int, default=[5, 1])

# The monthly bulletin (bulletins/). An application in review for longer than
# BULLETIN_OVERDUE_DAYS (since its last submission) counts as overdue. The Excel list of
# returned/overdue items names, per committee, the BULLETIN_ITEMS_PER_COMMITTEE longest
# waiting (every count stays complete; a bulletin is circulated, not worked from, and the file
# stays small). BULLETIN_ISSUER fixes the issuing office on the cover (default: the scope's
# "<unit>党建工作部"). BULLETIN_CJK_FONT is the font file the charts' Chinese labels use (a
# missing file falls back to any installed CJK family).
# Tier follow-up (rectification/): a published tier-3 result opens a rectification plan due
# RECTIFICATION_DEADLINE_DAYS later, a tier-1 result invites the branch to file a brand — for
# the period kinds listed (月评价 monthly, 季评星 quarterly, 年定级 annual).
RECTIFICATION_DEADLINE_DAYS = env.int("RECTIFICATION_DEADLINE_DAYS", default=30)
RECTIFICATION_PERIOD_KINDS = env.list(
    "RECTIFICATION_PERIOD_KINDS", default=["monthly", "quarterly", "annual"]
)

BULLETIN_OVERDUE_DAYS = env.int("BULLETIN_OVERDUE_DAYS", default=15)
BULLETIN_ITEMS_PER_COMMITTEE = env.int("BULLETIN_ITEMS_PER_COMMITTEE", default=100)
BULLETIN_ISSUER = env.str("BULLETIN_ISSUER", default="")
BULLETIN_CJK_FONT = env.str(
    "BULLETIN_CJK_FONT", default="/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
)

# Backups (backup/, README "Backup and restore"): `manage.py backup` writes one folder per run
# into BACKUP_DIR and keeps the newest BACKUP_KEEP. The daily 02:30 run (beat) backs up only
# where BACKUP_DIR is set explicitly (production, docker-compose), not in a dev checkout.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / "backups")))
BACKUP_SCHEDULED = bool(env.str("BACKUP_DIR", default=""))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # An unreachable Redis reads as a miss, so pages serve from the database (config/cache.py).
    CACHES["default"]["BACKEND"] = "config.cache.FailSoftRedisCache"
# The bell's unread count cached per user (workflow/unread.py): only with a cache every web
# and worker process shares, where a notification's version bump reaches every reader.
UNREAD_COUNT_CACHED = env.bool(
    "UNREAD_COUNT_CACHED",
    default=CACHES["default"]["BACKEND"] == "config.cache.FailSoftRedisCache",
)

# The rankings' covering index (INCLUDE id, evaluation.Assessment) is for PostgreSQL; SQLite
# builds the same index without the included column, which is all the embedded default needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Security: strict in production (DEBUG off), relaxed only for local DEBUG runs.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# The preload directive only takes effect once someone submits the domain to the list.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# All assets are served from this origin (no CDN); uploaded images come from MEDIA_URL, also self.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

# Logs: one line per record on stderr, with the request id of the request it belongs to
# (config/request_id.py; "-" outside one). LOG_FORMAT=json (the default without DEBUG, i.e.
# in production) writes one JSON object per line for a log collector; text is for reading
# in a terminal (the default with DEBUG).
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ValueError(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "request_id": {"()": "config.request_id.RequestIdFilter"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
        # each unhandled request error (a 500) mailed to ADMINS, with its traceback
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # replaces Django's default handlers of "django" (its own mail_admins would mail twice)
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"handlers": ["mail_admins"], "propagate": True},
    },
}
