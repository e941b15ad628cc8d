"""Settings shared by every environment. Values come from the environment.

SQLite in ``var/`` is the embedded default; ``DATABASE_URL`` switches to PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

# Lets admin classes and querysets take type parameters at run time (ModelAdmin[Model]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MAGANG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "ninja",
    "magang.core",
    "magang.reference",
    "magang.accounts",
    "magang.recruitment",
    "magang.selection",
    "magang.training",
    "magang.placement",
    "magang.internships",
    "magang.partnerships",
    "magang.stats",
    "magang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Session timeouts, deactivated users, two-factor enforcement (magang/accounts/middleware.py).
    "magang.accounts.middleware.SessionSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "magang.accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'magang.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a command writes; IMMEDIATE avoids
    # "database is locked" on write transactions that start with a read.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "core:index"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian is the default language; English is the source language of the code.
LANGUAGE_CODE = "id"
LANGUAGES = [
    ("id", _("Indonesian")),
    ("en", _("English")),
    ("ja", _("Japanese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT: Path | None = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded personal documents live outside the web root and are never served as static files.
MEDIA_ROOT = Path(os.environ.get("MAGANG_MEDIA_ROOT", VAR_DIR / "private"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy (django-csp): scripts only from our own static files, never inline
# (docs/security.md). Inline styles are still allowed: several pages carry a <style> block.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Caches: local memory unless REDIS_URL names a Redis (production sets it: the login
# throttle must be shared by every worker process).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Authentication (docs/security.md, "Authentication").
# Two-factor authentication (TOTP) for every staff and partner role.
MAGANG_REQUIRE_2FA = env_bool("MAGANG_REQUIRE_2FA", True)
# Session lifetimes in seconds: staff and partners, then everyone else (candidates).
MAGANG_SESSION_IDLE_STAFF = int(os.environ.get("MAGANG_SESSION_IDLE_STAFF", str(30 * 60)))
MAGANG_SESSION_ABSOLUTE_STAFF = int(os.environ.get("MAGANG_SESSION_ABSOLUTE_STAFF", str(12 * 3600)))
MAGANG_SESSION_IDLE_OTHER = int(os.environ.get("MAGANG_SESSION_IDLE_OTHER", str(4 * 3600)))
MAGANG_SESSION_ABSOLUTE_OTHER = int(
    os.environ.get("MAGANG_SESSION_ABSOLUTE_OTHER", str(7 * 24 * 3600))
)
SESSION_COOKIE_AGE = MAGANG_SESSION_ABSOLUTE_OTHER
# Failed logins: a user name is locked after 5 failures in 15 minutes; an address after 100.
MAGANG_LOGIN_WINDOW_SECONDS = int(os.environ.get("MAGANG_LOGIN_WINDOW_SECONDS", str(15 * 60)))
MAGANG_LOGIN_FAILURES_PER_USER = int(os.environ.get("MAGANG_LOGIN_FAILURES_PER_USER", "5"))
MAGANG_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("MAGANG_LOGIN_FAILURES_PER_ADDRESS", "100"))
# How many reverse proxies in front of the application append to X-Forwarded-For (0: none,
# use REMOTE_ADDR). Set it in production behind nginx, or the throttle sees only the proxy.
MAGANG_TRUSTED_PROXIES = int(os.environ.get("MAGANG_TRUSTED_PROXIES", "0"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "magang@localhost")

# Whether `manage.py demo` may write synthetic people into this database.
MAGANG_ALLOW_DEMO = False
# Statistics: counts below this are shown as "<N" so nobody can be singled out.
MAGANG_STATS_MIN_CELL = int(os.environ.get("MAGANG_STATS_MIN_CELL", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Uploads: documents up to 5 MB; bigger request bodies are streamed to disk, not memory.
MAGANG_MAX_UPLOAD_BYTES = int(os.environ.get("MAGANG_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))
# The Japanese font embedded in PDFs (IPAex Gothic: Debian's fonts-ipaexfont-gothic).
MAGANG_PDF_FONT = os.environ.get(
    "MAGANG_PDF_FONT", "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
)
# Personal data (docs/security.md): keys sealing NIK and passport numbers ("id:base64key,...",
# the first is current) and their blind index; development and test use public fixed keys.
MAGANG_FIELD_KEYS = os.environ.get("MAGANG_FIELD_KEYS", "")
MAGANG_BLIND_INDEX_KEYS = os.environ.get("MAGANG_BLIND_INDEX_KEYS", "")
MAGANG_ALLOW_DEV_KEYS = False
# Retention (``manage.py purge_personal_data``): registrations never submitted, and people
# whose every application ended without a departure, are erased after these many months.
MAGANG_RETAIN_UNSUBMITTED_MONTHS = int(os.environ.get("MAGANG_RETAIN_UNSUBMITTED_MONTHS", "6"))
MAGANG_RETAIN_UNSUCCESSFUL_MONTHS = int(os.environ.get("MAGANG_RETAIN_UNSUCCESSFUL_MONTHS", "36"))
MAGANG_MAX_IMPORT_BYTES = int(os.environ.get("MAGANG_MAX_IMPORT_BYTES", str(40 * 1024 * 1024)))
# Background work (config/celery.py). Without a broker, tasks run at once in the process that
# enqueues them: development, tests and the demo need no worker. Production names a Redis.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Jakarta"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Where `manage.py backup` writes its archives (keep them on another disk or machine).
MAGANG_BACKUP_DIR = Path(os.environ.get("MAGANG_BACKUP_DIR", VAR_DIR / "backups"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
