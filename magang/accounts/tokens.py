"""API tokens for machine clients: issue (the secret is returned once), revoke, and look up
the user behind a presented token. Only SHA-256 hashes of secrets are stored.

A token looks like ``mgn_<8 characters>_<43 characters>``; the part up to the second
underscore is the display prefix. The secret has 256 bits of entropy, so a plain (unsalted,
fast) hash is enough: nobody can guess their way back from the hash.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.core.services import audit_record

from .models import ApiToken, User

TOKEN_PREFIX = "mgn_"  # noqa: S105 - not a secret, the start of every token
# A token's last use is written at most this often, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the whole token as the client sends it; never stored


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_issue(
    *, user: User, name: str, actor: User | None = None, days: int | None = 365
) -> IssuedToken:
    """A new token for ``user``. ``days=None`` means it never expires."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name."))
    if not user.is_active:
        raise ValidationError(_("%(user)s is deactivated.") % {"user": user.username})
    if days is not None and days <= 0:
        raise ValidationError(_("A token must be valid for at least one day."))
    public = secrets.token_urlsafe(6)[:8]
    secret = f"{TOKEN_PREFIX}{public}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=f"{TOKEN_PREFIX}{public}",
        secret_hash=token_hash(secret),
        expires_at=timezone.now() + timedelta(days=days) if days is not None else None,
    )
    audit_record(
        actor=actor,
        action="api_token.issue",
        obj=token,
        changes={"user": user.username, "name": token.name, "prefix": token.prefix},
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User | None = None) -> ApiToken:
    """Revoke a token; revoking a revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", obj=token)
    return token


def api_token_user(secret: str) -> User | None:
    """The active user a presented token belongs to, or None (unknown, revoked, expired,
    or the user is deactivated). Records the token's last use."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(secret_hash=token_hash(secret)).first()
    now = timezone.now()
    if (
        token is None
        or token.revoked_at is not None
        or (token.expires_at is not None and token.expires_at <= now)
        or not token.user.is_active
    ):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
