"""Local development and the demo: SQLite by default, debug on, demo data allowed."""

import os

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = True
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "dev-only-not-secret"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
MAGANG_ALLOW_DEMO = True
MAGANG_ALLOW_DEV_KEYS = True  # public keys: worthless outside development

VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405  (the SQLite file lives there)

# Serve static files straight from the apps and static/ without collectstatic.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The demo: two-factor authentication is OFF here, so the accounts `manage.py demo` prints
# can log in with their password alone. Staff and partners in production must give a code
# from an authenticator app; try it locally with MAGANG_REQUIRE_2FA=1 (each demo user then
# sets up their app on first login). Production (prod.py) always has it on.
MAGANG_REQUIRE_2FA = env_bool("MAGANG_REQUIRE_2FA", False)
