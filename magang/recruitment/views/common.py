"""What the candidate pages share: the request of a logged-in candidate and the reader's
language."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation

from magang.accounts.models import User


class CandidateRequest(HttpRequest):
    user: User


def reader_language() -> str:
    return translation.get_language() or "id"
