"""Two-step verification (TOTP) for staff and partners, with the enforcement switched on."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from magang.accounts import two_factor
from magang.accounts.models import RecoveryCode, TwoFactorDevice, User
from magang.core.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_clear_cache")]

ENROL = reverse("accounts:two_factor_enrol")
VERIFY = reverse("accounts:two_factor_verify")
HOME = reverse("accounts:home")
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def _clear_cache() -> None:
    cache.clear()


def enrolled(user: User, secret: str = SECRET) -> TwoFactorDevice:
    return TwoFactorDevice.objects.create(user=user, secret=secret, confirmed_at=timezone.now())


def code(secret: str = SECRET, offset: int = 0) -> str:
    return two_factor.code_at(secret, two_factor.current_step() + offset)


def logged_in(user: User) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_with_enforcement_off_staff_go_straight_in(cast) -> None:
    assert logged_in(cast.central).get(HOME).status_code == 200


@override_settings(MAGANG_REQUIRE_2FA=True)
@pytest.mark.parametrize(
    "who", ["admin", "central", "leadership", "officer_jabar", "trainer", "partner", "host"]
)
def test_every_staff_and_partner_role_is_sent_to_set_up_the_app(cast, who) -> None:
    response = logged_in(getattr(cast, who)).get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Faccounts%2Fhome%2F"


@override_settings(MAGANG_REQUIRE_2FA=True)
@pytest.mark.parametrize("who", ["candidate", "outsider"])
def test_candidates_and_people_without_a_role_need_no_second_factor(cast, who) -> None:
    client = logged_in(getattr(cast, who))
    assert client.get(HOME).status_code == 200
    # ...and the two-factor pages are not theirs.
    assert client.get(ENROL).status_code == 403
    assert client.get(VERIFY).status_code == 403


@override_settings(MAGANG_REQUIRE_2FA=True)
def test_anonymous_visitors_go_to_the_login_page(client) -> None:
    for url in (ENROL, VERIFY, reverse("accounts:two_factor_recovery")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@override_settings(MAGANG_REQUIRE_2FA=True)
def test_an_enrolled_user_is_sent_to_verification_and_passes_with_a_code(cast) -> None:
    enrolled(cast.officer_jabar)
    client = logged_in(cast.officer_jabar)
    response = client.get(reverse("recruitment:application_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    next_url = reverse("recruitment:application_list")
    response = client.post(VERIFY, {"code": code(), "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    assert client.get(next_url).status_code == 200
    assert client.get(HOME).status_code == 200


@override_settings(MAGANG_REQUIRE_2FA=True)
def test_enrolment_shows_a_local_qr_code_and_the_key_and_confirms_with_a_code(cast) -> None:
    client = logged_in(cast.partner)
    page = client.get(ENROL).content.decode()
    device = TwoFactorDevice.objects.get(user=cast.partner)
    assert device.confirmed_at is None
    assert "<svg" in page
    assert "http://" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    shown = re.search(r'id="two-factor-secret">([^<]+)<', page)
    assert shown is not None
    assert shown.group(1).replace(" ", "") == device.secret
    # The same key on reload: the phone may already have scanned it.
    client.get(ENROL)
    assert TwoFactorDevice.objects.get(user=cast.partner).secret == device.secret

    wrong = client.post(ENROL, {"code": "000000" if code(device.secret) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert TwoFactorDevice.objects.get(user=cast.partner).confirmed_at is None

    done = client.post(ENROL, {"code": code(device.secret), "next": "/placement/orders/"})
    assert done.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", done.content.decode())
    assert len(codes) == 10
    assert TwoFactorDevice.objects.get(user=cast.partner).confirmed_at is not None
    assert client.get(HOME).status_code == 200
    assert AuditEntry.objects.filter(action="two_factor.enrol").count() == 1
    # Only keyed hashes are stored.
    hashes = list(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert len(hashes) == 10
    assert not any(c.replace("-", "") in h or c in h for c in codes for h in hashes)


@override_settings(MAGANG_REQUIRE_2FA=True)
def test_a_code_is_refused_the_second_time(cast) -> None:
    enrolled(cast.central)
    current = code()
    first = logged_in(cast.central)
    assert first.post(VERIFY, {"code": current}).status_code == 302
    second = logged_in(cast.central)
    response = second.post(VERIFY, {"code": current})
    assert response.status_code == 400
    assert "already used" in response.content.decode()
    assert second.get(HOME).status_code == 302
    # An older code (one step back) is refused too once a later one was used.
    assert second.post(VERIFY, {"code": code(offset=-1)}).status_code == 400


def test_the_code_used_to_enrol_cannot_be_used_to_log_in(cast) -> None:
    device = two_factor.enrolment_start(user=cast.host)
    current = code(device.secret)
    two_factor.enrolment_confirm(user=cast.host, code=current)
    assert not two_factor.verify_code(user=cast.host, code=current)


@override_settings(MAGANG_REQUIRE_2FA=True)
def test_a_recovery_code_works_once(cast) -> None:
    device = two_factor.enrolment_start(user=cast.leadership)
    codes = two_factor.enrolment_confirm(user=cast.leadership, code=code(device.secret))
    client = logged_in(cast.leadership)
    assert client.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    again = logged_in(cast.leadership)
    assert again.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert again.post(VERIFY, {"code": codes[1].replace("-", "")}).status_code == 302
    assert two_factor.recovery_codes_left(cast.leadership) == 8


@override_settings(MAGANG_REQUIRE_2FA=True)
def test_new_recovery_codes_replace_the_old_ones(cast) -> None:
    device = two_factor.enrolment_start(user=cast.trainer)
    old = two_factor.enrolment_confirm(user=cast.trainer, code=code(device.secret))
    client = logged_in(cast.trainer)
    client.post(VERIFY, {"code": old[0]})
    page = client.get(reverse("accounts:two_factor_recovery"))
    assert 'id="recovery-left"' in page.content.decode()
    new_page = client.post(reverse("accounts:two_factor_recovery")).content.decode()
    new = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", new_page)
    assert len(new) == 10
    assert not two_factor.verify_code(user=cast.trainer, code=old[1])
    assert two_factor.verify_code(user=cast.trainer, code=new[0])


@override_settings(MAGANG_REQUIRE_2FA=True, MAGANG_LOGIN_FAILURES_PER_USER=3)
def test_wrong_codes_lock_verification_for_a_while(cast) -> None:
    enrolled(cast.central)
    client = logged_in(cast.central)
    for _ in range(3):
        assert client.post(VERIFY, {"code": "12345"}).status_code == 400
    locked = client.post(VERIFY, {"code": code()})
    assert locked.status_code == 429
    assert re.search(r"Try again in \d+ minutes?", locked.content.decode())
    assert client.get(HOME).status_code == 302


@override_settings(MAGANG_REQUIRE_2FA=True)
def test_next_may_not_leave_the_site(cast) -> None:
    enrolled(cast.central)
    client = logged_in(cast.central)
    response = client.post(VERIFY, {"code": code(), "next": "https://evil.example/"})
    assert response["Location"] == HOME


@override_settings(MAGANG_REQUIRE_2FA=True)
def test_logging_out_and_switching_language_work_before_the_second_step(cast) -> None:
    enrolled(cast.central)
    client = logged_in(cast.central)
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    assert client.get(VERIFY).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(HOME)["Location"].startswith(reverse("accounts:login"))


@override_settings(MAGANG_REQUIRE_2FA=True)
@pytest.mark.urls("magang.accounts.tests.token_api_urls")
def test_the_api_refuses_an_unverified_session_but_takes_a_token(cast) -> None:
    from magang.accounts.tokens import api_token_issue

    client = logged_in(cast.partner)
    response = client.get("/api/whoami")
    assert response.status_code == 403
    assert "Two-factor" in response.json()["detail"]
    issued = api_token_issue(user=cast.partner, name="batch")
    bearer = Client(headers={"authorization": f"Bearer {issued.secret}"})
    assert bearer.get("/api/whoami").status_code == 200


@override_settings(MAGANG_REQUIRE_2FA=True)
def test_an_administrator_resets_a_lost_phone(cast) -> None:
    device = two_factor.enrolment_start(user=cast.officer_jateng)
    two_factor.enrolment_confirm(user=cast.officer_jateng, code=code(device.secret))
    admin = logged_in(cast.admin)
    enrolled(cast.admin)
    admin.post(VERIFY, {"code": code()})
    admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [cast.officer_jateng.pk]},
    )
    assert not TwoFactorDevice.objects.filter(user=cast.officer_jateng).exists()
    assert not RecoveryCode.objects.filter(user=cast.officer_jateng).exists()
    assert AuditEntry.objects.filter(action="two_factor.reset").count() == 1
    response = logged_in(cast.officer_jateng).get(HOME)
    assert response["Location"].startswith(ENROL)


@override_settings(MAGANG_REQUIRE_2FA=True)
def test_the_menu_stays_empty_until_the_second_step(cast) -> None:
    enrolled(cast.central)
    client = logged_in(cast.central)
    pending = client.get(VERIFY).content.decode()
    assert reverse("recruitment:application_list") not in pending
    client.post(VERIFY, {"code": code()})
    page = client.get(HOME).content.decode()
    assert reverse("recruitment:application_list") in page
    assert reverse("accounts:two_factor_recovery") in page


@pytest.mark.django_db
def test_the_authenticator_secret_is_sealed_at_rest(cast) -> None:
    from django.db import connection

    from magang.core import crypto

    device = enrolled(cast.central)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_twofactordevice WHERE id = %s", [device.pk])
        (stored,) = cursor.fetchone()
    assert SECRET not in stored and crypto.is_sealed(stored)
    assert TwoFactorDevice.objects.get(pk=device.pk).secret == SECRET
