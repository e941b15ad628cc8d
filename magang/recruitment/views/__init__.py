"""Recruitment pages, by audience: ``public`` (candidates), ``officer`` (staff), ``imports``."""
