"""Fixtures for the stay's tests: the cast's West Java applicant departed to Sendai Seiko under
IM Japan on TITP, and a second intern from Central Java at Nagoya Kogyo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from conftest import Cast
from magang import factories as f
from magang.internships.models import Internship, Stage
from magang.internships.services.programme import titp_rules_ensure
from magang.recruitment.journey import Status

DEPARTED = dt.date(2022, 3, 1)


@dataclass
class Stay:
    cast: Cast
    jabar: Internship
    jateng: Internship
    stages: list[Stage]


def departed(cast: Cast, application: object, host: object) -> Internship:
    app = application
    app.status = Status.DEPARTED.value  # type: ignore[attr-defined]
    app.save(update_fields=["status"])  # type: ignore[attr-defined]
    return Internship.objects.create(
        application=app,
        supervising_organisation=cast.imjapan,
        host_company=host,
        prefecture=host.prefecture,  # type: ignore[attr-defined]
        trade=f.trade(),
        departed_on=DEPARTED,
    )


@pytest.fixture(name="stay")
def stay_fixture(cast: Cast) -> Stay:
    stages = titp_rules_ensure(programme=cast.application_jabar.round.programme)
    return Stay(
        cast=cast,
        jabar=departed(cast, cast.application_jabar, cast.host_company),
        jateng=departed(cast, cast.application_jateng, cast.host_company_other),
        stages=stages,
    )
