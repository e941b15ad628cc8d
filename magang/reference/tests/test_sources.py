"""The data files and the region table, read without a database."""

from __future__ import annotations

import re

import pytest

from magang.reference.models import Trade
from magang.reference.services import (
    DATA_DIR,
    ReferenceDataError,
    prefecture_rows,
    read_meta,
    trade_rows,
    wilayah_rows,
    wilayah_source,
)

TRADE_HEADER = (
    "code,group,job_code,job_name_en,job_name_ja,job_name_id,name_en,name_ja,name_id,"
    "stage3_eligible\n"
)


def trades() -> list[dict[str, object]]:
    return trade_rows((DATA_DIR / "trades.csv").read_text("utf-8"))


def test_it_finds_38_provinces_and_514_regencies_in_the_package() -> None:
    provinces, regencies = wilayah_rows(wilayah_source())

    assert len(provinces) == 38
    assert len(regencies) == 514


def test_it_reads_47_prefectures_with_codes_01_to_47() -> None:
    rows = prefecture_rows((DATA_DIR / "prefectures.csv").read_text("utf-8"))

    assert [row["code"] for row in rows] == [f"{n:02d}" for n in range(1, 48)]
    assert read_meta("prefectures")["rows"] == 47


def test_it_gives_every_trade_a_unique_well_formed_code() -> None:
    codes = [str(row["code"]) for row in trades()]

    assert len(codes) == len(set(codes)) == read_meta("trades")["rows"]
    assert all(re.fullmatch(r"[1-7]-\d+-\d+", code) for code in codes)


def test_it_numbers_jobs_and_operations_from_one_without_gaps() -> None:
    numbers: dict[str, list[int]] = {}
    for row in trades():
        job_code, operation = str(row["code"]).rsplit("-", 1)
        assert row["job_code"] == job_code
        numbers.setdefault(job_code, []).append(int(operation))

    assert all(ops == list(range(1, len(ops) + 1)) for ops in numbers.values())
    for group in "1234567":
        jobs = sorted(int(code.split("-")[1]) for code in numbers if code[0] == group)
        assert jobs == list(range(1, len(jobs) + 1))


def test_it_covers_every_trade_group() -> None:
    assert {row["group"] for row in trades()} == set(Trade.Group.values)


def test_it_knows_which_operations_stop_at_stage_2() -> None:
    by_code = {row["code"]: row for row in trades()}

    assert by_code["2-1-9"]["name_ja"] == "棒受網漁業"
    assert by_code["2-1-9"]["stage3_eligible"] is False
    assert by_code["1-1-1"]["stage3_eligible"] is True


@pytest.mark.parametrize(
    "line",
    [
        "8-1-1,other,8-1,a,b,c,d,e,f,true\n",  # no eighth group
        "2-1-1,fisheries,2-2,a,b,c,d,e,f,true\n",  # job code does not match
        "2-1-1,agriculture,2-1,a,b,c,d,e,f,true\n",  # group does not match its number
        "2-1-1,fisheries,2-1,a,b,c,d,e,f,yes\n",  # not a boolean
        "2-1-1,fisheries,2-1,a,,c,d,e,f,true\n",  # empty Japanese name
    ],
)
def test_it_refuses_a_trade_row_outside_the_convention(line: str) -> None:
    with pytest.raises(ReferenceDataError):
        trade_rows(TRADE_HEADER + line)


def test_it_refuses_duplicate_trade_codes() -> None:
    line = "2-1-1,fisheries,2-1,a,b,c,d,e,f,true\n"

    with pytest.raises(ReferenceDataError):
        trade_rows(TRADE_HEADER + line + line)
