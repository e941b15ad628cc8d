"""Incidents, grievances, returns and alumni in the demo.

Two more accounts (password ``DEMO_PASSWORD``): ``intern``, an intern in Japan today who
registered in West Java (``officer.jabar`` sees their cases) at IM Japan's demo host company,
and ``alumnus``, a West Java returnee with a paid business capital grant who is listed in the
alumni directory.

Cases in every state go through the case services, as the intern's, officer's and partner's
clicks would: an open grievance the partner may not see, a health incident the partner sees
without its details, a resolved case waiting for the intern's confirmation, one in progress,
a closed one and one past its target time, escalated. Returns of the last year's completed
stays are recorded through ``return_record`` under a grant scheme per year (amounts are demo
values: the real amount is not published), some grants approved, paid or refused; a few
alumni answered the follow-up survey and agreed to be listed; one job event with Japanese
firms is announced, with interest registered.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from magang.accounts.models import Membership, Role, User
from magang.internships.models import (
    BusinessGrant,
    Case,
    CaseTarget,
    EndReason,
    GrantScheme,
    Internship,
)
from magang.internships.services import alumni as alumni_services
from magang.internships.services import cases as case_services
from magang.recruitment.journey import Status
from magang.recruitment.models import Programme

from .organisations import DEMO_PASSWORD, Cast

Say = Callable[[str], None]
# The two candidate accounts this module adds, for the list `manage.py demo` prints:
# (username, what they see).
ALUMNI_ACCOUNTS: tuple[tuple[str, str], ...] = (
    ("intern", "an intern in Japan now: own stay, files grievances (/internships/cases/my/)"),
    ("alumnus", "a returnee: business capital grant, surveys, alumni directory"),
)
GRANT_AMOUNT = Decimal(10_000_000)  # demo value (DOMAIN.md: the real amount is unsure)
TARGET_HOURS = {"critical": 24, "high": 72, "medium": 168, "low": 336}


def _account(username: str, full_name: str, password: str) -> User:
    return User.objects.create(
        username=username, full_name=full_name, password=password, email=f"{username}@demo.invalid"
    )


def _jabar_office(cast: Cast) -> int:
    officer = cast.users.get("officer.jabar")
    membership = (
        Membership.objects.filter(user=officer, role=Role.REGIONAL_OFFICER).first()
        if officer
        else None
    )
    return membership.organisation_id if membership else 0


def alumni_build(*, cast: Cast, seed: int, today: dt.date, say: Say) -> dict[str, int]:
    """Cases, returns, grants, surveys and a job event (see the module's docstring)."""
    rng = random.Random(seed)
    today = min(today, timezone.localdate())
    password = make_password(DEMO_PASSWORD)
    # The demo empties every table but reference data: the target times are data again.
    for severity, hours in TARGET_HOURS.items():
        CaseTarget.objects.get_or_create(
            severity=severity, defaults={"resolve_within_hours": hours}
        )
    cases = _cases(cast=cast, rng=rng, password=password, say=say)
    returns = _alumni(cast=cast, rng=rng, today=today, password=password, say=say)
    return {"cases": cases, "returns": returns}


def _cases(*, cast: Cast, rng: random.Random, password: str, say: Say) -> int:
    office = _jabar_office(cast)
    central, partner = cast.users["central"], cast.users["partner"]
    current = Internship.objects.filter(
        ended_on__isnull=True,
        application__status=Status.IN_JAPAN,
        supervising_organisation=cast.imjapan,
        application__candidate__user__isnull=True,
    ).select_related("application__candidate", "application__site")
    mine = (
        current.filter(
            application__site__organisation_id=office,
            host_company=cast.demo_host.organisation,
        ).first()
        or current.filter(application__site__organisation_id=office).first()
    )
    if mine is None:
        return 0
    say("Cases: incidents and grievances in every state")
    intern = _account("intern", mine.application.candidate.full_name, password)
    candidate = mine.application.candidate
    candidate.user = intern
    candidate.save(update_fields=["user"])
    officer = cast.users["officer.jabar"]

    case_services.case_file(
        internship=mine, by=intern, kind="grievance", category="wages", severity="medium",
        description="Lembur bulan lalu belum dibayar. Overtime for last month has not been paid.",
        about_host_company=True,
    )  # fmt: skip
    health = case_services.case_file(
        internship=mine, by=intern, kind="incident", category="health", severity="high",
        description="Sakit punggung sejak dua minggu. Back pain for two weeks.",
        health_details="Lower back strain; the clinic advised a week of light work.",
        share_with_partner=True,
    )  # fmt: skip
    case_services.case_assign(case=health, assignee=officer, by=central)
    case_services.case_note_add(
        case=health, by=officer, text="IM Japan's counsellor will call the intern this week."
    )
    housing = case_services.case_file(
        internship=mine, by=intern, kind="grievance", category="housing", severity="low",
        description="Kamar asrama terlalu penuh. The dormitory room is overcrowded.",
        share_with_partner=True,
    )  # fmt: skip
    case_services.case_assign(case=housing, assignee=officer, by=central)
    case_services.case_resolve(
        case=housing, by=officer,
        resolution="The host company moved two interns to a second room.",
    )  # fmt: skip

    others = list(
        current.exclude(pk=mine.pk).exclude(application__candidate__user__isnull=False)[:40]
    )
    rng.shuffle(others)
    count = 3
    if len(others) >= 4:
        accident = case_services.case_file(
            internship=others[0], by=partner, kind="incident", category="accident",
            severity="high", description="Caught a finger in a press; treated at the hospital.",
            health_details="Fractured left index finger.",
        )  # fmt: skip
        case_services.case_assign(case=accident, assignee=central, by=central)
        debt = case_services.case_file(
            internship=others[1], by=central, kind="grievance", category="debt_or_fees",
            severity="medium", description="A broker in Indonesia asks for more money.",
        )  # fmt: skip
        case_services.case_resolve(
            case=debt, by=central, resolution="The broker was reported to the police."
        )
        case_services.case_close(
            case=debt, by=central, reason="The intern returned home and could not be reached."
        )
        overdue = case_services.case_file(
            internship=others[2], by=central, kind="grievance", category="harassment",
            severity="critical", description="Reported by phone to the embassy hotline.",
        )  # fmt: skip
        now = timezone.now()
        Case.objects.filter(pk=overdue.pk).update(
            filed_at=now - dt.timedelta(days=3), due_at=now - dt.timedelta(days=2)
        )
        case_services.cases_escalate(now=now, notify=False)
        case_services.case_file(
            internship=others[3], by=partner, kind="grievance", category="working_hours",
            severity="medium", description="Twelve-hour shifts six days a week.",
        )  # fmt: skip
        count += 4
    return count


def _alumni(*, cast: Cast, rng: random.Random, today: dt.date, password: str, say: Say) -> int:
    central = cast.users["central"]
    programme = Programme.objects.filter(rounds__isnull=False).order_by("valid_from").first()
    if programme is None:
        return 0
    say("Returns, business capital grants, alumni and a job event")
    for year in range(today.year - 2, today.year + 1):
        GrantScheme.objects.get_or_create(
            programme=programme,
            year=year,
            defaults={
                "amount": GRANT_AMOUNT,
                "min_months_in_japan": 33,
                "apply_within_months": 12,
                "conditions": "A business plan reviewed by the regional office.",
            },
        )
    office = _jabar_office(cast)
    ended = list(
        Internship.objects.filter(
            end_reason=EndReason.COMPLETED,
            ended_on__gte=today - dt.timedelta(days=300),
            ended_on__lte=today - dt.timedelta(days=20),
            return_record__isnull=True,
            application__candidate__user__isnull=True,
        )
        .select_related("application__candidate", "application__site", "application__round")
        .order_by("-ended_on", "id")[:30]
    )
    ended.sort(key=lambda i: i.application.site.organisation_id != office)
    records = []
    for n, internship in enumerate(ended):
        assert internship.ended_on is not None  # noqa: S101  (filtered above)
        records.append(
            alumni_services.return_record(
                internship=internship,
                returned_on=min(today, internship.ended_on + dt.timedelta(days=rng.randint(1, 10))),
                by=central,
                certificate_number=f"OTIT-{internship.ended_on.year}-{internship.pk:06d}"
                if n % 6
                else "",
            )
        )
    grants = list(
        BusinessGrant.objects.filter(return_record__in=records).order_by("return_record_id")
    )
    for n, grant in enumerate(grants):
        if n % 4 == 0:
            continue  # waiting for approval
        grant = alumni_services.grant_approve(grant=grant, by=central)
        if n % 4 in (1, 2):
            alumni_services.grant_pay(
                grant=grant, by=central, paid_on=today, reference=f"BRI-{grant.pk:08d}"
            )
        elif n % 8 == 3:
            alumni_services.grant_refuse(
                grant=grant, by=central, reason="No business plan was submitted."
            )
    if not records:
        return 0
    alumnus_record = next(
        (r for r in records if hasattr(r, "grant") and r.grant.status == "paid"), records[0]
    )
    candidate = alumnus_record.internship.application.candidate
    alumnus = _account("alumnus", candidate.full_name, password)
    candidate.user = alumnus
    candidate.save(update_fields=["user"])
    headlines = (
        "Runs a welding workshop",
        "Japanese teacher at an LPK",
        "Quality inspector at a Japanese firm in Cikarang",
        "Opened a bakery",
        "Back in Japan as a Specified Skilled Worker",
    )
    for n, record in enumerate(records[:12]):
        profile = alumni_services.profile_ensure(record.internship.application.candidate)
        user = alumnus if record is alumnus_record else None
        by = user or central
        if user is not None:
            alumni_services.alumni_profile_update(
                profile=profile, by=user, headline=headlines[n % len(headlines)],
                province=candidate.province, directory_consent=True,
            )  # fmt: skip
        elif n % 2 == 0:
            # Historic alumni have no account: their consent is imported as given on paper.
            profile.headline = headlines[n % len(headlines)]
            profile.directory_consent = True
            profile.directory_consent_at = timezone.now()
            profile.save()
        back = n % 5 == 4
        alumni_services.alumni_survey_record(
            profile=profile, by=by,
            employment="in_japan" if back else rng.choice(["employed", "self_employed"]),
            income_band=rng.choice(["2m_5m", "5m_10m", "above_10m"]),
            business_started=n % 3 == 0, business_sector="welding" if n % 3 == 0 else "",
            back_in_japan_ssw=back, ssw_field="Industrial product manufacturing" if back else "",
        )  # fmt: skip
    event = alumni_services.job_event_create(
        by=central,
        title="Job fair: Japanese firms in Indonesia",
        venue="BBPVP Bekasi",
        province=alumnus_record.internship.application.candidate.province,
        starts_at=timezone.now() + dt.timedelta(days=45),
        companies="Toyota Motor Manufacturing Indonesia, Astra Daihatsu, Yamaha Indonesia",
        description="Interviews for returnees with JLPT N3 or above.",
        capacity=200,
    )
    alumni_services.job_event_register(
        event=event,
        profile=alumni_services.profile_ensure(candidate),
        by=alumnus,
    )
    return len(records)
