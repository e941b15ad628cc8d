"""Agreements for the partnership tests, on top of the project's cast (``conftest.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from conftest import Cast
from magang import factories as f
from magang.accounts.models import Organisation
from magang.partnerships.models import Agreement, AgreementKind, AgreementStatus
from magang.partnerships.services import AgreementData, agreement_save

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

MakeAgreement = Callable[..., Agreement]


@pytest.fixture
def make_agreement(cast: Cast) -> MakeAgreement:
    def make(**overrides: Any) -> Agreement:
        values: dict[str, Any] = {
            "title": "Miyagi MoC",
            "kind": AgreementKind.MOC,
            "status": AgreementStatus.SIGNED,
            "prefecture": f.prefecture("04"),
            "signed_on": dt.date(2023, 7, 10),
            "valid_from": dt.date(2023, 7, 10),
            "valid_until": dt.date(2028, 7, 9),
        }
        values.update(overrides)
        return agreement_save(data=AgreementData(**values), by=None)

    return make


@pytest.fixture
def other_partner(cast: Cast) -> Organisation:
    return f.OrganisationFactory(
        kind=Organisation.Kind.SUPERVISING_ORGANISATION,
        name="Aichi Kumiai",
        prefecture=f.prefecture("23"),
    )
