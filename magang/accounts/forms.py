from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """Staff log in with a user name; candidates with their e-mail, in any letter case."""

    def clean_username(self) -> str:
        username: str = self.cleaned_data.get("username", "").strip()
        return username.lower() if "@" in username else username
