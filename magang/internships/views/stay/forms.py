"""The forms of the stay's pages: one per move of an internship, and the record of a
monitoring visit or audit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from magang.accounts.models import Organisation

from ...models import EarlyReturnReason, ExamResult, ExamType, Internship, TransferReason


def _day() -> forms.DateField:
    return forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )


def _note() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ArrivalForm(forms.Form):
    on = _day()
    centre = forms.CharField(
        label=gettext_lazy("Collective training centre"), max_length=120, required=False
    )


class DayForm(forms.Form):
    on = _day()
    note = _note()


class NextStageForm(forms.Form):
    on = _day()


class ExamForm(forms.Form):
    exam_type = forms.ModelChoiceField(label=gettext_lazy("Exam"), queryset=ExamType.objects.all())
    taken_on = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    result = forms.ChoiceField(label=gettext_lazy("Result"), choices=ExamResult.choices)
    score = forms.DecimalField(
        label=gettext_lazy("Score"), required=False, min_value=0, max_digits=6, decimal_places=2
    )
    certificate_number = forms.CharField(
        label=gettext_lazy("Certificate number"), required=False, max_length=60
    )


class HomeLeaveForm(forms.Form):
    left_on = forms.DateField(
        label=gettext_lazy("Left Japan on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    returned_on = forms.DateField(
        label=gettext_lazy("Back in Japan on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class TransferForm(forms.Form):
    to_company = forms.ModelChoiceField(
        label=gettext_lazy("New host company"), queryset=Organisation.objects.none()
    )
    on = _day()
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=TransferReason.choices)
    note = _note()

    def __init__(self, *args: Any, internship: Internship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_company"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = Organisation.objects.filter(
            kind=Organisation.Kind.HOST_COMPANY,
            is_active=True,
            parent_id=internship.supervising_organisation_id,
        ).exclude(pk=internship.host_company_id or 0)


class EarlyReturnForm(forms.Form):
    on = _day()
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=EarlyReturnReason.choices)
    note = _note()


class DutyForm(forms.Form):
    done_on = forms.DateField(
        label=gettext_lazy("Done on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = _note()
