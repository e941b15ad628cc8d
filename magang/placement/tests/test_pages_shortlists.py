"""A job order's shortlist through the client: proposed from those who ranked the order,
interviews recorded, the company's ranking of those who passed; who may read, who may act;
and what partners and host companies never see of a candidate."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from magang.placement.models import Candidacy, JobOrder
from magang.placement.services.candidacies import interview_record, preferences_set
from magang.recruitment.models import Application
from magang.training.models import (
    Assessment,
    Cohort,
    Curriculum,
    DisciplineRecord,
    Enrolment,
    Module,
    Score,
)

from .test_pages_orders import NATIONWIDE, NOBODY, client_for

pytestmark = pytest.mark.django_db

SECRETS = (
    "Tertangkap merokok di asrama XYZZY",  # a discipline record's description
    "Jl. Rahasia No. 7",  # the candidate's address
    "081299990000",  # phone
    "rahasia@example.com",  # e-mail
    "2026-12-29",  # the pre-departure medical check's date
    "29 Dec",
)


@dataclass
class Shortlisted:
    order: JobOrder
    candidacies: list[Candidacy]


@pytest.fixture
def shortlisted(placement: Any, cast: Any) -> Shortlisted:
    order = placement.orders[0]  # Sendai Seiko, 2 slots
    for graduate in placement.graduates:
        preferences_set(application=graduate, job_orders=[order], by=graduate.candidate.user)
    client_for(cast.partner).post(reverse("placement:shortlist_propose", args=[order.pk]))
    return Shortlisted(
        order=order,
        candidacies=list(
            Candidacy.objects.filter(job_order=order).order_by("application__registration_number")
        ),
    )


@pytest.fixture
def trained(placement: Any, cast: Any) -> Application:
    """The cast candidate's training: a certified level, a score, a medical check and a
    discipline record; and contact details on the candidate."""
    application = placement.graduates[0]
    candidate = application.candidate
    candidate.address, candidate.phone, candidate.email = SECRETS[1:4]
    candidate.name_katakana = "ブディ"
    candidate.save()
    curriculum = Curriculum.objects.create(
        programme=application.round.programme, code="c-2026", name="C 2026", year=2026
    )
    module = Module.objects.create(
        curriculum=curriculum,
        order=1,
        key="japanese",
        name_en="Japanese",
        name_id="Jepang",
        category="japanese",
        planned_hours=40,
        pass_mark=60,
        weight=1,
    )
    cohort = Cohort.objects.create(
        centre=cast.trainer.memberships.get().organisation,
        curriculum=curriculum,
        code="bekasi-2026-10",
        name="Oktober 2026",
        stage="central",
        starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2026, 12, 20),
        capacity=40,
    )
    enrolment = Enrolment.objects.create(
        cohort=cohort,
        application=application,
        state="graduated",
        enrolled_on=dt.date(2026, 10, 1),
        ended_on=dt.date(2026, 12, 20),
        medical_passed=True,
        medical_checked_on=dt.date(2026, 12, 29),
        japanese_level="N4",
    )
    assessment = Assessment.objects.create(
        cohort=cohort, module=module, kind="written", name="Final", held_on=dt.date(2026, 12, 10)
    )
    Score.objects.create(
        assessment=assessment,
        enrolment=enrolment,
        score=Decimal("82.5"),
        recorded_by=cast.trainer,
        recorded_at=timezone.now(),
    )
    DisciplineRecord.objects.create(
        enrolment=enrolment,
        kind="demerit",
        points=5,
        occurred_on=dt.date(2026, 11, 2),
        description=SECRETS[0],
        recorded_by=cast.trainer,
        recorded_at=timezone.now(),
    )
    return application


def test_the_shortlist_is_read_by_whoever_reads_the_order(
    shortlisted: Shortlisted, cast: Any
) -> None:
    url = reverse("placement:shortlist", args=[shortlisted.order.pk])
    for name in (*NATIONWIDE, "partner", "host"):
        response = client_for(getattr(cast, name)).get(url)
        assert response.status_code == 200, name
        assert len(response.context["rows"]) == 5
    assert client_for(cast.host_other).get(url).status_code == 404
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(url).status_code == 403, name
    assert client_for(None).get(url).status_code == 302
    assert 'class="inline interview-form"' in client_for(cast.host).get(url).content.decode()
    assert "interview-form" not in client_for(cast.leadership).get(url).content.decode()


def test_proposing_the_shortlist(placement: Any, cast: Any) -> None:
    order = placement.orders[0]
    for graduate in placement.graduates:
        preferences_set(application=graduate, job_orders=[order], by=graduate.candidate.user)
    url = reverse("placement:shortlist_propose", args=[order.pk])
    for name in ("leadership", "admin", *NOBODY):
        assert client_for(getattr(cast, name)).post(url).status_code == 403, name
    assert client_for(cast.host_other).post(url).status_code == 404
    assert client_for(None).post(url).status_code == 302
    assert not Candidacy.objects.exists()
    assert client_for(cast.partner).get(url).status_code == 405
    response = client_for(cast.host).post(url, follow=True)
    assert "5 candidate(s) added to the shortlist." in response.content.decode()
    again = client_for(cast.central).post(url, follow=True)
    assert "Nobody else can be added" in again.content.decode()
    assert Candidacy.objects.filter(job_order=order).count() == 5


def test_interviews_are_recorded(shortlisted: Shortlisted, cast: Any) -> None:
    order, first = shortlisted.order, shortlisted.candidacies[0]
    url = reverse("placement:interview", args=[order.pk, first.pk])
    host = client_for(cast.host)
    page = host.get(url)
    assert (
        page.status_code == 200 and first.application.registration_number in page.content.decode()
    )
    done = host.post(
        url,
        {
            "interviewed_on": "2027-02-01",
            "interviewer": "Sato",
            "result": "passed",
            "notes": "Motivated",
        },
    )
    assert done.status_code == 302
    first.refresh_from_db()
    assert (first.result, first.interviewer, first.notes) == ("passed", "Sato", "Motivated")
    assert first.interviewed_on == dt.date(2027, 2, 1)
    wrong = host.post(url, {"interviewed_on": "soon", "result": "maybe"})
    assert wrong.status_code == 400 and "errorlist" in wrong.content.decode()
    for name in ("leadership", "admin", *NOBODY):
        client = client_for(getattr(cast, name))
        assert client.get(url).status_code == 403, name
        assert (
            client.post(url, {"interviewed_on": "2027-02-01", "result": "failed"}).status_code
            == 403
        )
    assert client_for(cast.host_other).post(url, {}).status_code == 404
    assert client_for(None).get(url).status_code == 302
    first.refresh_from_db()
    assert first.result == "passed"
    elsewhere = reverse("placement:interview", args=[shortlisted.order.pk + 1, first.pk])
    assert client_for(cast.central).get(elsewhere).status_code == 404


def test_the_companys_ranking_of_those_who_passed(shortlisted: Shortlisted, cast: Any) -> None:
    order, people = shortlisted.order, shortlisted.candidacies
    for index, candidacy in enumerate(people):
        interview_record(
            candidacy=candidacy,
            on=dt.date(2027, 2, 1),
            interviewer="Sato",
            result="passed" if index < 3 else "failed",
            notes="",
            by=cast.host,
        )
    page = client_for(cast.host).get(reverse("placement:shortlist", args=[order.pk]))
    assert [row.card.application_id for row, _v in page.context["passed"]] == [
        c.application_id for c in people[:3]
    ]
    url = reverse("placement:company_ranking", args=[order.pk])
    a, b, c = (p.application_id for p in people[:3])
    twice = client_for(cast.host).post(url, {f"rank-{a}": "1", f"rank-{b}": "1"})
    assert twice.status_code == 400 and "Two candidates have rank 1" in twice.content.decode()
    too_far = client_for(cast.host).post(url, {f"rank-{a}": "4"})
    assert too_far.status_code == 400 and "choose a rank from 1 to 3" in too_far.content.decode()
    assert not Candidacy.objects.filter(company_rank__isnull=False).exists()
    saved = client_for(cast.host).post(url, {f"rank-{c}": "1", f"rank-{a}": "3", f"rank-{b}": ""})
    assert saved.status_code == 302
    ranks = dict(
        Candidacy.objects.filter(job_order=order).values_list("application_id", "company_rank")
    )
    assert (ranks[c], ranks[a], ranks[b]) == (1, 2, None)
    page = client_for(cast.leadership).get(reverse("placement:shortlist", args=[order.pk]))
    assert page.context["rows"][0].card.application_id == c  # the company's first comes first
    for name in ("leadership", "admin", *NOBODY):
        assert client_for(getattr(cast, name)).post(url, {f"rank-{a}": "1"}).status_code == 403
    assert client_for(cast.host_other).post(url, {f"rank-{a}": "1"}).status_code == 404
    assert Candidacy.objects.get(job_order=order, application_id=c).company_rank == 1


def test_partners_and_hosts_see_the_card_and_nothing_private(
    shortlisted: Shortlisted, trained: Application, cast: Any
) -> None:
    order = shortlisted.order
    candidacy = next(c for c in shortlisted.candidacies if c.application_id == trained.pk)
    pages = [
        reverse("placement:shortlist", args=[order.pk]),
        reverse("placement:interview", args=[order.pk, candidacy.pk]),
        reverse("placement:order_detail", args=[order.pk]),
    ]
    api = [
        f"/api/v1/placement/orders/{order.pk}/shortlist",
        f"/api/v1/placement/orders/{order.pk}",
    ]
    for user in (cast.host, cast.partner):
        client = client_for(user)
        shortlist = client.get(pages[0])
        card = next(
            r.card for r in shortlist.context["rows"] if r.card.application_id == trained.pk
        )
        assert (card.japanese_level, card.training_total, card.name_katakana) == (
            "N4",
            82.5,
            "ブディ",
        )
        assert card.height_cm == 168 and card.sex == "M"
        text = shortlist.content.decode()
        assert "ブディ" in text and "JLPT N4" in text and "82.5" in text
        for url in pages + api:
            body = client.get(url).content.decode()
            for secret in (*SECRETS, trained.candidate.nik):
                assert secret not in body, (url, secret)
            assert "medical" not in body.lower(), url
    listed = json.loads(client_for(cast.host).get(api[0]).content)
    mine = next(
        item for item in listed if item["registration_number"] == trained.registration_number
    )
    assert set(mine) == {
        "id",
        "application_id",
        "registration_number",
        "full_name",
        "name_katakana",
        "age",
        "sex",
        "height_cm",
        "japanese_level",
        "training_total",
        "interviewed_on",
        "interviewer",
        "result",
        "notes",
        "company_rank",
    }
