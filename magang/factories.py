"""factory_boy factories for the whole project, in one place. Test-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from magang.accounts.models import Membership, Organisation, User
from magang.internships.models import Internship
from magang.recruitment.journey import Status
from magang.recruitment.models import (
    Application,
    Candidate,
    Programme,
    RecruitmentRound,
    SelectionSite,
)
from magang.reference.models import Prefecture, Province, Regency, Trade

PROVINCES = {"32": "Jawa Barat", "33": "Jawa Tengah", "35": "Jawa Timur", "14": "Riau"}
REGENCIES = {"32.16": "Kab. Bekasi", "32.73": "Kota Bandung", "33.09": "Kab. Boyolali"}


def province(code: str = "32") -> Province:
    obj, _ = Province.objects.get_or_create(code=code, defaults={"name": PROVINCES.get(code, code)})
    return obj


def regency(code: str = "32.16") -> Regency:
    obj, _ = Regency.objects.get_or_create(
        code=code,
        defaults={
            "name": REGENCIES.get(code, code),
            "province": province(code[:2]),
            "kind": "city" if REGENCIES.get(code, "").startswith("Kota") else "regency",
        },
    )
    return obj


def prefecture(code: str = "04") -> Prefecture:
    names = {"04": ("Miyagi", "宮城県"), "23": ("Aichi", "愛知県"), "13": ("Tokyo", "東京都")}
    en, ja = names.get(code, (f"Prefecture {code}", f"県{code}"))
    obj, _ = Prefecture.objects.get_or_create(
        code=code, defaults={"name_en": en, "name_ja": ja, "name_id": en, "region": "Tohoku"}
    )
    return obj


def trade(code: str = "6-1-1") -> Trade:
    obj, _ = Trade.objects.get_or_create(
        code=code,
        defaults={
            "group": "machinery",
            "job_code": code.rsplit("-", 1)[0],
            "job_name_en": "Casting",
            "job_name_ja": "鋳造",
            "job_name_id": "Pengecoran",
            "name_en": "Cast iron casting",
            "name_ja": "鋳鉄鋳物鋳造",
            "name_id": "Pengecoran besi cor",
        },
    )
    return obj


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.django.Password("correct-horse-battery")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.REGIONAL_OFFICE
    name = factory.Sequence(lambda n: f"Organisation {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "regional_officer"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = "titp-imjapan"
    name = "TITP via IM Japan"
    duration_months = 36
    max_duration_months = 60
    valid_from = dt.date(1993, 1, 1)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecruitmentRound
        django_get_or_create = ("code",)

    programme = factory.SubFactory(ProgrammeFactory)
    year = 2026
    code = factory.LazyAttribute(lambda o: f"titp-{o.year}")
    name = factory.LazyAttribute(lambda o: f"TITP {o.year}")
    opens_on = factory.LazyAttribute(lambda o: dt.date(o.year, 1, 10))
    closes_on = factory.LazyAttribute(lambda o: dt.date(o.year, 12, 20))
    reference_date = factory.LazyAttribute(lambda o: dt.date(o.year, 12, 31))


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionSite

    round = factory.SubFactory(RoundFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Selection site {n}")
    province = factory.LazyFunction(lambda: province("32"))
    registration_deadline = factory.LazyAttribute(lambda o: o.round.closes_on)


_nik_serial = iter(range(1, 10_000_000))


def make_nik(
    *, district: str = "321601", birth: dt.date = dt.date(2003, 5, 17), female: bool = False
) -> str:
    day = birth.day + (40 if female else 0)
    return f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{next(_nik_serial):04d}"


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    nik = factory.LazyFunction(make_nik)
    full_name = factory.Faker("name", locale="id_ID")
    sex = "M"
    birth_date = dt.date(2003, 5, 17)
    province = factory.LazyFunction(lambda: province("32"))


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    candidate = factory.SubFactory(CandidateFactory)
    site = factory.SubFactory(SiteFactory)
    round = factory.LazyAttribute(lambda o: o.site.round)
    registration_number = factory.Sequence(lambda n: f"T-{n:08d}")
    status = Status.REGISTERED.value
    status_changed_at = factory.LazyFunction(timezone.now)


class InternshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Internship

    application = factory.SubFactory(ApplicationFactory, status=Status.IN_JAPAN.value)
    supervising_organisation = factory.SubFactory(
        OrganisationFactory, kind=Organisation.Kind.SUPERVISING_ORGANISATION
    )
    prefecture = factory.LazyFunction(lambda: prefecture("04"))
    trade = factory.LazyFunction(trade)
    departed_on = dt.date(2023, 9, 21)


def member(username: str, role: str, organisation: Organisation, **extra: Any) -> User:
    user = UserFactory(username=username, **extra)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user
