"""Writes for accounts."""

from __future__ import annotations

from django.db import transaction

from magang.core.services import audit_record

from .models import User


@transaction.atomic
def candidate_account_create(
    *, email: str, full_name: str, password: str, language: str = ""
) -> User:
    """A candidate's account: the e-mail is the user name. Candidates hold no membership."""
    user = User(
        username=email,
        email=email,
        full_name=full_name,
        preferred_language=language if language in ("id", "en", "ja") else "",
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=user, action="user.signup", obj=user, changes={"role": "candidate"})
    return user
