"""The demo's agreements keep the app's rules and show up where they should."""

from __future__ import annotations

import pytest

from conftest import Cast
from magang import factories as f
from magang.demo.organisations import Cast as DemoCast
from magang.demo.partnerships import partnerships_build
from magang.partnerships.access import public_agreements
from magang.partnerships.models import Agreement, AgreementStatus

pytestmark = pytest.mark.django_db


def test_it_adds_miyagi_imjapan_and_a_draft(cast: Cast) -> None:
    demo_cast = DemoCast(
        provinces={"33": f.province("33")},
        regencies={},
        prefectures={code: f.prefecture(code) for code in ("04", "23")},
        imjapan=cast.imjapan,
        regional_offices={},
        training_centres={},
        hosts_by_prefecture={},
        demo_host=None,  # type: ignore[arg-type]
    )
    f.InternshipFactory(prefecture=f.prefecture("04"))
    counts = partnerships_build(cast=demo_cast, say=lambda message: None)
    assert counts == {"agreements": 3}
    miyagi = Agreement.objects.get(prefecture__code="04")
    assert miyagi.signed_on is not None and miyagi.signed_on.year == 2023
    assert miyagi.is_public and miyagi.trades.count() == 1
    assert public_agreements().count() == 2
    assert Agreement.objects.get(status=AgreementStatus.DRAFT).indonesian_province is not None
