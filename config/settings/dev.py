"""Local development and the demo: SQLite by default, debug on, demo data allowed."""

import os

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "dev-only-not-secret"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
MAGANG_ALLOW_DEMO = True

VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405  (the SQLite file lives there)

# Serve static files straight from the apps and static/ without collectstatic.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
