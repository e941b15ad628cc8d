from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import stats_today


class AsOfForm(forms.Form):
    """The date picker of the public statistics page and its CSV download."""

    as_of = forms.DateField(
        label=_("Figures as of"),
        required=False,
        # The date input sends ISO dates whatever the language; nothing else is accepted,
        # so 03/04/2024 cannot mean two different days.
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for today. Later dates show today's figures."),
        error_messages={
            "invalid": _("Enter a real date as YYYY-MM-DD, for example 2023-12-31."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["as_of"].widget.attrs["max"] = stats_today().isoformat()
