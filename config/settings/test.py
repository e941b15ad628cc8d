"""The test suite: the same database engine as configured, fast hashing, no network."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MAGANG_ALLOW_DEMO = True
MAGANG_ALLOW_DEV_KEYS = True  # public keys: worthless outside development
MEDIA_ROOT = VAR_DIR / "test-private"  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the apps and static/ without collectstatic.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Close connections after each request so no test thread keeps the test database open.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Tests log in with force_login: the two-factor step is switched on only in its own tests
# (magang/accounts/tests/test_two_factor.py, with override_settings).
MAGANG_REQUIRE_2FA = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
