"""The registration wizard's order of steps, its progress through a draft, and what the
wizard hands to the service and shows on the review page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..services.registration import CONSENT_NOTICE_VERSION, RegistrationData
from .steps import (
    AddressForm,
    BodyForm,
    ConsentForm,
    ContactForm,
    DeclarationsForm,
    EducationForm,
    IdentityForm,
    StepForm,
    WizardContext,
)


@dataclass(frozen=True)
class Step:
    slug: str
    title: Promise
    form_class: type[StepForm]


STEPS: tuple[Step, ...] = (
    Step("identity", _("Identity"), IdentityForm),
    Step("contact", _("Contact"), ContactForm),
    Step("address", _("Address"), AddressForm),
    Step("education", _("Education"), EducationForm),
    Step("body", _("Height and weight"), BodyForm),
    Step("declarations", _("Declarations"), DeclarationsForm),
    Step("consent", _("Consent"), ConsentForm),
)
STEP_BY_SLUG: Mapping[str, Step] = {step.slug: step for step in STEPS}
REVIEW = "review"

# Where the service's field names live in the wizard: (step, form field).
SERVICE_FIELDS: Mapping[str, tuple[str, str]] = {
    "nik": ("identity", "nik"),
    "user": ("identity", "nik"),
    "full_name": ("identity", "full_name"),
    "family_name": ("identity", "family_name"),
    "sex": ("identity", "sex"),
    "birth_date": ("identity", "birth_date"),
    "birth_place": ("identity", "birth_place"),
    "phone": ("contact", "phone"),
    "email": ("contact", "email"),
    "province_code": ("address", "province"),
    "province": ("address", "province"),
    "regency_code": ("address", "regency"),
    "regency": ("address", "regency"),
    "address": ("address", "address"),
    "education": ("education", "education"),
    "education_institution": ("education", "education_institution"),
    "graduation_year": ("education", "graduation_year"),
    "height_cm": ("body", "height_cm"),
    "weight_kg": ("body", "weight_kg"),
    "declarations": ("declarations", "declarations"),
}


def step_done(slug: str, data: Mapping[str, Any]) -> bool:
    answers = data.get(slug)
    if not isinstance(answers, Mapping):
        return False
    if slug == "consent":
        return answers.get("notice_version") == CONSENT_NOTICE_VERSION
    return True


def first_open_step(data: Mapping[str, Any]) -> str:
    """The first step without saved answers, or the review once every step has them."""
    for step in STEPS:
        if not step_done(step.slug, data):
            return step.slug
    return REVIEW


def registration_data(data: Mapping[str, Any]) -> RegistrationData:
    """The service's input, built from a complete draft."""
    identity, contact, address = data["identity"], data["contact"], data["address"]
    education, body = data["education"], data["body"]
    return RegistrationData(
        nik=identity["nik"],
        full_name=identity["full_name"],
        family_name=identity.get("family_name", ""),
        sex=identity["sex"],
        birth_date=dt.date.fromisoformat(identity["birth_date"]),
        birth_place=identity.get("birth_place", ""),
        phone=contact["phone"],
        email=contact["email"],
        province_code=address["province"],
        regency_code=address["regency"],
        address=address.get("address", ""),
        education=education["education"],
        education_institution=education.get("education_institution", ""),
        graduation_year=education.get("graduation_year"),
        height_cm=body.get("height_cm"),
        weight_kg=Decimal(body["weight_kg"]) if body.get("weight_kg") else None,
        declarations=frozenset(data.get("declarations", {}).get("declarations", [])),
    )


def summary(step: Step, answers: Mapping[str, Any], wizard: WizardContext) -> list[tuple[Any, str]]:
    """(label, value as shown) for each answer of a step, for the review page."""
    if step.slug == "consent":
        return [
            (
                _("Consent"),
                str(
                    _("Given (notice version %(version)s)")
                    % {"version": answers.get("notice_version", "")}
                ),
            )
        ]
    form = step.form_class(wizard=wizard, initial=dict(answers))
    rows: list[tuple[Any, str]] = []
    for name, field in form.fields.items():
        value = answers.get(name)
        if isinstance(field, forms.MultipleChoiceField):
            labels = dict(field.choices)  # type: ignore[arg-type]
            shown = "; ".join(str(labels.get(v, v)) for v in value or []) or str(_("None"))
        elif isinstance(field, forms.ChoiceField):
            shown = _choice_label(field, value)
        else:
            shown = "" if value in (None, "") else str(value)
        rows.append((field.label, shown))
    return rows


def _choice_label(field: forms.ChoiceField, value: Any) -> str:
    choices: Any = field.choices
    for key, label in choices:
        if isinstance(label, list | tuple):
            for sub_key, sub_label in label:
                if sub_key == value:
                    return str(sub_label)
        elif key == value:
            return str(label)
    return "" if value is None else str(value)
