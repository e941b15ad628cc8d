"""The form with which a candidate uploads one document of their application."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DocumentUploadForm(forms.Form):
    document_type = forms.CharField(widget=forms.HiddenInput, max_length=40)
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG)"),
        widget=forms.FileInput(attrs={"accept": "image/*,application/pdf"}),
    )
