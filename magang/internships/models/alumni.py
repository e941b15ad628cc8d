"""After the stay: the return, the completion certificate, the business capital grant (a
configurable benefit per programme and year), alumni profiles and follow-up surveys, and job
events with Japanese firms in Indonesia."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.core.models import TimeStampedModel
from magang.recruitment.models import Candidate, Programme
from magang.recruitment.models.registration import get_private_storage
from magang.reference.models import Province

from .stay import Internship


def certificate_path(instance: ReturnRecord, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"certificates/{instance.internship_id}/{uuid.uuid4().hex}{suffix}"


class ReturnRecord(TimeStampedModel):
    """An intern's return home after the stay ended, with the completion certificate."""

    internship = models.OneToOneField(
        Internship,
        verbose_name=_("internship"),
        on_delete=models.PROTECT,
        related_name="return_record",
    )
    returned_on = models.DateField(_("returned on"))
    certificate_number = models.CharField(
        _("completion certificate number"), max_length=60, blank=True
    )
    certificate_file = models.FileField(
        _("completion certificate"),
        storage=get_private_storage,
        upload_to=certificate_path,
        max_length=200,
        blank=True,
    )
    certificate_content_type = models.CharField(_("content type"), max_length=60, blank=True)
    certificate_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-returned_on", "-id"]
        indexes = [models.Index(fields=["returned_on"], name="return_returned_on_idx")]

    def __str__(self) -> str:
        return f"{self.internship_id} returned {self.returned_on}"

    @property
    def has_certificate(self) -> bool:
        return bool(self.certificate_number or self.certificate_file)


class GrantScheme(TimeStampedModel):
    """The business capital grant of one programme for interns returning in one year:
    the amount and its conditions, as data (next year's grant is a new row)."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="grant_schemes",
    )
    year = models.PositiveSmallIntegerField(_("year of return"))
    amount = models.DecimalField(_("amount (IDR)"), max_digits=14, decimal_places=0)
    requires_completion = models.BooleanField(
        _("only for interns who completed the programme"), default=True
    )
    requires_certificate = models.BooleanField(_("needs the completion certificate"), default=True)
    min_months_in_japan = models.PositiveSmallIntegerField(_("minimum months in Japan"), default=0)
    apply_within_months = models.PositiveSmallIntegerField(
        _("to be granted within (months after return)"), null=True, blank=True
    )
    conditions = models.TextField(_("other conditions"), blank=True)

    class Meta:
        verbose_name = _("business capital grant scheme")
        verbose_name_plural = _("business capital grant schemes")
        ordering = ["-year", "programme"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="grant_scheme_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_scheme_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}: {self.amount}"


class GrantStatus(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REFUSED = "refused", _("Refused")


class BusinessGrant(TimeStampedModel):
    """One returnee's business capital grant: eligible -> approved -> paid, or refused with a
    reason. Each decision keeps who and when."""

    return_record = models.OneToOneField(
        ReturnRecord,
        verbose_name=_("return"),
        on_delete=models.PROTECT,
        related_name="grant",
    )
    scheme = models.ForeignKey(
        GrantScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="grants"
    )
    amount = models.DecimalField(_("amount (IDR)"), max_digits=14, decimal_places=0)
    status = models.CharField(
        _("status"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.ELIGIBLE
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("payment recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=80, blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("refused by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)

    class Meta:
        verbose_name = _("business capital grant")
        verbose_name_plural = _("business capital grants")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=GrantStatus.values), name="grant_status_valid"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="refused")
                | (~Q(refusal_reason="") & Q(refused_at__isnull=False)),
                name="grant_refusal_has_reason",
                violation_error_message=_("A refused grant needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "paid"]) | Q(approved_at__isnull=False),
                name="grant_approval_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | (Q(paid_on__isnull=False) & ~Q(payment_reference="")),
                name="grant_paid_has_reference",
                violation_error_message=_("A paid grant needs the payment date and reference."),
            ),
        ]
        indexes = [models.Index(fields=["status"], name="grant_status_idx")]

    def __str__(self) -> str:
        return f"{self.return_record_id}: {self.status}"


class AlumniProfile(TimeStampedModel):
    """A returnee as an alumnus: what they do now, and whether the directory may show them."""

    candidate = models.OneToOneField(
        Candidate,
        verbose_name=_("alumnus"),
        on_delete=models.PROTECT,
        related_name="alumni_profile",
    )
    headline = models.CharField(
        _("what I do now"),
        max_length=160,
        blank=True,
        help_text=_("Shown in the alumni directory if you agree to be listed."),
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province where I live now"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    directory_consent = models.BooleanField(_("list me in the alumni directory"), default=False)
    directory_consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    directory_contact = models.CharField(
        _("contact shown in the directory"),
        max_length=120,
        blank=True,
        help_text=_("An e-mail address or phone number other alumni may use. Optional."),
    )

    class Meta:
        verbose_name = _("alumni profile")
        verbose_name_plural = _("alumni profiles")
        ordering = ["candidate__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(directory_consent=False) | Q(directory_consent_at__isnull=False),
                name="alumni_consent_has_date",
            ),
        ]

    def __str__(self) -> str:
        return str(self.candidate)


class Employment(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Running my own business")
    UNEMPLOYED = "unemployed", _("Looking for work")
    STUDYING = "studying", _("Studying")
    IN_JAPAN = "in_japan", _("Working in Japan")
    OTHER = "other", _("Other")


class IncomeBand(models.TextChoices):
    BELOW_2M = "below_2m", _("Below Rp 2 million a month")
    FROM_2M_TO_5M = "2m_5m", _("Rp 2 to 5 million a month")
    FROM_5M_TO_10M = "5m_10m", _("Rp 5 to 10 million a month")
    ABOVE_10M = "above_10m", _("Above Rp 10 million a month")
    UNDISCLOSED = "undisclosed", _("I prefer not to say")


class AlumniSurvey(models.Model):
    """One follow-up answer: work, business, income band, back in Japan as an SSW."""

    profile = models.ForeignKey(
        AlumniProfile,
        verbose_name=_("alumnus"),
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    answered_on = models.DateField(_("answered on"))
    employment = models.CharField(_("work"), max_length=16, choices=Employment.choices)
    business_started = models.BooleanField(_("started a business"), default=False)
    business_sector = models.CharField(_("business sector"), max_length=120, blank=True)
    income_band = models.CharField(_("income"), max_length=12, choices=IncomeBand.choices)
    back_in_japan_ssw = models.BooleanField(
        _("went back to Japan as a Specified Skilled Worker"), default=False
    )
    ssw_field = models.CharField(_("SSW field"), max_length=120, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("alumni survey")
        verbose_name_plural = _("alumni surveys")
        ordering = ["profile", "-answered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(employment__in=Employment.values), name="alumni_survey_employment"
            ),
            models.CheckConstraint(
                condition=Q(income_band__in=IncomeBand.values), name="alumni_survey_income"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.answered_on}"


class JobEvent(TimeStampedModel):
    """A job fair or recruitment day with Japanese firms in Indonesia."""

    title = models.CharField(_("title"), max_length=200)
    companies = models.TextField(_("Japanese firms taking part"), blank=True)
    description = models.TextField(_("description"), blank=True)
    venue = models.CharField(_("venue"), max_length=200)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"))
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("job event")
        verbose_name_plural = _("job events")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title


class JobEventInterest(models.Model):
    event = models.ForeignKey(
        JobEvent, verbose_name=_("job event"), on_delete=models.CASCADE, related_name="interests"
    )
    profile = models.ForeignKey(
        AlumniProfile,
        verbose_name=_("alumnus"),
        on_delete=models.CASCADE,
        related_name="event_interests",
    )
    registered_at = models.DateTimeField(_("registered at"))

    class Meta:
        verbose_name = _("interest in a job event")
        verbose_name_plural = _("interests in job events")
        ordering = ["event", "registered_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "profile"], name="job_event_interest_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.profile_id}"
