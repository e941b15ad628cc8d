"""The Magang project: settings, root URLs, the API root and the Celery app."""

from .celery import app as celery_app

__all__ = ["celery_app"]
