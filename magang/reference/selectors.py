"""Reads of the reference tables. They are public data, so no user scope applies."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import Length, Substr

from magang.reference.models import Dataset, Prefecture, Province, Regency, Trade


def dataset_list() -> QuerySet[Dataset]:
    return Dataset.objects.order_by("key")


def province_list() -> QuerySet[Province]:
    return Province.objects.order_by("code")


def regency_list(*, province_code: str | None = None) -> QuerySet[Regency]:
    """Regencies and cities, of one province when ``province_code`` ("32") is given."""
    regencies = Regency.objects.select_related("province").order_by("code")
    if province_code is not None:
        regencies = regencies.filter(province__code=province_code)
    return regencies


def prefecture_list() -> QuerySet[Prefecture]:
    return Prefecture.objects.order_by("code")


def trade_list(*, group: str | None = None) -> QuerySet[Trade]:
    """OTIT operations in code order, of one ``Trade.Group`` when ``group`` is given.

    Ordered by group number, job number and operation number, so that "3-10-1" follows "3-9-2".
    """
    trades = Trade.objects.all()
    if group is not None:
        trades = trades.filter(group=group)
    # Codes sort as text ("3-10-1" < "3-2-1"); a shorter number of the same group comes first.
    return trades.order_by(
        Substr("code", 1, 1), Length("job_code"), "job_code", Length("code"), "code"
    )
