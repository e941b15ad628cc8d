"""Encryption of personal identifiers at rest (NIK, passport numbers) and their blind index.

A value is sealed with AES-256-GCM under the current *field key*; the stored text names the
key that sealed it (``e1:<key id>:<base64 of nonce, ciphertext and tag>``), so old rows stay
readable while a rotation re-seals them. Equality (uniqueness, look-ups) uses a *blind index*:
HMAC-SHA256 of the value under a separate *index key*, stored as ``<key id>:<hex>``. Knowing
the index reveals nothing without the index key; knowing the field key does not let anyone
compute indexes.

Keys come from settings (the environment in production):

- ``MAGANG_FIELD_KEYS``: ``id:base64key,id:base64key`` (32-byte keys); the first seals,
  all of them open.
- ``MAGANG_BLIND_INDEX_KEYS``: the same format; the first indexes new values, look-ups try
  every key, so a row not yet re-indexed by ``rotate_field_keys`` is still found.

Without them, development and test settings (``MAGANG_ALLOW_DEV_KEYS``) use fixed keys that
are public and therefore worthless; production refuses to start (``checks.py``).

Cost, measured on this machine (``bench/registration_crypto.py``): sealing one NIK and
computing its index take a few microseconds together, so a 100,000-row import spends well
under a second on them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "e1"
NONCE_BYTES = 12
KEY_BYTES = 32
# Public, deterministic, for development and tests only: the system check refuses them
# wherever MAGANG_ALLOW_DEV_KEYS is off.
DEV_FIELD_KEYS = "dev:" + base64.urlsafe_b64encode(
    hashlib.sha256(b"magang development field key").digest()
).decode("ascii")
DEV_INDEX_KEYS = "dev:" + base64.urlsafe_b64encode(
    hashlib.sha256(b"magang development blind index key").digest()
).decode("ascii")
DEV_KEY_ID = "dev"


class DecryptionError(ValueError):
    """A stored value that no configured key opens (wrong keys, or tampering)."""


@dataclass(frozen=True)
class Keyring:
    """Keys by id; ``current`` is the id new values use."""

    current: str
    keys: dict[str, bytes]


def parse_keys(text: str, *, setting: str) -> Keyring:
    """Parse ``id:base64key,...``. Raises ImproperlyConfigured with what is wrong."""
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        kid, sep, encoded = item.partition(":")
        if not sep or not kid or not kid.isalnum():
            raise ImproperlyConfigured(
                f"{setting}: each key is written 'id:base64key' with a letters-and-digits id."
            )
        try:
            key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(f"{setting}: key {kid!r} is not base64.") from None
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"{setting}: key {kid!r} has {len(key)} bytes; keys have {KEY_BYTES}."
            )
        if kid in keys:
            raise ImproperlyConfigured(f"{setting}: key id {kid!r} appears twice.")
        keys[kid] = key
        order.append(kid)
    if not order:
        raise ImproperlyConfigured(f"{setting} is empty.")
    return Keyring(current=order[0], keys=keys)


def new_key_text(kid: str) -> str:
    """A fresh random key in the settings' format (for ``manage.py rotate_field_keys``)."""
    return f"{kid}:{base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode('ascii')}"


def _setting(name: str, dev_default: str) -> str:
    value: str = getattr(settings, name, "")
    if value:
        return value
    if getattr(settings, "MAGANG_ALLOW_DEV_KEYS", False):
        return dev_default
    raise ImproperlyConfigured(f"{name} must be set (see docs/security.md, 'Personal data').")


@lru_cache(maxsize=8)
def _field_ring(text: str) -> tuple[Keyring, dict[str, AESGCM]]:
    ring = parse_keys(text, setting="MAGANG_FIELD_KEYS")
    return ring, {kid: AESGCM(key) for kid, key in ring.keys.items()}


@lru_cache(maxsize=8)
def _index_ring(text: str) -> tuple[Keyring, list[tuple[str, bytes]]]:
    ring = parse_keys(text, setting="MAGANG_BLIND_INDEX_KEYS")
    # The current key first.
    keys = sorted(ring.keys.items(), key=lambda pair: pair[0] != ring.current)
    return ring, keys


def field_keys() -> tuple[Keyring, dict[str, AESGCM]]:
    return _field_ring(_setting("MAGANG_FIELD_KEYS", DEV_FIELD_KEYS))


def index_keys() -> tuple[Keyring, list[tuple[str, bytes]]]:
    return _index_ring(_setting("MAGANG_BLIND_INDEX_KEYS", DEV_INDEX_KEYS))


def encrypt(value: str, *, purpose: str) -> str:
    """Seal ``value`` under the current field key. ``purpose`` (e.g. ``"nik"``) is bound to
    the ciphertext, so a sealed NIK cannot be passed off as a passport number. ``""`` stays
    ``""`` (an empty optional field is not a secret)."""
    if value == "":
        return ""
    ring, ciphers = field_keys()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ciphers[ring.current].encrypt(nonce, value.encode("utf-8"), purpose.encode("ascii"))
    body = base64.b64encode(nonce + sealed).decode("ascii")
    return f"{PREFIX}:{ring.current}:{body}"


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX + ":")


def key_id(stored: str) -> str | None:
    """The id of the key that sealed ``stored`` (None for empty or legacy plain text)."""
    if not is_sealed(stored):
        return None
    return stored.split(":", 2)[1]


def decrypt(stored: str, *, purpose: str) -> str:
    """Open a value sealed by ``encrypt``. Plain text written before encryption existed is
    returned unchanged, so the data migration can run in steps."""
    if not is_sealed(stored):
        return stored
    _, kid, body = stored.split(":", 2)
    _ring, ciphers = field_keys()
    cipher = ciphers.get(kid)
    if cipher is None:
        raise DecryptionError(f"No field key {kid!r} is configured (MAGANG_FIELD_KEYS).")
    raw = base64.b64decode(body)
    try:
        plain = cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode("ascii"))
    except InvalidTag:
        raise DecryptionError("A stored value does not open with its key.") from None
    return plain.decode("utf-8")


def _digest(key: bytes, value: str, purpose: str) -> str:
    return hmac.digest(key, f"{purpose}\x00{value}".encode(), "sha256").hex()


def blind_index(value: str, *, purpose: str) -> str:
    """The current index of ``value``: what is stored, and what a unique constraint compares.
    ``""`` for an empty value."""
    if value == "":
        return ""
    ring, keys = index_keys()
    return f"{ring.current}:{_digest(keys[0][1], value, purpose)}"


def blind_indexes(value: str, *, purpose: str) -> list[str]:
    """Every index ``value`` may be stored under (one per configured index key): look-ups
    filter ``<field>_index__in=blind_indexes(...)``, which also finds rows a rotation has not
    reached yet."""
    if value == "":
        return [""]
    _ring, keys = index_keys()
    return [f"{kid}:{_digest(key, value, purpose)}" for kid, key in keys]


def index_key_id(stored_index: str) -> str | None:
    return stored_index.split(":", 1)[0] if stored_index else None


def seal(value: str, *, purpose: str) -> tuple[str, str]:
    """``(ciphertext, index)`` for writers that bypass the ORM (``COPY`` imports, the demo)."""
    return encrypt(value, purpose=purpose), blind_index(value, purpose=purpose)


def current_key_ids() -> tuple[str, str]:
    """The ids of the current field key and index key."""
    return field_keys()[0].current, index_keys()[0].current
