"""Candidate pages: open rounds, account creation and the registration wizard, step by step."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from magang import factories as f
from magang.accounts.models import Membership, User
from magang.recruitment import services
from magang.recruitment.eligibility import RuleSet
from magang.recruitment.models import (
    Application,
    Candidate,
    Consent,
    DocumentType,
    RegistrationDraft,
)
from magang.recruitment.nik import InvalidNik, parse_nik

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NIK = "3216011705030001"  # Kab. Bekasi (32.16), born 17-05-2003, male, serial 0001
PASSWORD = "a-long-enough-Passphrase-9"


def open_site(*, name: str = "Bekasi", code: str = "open-2026", rules: bool = True, **extra: Any):
    today = timezone.localdate()
    f.regency("32.16")
    f.regency("32.73")
    f.regency("33.09")
    round_ = f.RoundFactory(
        code=code,
        name=f"Round {code}",
        year=today.year,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=60),
        reference_date=today + dt.timedelta(days=60),
        eligibility_rules=RuleSet(
            reference_date=today + dt.timedelta(days=60),
            allowed_sexes=frozenset({"M"}),
            min_age_years=18,
            max_age_years=26,
            min_education="sma",
            min_height_cm={"M": 158},
            min_weight_kg={"M": 50},
            required_declarations=frozenset({"no_previous_participation", "no_tattoo"}),
        ).to_dict()
        if rules
        else {},
    )
    round_.required_documents.set(DocumentType.objects.filter(code__in=["ktp", "photo"]))
    return f.SiteFactory(
        round=round_,
        name=name,
        province=f.province("32"),
        registration_deadline=extra.pop("deadline", today + dt.timedelta(days=20)),
        **extra,
    )


def answers(**changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    steps: dict[str, dict[str, Any]] = {
        "identity": {
            "nik": NIK,
            "full_name": "Budi Santoso",
            "family_name": "",
            "sex": "M",
            "birth_date": "2003-05-17",
            "birth_place": "Bekasi",
        },
        "contact": {"phone": "0812 3456 7890", "email": "budi@example.com"},
        "address": {"province": "32", "regency": "32.16", "address": "Jl. Melati 5, Sukamaju"},
        "education": {
            "education": "sma",
            "education_institution": "SMA Negeri 1 Bekasi",
            "graduation_year": "2021",
        },
        "body": {"height_cm": "165", "weight_kg": "58.5"},
        "declarations": {"declarations": ["no_previous_participation", "no_tattoo"]},
        "consent": {"agree": "on"},
    }
    for step, values in changes.items():
        steps[step] = {**steps[step], **values}
    return steps


def step_url(site, step: str | None = None) -> str:
    url = reverse("recruitment:register", args=[site.pk])
    return f"{url}?step={step}" if step else url


def signup(client, site=None, email: str = "Budi@Example.com") -> Any:
    url = reverse("recruitment:signup") + (f"?site={site.pk}" if site else "")
    return client.post(
        url,
        {"email": email, "full_name": "Budi Santoso", "password1": PASSWORD, "password2": PASSWORD},
        **EN,
    )


def fill(client, site, data: dict[str, dict[str, Any]], upto: str = "consent") -> None:
    for step, values in data.items():
        response = client.post(step_url(site, step), values, **EN)
        assert response.status_code == 302, response.content.decode()[:3000]
        if step == upto:
            return


def candidate_user(username: str = "budi@example.com") -> User:
    return f.UserFactory(username=username, email=username)


# ---------------------------------------------------------------------------------------
# Open rounds


def test_it_lists_open_sites_with_their_deadlines(client) -> None:
    site = open_site()
    today = timezone.localdate()
    closed = f.SiteFactory(
        round=site.round, name="Too late", registration_deadline=today - dt.timedelta(days=1)
    )
    later_round = f.RoundFactory(
        code="later",
        name="Not yet open",
        year=today.year + 1,
        opens_on=today + dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=90),
        reference_date=today + dt.timedelta(days=90),
    )
    f.SiteFactory(
        round=later_round, name="Future site", registration_deadline=today + dt.timedelta(days=80)
    )
    response = client.get(reverse("recruitment:rounds"), **EN)
    content = response.content.decode()
    assert response.status_code == 200
    assert site.name in content
    assert site.round.name in content
    assert f"{site.registration_deadline:%-d %B %Y}" in content
    assert "20 days left" in content
    assert "Men only" in content and "at least 158 cm" in content
    assert closed.name not in content
    assert "Future site" not in content
    assert f"{reverse('recruitment:signup')}?site={site.pk}" in content


def test_it_says_so_when_no_site_is_open(client) -> None:
    response = client.get(reverse("recruitment:rounds"), **EN)
    assert "No selection site is taking registrations" in response.content.decode()


def test_it_serves_the_rounds_page_in_indonesian_by_default(client) -> None:
    response = client.get(reverse("recruitment:rounds"))
    assert response.status_code == 200
    assert '<html lang="id">' in response.content.decode()


# ---------------------------------------------------------------------------------------
# Account


def test_it_creates_a_candidate_account_and_continues_to_the_registration(client) -> None:
    site = open_site()
    response = signup(client, site)
    assert response.status_code == 302
    assert response["Location"] == reverse("recruitment:register", args=[site.pk])
    user = User.objects.get(username="budi@example.com")
    assert user.email == "budi@example.com"
    assert user.full_name == "Budi Santoso"
    assert user.check_password(PASSWORD)
    assert user.preferred_language == "en"
    assert not Membership.objects.filter(user=user).exists()
    # Logged in: the wizard opens on its first step.
    page = client.get(response["Location"], **EN)
    assert page.status_code == 200
    assert 'id="step-identity"' in page.content.decode()
    # The e-mail (lower-cased) is the user name to log in with.
    client.logout()
    assert client.login(username="budi@example.com", password=PASSWORD)


def test_it_refuses_an_email_already_used_whatever_its_case(client) -> None:
    f.UserFactory(username="someone", email="budi@example.com")
    response = signup(client, email="BUDI@example.com")
    assert response.status_code == 200
    assert "An account with this e-mail address already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="budi@example.com").count() == 1
    candidate_user("siti@example.com")
    response = signup(client, email="Siti@Example.com")
    assert "already exists" in response.content.decode()


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("a-long-enough-Passphrase-9", "something-else-entirely", "not the same"),
        ("short", "short", "too short"),
        ("1234567890123", "1234567890123", "entirely numeric"),
        ("budi@example.com", "budi@example.com", "too similar"),
    ],
)
def test_it_applies_the_password_rules(client, first, second, message) -> None:
    response = client.post(
        reverse("recruitment:signup"),
        {"email": "budi@example.com", "full_name": "Budi", "password1": first, "password2": second},
        **EN,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_it_refuses_a_name_with_control_characters_at_signup(client) -> None:
    response = client.post(
        reverse("recruitment:signup"),
        {
            "email": "budi@example.com",
            "full_name": "Budi\u202eSantoso",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        **EN,
    )
    assert "change text direction" in response.content.decode()
    assert not User.objects.exists()


def test_it_sends_anonymous_visitors_from_the_wizard_to_signup_with_a_login_link(client) -> None:
    site = open_site()
    response = client.get(step_url(site))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('recruitment:signup')}?site={site.pk}"
    page = client.get(response["Location"], **EN).content.decode()
    register = reverse("recruitment:register", args=[site.pk]).replace("/", "%2F")
    assert f"{reverse('accounts:login')}?next={register}" in page
    assert not RegistrationDraft.objects.exists()


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/stats/", "/stats/"),
        ("https://evil.example/", "/recruitment/"),
        ("//evil.example", "/recruitment/"),
    ],
)
def test_it_follows_only_a_local_next_after_signup(client, next_url, expected) -> None:
    response = client.post(
        reverse("recruitment:signup") + "?" + urlencode({"next": next_url}),
        {
            "email": "budi@example.com",
            "full_name": "Budi",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == expected


def test_it_sends_a_logged_in_user_from_signup_to_the_registration(client) -> None:
    site = open_site()
    client.force_login(candidate_user())
    response = client.get(f"{reverse('recruitment:signup')}?site={site.pk}")
    assert response["Location"] == reverse("recruitment:register", args=[site.pk])


# ---------------------------------------------------------------------------------------
# The wizard


def test_it_registers_through_every_step_and_shows_the_status_page(client) -> None:
    site = open_site()
    signup(client, site)
    user = User.objects.get(username="budi@example.com")
    steps = answers()
    expected_next = ["contact", "address", "education", "body", "declarations", "consent", "review"]
    for (step, values), following in zip(steps.items(), expected_next, strict=True):
        response = client.post(step_url(site, step), values, **EN)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == step_url(site, following)
        draft = RegistrationDraft.objects.get(user=user, site=site)
        assert draft.step == following
    assert draft.data["identity"]["nik"] == NIK
    assert draft.data["body"] == {"height_cm": 165, "weight_kg": "58.5"}
    assert draft.data["contact"]["phone"] == "081234567890"

    review = client.get(step_url(site, "review"), **EN)
    content = review.content.decode()
    assert review.status_code == 200
    for shown in (
        NIK,
        "Budi Santoso",
        "Male",
        "Kab. Bekasi",
        "Jawa Barat",
        "Senior high school (SMA/MA)",
        "58.5",
        "I have no tattoos",
        "notice version 2026-1",
    ):
        assert shown in content, shown

    response = client.post(step_url(site, "review"), **EN)
    assert response.status_code == 302
    application = Application.objects.get(candidate__user=user)
    assert response["Location"] == reverse("recruitment:my_application", args=[application.pk])
    candidate = application.candidate
    assert (candidate.nik, candidate.full_name, candidate.sex) == (NIK, "Budi Santoso", "M")
    assert candidate.regency.code == "32.16"
    assert candidate.address == "Jl. Melati 5, Sukamaju"
    assert application.site == site
    assert application.height_cm == 165
    assert application.declarations == ["no_previous_participation", "no_tattoo"]
    assert application.eligibility["eligible"] is True
    assert Consent.objects.get(candidate=candidate).notice_version == "2026-1"
    assert RegistrationDraft.objects.get(user=user, site=site).application == application

    status = client.get(response["Location"], **EN).content.decode()
    assert application.registration_number in status
    assert "Your registration is sent" in status
    assert "Identity card (KTP)" in status and "Photograph" in status  # still missing
    # Coming back to the wizard shows the application, not a second registration.
    again = client.get(step_url(site))
    assert again["Location"] == reverse("recruitment:my_application", args=[application.pk])


def test_it_resumes_after_logout_and_login(client) -> None:
    site = open_site()
    signup(client, site)
    fill(client, site, answers(), upto="contact")
    client.logout()
    assert client.login(username="budi@example.com", password=PASSWORD)
    page = client.get(step_url(site), **EN)
    content = page.content.decode()
    assert 'id="step-address"' in content
    assert "Step 3 of 7" in content
    # Back to the previous step, with its answers kept.
    assert f'href="{step_url(site, "contact")}"' in content
    contact = client.get(step_url(site, "contact"), **EN).content.decode()
    assert 'value="081234567890"' in contact
    # Later steps cannot be skipped to.
    skipped = client.get(step_url(site, "body"))
    assert skipped["Location"] == step_url(site, "address")
    assert client.get(step_url(site, "review"))["Location"] == step_url(site, "address")


def test_it_fills_in_what_it_knows_of_a_returning_candidate(client) -> None:
    site = open_site()
    user = candidate_user()
    earlier = f.SiteFactory(round=f.RoundFactory(year=2024), name="Earlier")
    f.ApplicationFactory(
        site=earlier,
        status="not_selected",
        candidate=f.CandidateFactory(
            user=user, nik=NIK, full_name="Budi Santoso", birth_place="Bekasi", phone="0811111111"
        ),
    )
    client.force_login(user)
    content = client.get(step_url(site), **EN).content.decode()
    assert f'value="{NIK}"' in content
    fill(client, site, answers(), upto="consent")
    response = client.post(step_url(site, "review"))
    assert response.status_code == 302
    assert Candidate.objects.count() == 1
    assert Candidate.objects.get().applications.count() == 2


# ---------------------------------------------------------------------------------------
# Bad input, step by step


def _post(client, site, step: str, **values: Any) -> str:
    data = {**answers()[step], **values}
    response = client.post(step_url(site, step), data, **EN)
    assert response.status_code == 200  # the step again, with the message
    assert f'id="step-{step}"' in response.content.decode()
    return response.content.decode()


@pytest.mark.parametrize(
    "nik",
    [
        "3216011705",
        "32160117050300O1",
        "9916011705030001",
        "3216013205030001",
        "3.216011705030001E15",
    ],
)
def test_it_refuses_an_invalid_nik_with_the_parsers_message(client, nik) -> None:
    site = open_site()
    client.force_login(candidate_user())
    content = _post(client, site, "identity", nik=nik)
    with pytest.raises(InvalidNik) as raised:
        parse_nik(nik, today=timezone.localdate(), known_regencies={"32.16", "32.73", "33.09"})
    message = str(raised.value).replace("'", "&#x27;")
    assert message in content
    assert all(draft.data == {} for draft in RegistrationDraft.objects.all())


def test_it_points_to_the_site_but_hides_a_paper_registrations_number(client) -> None:
    site = open_site()
    other_site = f.SiteFactory(
        round=site.round, name="Karawang", registration_deadline=site.registration_deadline
    )
    # Registered earlier from a paper list: the person has no account yet.
    existing = f.ApplicationFactory(
        site=other_site, candidate=f.CandidateFactory(nik=NIK, user=None)
    )
    client.force_login(candidate_user())
    content = _post(client, site, "identity")
    assert "already has an application in this round at Karawang" in content
    # Knowing someone's NIK must not reveal their registration number (and so their results).
    assert existing.registration_number not in content


def test_it_refuses_a_second_site_in_the_same_round_with_the_first_number(client) -> None:
    site = open_site()
    second = f.SiteFactory(
        round=site.round, name="Karawang", registration_deadline=site.registration_deadline
    )
    signup(client, site)
    fill(client, site, answers())
    client.post(step_url(site, "review"))
    first = Application.objects.get()
    content = _post(client, second, "identity")
    assert first.registration_number in content
    assert Application.objects.count() == 1


def test_it_refuses_a_nik_of_another_account_without_showing_its_application(client) -> None:
    site = open_site()
    owner = candidate_user("owner@example.com")
    existing = f.ApplicationFactory(site=site, candidate=f.CandidateFactory(nik=NIK, user=owner))
    client.force_login(candidate_user())
    content = _post(client, site, "identity")
    assert "This NIK is registered to another account" in content
    assert existing.registration_number not in content


def test_it_refuses_a_second_nik_on_one_account(client) -> None:
    site = open_site()
    user = candidate_user()
    f.CandidateFactory(user=user, nik="3216011705030002")
    client.force_login(user)
    content = _post(client, site, "identity")
    assert "Your account is already registered with NIK 3216011705030002" in content


@pytest.mark.parametrize(
    ("step", "values", "message"),
    [
        ("identity", {"birth_date": "2999-01-01"}, "The birth date is in the future."),
        ("identity", {"full_name": "Budi 2"}, "A name cannot contain digits"),
        ("identity", {"full_name": ""}, "This field is required."),
        ("identity", {"sex": "X"}, "Select a valid choice."),
        ("contact", {"phone": "12ab"}, "A phone number has 8 to 15 digits"),
        ("contact", {"email": "budi@"}, "Enter a valid email address."),
        ("address", {"province": "99"}, "Select a valid choice."),
        ("address", {"regency": "33.09"}, "Kab. Boyolali is not in Jawa Barat."),
        ("address", {"address": ""}, "This field is required."),
        ("education", {"education": "phd"}, "Select a valid choice."),
        ("education", {"graduation_year": "2999"}, "The graduation year is in the future."),
        ("body", {"height_cm": "90"}, "greater than or equal to 100"),
        ("body", {"weight_kg": "58.55"}, "no more than 1 decimal place"),
        ("declarations", {"declarations": ["no_such_thing"]}, "Select a valid choice."),
        ("consent", {"agree": ""}, "You can only register if you agree"),
    ],
)
def test_it_explains_bad_input_on_its_own_step(client, step, values, message) -> None:
    site = open_site()
    client.force_login(candidate_user())
    steps = list(answers())
    if step != "identity":
        fill(client, site, answers(), upto=steps[steps.index(step) - 1])
    before = RegistrationDraft.objects.filter(site=site).values_list("data", flat=True).first()
    content = _post(client, site, step, **values)
    assert message in content.replace("&#x27;", "'")
    after = RegistrationDraft.objects.filter(site=site).values_list("data", flat=True).first()
    assert (before or {}) == after
    assert step not in after


def test_it_lists_the_chosen_provinces_regencies_after_a_mismatch(client) -> None:
    site = open_site()
    client.force_login(candidate_user())
    fill(client, site, answers(), upto="contact")
    content = _post(client, site, "address", province="33", regency="32.16")
    assert "Kab. Bekasi is not in Jawa Tengah" in content
    regency_select = content.split('id="id_regency"')[1].split("</select>")[0]
    assert "Kab. Boyolali" in regency_select
    assert "Kota Bandung" not in regency_select


def test_it_offers_every_regency_grouped_by_province_before_a_province_is_chosen(client) -> None:
    site = open_site()
    client.force_login(candidate_user())
    fill(client, site, answers(), upto="contact")
    content = client.get(step_url(site, "address"), **EN).content.decode()
    assert '<optgroup label="Jawa Barat">' in content
    assert '<optgroup label="Jawa Tengah">' in content
    assert 'hx-get="/recruitment/register/regencies/"' in content


def test_it_returns_a_provinces_regencies_for_htmx(client) -> None:
    open_site()
    url = reverse("recruitment:regency_options")
    assert client.get(url, {"province": "32"})["Location"].startswith(reverse("accounts:login"))
    client.force_login(candidate_user())
    content = client.get(url, {"province": "32"}, HTTP_HX_REQUEST="true").content.decode()
    assert '<option value="32.16">Kab. Bekasi</option>' in content
    assert "Kota Bandung" in content and "Boyolali" not in content
    assert "<html" not in content
    assert "32.16" not in client.get(url, {"province": "99"}).content.decode()


def test_it_shows_the_rounds_declarations_or_the_usual_five(client) -> None:
    client.force_login(candidate_user())
    site = open_site()
    fill(client, site, answers(), upto="body")
    content = client.get(step_url(site, "declarations"), **EN).content.decode()
    assert "I have never taken part in this programme" in content
    assert "I have no tattoos" in content
    assert "I do not wear glasses" not in content
    bare = open_site(name="No rules", code="bare-2026", rules=False)
    fill(client, bare, answers(), upto="body")
    content = client.get(step_url(bare, "declarations"), **EN).content.decode()
    for label in (
        "I have never taken part in this programme",
        "I have no tattoos",
        "I have no piercings",
        "I do not wear glasses",
        "I am not colour-blind",
    ):
        assert label in content


def test_it_records_unticked_declarations_as_ineligibility_not_as_an_error(client) -> None:
    site = open_site()
    signup(client, site)
    fill(client, site, answers(declarations={"declarations": ["no_tattoo"]}))
    client.post(step_url(site, "review"))
    application = Application.objects.get()
    assert application.eligibility["eligible"] is False
    status = client.get(reverse("recruitment:my_application", args=[application.pk]), **EN)
    assert "Missing declaration: never having taken part" in status.content.decode()


def test_it_refuses_registration_at_a_closed_site(client) -> None:
    today = timezone.localdate()
    site = open_site(deadline=today - dt.timedelta(days=1))
    client.force_login(candidate_user())
    for response in (
        client.get(step_url(site), **EN),
        client.post(step_url(site, "identity"), answers()["identity"], **EN),
    ):
        assert response.status_code == 404
        assert "not taking registrations" in response.content.decode()
    assert not RegistrationDraft.objects.exists()
    missing = client.get(reverse("recruitment:register", args=[999_999]), **EN)
    assert missing.status_code == 404


def test_it_refuses_to_send_once_the_deadline_has_passed(client) -> None:
    site = open_site()
    signup(client, site)
    fill(client, site, answers())
    site.registration_deadline = timezone.localdate() - dt.timedelta(days=1)
    site.save()
    response = client.post(step_url(site, "review"), **EN)
    assert response.status_code == 404
    assert not Application.objects.exists()


def test_it_takes_a_service_error_back_to_the_step_it_concerns(client) -> None:
    site = open_site()
    signup(client, site)
    fill(client, site, answers())
    # Between the identity step and sending, someone else registers with the same NIK.
    other = candidate_user("other@example.com")
    services.registration_submit(
        user=other,
        site=f.SiteFactory(
            round=f.RoundFactory(year=2025),
            name="Elsewhere",
            registration_deadline=dt.date(2999, 1, 1),
        ),
        data=services.RegistrationData(
            nik=NIK,
            full_name="Someone",
            sex="M",
            birth_date=dt.date(2003, 5, 17),
            province_code="32",
        ),
    )
    response = client.post(step_url(site, "review"), **EN)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="step-identity"' in content
    assert "This NIK is registered to another account" in content
    assert not Application.objects.filter(site=site).exists()
    draft = RegistrationDraft.objects.get(site=site)
    assert draft.step == "identity"


def test_it_asks_for_consent_again_when_the_notice_changes(client) -> None:
    site = open_site()
    client.force_login(candidate_user())
    fill(client, site, answers())
    draft = RegistrationDraft.objects.get()
    draft.data["consent"]["notice_version"] = "2025-1"
    draft.save()
    response = client.get(step_url(site, "review"))
    assert response["Location"] == step_url(site, "consent")


def test_it_keeps_the_wizard_to_its_own_drafts(client) -> None:
    site = open_site()
    signup(client, site)
    fill(client, site, answers(), upto="address")
    client.logout()
    client.force_login(candidate_user("other@example.com"))
    content = client.get(step_url(site), **EN).content.decode()
    assert 'id="step-identity"' in content
    assert NIK not in content
    assert RegistrationDraft.objects.count() == 2
