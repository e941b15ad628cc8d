"""Reads of medical results and disclosures to Japanese partners are logged per person (who,
when, whose, and for disclosures to whom and on what basis), never with the values."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from magang.recruitment.models import Application, PersonalDataAccess
from magang.tests.world import SENTINELS

from .test_privacy_erasure import _world

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
MEDICAL = PersonalDataAccess.Kind.MEDICAL_READ
EXPORT = PersonalDataAccess.Kind.PARTNER_EXPORT


@pytest.fixture
def world() -> Any:
    return _world()


def _get(world: Any, role: str, url: str) -> Any:
    client = Client()
    client.force_login(world.users[role])
    return client.get(url, **EN)


def _log(kind: str) -> list[tuple[Any, ...]]:
    return list(
        PersonalDataAccess.objects.filter(kind=kind)
        .order_by("id")
        .values_list("actor__username", "candidate_id", "what")
    )


def test_the_central_team_reading_medical_results_is_logged_without_values(world: Any) -> None:
    url = reverse("selection:application_results", args=[world.application_a.pk])
    response = _get(world, "central", url)
    assert response.status_code == 200 and SENTINELS["medical"] in response.content.decode()
    assert _log(MEDICAL) == [("central", world.candidate_a.pk, "selection.application_results")]
    row = PersonalDataAccess.objects.values().get()
    assert not any(SENTINELS["medical"] in str(value) for value in row.values())


def test_an_officer_who_sees_only_pass_or_fail_is_not_logged(world: Any) -> None:
    url = reverse("selection:application_results", args=[world.application_a.pk])
    response = _get(world, "officer_a", url)
    assert response.status_code == 200 and SENTINELS["medical"] not in response.content.decode()
    assert _log(MEDICAL) == []


def test_the_candidate_reading_their_own_medical_result_is_logged(world: Any) -> None:
    assert _get(world, "candidate", reverse("selection:my_selection")).status_code == 200
    assert _log(MEDICAL) == [("candidate.a", world.candidate_a.pk, "selection.my_selection")]


def test_the_medical_grid_logs_everyone_shown(world: Any) -> None:
    Application.objects.filter(pk=world.application_a.pk).update(status="in_selection")
    url = reverse("selection:grid", args=[world.stage_medical.pk, world.site_a.pk])
    assert _get(world, "central", url).status_code == 200
    assert _log(MEDICAL) == [("central", world.candidate_a.pk, "selection.grid")]


def test_the_training_medical_check_read_is_logged(world: Any) -> None:
    world.enrolment_a.medical_passed = True
    world.enrolment_a.save()
    url = reverse("training:graduation_trainee", args=[world.enrolment_a.pk])
    assert _get(world, "trainer_a", url).status_code == 200
    assert _log(MEDICAL) == [("trainer.a", world.candidate_a.pk, "training.graduation_trainee")]


def test_a_cv_download_is_logged_with_recipient_and_legal_basis(world: Any) -> None:
    url = reverse("placement:cv", args=[world.application_a.pk])
    assert _get(world, "partner_a", url).status_code in (200, 503)  # 503: no Japanese font
    access = PersonalDataAccess.objects.get(kind=EXPORT)
    assert (access.actor, access.candidate, access.what) == (
        world.users["partner_a"],
        world.candidate_a,
        "placement.cv",
    )
    assert access.recipient == world.partner_org_a and access.recipient_name == "IM Japan"
    assert "UU 27/2022" in access.legal_basis


def test_a_shortlist_read_by_the_host_company_is_a_logged_disclosure(world: Any) -> None:
    url = reverse("placement:shortlist", args=[world.job_order_a.pk])
    assert _get(world, "central", url).status_code == 200
    assert _log(EXPORT) == []  # the central team's own work is no disclosure
    assert _get(world, "host_a", url).status_code == 200
    access = PersonalDataAccess.objects.get(kind=EXPORT)
    assert access.recipient == world.host_org_a and access.candidate == world.candidate_a
