"""A candidate's ranking page: the open job orders they may rank (others folded away with
the reasons, in the page's language), ranks saved through ``preferences_set``, mistakes
shown, only graduates and trainees, and only their own."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from magang import factories as f
from magang.placement.models import JobOrder, Preference
from magang.placement.services.candidacies import preferences_set
from magang.placement.services.orders import job_order_save
from magang.recruitment.models import Application

from .conftest import order_data
from .test_pages_orders import NATIONWIDE, client_for

pytestmark = pytest.mark.django_db
URL = "/placement/preferences/"


def ranked(application: Application) -> list[str]:
    return list(
        Preference.objects.filter(application=application)
        .order_by("rank")
        .values_list("job_order__reference", flat=True)
    )


@pytest.fixture
def tall_only(placement: Any, cast: Any) -> JobOrder:
    return job_order_save(
        host_company=cast.host_company_other,
        data=order_data("NK-2027-09", slots=1, min_height_cm=170),
        by=cast.partner,
    )


def test_the_url_is_named() -> None:
    assert reverse("placement:my_preferences") == URL


def test_a_graduate_sees_what_they_may_rank_and_why_not_the_rest(
    placement: Any, cast: Any, tall_only: JobOrder
) -> None:
    response = client_for(cast.candidate).get(URL)
    assert response.status_code == 200
    choices = {c.order.reference for c, _selected in response.context["rows"]}
    assert choices == {"SS-2027-01", "NK-2027-01"}
    page = response.content.decode()
    assert "Miyagi" in page and "宮城県" in page and "鋳鉄鋳物鋳造" in page  # Indonesian + Japanese
    assert '<details class="card" id="not-eligible">' in page
    assert "Height 168 cm; at least 170 cm is asked." in page
    indonesian = Client(headers={"accept-language": "id"})
    indonesian.force_login(cast.candidate)
    assert "Tinggi 168 cm, minimal 170 cm." in indonesian.get(URL).content.decode()


def test_a_graduate_ranks_job_orders(placement: Any, cast: Any, tall_only: JobOrder) -> None:
    ss, nk = placement.orders
    client = client_for(cast.candidate)
    response = client.post(URL, {f"rank-{ss.pk}": "2", f"rank-{nk.pk}": "1"})
    assert response.status_code == 302 and response["Location"] == URL
    mine = placement.graduates[0]
    assert ranked(mine) == ["NK-2027-01", "SS-2027-01"]
    page = client.get(URL)
    assert {c.order.reference: s for c, s in page.context["rows"]} == {
        "NK-2027-01": "1",
        "SS-2027-01": "2",
    }
    assert 'id="my-ranking"' in page.content.decode()
    # Gaps close up; an order left without a rank leaves the ranking; others are ignored.
    client.post(URL, {f"rank-{ss.pk}": "5", f"rank-{nk.pk}": "", f"rank-{tall_only.pk}": "1"})
    assert ranked(mine) == ["SS-2027-01"]
    client.post(URL, {})
    assert ranked(mine) == []


def test_mistakes_are_shown_and_nothing_is_saved(placement: Any, cast: Any) -> None:
    ss, nk = placement.orders
    mine = placement.graduates[0]
    preferences_set(application=mine, job_orders=[ss], by=cast.candidate)
    client = client_for(cast.candidate)
    twice = client.post(URL, {f"rank-{ss.pk}": "1", f"rank-{nk.pk}": "1"})
    assert twice.status_code == 400
    assert "SS-2027-01 and NK-2027-01 both have rank 1" in twice.content.decode() or (
        "NK-2027-01 and SS-2027-01 both have rank 1" in twice.content.decode()
    )
    assert {c.order.reference: s for c, s in twice.context["rows"]} == {
        "SS-2027-01": "1",
        "NK-2027-01": "1",
    }
    wrong = client.post(URL, {f"rank-{ss.pk}": "11", f"rank-{nk.pk}": "x"})
    assert wrong.status_code == 400
    assert "SS-2027-01: choose a rank from 1 to 10." in wrong.content.decode()
    assert ranked(mine) == ["SS-2027-01"]


def test_a_closed_order_stays_in_the_ranking_until_saved_again(placement: Any, cast: Any) -> None:
    ss, nk = placement.orders
    mine = placement.graduates[0]
    preferences_set(application=mine, job_orders=[nk, ss], by=cast.candidate)
    JobOrder.objects.filter(pk=nk.pk).update(state="cancelled")
    client = client_for(cast.candidate)
    page = client.get(URL)
    assert [c.order.reference for c, _s in page.context["rows"]] == ["SS-2027-01"]
    assert "no longer open" in page.content.decode()
    client.post(URL, {f"rank-{ss.pk}": "1"})
    assert ranked(mine) == ["SS-2027-01"]


def test_orders_of_another_round_are_not_offered(placement: Any, cast: Any) -> None:
    other = f.RoundFactory(year=2027)
    JobOrder.objects.filter(pk=placement.orders[1].pk).update(round=other)
    JobOrder.objects.filter(pk=placement.orders[0].pk).update(round=cast.application_jabar.round)
    page = client_for(cast.candidate).get(URL)
    assert [c.order.reference for c, _s in page.context["rows"]] == ["SS-2027-01"]


def test_only_graduates_and_trainees_rank(placement: Any, cast: Any) -> None:
    Application.objects.filter(pk=cast.application_jabar.pk).update(status="in_training")
    assert client_for(cast.candidate).get(URL).context["ranking"].may_rank
    Application.objects.filter(pk=cast.application_jabar.pk).update(status="selected")
    client = client_for(cast.candidate)
    page = client.get(URL)
    assert page.status_code == 200 and not page.context["ranking"].may_rank
    number = cast.application_jabar.registration_number
    assert f"Your application {number} is: Selected." in page.content.decode()
    refused = client.post(URL, {f"rank-{placement.orders[0].pk}": "1"})
    assert refused.status_code == 400
    assert not Preference.objects.exists()
    without = f.UserFactory(username="no.application")
    f.CandidateFactory(user=without)
    assert "You have no application yet." in client_for(without).get(URL).content.decode()


def test_only_candidates_and_only_their_own(placement: Any, cast: Any) -> None:
    other = placement.graduates[1]
    preferences_set(application=other, job_orders=[placement.orders[0]], by=other.candidate.user)
    page = client_for(cast.candidate).get(URL)
    assert page.context["ranking"].application == placement.graduates[0]
    assert page.context["ranking"].ranked == []
    for name in (
        *NATIONWIDE,
        "partner",
        "host",
        "host_other",
        "officer_jabar",
        "trainer",
        "outsider",
    ):
        client = client_for(getattr(cast, name))
        assert client.get(URL).status_code == 403, name
        assert client.post(URL, {}).status_code == 403, name
    assert client_for(None).get(URL).status_code == 302
    assert ranked(other) == ["SS-2027-01"]


def test_the_home_page_invites_graduates_to_rank(placement: Any, cast: Any) -> None:
    home = reverse("accounts:home")
    page = client_for(cast.candidate).get(home).content.decode()
    assert "Rank your job orders" in page and "You have ranked 0 job orders" in page
    Application.objects.filter(pk=cast.application_jabar.pk).update(status="selected")
    assert "home-preferences" not in client_for(cast.candidate).get(home).content.decode()
    assert "home-preferences" not in client_for(cast.central).get(home).content.decode()
