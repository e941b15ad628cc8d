"""The forms of the registration wizard's steps, one per step, and what they share.

Every step form checks its own answers (so a mistake is shown on the step that made it)
and turns them into JSON-safe values for ``RegistrationDraft.data``. The service
(``services.registration_submit``) checks everything again when the candidate submits.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from magang.accounts.models import User
from magang.reference.models import Province, Regency

from ..eligibility import DECLARATIONS, InvalidRules
from ..models import Education, SelectionSite, Sex
from ..names import InvalidName, normalise_name
from ..nik import InvalidNik, parse_nik
from ..services.registration import (
    CONSENT_NOTICE_VERSION,
    CONSENT_PURPOSE,
    RegionIndex,
    nik_regency_code,
    registration_nik_conflict,
    round_rules,
)

# Plain-language labels for the declarations a round's rule set may ask for.
DECLARATION_LABELS: Mapping[str, Promise] = {
    "no_previous_participation": _("I have never taken part in this programme"),
    "no_tattoo": _("I have no tattoos"),
    "no_piercing": _("I have no piercings"),
    "no_glasses": _("I do not wear glasses"),
    "not_colour_blind": _("I am not colour-blind"),
}
DEFAULT_DECLARATIONS = tuple(DECLARATIONS)

_PHONE_SEPARATORS = re.compile(r"[\s().-]")
_PHONE = re.compile(r"\+?[0-9]{8,15}")


@dataclass(frozen=True)
class WizardContext:
    """What every step form needs to know: who registers, where, and on which day."""

    user: User
    site: SelectionSite
    today: dt.date


class StepForm(forms.Form):
    """One step of the registration wizard."""

    def __init__(self, *args: Any, wizard: WizardContext, **kwargs: Any) -> None:
        self.wizard = wizard
        super().__init__(*args, **kwargs)

    def as_data(self) -> dict[str, Any]:
        """The cleaned answers as JSON-safe values (dates in ISO form, decimals as text)."""
        return {name: _json_safe(value) for name, value in self.cleaned_data.items()}


def _json_safe(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | frozenset | set):
        return sorted(str(item) for item in value)
    return value


class IdentityForm(StepForm):
    nik = forms.CharField(
        label=_("NIK (16-digit number on your KTP)"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    full_name = forms.CharField(
        label=_("Full name, as on your KTP"),
        max_length=150,
        help_text=_("A single name is fine."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    family_name = forms.CharField(
        label=_("Family name (if you have one)"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = forms.DateField(
        label=_("Birth date"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    birth_place = forms.CharField(label=_("Birth place"), max_length=100)

    def clean_nik(self) -> str:
        value = self.cleaned_data["nik"]
        try:
            parsed = parse_nik(
                value,
                today=self.wizard.today,
                known_regencies=RegionIndex.only(regencies=[nik_regency_code(value)]).regency_codes,
            )
        except InvalidNik as exc:
            raise ValidationError(str(exc), code=exc.code) from None
        problem = nik_conflict(wizard=self.wizard, nik=parsed.nik)
        if problem:
            raise ValidationError(problem, code="nik_conflict")
        return parsed.nik

    def clean_full_name(self) -> str:
        return _name(self.cleaned_data["full_name"])

    def clean_family_name(self) -> str:
        value = self.cleaned_data["family_name"]
        return _name(value) if value.strip() else ""

    def clean_birth_place(self) -> str:
        return " ".join(str(self.cleaned_data["birth_place"]).split())

    def clean_birth_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["birth_date"]
        today = self.wizard.today
        if value > today:
            raise ValidationError(_("The birth date is in the future."), code="future")
        if value < dt.date(today.year - 100, 1, 1):
            raise ValidationError(_("The birth date is more than 100 years ago."), code="too_old")
        return value


def _name(value: str) -> str:
    try:
        return normalise_name(value)
    except InvalidName as exc:
        raise ValidationError(str(exc), code=exc.code) from None


def nik_conflict(*, wizard: WizardContext, nik: str) -> str | None:
    """Why this NIK cannot register here from this account (the service's own check)."""
    problem = registration_nik_conflict(user=wizard.user, site=wizard.site, nik=nik)
    return " ".join(problem.messages) if problem is not None else None


class ContactForm(StepForm):
    phone = forms.CharField(
        label=_("Mobile phone number"),
        max_length=24,
        help_text=_("For example 0812 3456 7890 or +62 812 3456 7890."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We tell you here when your application moves on."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_phone(self) -> str:
        phone = _PHONE_SEPARATORS.sub("", self.cleaned_data["phone"])
        if not _PHONE.fullmatch(phone):
            raise ValidationError(
                _("A phone number has 8 to 15 digits, optionally starting with +."),
                code="phone",
            )
        return phone

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class RegencyField(forms.ChoiceField):
    """Any known regency is valid here; whether it lies in the chosen province is checked by
    the form, so the step also works when the list was not refreshed (no JavaScript)."""

    def valid_value(self, value: Any) -> bool:
        return Regency.objects.filter(code=str(value)).exists()


class AddressForm(StepForm):
    province = forms.ChoiceField(label=_("Province"))
    regency = RegencyField(label=_("Regency or city"))
    address = forms.CharField(
        label=_("Address (street, village, district)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank = [("", _("Choose…"))]
        province = cast(forms.ChoiceField, self.fields["province"])
        province.choices = blank + list(
            Province.objects.order_by("name").values_list("code", "name")
        )
        regency = cast(forms.ChoiceField, self.fields["regency"])
        regency.choices = blank + regency_choices(self.chosen_province())
        # With JavaScript, choosing a province reloads the regency list (htmx).
        province.widget.attrs.update(
            {
                "hx-get": reverse("recruitment:regency_options"),
                "hx-target": "#id_regency",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )

    def chosen_province(self) -> str:
        value = self.data.get("province") if self.is_bound else self.initial.get("province")
        return str(value or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        province, regency = cleaned.get("province"), cleaned.get("regency")
        if province and regency:
            found = Regency.objects.filter(code=regency).select_related("province").first()
            if found is not None and found.province.code != province:
                chosen = Province.objects.filter(code=province).first()
                self.add_error(
                    "regency",
                    _(
                        "%(regency)s is not in %(province)s. Choose a regency or city of the "
                        "province you chose."
                    )
                    % {"regency": found.name, "province": chosen.name if chosen else province},
                )
        if "address" in cleaned:
            cleaned["address"] = "\n".join(
                " ".join(line.split()) for line in cleaned["address"].splitlines() if line.strip()
            )
        return cleaned


def regency_choices(province_code: str) -> list[Any]:
    """The regencies of a province, or every regency grouped by province when none is chosen."""
    rows = Regency.objects.select_related("province").order_by("province__name", "name")
    if province_code:
        return [(r.code, r.name) for r in rows.filter(province__code=province_code)]
    grouped: dict[str, list[tuple[str, str]]] = {}
    for regency in rows:
        grouped.setdefault(regency.province.name, []).append((regency.code, regency.name))
    return list(grouped.items())


class EducationForm(StepForm):
    education = forms.ChoiceField(
        label=_("Highest education completed"),
        choices=[("", _("Choose…")), *Education.choices],
    )
    education_institution = forms.CharField(label=_("School or institution"), max_length=150)
    graduation_year = forms.IntegerField(
        label=_("Graduation year"),
        min_value=1950,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def clean_graduation_year(self) -> int:
        year: int = self.cleaned_data["graduation_year"]
        if year > self.wizard.today.year:
            raise ValidationError(_("The graduation year is in the future."), code="future")
        return year

    def clean_education_institution(self) -> str:
        return " ".join(str(self.cleaned_data["education_institution"]).split())


class BodyForm(StepForm):
    height_cm = forms.IntegerField(
        label=_("Height (cm)"),
        min_value=100,
        max_value=230,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    weight_kg = forms.DecimalField(
        label=_("Weight (kg)"),
        min_value=Decimal(30),
        max_value=Decimal(200),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )


class DeclarationsForm(StepForm):
    declarations = forms.MultipleChoiceField(
        label=_("I declare that"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick only what is true. The selection checks these; a false declaration ends "
            "your participation."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["declarations"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - for the type checker
        field.choices = [
            (key, DECLARATION_LABELS.get(key, key.replace("_", " ")))
            for key in declaration_keys(self.wizard.site)
        ]


def declaration_keys(site: SelectionSite) -> Sequence[str]:
    """The declarations the round's rule set asks for; the usual five when it asks none."""
    try:
        rules = round_rules(site)
    except InvalidRules:
        rules = None
    if rules is None or not rules.required_declarations:
        return DEFAULT_DECLARATIONS
    known = [key for key in DEFAULT_DECLARATIONS if key in rules.required_declarations]
    return known + sorted(rules.required_declarations - set(known))


class ConsentForm(StepForm):
    agree = forms.BooleanField(
        label=_("I agree that my data is processed for this recruitment as the notice above says."),
        error_messages={
            "required": _("You can only register if you agree to the processing of your data.")
        },
    )

    def as_data(self) -> dict[str, Any]:
        return {
            "agree": True,
            "purpose": CONSENT_PURPOSE,
            "notice_version": CONSENT_NOTICE_VERSION,
        }
