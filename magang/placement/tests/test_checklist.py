"""The departure checklist on plain data: the passport's pages and expiry against the stay,
the OTIT training plan, the certificate of eligibility, the visa and the medical."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from magang.placement.checklist import PASSPORT_PAGES, Documents, checklist

DEPARTS = dt.date(2027, 7, 1)
STAY = 36

COMPLETE = Documents(
    passport_number="C1234567",
    passport_pages=48,
    passport_expires_on=dt.date(2031, 1, 1),
    training_plan_number="OTIT-2027-0001",
    training_plan_certified_on=dt.date(2027, 2, 1),
    coe_number="COE-123",
    coe_issued_on=dt.date(2027, 4, 1),
    visa_number="V-456",
    visa_issued_on=dt.date(2027, 6, 1),
    medical_checked_on=dt.date(2027, 6, 10),
    medical_passed=True,
)


def problems(docs: Documents, departs_on: dt.date | None = DEPARTS) -> dict[str, str]:
    return {
        item.key: item.text_en
        for item in checklist(docs, departs_on=departs_on, stay_months=STAY)
        if not item.ok
    }


def test_it_passes_a_complete_file_in_the_order_documents_are_obtained() -> None:
    items = checklist(COMPLETE, departs_on=DEPARTS, stay_months=STAY)
    assert [i.key for i in items] == ["passport", "training_plan", "coe", "visa", "medical"]
    assert all(i.ok for i in items)
    assert all(i.text_id and i.text_en for i in items)


def test_it_wants_a_passport_number_first() -> None:
    docs = dataclasses.replace(COMPLETE, passport_number="")
    assert problems(docs) == {"passport": "No passport recorded."}


@pytest.mark.parametrize("pages", [24, 32, 64, None])
def test_it_refuses_a_passport_without_48_pages(pages: int | None) -> None:
    docs = dataclasses.replace(COMPLETE, passport_pages=pages)
    shown = pages or "-"
    assert problems(docs) == {
        "passport": f"The passport must have {PASSPORT_PAGES} pages (recorded: {shown})."
    }


def test_it_wants_the_passport_expiry() -> None:
    docs = dataclasses.replace(COMPLETE, passport_expires_on=None)
    assert problems(docs) == {"passport": "The passport's expiry is not recorded."}


def test_a_passport_must_outlast_the_stay() -> None:
    # 36 months from 1 July 2027 ends on 1 July 2030.
    short = dataclasses.replace(COMPLETE, passport_expires_on=dt.date(2030, 6, 30))
    assert problems(short) == {
        "passport": "The passport expires on 2030-06-30, before the stay ends on 2030-07-01."
    }
    indonesian = next(
        i.text_id for i in checklist(short, departs_on=DEPARTS, stay_months=STAY) if not i.ok
    )
    assert "30-06-2030" in indonesian and "01-07-2030" in indonesian
    exact = dataclasses.replace(COMPLETE, passport_expires_on=dt.date(2030, 7, 1))
    assert problems(exact) == {}


def test_the_stay_ends_on_the_last_day_of_a_shorter_month() -> None:
    docs = dataclasses.replace(COMPLETE, passport_expires_on=dt.date(2028, 2, 28))
    ends = checklist(docs, departs_on=dt.date(2027, 8, 31), stay_months=6)
    assert [i.key for i in ends if not i.ok] == ["passport"]
    assert "2028-02-29" in ends[0].text_en  # 2028 is a leap year
    leap_ok = dataclasses.replace(COMPLETE, passport_expires_on=dt.date(2028, 2, 29))
    assert all(i.ok for i in checklist(leap_ok, departs_on=dt.date(2027, 8, 31), stay_months=6))


def test_without_a_departure_date_the_expiry_is_not_compared() -> None:
    docs = dataclasses.replace(COMPLETE, passport_expires_on=dt.date(2027, 1, 1))
    assert problems(docs, departs_on=None) == {}


@pytest.mark.parametrize(
    ("key", "number", "on", "name"),
    [
        ("training_plan", "training_plan_number", "training_plan_certified_on",
         "Training plan certified by OTIT"),
        ("coe", "coe_number", "coe_issued_on", "Certificate of eligibility"),
        ("visa", "visa_number", "visa_issued_on", "Visa"),
    ],
)  # fmt: skip
def test_each_step_needs_its_number_and_its_date(key: str, number: str, on: str, name: str) -> None:
    missing = f"{name}: number and date missing."
    assert problems(dataclasses.replace(COMPLETE, **{number: ""})) == {key: missing}
    assert problems(dataclasses.replace(COMPLETE, **{on: None})) == {key: missing}


def test_the_medical_must_be_passed_and_dated() -> None:
    failed = dataclasses.replace(COMPLETE, medical_passed=False)
    assert problems(failed) == {"medical": "Pre-departure medical not passed."}
    missing = dataclasses.replace(COMPLETE, medical_passed=None, medical_checked_on=None)
    assert problems(missing) == {"medical": "No pre-departure medical yet."}
    undated = dataclasses.replace(COMPLETE, medical_checked_on=None)
    assert problems(undated) == {"medical": "No pre-departure medical yet."}


def test_an_empty_file_lists_every_document() -> None:
    assert set(problems(Documents())) == {"passport", "training_plan", "coe", "visa", "medical"}


@given(
    expires=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2035, 12, 31)),
    departs=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2030, 12, 31)),
    months=st.integers(min_value=1, max_value=60),
)
def test_a_later_expiry_never_makes_the_passport_worse(
    expires: dt.date, departs: dt.date, months: int
) -> None:
    def ok(day: dt.date) -> bool:
        docs = dataclasses.replace(COMPLETE, passport_expires_on=day)
        return checklist(docs, departs_on=departs, stay_months=months)[0].ok

    if ok(expires):
        assert ok(expires + dt.timedelta(days=1))
