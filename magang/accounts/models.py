"""Users, the organisations they work for, and the roles they hold there.

A user's scope comes only from memberships (role + organisation), never from a person's
NIK or address.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.core.fields import EncryptedCharField
from magang.core.models import TimeStampedModel
from magang.reference.models import Prefecture, Province


class User(AbstractUser):
    """A person who logs in. Staff, partners and candidates alike."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        blank=True,
        choices=[("id", "Bahasa Indonesia"), ("en", "English"), ("ja", "日本語")],
    )

    def __str__(self) -> str:
        return self.full_name or self.username


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        MINISTRY_UNIT = "ministry_unit", _("Ministry unit")
        REGIONAL_OFFICE = "regional_office", _("Regional manpower office")
        TRAINING_CENTRE = "training_centre", _("Training centre")
        SUPERVISING_ORGANISATION = "supervising_organisation", _("Supervising organisation")
        HOST_COMPANY = "host_company", _("Host company")
        UNION = "union", _("Union")
        ACADEMIC_INSTITUTION = "academic_institution", _("Academic institution")
        ALUMNI_ASSOCIATION = "alumni_association", _("Alumni association")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("A host company's supervising organisation; a regional office's ministry."),
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT
    )
    prefecture = models.ForeignKey(
        Prefecture, verbose_name=_("prefecture"), null=True, blank=True, on_delete=models.PROTECT
    )
    staff_count = models.PositiveIntegerField(_("staff count"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="organisation_kind_name_unique"),
            models.CheckConstraint(
                condition=~Q(kind="host_company") | Q(prefecture__isnull=False),
                name="host_company_has_prefecture",
                violation_error_message=_("A host company must have a prefecture."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Role(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    REGIONAL_OFFICER = "regional_officer", _("Regional officer")
    CENTRAL_TEAM = "central_team", _("Central team")
    TRAINING_STAFF = "training_staff", _("Training staff")
    PARTNER = "partner", _("Partner")
    HOST_COMPANY = "host_company", _("Host company")
    LEADERSHIP = "leadership", _("Leadership")
    ADMINISTRATOR = "administrator", _("Administrator")


# Which organisation kinds each staff role may be held in. Candidates hold no membership:
# their scope is their own Candidate record.
ROLE_ORGANISATION_KINDS: dict[str, set[str]] = {
    Role.REGIONAL_OFFICER: {
        Organisation.Kind.REGIONAL_OFFICE,
        Organisation.Kind.TRAINING_CENTRE,
        Organisation.Kind.UNION,
        Organisation.Kind.ACADEMIC_INSTITUTION,
        Organisation.Kind.ALUMNI_ASSOCIATION,
    },
    Role.CENTRAL_TEAM: {
        Organisation.Kind.MINISTRY_UNIT,
        Organisation.Kind.SUPERVISING_ORGANISATION,
    },
    Role.TRAINING_STAFF: {Organisation.Kind.TRAINING_CENTRE},
    Role.PARTNER: {Organisation.Kind.SUPERVISING_ORGANISATION},
    Role.HOST_COMPANY: {Organisation.Kind.HOST_COMPANY},
    Role.LEADERSHIP: {Organisation.Kind.MINISTRY_UNIT},
    Role.ADMINISTRATOR: {Organisation.Kind.MINISTRY_UNIT},
}


class Membership(TimeStampedModel):
    """A user holds a role in an organisation. The only source of a staff user's scope."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=[(r.value, r.label) for r in Role if r != Role.CANDIDATE],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique"
            ),
            models.CheckConstraint(
                condition=~Q(role="candidate"), name="membership_role_not_candidate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class ApiToken(models.Model):
    """A bearer token for a machine client. It authenticates as its user, so the user's
    scopes apply. Only a SHA-256 hash of the secret is stored: the secret is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. the client system.")
    )
    prefix = models.CharField(
        _("prefix"),
        max_length=16,
        help_text=_("The first characters of the token, to recognise it; not a secret."),
    )
    secret_hash = models.CharField(_("secret hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class TwoFactorDevice(models.Model):
    """A user's authenticator app (TOTP, RFC 6238). Unconfirmed until the first code is
    entered on the enrolment page. ``last_used_step`` refuses a code used before."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="two_factor_device"
    )
    # Sealed at rest like NIKs: a copy of the database alone cannot generate codes.
    secret = EncryptedCharField(_("secret"), max_length=64, editable=False, purpose="totp")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_used_step = models.BigIntegerField(_("last used time step"), null=True, blank=True)

    class Meta:
        verbose_name = _("two-factor device")
        verbose_name_plural = _("two-factor devices")

    def __str__(self) -> str:
        return f"{self.user} · TOTP"


class RecoveryCode(models.Model):
    """A single-use code for when the authenticator is lost. Only a keyed hash is stored."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(_("code hash"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {_('recovery code')}"


class UserSession(models.Model):
    """Which session keys belong to a user, so deactivating them can end every session."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="login_sessions"
    )
    session_key = models.CharField(_("session key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("user session")
        verbose_name_plural = _("user sessions")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"
