"""Sanxiang settings: one module, every value from the environment.

``SANXIANG_ENV`` is ``development`` (the default: the embedded demo on SQLite) or ``production``; production
refuses to start without a secret key, a signing key and allowed hosts.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SANXIANG_VAR_DIR") or BASE_DIR / "var")

ENVIRONMENT = env_str("SANXIANG_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("SANXIANG_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"

# Off unless asked for (SANXIANG_DEBUG=1): the demo shows the Chinese 404/403/500 pages, never a traceback.
DEBUG = env_bool("SANXIANG_DEBUG", default=False)

_secret = env_str("SANXIANG_SECRET_KEY")
if not _secret:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SANXIANG_SECRET_KEY (or SANXIANG_SECRET_KEY_FILE) is required in production"
        )
    _secret = "development-only-insecure-key-change-me-in-production-0123456789"  # noqa: S105
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list(
    "SANXIANG_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("SANXIANG_ALLOWED_HOSTS is required in production")
CSRF_TRUSTED_ORIGINS = env_list("SANXIANG_CSRF_TRUSTED_ORIGINS", [])

# Ed25519 key that signs the audit log's tree heads: base64 of the 32-byte private key, from
# SANXIANG_SIGNING_KEY or the file SANXIANG_SIGNING_KEY_FILE (default var/audit-signing.key, which
# ``manage.py generate_signing_key`` writes for the demo).
SIGNING_KEY = env_str("SANXIANG_SIGNING_KEY")
SIGNING_KEY_FILE = Path(env_str("SANXIANG_SIGNING_KEY_PATH") or VAR_DIR / "audit-signing.key")
if PRODUCTION and not SIGNING_KEY:
    raise ImproperlyConfigured(
        "SANXIANG_SIGNING_KEY (or SANXIANG_SIGNING_KEY_FILE) is required in production"
    )

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'sanxiang.sqlite3'}",
        conn_max_age=env_int("SANXIANG_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; the busy timeout makes writers wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "sanxiang.core",
    "sanxiang.audit",
    "sanxiang.deadlines",
    "sanxiang.agencies",
    "sanxiang.accounts",
    "sanxiang.parties",
    "sanxiang.cases",
    "sanxiang.inspections",
    "sanxiang.coercion",
    "sanxiang.payments",
    "sanxiang.documents",
    "sanxiang.evidence",
    "sanxiang.access",
    "sanxiang.review",
    "sanxiang.worklist",
    "sanxiang.api",
    "sanxiang.disclosure",
    "sanxiang.complaints",
    "sanxiang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sanxiang.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "sanxiang.accounts.middleware.IdleTimeoutMiddleware",
    # axes must come last: it turns a locked-out login into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sanxiang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sanxiang.accounts.context_processors.navigation",
                "sanxiang.worklist.context_processors.notifications",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "sanxiang.accounts.passwords.CharacterClassValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failed logins (django-axes): per user name and address.
AXES_FAILURE_LIMIT = env_int("SANXIANG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("SANXIANG_LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Session expiry after inactivity (seconds); the middleware enforces it on every request.
SESSION_IDLE_TIMEOUT = env_int("SANXIANG_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_COOKIE_AGE = env_int("SANXIANG_SESSION_MAX_SECONDS", 12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("SANXIANG_STATIC_ROOT") or VAR_DIR / "static")
# The embedded demo has no reverse proxy in front: Django serves /static/ itself (config/urls.py), with
# DEBUG off too. In production the proxy serves STATIC_ROOT after collectstatic.
SERVE_STATIC = env_bool("SANXIANG_SERVE_STATIC", default=not PRODUCTION)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("SANXIANG_MEDIA_ROOT") or VAR_DIR / "media")
# Evidence originals (sanxiang.evidence.storage): "local" keeps them under EVIDENCE_ROOT, written once; "s3"
# keeps them in an S3 bucket with object lock (WORM; sanxiang.evidence.storage_s3), created once with
# ``manage.py evidence_bucket_setup``. Uploads and imports are staged under EVIDENCE_ROOT/staging either way.
EVIDENCE_STORAGE = env_str("SANXIANG_EVIDENCE_STORAGE", "local")
EVIDENCE_ROOT = Path(env_str("SANXIANG_EVIDENCE_ROOT") or VAR_DIR / "evidence")
EVIDENCE_S3_ENDPOINT_URL = env_str("SANXIANG_EVIDENCE_S3_ENDPOINT_URL") or None  # None: AWS itself
EVIDENCE_S3_REGION = env_str("SANXIANG_EVIDENCE_S3_REGION", "us-east-1")
EVIDENCE_S3_BUCKET = env_str("SANXIANG_EVIDENCE_S3_BUCKET", "sanxiang-evidence")
EVIDENCE_S3_ACCESS_KEY = env_str("SANXIANG_EVIDENCE_S3_ACCESS_KEY")
EVIDENCE_S3_SECRET_KEY = env_str("SANXIANG_EVIDENCE_S3_SECRET_KEY")  # or SANXIANG_EVIDENCE_S3_SECRET_KEY_FILE
# Every original is locked until this many years after it is stored (evidence is kept with the case, often
# for good: domain.md §5.1). COMPLIANCE: nobody can delete or overwrite it before then, not even the bucket's
# administrator; GOVERNANCE: a user granted s3:BypassGovernanceRetention can.
EVIDENCE_RETENTION_YEARS = env_int("SANXIANG_EVIDENCE_RETENTION_YEARS", 30)
if EVIDENCE_RETENTION_YEARS < 1:
    raise ImproperlyConfigured("SANXIANG_EVIDENCE_RETENTION_YEARS must be at least 1")
EVIDENCE_S3_LOCK_MODE = (env_str("SANXIANG_EVIDENCE_S3_LOCK_MODE") or "COMPLIANCE").upper()
if EVIDENCE_S3_LOCK_MODE not in {"COMPLIANCE", "GOVERNANCE"}:
    raise ImproperlyConfigured("SANXIANG_EVIDENCE_S3_LOCK_MODE must be COMPLIANCE or GOVERNANCE")
# Background work (django-tasks): the database queue, run by ``manage.py db_worker``; "immediate" runs
# each task in the caller, for a box without a worker.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_str("SANXIANG_TASKS", "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}
# 国密 deployments hash every original with SM3 (GB/T 32905-2016) as well as SHA-256.
EVIDENCE_SM3 = env_bool("SANXIANG_EVIDENCE_SM3", default=False)

# Public base URL used where a link must leave the system (QR codes on printed credential cards).
PUBLIC_BASE_URL = (env_str("SANXIANG_PUBLIC_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")

# Key of the query codes printed on a party's documents (办理进度查询, sanxiang.cases.query_code); by default
# derived from the secret key. Changing it changes every code, so printed codes stop working.
QUERY_CODE_KEY = env_str("SANXIANG_QUERY_CODE_KEY")

# Complaints and reports (投诉举报) are answered within this many working days of receipt (a local rule).
COMPLAINT_RESPONSE_DAYS = env_int("SANXIANG_COMPLAINT_RESPONSE_DAYS", 15)

# check_deadlines: tell a user of a clock this many days before it runs out (and once it is overdue).
SANXIANG_NOTIFY_DAYS_BEFORE = env_int("SANXIANG_NOTIFY_DAYS_BEFORE", 3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SANXIANG_LOG_LEVEL", "WARNING")},
}

# Cache (throttles, the portal's public pages): one process's memory by default. Several app servers must
# share one cache, or a publish or withdrawal served by one process is not seen by the others' cached pages:
# SANXIANG_CACHE_URL=redis://127.0.0.1:6379/1 (Redis), or file:///path for a folder on one machine.
_cache_url = env_str("SANXIANG_CACHE_URL") or ""
if _cache_url.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "sanxiang.core.cache.RedisCache", "LOCATION": _cache_url}}
elif _cache_url.startswith("file://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": _cache_url.removeprefix("file://"),
        }
    }
elif _cache_url:
    raise ImproperlyConfigured("SANXIANG_CACHE_URL must start with redis://, rediss://, unix:// or file://")
