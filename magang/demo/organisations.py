"""The demo's organisations and its accounts, one per role."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from itertools import accumulate

from django.contrib.auth.hashers import make_password

from magang.accounts.models import Membership, Organisation, Role, User
from magang.reference.models import Prefecture, Province, Regency, Trade

from . import catalogue as cat
from .plan import split_total

DEMO_PASSWORD = "magang-demo-2026"  # noqa: S105  (published on purpose: demo accounts)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organisation: str
    sees: str
    full_name: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "admin", Role.ADMINISTRATOR, cat.SYSTEMS_UNIT,
        "users, organisations, reference data; /admin", "Admin Sistem Magang",
    ),
    DemoAccount(
        "central", Role.CENTRAL_TEAM, cat.SELECTION_UNIT,
        "every application of every round; central stages, ranking", "Rina Wulandari",
    ),
    DemoAccount(
        "central.approver", Role.CENTRAL_TEAM, cat.SELECTION_UNIT,
        "the same; approves a ranking another member proposed", "Bambang Hartono",
    ),
    DemoAccount(
        "officer.jabar", Role.REGIONAL_OFFICER, cat.regional_office_name("Jawa Barat"),
        "the Jawa Barat selection sites only", "Dedi Supriadi",
    ),
    DemoAccount(
        "officer.jateng", Role.REGIONAL_OFFICER, cat.regional_office_name("Jawa Tengah"),
        "the Jawa Tengah selection sites only", "Slamet Riyadi",
    ),
    DemoAccount(
        "trainer", Role.TRAINING_STAFF, cat.CENTRAL_TRAINING_CENTRE.name,
        "cohorts of BBPVP Bekasi", "Agus Setiawan",
    ),
    DemoAccount(
        "partner", Role.PARTNER, cat.IM_JAPAN,
        "IM Japan's host companies, their job orders and interns", "Tanaka Hiroshi",
    ),
    DemoAccount(
        "host", Role.HOST_COMPANY, cat.DEMO_HOST_COMPANY,
        "its own interns in Miyagi, nothing else", "Sato Yuki",
    ),
    DemoAccount(
        "leadership", Role.LEADERSHIP, cat.LEADERSHIP_UNIT,
        "everything, read-only: dashboards and drill-down", "Bambang Hermawan",
    ),
    DemoAccount(
        "candidate", Role.CANDIDATE, "",
        "own application in the 2026 round (Jawa Barat site)", "Muhammad Rizki Pratama",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class HostCompany:
    organisation: Organisation
    prefecture_code: str
    trades: tuple[Trade, ...]
    stage3_trades: tuple[Trade, ...]
    weight: float


@dataclass
class Cast:
    """Everything the history builder needs from the organisations and accounts."""

    provinces: dict[str, Province]
    regencies: dict[str, Regency]
    prefectures: dict[str, Prefecture]
    imjapan: Organisation
    regional_offices: dict[str, Organisation]
    training_centres: dict[str, Organisation]
    hosts_by_prefecture: dict[str, list[HostCompany]]
    demo_host: HostCompany
    users: dict[str, User] = field(default_factory=dict)
    provinces_by_id: dict[int, str] = field(init=False)

    def __post_init__(self) -> None:
        self.provinces_by_id = {province.pk: code for code, province in self.provinces.items()}

    def host_cum_weights(self, prefecture_code: str) -> list[float]:
        return list(accumulate(host.weight for host in self.hosts_by_prefecture[prefecture_code]))


def _organisation(
    kind: str,
    name: str,
    short_name: str = "",
    *,
    parent: Organisation | None = None,
    province: Province | None = None,
    prefecture: Prefecture | None = None,
    staff_count: int | None = None,
) -> Organisation:
    organisation = Organisation(
        kind=kind,
        name=name,
        short_name=short_name,
        parent=parent,
        province=province,
        prefecture=prefecture,
        staff_count=staff_count,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


def cast_create(*, seed: int) -> Cast:
    """Create the organisations (about 180) and the demo accounts."""
    rng = random.Random(seed + 3)
    provinces = {p.code: p for p in Province.objects.all()}
    regencies = {r.code: r for r in Regency.objects.all()}
    prefectures = {p.code: p for p in Prefecture.objects.all()}
    kind = Organisation.Kind

    kemnaker = _organisation(kind.MINISTRY_UNIT, cat.KEMNAKER, "Kemnaker")
    leadership = _organisation(
        kind.MINISTRY_UNIT, cat.LEADERSHIP_UNIT, "Ditjen Binalavotas", parent=kemnaker
    )
    selection = _organisation(
        kind.MINISTRY_UNIT, cat.SELECTION_UNIT, "Dit. Bina Pemagangan", parent=leadership
    )
    systems = _organisation(kind.MINISTRY_UNIT, cat.SYSTEMS_UNIT, "Pusdatinaker", parent=kemnaker)
    imjapan = _organisation(
        kind.SUPERVISING_ORGANISATION,
        cat.IM_JAPAN,
        "IM Japan",
        prefecture=prefectures[cat.IM_JAPAN_PREFECTURE],
        staff_count=330,
    )
    regional_offices = {
        office.province_code: _organisation(
            kind.REGIONAL_OFFICE,
            cat.regional_office_name(provinces[office.province_code].name),
            f"Disnakertrans {office.short}",
            parent=kemnaker,
            province=provinces[office.province_code],
        )
        for office in cat.REGIONAL_OFFICES
    }
    training_centres = {
        centre.short: _organisation(
            kind.TRAINING_CENTRE,
            centre.name,
            centre.short,
            parent=leadership,
            province=provinces[centre.province_code],
        )
        for centre in cat.TRAINING_CENTRES
    }
    _organisation(kind.UNION, cat.UNION, "KSPSI")
    _organisation(kind.ACADEMIC_INSTITUTION, cat.ACADEMIC, "Polteknaker", parent=kemnaker)
    _organisation(kind.ALUMNI_ASSOCIATION, cat.ALUMNI, "IKAPEKSI")

    hosts_by_prefecture, demo_host = _host_companies(rng, imjapan, prefectures)
    cast = Cast(
        provinces=provinces,
        regencies=regencies,
        prefectures=prefectures,
        imjapan=imjapan,
        regional_offices=regional_offices,
        training_centres=training_centres,
        hosts_by_prefecture=hosts_by_prefecture,
        demo_host=demo_host,
    )
    memberships = {
        cat.SYSTEMS_UNIT: systems,
        cat.SELECTION_UNIT: selection,
        cat.LEADERSHIP_UNIT: leadership,
        cat.IM_JAPAN: imjapan,
        cat.DEMO_HOST_COMPANY: demo_host.organisation,
        cat.CENTRAL_TRAINING_CENTRE.name: training_centres[cat.CENTRAL_TRAINING_CENTRE.short],
        **{org.name: org for org in regional_offices.values()},
    }
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    for account in DEMO_ACCOUNTS:
        is_admin = account.role == Role.ADMINISTRATOR
        user = User.objects.create(
            username=account.username,
            password=password,
            full_name=account.full_name,
            email=f"{account.username}@magang.example",
            is_staff=is_admin,
            is_superuser=is_admin,
        )
        cast.users[account.username] = user
        if account.role != Role.CANDIDATE:
            Membership.objects.create(
                user=user, organisation=memberships[account.organisation], role=account.role
            )
    return cast


def _staff_count(rng: random.Random) -> int:
    band = rng.random()
    if band < 0.15:
        return rng.randint(12, 30)
    if band < 0.35:
        return rng.randint(31, 100)
    if band < 0.7:
        return rng.randint(101, 300)
    return rng.randint(301, 2400)


def _host_companies(
    rng: random.Random, imjapan: Organisation, prefectures: dict[str, Prefecture]
) -> tuple[dict[str, list[HostCompany]], HostCompany]:
    """About 150 host companies, spread over prefectures like the interns are."""
    trades_by_group: dict[str, list[Trade]] = {}
    for trade in Trade.objects.order_by("code"):
        trades_by_group.setdefault(trade.group, []).append(trade)
    groups = [group for group in cat.TRADE_GROUP_WEIGHTS if trades_by_group.get(group)]
    group_weights = [cat.TRADE_GROUP_WEIGHTS[group] for group in groups]
    per_prefecture = split_total(
        cat.HOST_COMPANY_COUNT,
        {code: weight for code, weight in cat.PREFECTURE_WEIGHTS.items() if code in prefectures},
    )

    names = {cat.DEMO_HOST_COMPANY}
    planned: list[tuple[str, str, int]] = [(cat.DEMO_HOST_PREFECTURE, "machinery", 420)]
    for code, count in per_prefecture.items():
        for _ in range(count - (code == cat.DEMO_HOST_PREFECTURE)):
            planned.append((code, rng.choices(groups, weights=group_weights)[0], _staff_count(rng)))

    organisations: list[Organisation] = []
    for index, (code, group, staff) in enumerate(planned):
        name = cat.DEMO_HOST_COMPANY  # the first; the others get a new name each
        local = prefectures[code].name_en
        while index and name in names:
            prefix = rng.choice((*cat.COMPANY_PREFIXES, local, local))
            name = f"{prefix} {rng.choice(cat.COMPANY_WORDS[group])} Co., Ltd."
        names.add(name)
        organisation = Organisation(
            kind=Organisation.Kind.HOST_COMPANY,
            name=name,
            parent=imjapan,
            prefecture=prefectures[code],
            staff_count=staff,
        )
        organisation.full_clean(validate_unique=False, validate_constraints=False)
        organisations.append(organisation)
    Organisation.objects.bulk_create(organisations)

    hosts_by_prefecture: dict[str, list[HostCompany]] = {}
    hosts: list[HostCompany] = []
    for organisation, (code, group, staff) in zip(organisations, planned, strict=True):
        pool = trades_by_group.get(group) or [t for ts in trades_by_group.values() for t in ts]
        trades = tuple(rng.sample(pool, k=min(len(pool), rng.randint(1, 3))))
        stage3 = tuple(t for t in trades if t.stage3_eligible) or tuple(
            t for t in pool if t.stage3_eligible
        )
        host = HostCompany(
            organisation=organisation,
            prefecture_code=code,
            trades=trades,
            stage3_trades=stage3 or trades,
            weight=math.sqrt(staff),
        )
        hosts.append(host)
        hosts_by_prefecture.setdefault(code, []).append(host)
    return hosts_by_prefecture, hosts[0]
