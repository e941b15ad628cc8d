"""Forms of the agreement pages. They parse input; the rules live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from magang.accounts.models import Organisation
from magang.reference.models import Prefecture, Province, Trade

from .models import JAPANESE_PARTY_KINDS, Agreement, AgreementKind, AgreementStatus
from .services import SAVE_STATUSES, AgreementData


class DateInput(forms.DateInput):
    """A browser date picker, which reads and writes ISO dates whatever the page language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class PrefectureChoice(forms.ModelChoiceField[Prefecture]):
    def label_from_instance(self, obj: Prefecture) -> str:
        return f"{obj.code} {obj.name_en} · {obj.name_ja}"


class TradeChoices(forms.ModelMultipleChoiceField[Trade]):
    def label_from_instance(self, obj: Trade) -> str:
        return f"{obj.code} {obj.name_en} · {obj.name_ja}"


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    reference = forms.CharField(label=_("Reference number"), max_length=80, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in AgreementStatus if s in SAVE_STATUSES],
    )
    indonesian_province = forms.ModelChoiceField(
        label=_("Indonesian party"),
        queryset=Province.objects.order_by("code"),
        required=False,
        empty_label=_("Ministry of Manpower (Kemnaker)"),
    )
    indonesian_signatory = forms.CharField(
        label=_("Indonesian signatory"), max_length=200, required=False
    )
    prefecture = PrefectureChoice(
        label=_("Japanese prefecture"), queryset=Prefecture.objects.order_by("code"), required=False
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Japanese organisations"),
        queryset=Organisation.objects.filter(kind__in=JAPANESE_PARTY_KINDS, is_active=True)
        .select_related("prefecture")
        .order_by("kind", "name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    japanese_signatory = forms.CharField(
        label=_("Japanese signatory"), max_length=200, required=False
    )
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DateInput)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput)
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=DateInput, help_text=_("Empty: open-ended.")
    )
    trades = TradeChoices(
        label=_("Trades"),
        queryset=Trade.objects.order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    intern_quota = forms.IntegerField(
        label=_("Interns a year"), required=False, min_value=0, max_value=1_000_000
    )
    scope = forms.CharField(
        label=_("Scope"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    is_public = forms.BooleanField(
        label=_("List title, kind, parties and dates on the public page"), required=False
    )

    @classmethod
    def initial_from(cls, agreement: Agreement) -> dict[str, Any]:
        return {
            "title": agreement.title,
            "kind": agreement.kind,
            "reference": agreement.reference,
            "status": agreement.status,
            "indonesian_province": agreement.indonesian_province_id,
            "indonesian_signatory": agreement.indonesian_signatory,
            "prefecture": agreement.prefecture_id,
            "organisations": list(agreement.organisations.values_list("pk", flat=True)),
            "japanese_signatory": agreement.japanese_signatory,
            "signed_on": agreement.signed_on,
            "valid_from": agreement.valid_from,
            "valid_until": agreement.valid_until,
            "trades": list(agreement.trades.values_list("pk", flat=True)),
            "intern_quota": agreement.intern_quota,
            "scope": agreement.scope,
            "is_public": agreement.is_public,
        }

    def agreement_data(self) -> AgreementData:
        d = self.cleaned_data
        return AgreementData(
            title=d["title"],
            kind=d["kind"],
            status=d["status"],
            reference=d["reference"],
            indonesian_province=d["indonesian_province"],
            indonesian_signatory=d["indonesian_signatory"],
            prefecture=d["prefecture"],
            organisations=list(d["organisations"]),
            japanese_signatory=d["japanese_signatory"],
            signed_on=d["signed_on"],
            valid_from=d["valid_from"],
            valid_until=d["valid_until"],
            trades=list(d["trades"]),
            intern_quota=d["intern_quota"],
            scope=d["scope"],
            is_public=d["is_public"],
        )


class TerminateForm(forms.Form):
    on = forms.DateField(label=_("Terminated on"), widget=DateInput)
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("What the document is"), max_length=200)
    file = forms.FileField(label=_("PDF file"))


class RemoveDocumentForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class CompareForm(forms.Form):
    """2 to 4 prefectures, by code."""

    p = forms.MultipleChoiceField(label=_("Prefectures"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["p"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - declared above
        field.choices = [
            (p.code, f"{p.code} {p.name_en} · {p.name_ja}")
            for p in Prefecture.objects.order_by("code")
        ]

    def clean_p(self) -> list[str]:
        codes: list[str] = list(dict.fromkeys(self.cleaned_data["p"]))
        if not 2 <= len(codes) <= 4:
            raise forms.ValidationError(_("Choose two, three or four prefectures."))
        return codes
