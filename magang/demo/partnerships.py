"""Partnerships in the demo: Miyagi's cooperation with Indonesia (2023), the standing
agreement with IM Japan, and a provincial letter of intent still in draft.

The agreements go through ``agreement_save`` as a central-team member's form would, so they
keep the app's rules. Their texts and reference numbers are synthetic; the Miyagi agreement
stands for the cooperation DOMAIN.md reports (signed in 2023; Miyagi hosted 1,041 Indonesian
interns in October 2023), and its exact date here is illustrative.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Count

from magang.internships.models import Internship
from magang.partnerships.models import AgreementKind, AgreementStatus
from magang.partnerships.services import AgreementData, agreement_save
from magang.reference.models import Trade

from .organisations import Cast

Say = Callable[[str], None]

MIYAGI = "04"
AICHI = "23"
CENTRAL_JAVA = "33"


def _top_trades(prefecture_code: str, cast: Cast, limit: int) -> list[Trade]:
    """The trades most interns in the prefecture work in (what the agreement would name)."""
    prefecture = cast.prefectures[prefecture_code]
    ids = list(
        Internship.objects.filter(prefecture=prefecture)
        .values("trade_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "trade_id")
        .values_list("trade_id", flat=True)[:limit]
    )
    by_id = Trade.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids]


def partnerships_build(*, cast: Cast, say: Say) -> dict[str, int]:
    """Three agreements: Miyagi (2023, public), IM Japan (since 1993, public) and a draft
    letter of intent between Central Java and Aichi. Returns what was written."""
    say("Partnerships: cooperation agreements")
    miyagi = agreement_save(
        data=AgreementData(
            title="Memorandum of Cooperation on technical intern training between the "
            "Ministry of Manpower of the Republic of Indonesia and Miyagi Prefecture",
            kind=AgreementKind.MOC,
            status=AgreementStatus.SIGNED,
            reference="DEMO/MOC/KEMNAKER-MIYAGI/2023",
            indonesian_signatory="Minister of Manpower",
            prefecture=cast.prefectures[MIYAGI],
            organisations=[cast.imjapan],
            japanese_signatory="Governor of Miyagi Prefecture",
            signed_on=dt.date(2023, 8, 1),
            valid_from=dt.date(2023, 8, 1),
            valid_until=dt.date(2028, 7, 31),
            trades=_top_trades(MIYAGI, cast, 4),
            scope="Recruitment, pre-departure training and placement of Indonesian technical "
            "interns with host companies in Miyagi; support for their living in the "
            "prefecture; exchange of information on their protection; alumni "
            "cooperation after return. (Demo text.)",
            is_public=True,
        ),
        by=None,
    )
    imjapan = agreement_save(
        data=AgreementData(
            title="Record of Discussions on the technical intern training programme "
            "between the Ministry of Manpower and IM Japan",
            kind=AgreementKind.AGREEMENT,
            status=AgreementStatus.SIGNED,
            reference="DEMO/ROD/KEMNAKER-IMJAPAN/1993",
            indonesian_signatory="Minister of Manpower",
            organisations=[cast.imjapan],
            japanese_signatory="Chairman of IM Japan",
            signed_on=dt.date(1993, 6, 1),
            valid_from=dt.date(1993, 6, 1),
            scope="IM Japan acts as supervising organisation for its member companies; "
            "Kemnaker recruits, selects and trains the participants. (Demo text.)",
            is_public=True,
        ),
        by=None,
    )
    draft = agreement_save(
        data=AgreementData(
            title="Letter of Intent on intern placement between Central Java Province "
            "and Aichi Prefecture",
            kind=AgreementKind.LOI,
            status=AgreementStatus.DRAFT,
            indonesian_province=cast.provinces[CENTRAL_JAVA],
            indonesian_signatory="Governor of Central Java",
            prefecture=cast.prefectures[AICHI],
            japanese_signatory="Governor of Aichi Prefecture",
            intern_quota=250,
            scope="Under negotiation. (Demo text.)",
        ),
        by=None,
    )
    written = [miyagi, imjapan, draft]
    say(f"Partnerships: {len(written)} agreements (Miyagi 2023, IM Japan 1993, one draft)")
    return {"agreements": len(written)}
