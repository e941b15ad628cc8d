"""System checks: production must not run on the public development keys."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from . import crypto


@register("security")
def check_field_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Encryption keys for NIK and passport numbers are set, well-formed and not the
    development ones (which are in the repository)."""
    errors: list[CheckMessage] = []
    allow_dev = getattr(settings, "MAGANG_ALLOW_DEV_KEYS", False)
    given: dict[str, str] = {}
    for name, dev, code in (
        ("MAGANG_FIELD_KEYS", crypto.DEV_FIELD_KEYS, "magang.E101"),
        ("MAGANG_BLIND_INDEX_KEYS", crypto.DEV_INDEX_KEYS, "magang.E102"),
    ):
        text = str(getattr(settings, name, "") or "")
        if not text:
            if not allow_dev:
                errors.append(
                    Error(
                        f"{name} is not set: NIK and passport numbers cannot be encrypted.",
                        hint="Generate keys with `manage.py rotate_field_keys --new-key` and "
                        "set them in the environment (docs/security.md, 'Personal data').",
                        id=code,
                    )
                )
            continue
        try:
            ring = crypto.parse_keys(text, setting=name)
        except ImproperlyConfigured as exc:
            errors.append(Error(str(exc), id=code))
            continue
        dev_ring = crypto.parse_keys(dev, setting=name)
        if not allow_dev and set(ring.keys.values()) & set(dev_ring.keys.values()):
            errors.append(Error(f"{name} contains the public development key.", id="magang.E103"))
        given[name] = text
    if len(given) == 2:
        field = set(crypto.parse_keys(given["MAGANG_FIELD_KEYS"], setting="").keys.values())
        index = crypto.parse_keys(given["MAGANG_BLIND_INDEX_KEYS"], setting="").keys.values()
        if field & set(index):
            errors.append(
                Error(
                    "MAGANG_FIELD_KEYS and MAGANG_BLIND_INDEX_KEYS share a key; they must differ.",
                    id="magang.E104",
                )
            )
    return errors
