"""Two-factor authentication with an authenticator app (TOTP, RFC 6238, 30-second steps,
6 digits) and single-use recovery codes.

Built on ``pyotp`` for the arithmetic only; the rules live here:

* every staff and partner role needs it (``two_factor_required``), candidates do not;
* a code is accepted for the current step and one step either side (clock drift), and only
  for a step later than the last one used, so a code cannot be used twice;
* recovery codes are stored as keyed hashes (HMAC-SHA256 under ``SECRET_KEY``) and each
  works once;
* "verified" is a property of the session (``mark_verified``), set after the second step.
"""

from __future__ import annotations

import hmac
import secrets
import time
from io import BytesIO
from typing import Any

import pyotp
import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from magang.core.services import audit_record

from .models import RecoveryCode, TwoFactorDevice, User, UserSession
from .scopes import scope_for

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
SESSION_KEY = "_magang_2fa_user"
ISSUER = "Magang"
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def two_factor_enforced() -> bool:
    return bool(getattr(settings, "MAGANG_REQUIRE_2FA", True))


def two_factor_required(user: Any) -> bool:
    """Everyone but candidates (and people with no role yet) needs a second factor: any
    active membership, or access to the admin site."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or scope_for(user).is_staff_member)


def is_verified(request: HttpRequest) -> bool:
    return bool(
        request.user.is_authenticated and request.session.get(SESSION_KEY) == request.user.pk
    )


def mark_verified(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = request.user.pk
    # A new session key once the second factor is in, like after the password.
    old_key = request.session.session_key
    request.session.cycle_key()
    if old_key and request.session.session_key:
        UserSession.objects.filter(session_key=old_key).update(
            session_key=request.session.session_key
        )


def confirmed_device(user: User) -> TwoFactorDevice | None:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def code_at(secret: str, step: int) -> str:
    """The code for a time step (also what a test computes)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).at(step * STEP_SECONDS)


def _normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "")


def _matching_step(secret: str, code: str, after: int | None) -> int | None:
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = current_step()
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(code_at(secret, step), code) and (after is None or step > after):
            return step
    return None


# Enrolment ------------------------------------------------------------------------------


@transaction.atomic
def enrolment_start(*, user: User) -> TwoFactorDevice:
    """The user's unconfirmed device, made on first call and kept until confirmed, so that
    reloading the page shows the same QR code. A confirmed device is not replaced here."""
    device, _created = TwoFactorDevice.objects.select_for_update().get_or_create(
        user=user, defaults={"secret": pyotp.random_base32(length=32)}
    )
    return device


def provisioning_uri(device: TwoFactorDevice) -> str:
    return pyotp.TOTP(device.secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=device.user.get_username(), issuer_name=ISSUER
    )


def qr_svg(device: TwoFactorDevice) -> str:
    """The provisioning URI as an inline SVG QR code, made here (no external service)."""
    out = BytesIO()
    segno.make(provisioning_uri(device), error="m").save(
        out, kind="svg", xmldecl=False, svgns=True, scale=4, border=2,
        title=_("QR code for your authenticator app"),
    )  # fmt: skip
    return out.getvalue().decode()


@transaction.atomic
def enrolment_confirm(*, user: User, code: str) -> list[str]:
    """Confirm the device with a first code; returns fresh recovery codes (shown once)."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is None or device.confirmed_at is not None:
        raise ValidationError(_("Start the set-up again: there is nothing to confirm."))
    step = _matching_step(device.secret, _normalise_code(code), device.last_used_step)
    if step is None:
        raise ValidationError(
            _("That code is not right. Check that the phone's clock is set automatically.")
        )
    device.confirmed_at = timezone.now()
    device.last_used_step = step
    device.save(update_fields=["confirmed_at", "last_used_step"])
    audit_record(actor=user, action="two_factor.enrol", obj=user)
    return _recovery_codes_replace(user)


@transaction.atomic
def two_factor_reset(*, user: User, actor: User | None) -> None:
    """Remove the user's device and recovery codes (a lost phone): they enrol again at their
    next login."""
    TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit_record(actor=actor, action="two_factor.reset", obj=user)


# Verification ---------------------------------------------------------------------------


@transaction.atomic
def verify_code(*, user: User, code: str) -> bool:
    """True for a valid, not yet used code from the confirmed device, or an unused recovery
    code (which is then spent). The device row is locked, so two requests with the same
    code cannot both pass."""
    device = (
        TwoFactorDevice.objects.select_for_update()
        .filter(user=user, confirmed_at__isnull=False)
        .first()
    )
    if device is None:
        return False
    normalised = _normalise_code(code).lower()
    step = _matching_step(device.secret, normalised, device.last_used_step)
    if step is not None:
        device.last_used_step = step
        device.save(update_fields=["last_used_step"])
        return True
    spent = RecoveryCode.objects.filter(
        user=user, code_hash=_recovery_hash(normalised), used_at__isnull=True
    ).update(used_at=timezone.now())
    if spent:
        audit_record(actor=user, action="two_factor.recovery_code_used", obj=user)
        return True
    return False


# Recovery codes -------------------------------------------------------------------------


def _recovery_hash(code: str) -> str:
    return salted_hmac("magang.accounts.recovery_code", code, algorithm="sha256").hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _recovery_codes_replace(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hash(code.replace("-", ""))) for code in codes
    )
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    if confirmed_device(user) is None:
        raise ValidationError(_("Set up your authenticator app first."))
    codes = _recovery_codes_replace(user)
    audit_record(actor=user, action="two_factor.recovery_codes_regenerate", obj=user)
    return codes


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
