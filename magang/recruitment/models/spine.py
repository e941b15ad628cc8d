"""The journey spine: programmes, rounds, selection sites, candidates and applications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.accounts.models import Organisation
from magang.core.crypto import blind_indexes
from magang.core.fields import BlindIndexField, EncryptedCharField
from magang.core.models import TimeStampedModel
from magang.reference.models import Province, Regency

from ..journey import CLOSED, Status

if TYPE_CHECKING:
    from .registration import DocumentType


class ApplicationStatus(models.TextChoices):
    REGISTERED = Status.REGISTERED.value, _("Registered")
    ELIGIBLE = Status.ELIGIBLE.value, _("Eligible")
    INELIGIBLE = Status.INELIGIBLE.value, _("Ineligible")
    IN_SELECTION = Status.IN_SELECTION.value, _("In selection")
    SELECTED = Status.SELECTED.value, _("Selected")
    RESERVE = Status.RESERVE.value, _("Reserve")
    NOT_SELECTED = Status.NOT_SELECTED.value, _("Not selected")
    WITHDRAWN = Status.WITHDRAWN.value, _("Withdrawn")
    IN_TRAINING = Status.IN_TRAINING.value, _("In training")
    GRADUATED = Status.GRADUATED.value, _("Graduated")
    DROPPED_OUT = Status.DROPPED_OUT.value, _("Dropped out")
    MATCHED = Status.MATCHED.value, _("Matched")
    DEPARTED = Status.DEPARTED.value, _("Departed")
    IN_JAPAN = Status.IN_JAPAN.value, _("In Japan")
    COMPLETED = Status.COMPLETED.value, _("Completed")
    EARLY_RETURN = Status.EARLY_RETURN.value, _("Early return")
    MISSING = Status.MISSING.value, _("Missing")
    RETURNED = Status.RETURNED.value, _("Returned")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    SD = "sd", _("Primary school (SD)")
    SMP = "smp", _("Junior high school (SMP)")
    SMA = "sma", _("Senior high school (SMA/MA)")
    SMK = "smk", _("Vocational high school (SMK)")
    D1 = "d1", _("Diploma 1")
    D2 = "d2", _("Diploma 2")
    D3 = "d3", _("Diploma 3")
    D4 = "d4", _("Diploma 4")
    S1 = "s1", _("Bachelor (S1)")
    S2 = "s2", _("Master (S2)")


class Source(models.TextChoices):
    ONLINE = "online", _("Online registration")
    IMPORT = "import", _("Spreadsheet import")
    HISTORY = "history", _("Historical record")


class DocumentsState(models.TextChoices):
    INCOMPLETE = "incomplete", _("Incomplete")
    COMPLETE = "complete", _("Complete, awaiting verification")
    REJECTED = "rejected", _("Some rejected")
    VERIFIED = "verified", _("All verified")


class Programme(TimeStampedModel):
    """A programme type and its sending route (TITP via IM Japan today; others are rows)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    partner = models.ForeignKey(
        Organisation,
        verbose_name=_("supervising organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        limit_choices_to={"kind": Organisation.Kind.SUPERVISING_ORGANISATION},
    )
    duration_months = models.PositiveSmallIntegerField(_("standard duration (months)"))
    max_duration_months = models.PositiveSmallIntegerField(_("maximum duration (months)"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["valid_from", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_duration_months__gte=models.F("duration_months")),
                name="programme_max_duration_gte_duration",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RecruitmentRound(TimeStampedModel):
    class Track(models.TextChoices):
        REGULAR = "regular", _("Regular")
        CAREGIVER = "caregiver", _("Caregiver")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="rounds"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    track = models.CharField(_("track"), max_length=20, choices=Track.choices, default="regular")
    opens_on = models.DateField(_("registration opens"))
    closes_on = models.DateField(_("registration closes"))
    reference_date = models.DateField(
        _("reference date"), help_text=_("The date at which age and other rules are evaluated.")
    )
    target = models.PositiveIntegerField(_("target participants"), default=0)
    required_documents: models.ManyToManyField[DocumentType, Any] = models.ManyToManyField(
        "DocumentType", verbose_name=_("required documents"), blank=True, related_name="+"
    )
    eligibility_rules = models.JSONField(
        _("eligibility rules"),
        default=dict,
        blank=True,
        help_text=_(
            "The round's dated rule set (age, sex, education, height, weight, "
            "declarations). Edited by administrators."
        ),
    )

    class Meta:
        verbose_name = _("recruitment round")
        verbose_name_plural = _("recruitment rounds")
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="round_closes_after_opening",
                violation_error_message=_("Registration cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SelectionSite(TimeStampedModel):
    """Where a round's registration and site-run stages happen, run by one organisation."""

    round = models.ForeignKey(
        RecruitmentRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="sites"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="selection_sites",
    )
    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(Province, verbose_name=_("province"), on_delete=models.PROTECT)
    regency = models.ForeignKey(
        Regency, verbose_name=_("regency or city"), null=True, blank=True, on_delete=models.PROTECT
    )
    registration_deadline = models.DateField(_("registration deadline"))
    quota = models.PositiveIntegerField(_("quota"), default=0)

    class Meta:
        verbose_name = _("selection site")
        verbose_name_plural = _("selection sites")
        ordering = ["round", "province__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="site_round_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class CandidateQuerySet(models.QuerySet["Candidate"]):
    def with_nik(self, nik: str) -> CandidateQuerySet:
        """The person with this NIK, found through its blind index (the NIK is sealed)."""
        return self.filter(nik_index__in=blind_indexes(nik, purpose="nik"))

    def with_niks(self, niks: Iterable[str]) -> CandidateQuerySet:
        indexes = [i for nik in niks for i in blind_indexes(nik, purpose="nik")]
        return self.filter(nik_index__in=indexes)


class Candidate(TimeStampedModel):
    """A person, identified by NIK. One row per person across all rounds.

    The NIK is sealed in the database (``core.fields``); look people up with
    ``Candidate.objects.with_nik(nik)``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidate",
    )
    # The blind index comes first: assigning ``nik`` sets it (core.fields), and model
    # initialisation assigns fields in this order.
    nik_index = BlindIndexField(_("NIK index"))
    nik = EncryptedCharField(_("NIK"), max_length=16, purpose="nik", index_field="nik_index")
    full_name = models.CharField(_("full name"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=80, blank=True)
    name_katakana = models.CharField(
        _("name in katakana"),
        max_length=150,
        blank=True,
        help_text=_("Generated from the name for Japanese documents; staff may correct it."),
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    birth_place = models.CharField(_("birth place"), max_length=100, blank=True)
    province = models.ForeignKey(
        Province, verbose_name=_("province of domicile"), on_delete=models.PROTECT
    )
    regency = models.ForeignKey(
        Regency, verbose_name=_("regency or city"), null=True, blank=True, on_delete=models.PROTECT
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["nik_index"],
                name="candidate_nik_index_unique",
                violation_error_message=_("This NIK is already registered."),
            ),
            models.CheckConstraint(condition=Q(sex__in=["M", "F"]), name="candidate_sex_valid"),
        ]

    def __str__(self) -> str:
        return self.full_name


class Application(TimeStampedModel):
    """One attempt of one candidate in one round. Its status moves only through the journey
    service (``services.application_advance``)."""

    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("candidate"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    round = models.ForeignKey(
        RecruitmentRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    site = models.ForeignKey(
        SelectionSite,
        verbose_name=_("selection site"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    registration_number = models.CharField(_("registration number"), max_length=24, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.REGISTERED,
    )
    status_changed_at = models.DateTimeField(_("status changed at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ONLINE
    )
    # What the candidate declared for this round (a snapshot: it may change between rounds).
    education = models.CharField(
        _("education"), max_length=4, choices=Education.choices, blank=True
    )
    education_institution = models.CharField(_("school or institution"), max_length=150, blank=True)
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"), null=True, blank=True)
    height_cm = models.PositiveSmallIntegerField(_("height (cm)"), null=True, blank=True)
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    declarations = models.JSONField(_("declarations"), default=list, blank=True)
    # Kept up to date by the services, so lists can filter on them without joins.
    documents_state = models.CharField(
        _("documents"),
        max_length=12,
        choices=DocumentsState.choices,
        default=DocumentsState.INCOMPLETE,
    )
    warnings = models.JSONField(_("warnings for the officer"), default=list, blank=True)
    eligibility = models.JSONField(_("eligibility check"), default=dict, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "round"],
                condition=~Q(status__in=[s.value for s in CLOSED]),
                name="application_one_open_per_round",
                violation_error_message=_(
                    "This candidate already has an open application in this round."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]),
                name="application_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["site", "documents_state"], name="application_site_docs_idx"),
            models.Index(fields=["round", "status"], name="application_round_status_idx"),
            models.Index(fields=["site", "status"], name="application_site_status_idx"),
        ]

    def __str__(self) -> str:
        return self.registration_number


class JourneyEvent(models.Model):
    """One move of an application along the journey: who, when, from, to, why."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    effective_on = models.DateField(
        _("effective date"), help_text=_("When it happened; earlier than recorded for history.")
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("journey event")
        verbose_name_plural = _("journey events")
        ordering = ["application", "recorded_at", "id"]
        indexes = [
            models.Index(fields=["to_status", "effective_on"], name="journey_to_effective_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status or '-'} -> {self.to_status}"
