"""Job orders of the cast's host companies (Sendai Seiko: 80 staff, so 6 interns a year)
and graduates to match with them."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from magang import factories as f
from magang.placement.models import JobOrder
from magang.placement.services.orders import JobOrderData, job_order_save
from magang.recruitment.journey import Status
from magang.recruitment.models import Application

START = dt.date(2027, 7, 1)

# The CV embeds a system font (fonts-ipaexfont-gothic). Without it those tests are skipped,
# unless MAGANG_REQUIRE_PDF_FONT is set (CI installs the font and sets it).
needs_font = pytest.mark.skipif(
    not Path(settings.MAGANG_PDF_FONT).is_file() and not os.environ.get("MAGANG_REQUIRE_PDF_FONT"),
    reason="no Japanese font at MAGANG_PDF_FONT (apt-get install fonts-ipaexfont-gothic)",
)


def order_data(reference: str, *, slots: int = 2, **extra: Any) -> JobOrderData:
    return JobOrderData(
        reference=reference,
        trade=f.trade(),
        prefecture=f.prefecture("04"),
        slots=slots,
        planned_start=START,
        **extra,
    )


@dataclass
class Placement:
    orders: list[JobOrder]
    graduates: list[Application]


@pytest.fixture
def placement(cast: Any) -> Placement:
    orders = [
        job_order_save(
            host_company=cast.host_company, data=order_data("SS-2027-01"), by=cast.partner
        ),
        job_order_save(
            host_company=cast.host_company_other,
            data=order_data("NK-2027-01", slots=1),
            by=cast.partner,
        ),
    ]
    Application.objects.filter(pk=cast.application_jabar.pk).update(
        status=Status.GRADUATED, height_cm=168
    )
    cast.application_jabar.refresh_from_db()
    graduates = [cast.application_jabar] + [
        f.ApplicationFactory(
            site=cast.site_jabar,
            status=Status.GRADUATED,
            height_cm=160 + i,
            candidate=f.CandidateFactory(user=f.UserFactory(username=f"graduate{i}")),
        )
        for i in range(4)
    ]
    return Placement(orders=orders, graduates=graduates)
