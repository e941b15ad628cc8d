"""Attendance rates of a class per trainee and per module, for readers of the cohort only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from .test_readiness_service import teach

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def test_rates_per_trainee_and_module(
    training: Any, cast: Any, django_assert_max_num_queries: Any
) -> None:
    teach(training, cast, absent={1: 1})
    url = reverse("training:attendance_class", args=[training.klass.pk])
    client = client_for(cast.trainer)  # logging in is not the page's work
    with django_assert_max_num_queries(25):
        page = client.get(url)
    assert page.status_code == 200
    rows = {r.enrolment.pk: r for r in page.context["attendance"].rows}
    second = rows[training.enrolments[1].pk]
    assert round(second.overall.percent, 1) == 66.7
    japanese = [m.key for m in page.context["attendance"].modules].index("japanese")
    assert second.by_module[japanese].held == 3
    assert rows[training.enrolments[0].pk].overall.percent == 100
    assert "66.7%" in page.content.decode()


def test_only_readers_of_the_cohort(training: Any, cast: Any) -> None:
    url = reverse("training:attendance_class", args=[training.klass.pk])
    for user in (cast.central, cast.leadership, cast.admin):
        assert client_for(user).get(url).status_code == 200
    assert client_for(training.trainer_other).get(url).status_code == 404
    for user in (cast.officer_jabar, cast.partner, cast.host, cast.candidate, cast.outsider):
        assert client_for(user).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
