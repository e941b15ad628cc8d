"""The candidate's account form: sign up with an e-mail address, a name and a password."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.accounts.models import User

from ..names import InvalidName, normalise_name


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        help_text=_("You will log in with this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters; not only digits, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        taken = User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()
        if taken:
            raise ValidationError(
                _(
                    "An account with this e-mail address already exists. Log in with it, or "
                    "use another address."
                ),
                code="email_taken",
            )
        return email

    def clean_full_name(self) -> str:
        try:
            return normalise_name(self.cleaned_data["full_name"])
        except InvalidName as exc:
            raise ValidationError(str(exc), code=exc.code) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            probe = User(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                full_name=cleaned.get("full_name", ""),
            )
            try:
                validate_password(first, user=probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned
