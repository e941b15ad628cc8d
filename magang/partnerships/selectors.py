"""Reads for the partnership pages, each starting from the user's scope.

Ministry roles (central team, leadership, administrators) read every agreement and the exact
figures of any prefecture, with host company names and incidents. Everyone else reads the
pages of *partner prefectures* (those named by an agreement they may see, or by a public one)
with every count suppressed below the minimum cell size and without names or incidents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from magang.accounts.models import Organisation
from magang.accounts.scopes import scope_for
from magang.reference.models import Prefecture, Trade

# The one import from ``stats``: its pure suppression module (no Django, no tables).
from magang.stats.suppression import Cell, cell, check_minimum

from .access import agreement_scope, is_ministry, public_agreements
from .figures import HostRow, IncidentRow, PrefectureFigures, prefecture_figures
from .models import Agreement, AgreementDocument, AgreementStatus

# The programme's day, whatever the server's clock says (as the public statistics count).
PROGRAMME_TIME_ZONE = ZoneInfo("Asia/Jakarta")


def programme_today() -> dt.date:
    return timezone.localdate(timezone=PROGRAMME_TIME_ZONE)


def minimum_cell_size() -> int:
    """The public statistics' minimum cell (``MAGANG_STATS_MIN_CELL``, default 5)."""
    return check_minimum(int(getattr(settings, "MAGANG_STATS_MIN_CELL", 5)))


def is_prefecture_code(code: str) -> bool:
    """A JIS X 0401 code: two digits (anything else is not looked up at all)."""
    return len(code) == 2 and code.isascii() and code.isdigit()


@dataclass(frozen=True, slots=True)
class AgreementFilters:
    status: str = ""
    prefecture: str = ""

    @classmethod
    def from_query(cls, query: Any) -> AgreementFilters:
        status = str(query.get("status", ""))
        prefecture = str(query.get("prefecture", ""))
        return cls(
            status=status if status in AgreementStatus.values else "",
            prefecture=prefecture if is_prefecture_code(prefecture) else "",
        )


def agreement_list(
    *, user: Any, filters: AgreementFilters | None = None, details: bool = False
) -> QuerySet[Agreement]:
    """Agreements the user reads in full; ``details`` also fetches their trades and
    documents (the API lists them whole)."""
    filters = filters or AgreementFilters()
    agreements = agreement_scope(user=user).select_related("prefecture", "indonesian_province")
    if filters.status:
        agreements = agreements.filter(status=filters.status)
    if filters.prefecture:
        agreements = agreements.filter(prefecture__code=filters.prefecture)
    related = ("organisations", "trades", "documents") if details else ("organisations",)
    return agreements.prefetch_related(*related).order_by("-signed_on", "title", "pk")


@dataclass(frozen=True, slots=True)
class AgreementParts:
    organisations: list[Organisation]
    trades: list[Trade]
    documents: list[AgreementDocument]


def agreement_parts(*, agreement: Agreement) -> AgreementParts:
    """The Japanese organisations, trades and documents of an agreement the caller was
    given by ``access_agreement`` (which decided they may read it in full)."""
    return AgreementParts(
        organisations=list(agreement.organisations.select_related("prefecture")),
        trades=list(agreement.trades.order_by("code")),
        documents=list(agreement.documents.select_related("uploaded_by")),
    )


def public_agreement_list() -> QuerySet[Agreement]:
    return (
        public_agreements()
        .select_related("prefecture", "indonesian_province")
        .prefetch_related("organisations")
        .order_by("-signed_on", "title", "pk")
    )


def _about(prefecture: Prefecture) -> Q:
    """Agreements about a prefecture: naming it, or naming an organisation based there."""
    return Q(prefecture=prefecture) | Q(organisations__prefecture=prefecture)


def visible_agreements(*, user: Any) -> QuerySet[Agreement]:
    """Agreements the user sees at least listed: their scope and the public ones."""
    return Agreement.objects.filter(
        Q(pk__in=agreement_scope(user=user).values("pk"))
        | Q(pk__in=public_agreements().values("pk"))
    )


def prefecture_agreements(*, user: Any, prefecture: Prefecture) -> QuerySet[Agreement]:
    about = Agreement.objects.filter(_about(prefecture)).values("pk")
    return (
        visible_agreements(user=user)
        .filter(pk__in=about)
        .select_related("prefecture", "indonesian_province")
        .prefetch_related("organisations")
        .order_by("-signed_on", "title", "pk")
    )


def signed_agreement_counts(*, user: Any, prefectures: Sequence[Prefecture]) -> list[int]:
    """For each prefecture, how many signed agreements about it the user sees listed."""
    return [
        prefecture_agreements(user=user, prefecture=prefecture)
        .filter(status=AgreementStatus.SIGNED)
        .count()
        for prefecture in prefectures
    ]


def readable_agreement_ids(*, user: Any, prefecture: Prefecture) -> set[int]:
    """Of the agreements about ``prefecture``, those the user opens in full."""
    about = Agreement.objects.filter(_about(prefecture)).values("pk")
    return set(agreement_scope(user=user).filter(pk__in=about).values_list("pk", flat=True))


def partner_prefectures(*, user: Any) -> QuerySet[Prefecture]:
    """Prefectures with a page for this user: for ministry roles those named by any
    agreement; for everyone else those named by an agreement they see."""
    agreements = (
        Agreement.objects.all() if is_ministry(scope_for(user)) else visible_agreements(user=user)
    )
    named = agreements.filter(prefecture__isnull=False).values("prefecture_id")
    return Prefecture.objects.filter(pk__in=named).order_by("code")


def access_prefecture(*, user: Any, code: str) -> Prefecture:
    """The prefecture if the user may open its page: ministry roles any; everyone else a
    partner prefecture they see. 404 otherwise."""
    prefecture = Prefecture.objects.filter(code=code).first() if is_prefecture_code(code) else None
    if prefecture is None:
        raise Http404("No such prefecture.")
    if is_ministry(scope_for(user)):
        return prefecture
    if not partner_prefectures(user=user).filter(pk=prefecture.pk).exists():
        raise Http404("No such partner prefecture.")
    return prefecture


@dataclass(frozen=True, slots=True)
class PublishedYear:
    year: int
    departed: Cell
    completed: Cell
    early_return: Cell
    missing: Cell
    in_japan_at_end: Cell


@dataclass(frozen=True, slots=True)
class PublishedTrade:
    code: str
    name_en: str
    name_ja: str
    name_id: str
    departed: Cell
    in_japan: Cell


@dataclass(frozen=True, slots=True)
class PrefectureProfile:
    """What one viewer reads of a prefecture's figures. ``exact`` for ministry roles, whose
    cells are never suppressed and who alone get host company names and incidents."""

    prefecture: Prefecture
    as_of: dt.date
    exact: bool
    minimum_cell: int
    departed: Cell
    in_japan: Cell
    completed: Cell
    early_return: Cell
    missing: Cell
    host_companies_now: Cell
    host_companies_ever: Cell
    years: tuple[PublishedYear, ...]
    trades: tuple[PublishedTrade, ...]
    hosts: tuple[HostRow, ...]
    incidents: tuple[IncidentRow, ...] | None
    early_return_rate: float | None
    missing_rate: float | None

    @property
    def trades_now(self) -> int:
        """Trades with interns there now (a suppressed cell counts: it is at least one)."""
        return sum(1 for t in self.trades if t.in_japan.suppressed or t.in_japan.count)

    def departed_in(self, year: int) -> Cell:
        for row in self.years:
            if row.year == year:
                return row.departed
        return cell(0, self.minimum_cell)

    @property
    def open_incidents(self) -> int | None:
        return None if self.incidents is None else sum(r.open for r in self.incidents)


def publish(
    prefecture: Prefecture, figures: PrefectureFigures, *, exact: bool
) -> PrefectureProfile:
    minimum = 1 if exact else minimum_cell_size()

    def c(n: int) -> Cell:
        return cell(n, minimum)

    return PrefectureProfile(
        prefecture=prefecture,
        as_of=figures.as_of,
        exact=exact,
        minimum_cell=minimum,
        departed=c(figures.departed),
        in_japan=c(figures.in_japan),
        completed=c(figures.completed),
        early_return=c(figures.early_return),
        missing=c(figures.missing),
        host_companies_now=c(figures.host_companies_now),
        host_companies_ever=c(figures.host_companies_ever),
        years=tuple(
            PublishedYear(
                year=y.year,
                departed=c(y.departed),
                completed=c(y.completed),
                early_return=c(y.early_return),
                missing=c(y.missing),
                in_japan_at_end=c(y.in_japan_at_end),
            )
            for y in figures.years
        ),
        trades=tuple(
            PublishedTrade(
                code=t.code,
                name_en=t.name_en,
                name_ja=t.name_ja,
                name_id=t.name_id,
                departed=c(t.departed),
                in_japan=c(t.in_japan),
            )
            for t in figures.trades
        ),
        hosts=figures.hosts if exact else (),
        incidents=figures.incidents if exact else None,
        early_return_rate=figures.rate(figures.early_return) if exact else None,
        missing_rate=figures.rate(figures.missing) if exact else None,
    )


def prefecture_profile(
    *, user: Any, prefecture: Prefecture, as_of: dt.date | None = None
) -> PrefectureProfile:
    """The prefecture's figures as this user may read them (call ``access_prefecture``
    first). Dates after today show today's figures, as the public statistics do."""
    today = programme_today()
    day = today if as_of is None or as_of > today else as_of
    exact = is_ministry(scope_for(user))
    return publish(prefecture, prefecture_figures(prefecture, day), exact=exact)


def compare_profiles(*, user: Any, codes: list[str]) -> list[PrefectureProfile]:
    """Exact profiles of 2 to 4 prefectures, in the order asked (ministry roles only:
    the view checks the role)."""
    prefectures = {p.code: p for p in Prefecture.objects.filter(code__in=codes)}
    return [
        prefecture_profile(user=user, prefecture=prefectures[code])
        for code in codes
        if code in prefectures
    ]
