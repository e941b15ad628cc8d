"""What the placement pages share: the request of a logged-in user, the user's language for
texts kept in Indonesian and English, and how a service's refusal reaches the page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import get_language

from magang.accounts.models import User


class UserRequest(HttpRequest):
    user: User


def indonesian() -> bool:
    """Texts kept in Indonesian and English (eligibility reasons) show in Indonesian on
    Indonesian pages and in English otherwise."""
    return (get_language() or "id").startswith("id")


def refused(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)
