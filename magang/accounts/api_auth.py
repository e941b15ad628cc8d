"""Authentication for the JSON API: ``Router(auth=api_auth)``.

Either a bearer token (``Authorization: Bearer mgn_…``, for machine clients, see
``tokens.py``) or the browser session (``django_auth``'s session cookie + CSRF check). Ninja tries
them in order and the first that answers wins. Both authenticate *as the user*, and set
``request.user``, so scopes (``scope_for(request.user)``) work the same either way.
"""

# No "from __future__ import annotations": Ninja reads signatures at import.
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security import session as ninja_session

from .models import User
from .tokens import api_token_user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: the token's (active) user, or refused."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_user(token)
        if user is None:
            return None
        request.user = user
        return user


class SessionAuth(ninja_session.SessionAuth):
    """``django_auth`` (session cookie + CSRF), except that a request presenting a bearer
    token is judged by the token alone: a wrong token answers 401, not a CSRF error."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization", "").lower().startswith("bearer "):
            return None
        return super().__call__(request)


token_auth = TokenAuth()
session_auth = SessionAuth()

api_auth: list[Any] = [token_auth, session_auth]
