"""Recruitment pages, by audience: ``public`` (anyone), ``registration`` and ``candidate``
(candidates), ``officer`` (staff), ``imports``, ``privacy``."""
