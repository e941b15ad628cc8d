"""Personal data rights (UU 27/2022): who read or exported whose data, correction requests,
and the record that an erasure happened (which holds nothing about the person)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.accounts.models import Organisation

from .spine import Candidate, SelectionSite


class PersonalDataAccess(models.Model):
    """One read of someone's sensitive data (medical results) or one disclosure of it to an
    outside organisation (a CV or shortlist for a Japanese partner). The values themselves
    are never copied here."""

    class Kind(models.TextChoices):
        MEDICAL_READ = "medical_read", _("Medical results read")
        PARTNER_EXPORT = "partner_export", _("Disclosed to a partner")

    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("whose"),
        on_delete=models.CASCADE,
        related_name="data_accesses",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    what = models.CharField(
        _("what"), max_length=80, help_text=_("The page, endpoint or document, e.g. placement.cv.")
    )
    recipient = models.ForeignKey(
        Organisation,
        verbose_name=_("recipient organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipient_name = models.CharField(_("recipient"), max_length=200, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["candidate", "at"], name="pda_candidate_at_idx"),
            models.Index(fields=["kind", "at"], name="pda_kind_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="partner_export") | ~Q(legal_basis=""),
                name="pda_export_has_legal_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.what} #{self.candidate_id}"


class CorrectionRequest(models.Model):
    """A candidate asks for their data to be corrected; an officer of the site decides."""

    class Field(models.TextChoices):
        FULL_NAME = "full_name", _("Full name")
        FAMILY_NAME = "family_name", _("Family name")
        BIRTH_DATE = "birth_date", _("Birth date")
        BIRTH_PLACE = "birth_place", _("Birth place")
        ADDRESS = "address", _("Address")
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        OTHER = "other", _("Something else")

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for an officer")
        DONE = "done", _("Corrected")
        REFUSED = "refused", _("Refused")

    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("candidate"),
        on_delete=models.CASCADE,
        related_name="correction_requests",
    )
    site = models.ForeignKey(
        SelectionSite,
        verbose_name=_("selection site"),
        on_delete=models.PROTECT,
        related_name="correction_requests",
        help_text=_("The site of the candidate's latest application: its officers decide."),
    )
    field = models.CharField(_("what to correct"), max_length=20, choices=Field.choices)
    proposed = models.CharField(_("correct value"), max_length=300)
    explanation = models.TextField(_("explanation"), blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    response = models.TextField(_("answer to the candidate"), blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["site", "state"], name="correction_site_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open") | Q(decided_at__isnull=False),
                name="correction_decided_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(response=""),
                name="correction_refusal_has_reason",
                violation_error_message=_("A refusal needs a reason for the candidate."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.field} ({self.state})"


class ErasureRecord(models.Model):
    """That a person's data was erased, when, by whom, why and how many rows: nothing that
    identifies the person (the kept anonymous candidate row has no name, NIK or contact)."""

    class Trigger(models.TextChoices):
        REQUEST = "request", _("The person's request")
        RETENTION = "retention", _("Retention period ended")

    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices)
    reason = models.TextField(_("reason"), blank=True)
    candidate_ref = models.BigIntegerField(_("anonymous candidate row"), null=True, blank=True)
    rows = models.JSONField(_("rows deleted or anonymised per table"), default=dict)
    files = models.PositiveIntegerField(_("files deleted"), default=0)

    class Meta:
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} erasure ({self.trigger})"
