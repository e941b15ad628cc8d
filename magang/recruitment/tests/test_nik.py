"""NIK parsing on its own: pure, property-tested."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from magang.recruitment.nik import InvalidNik, ParsedNik, nik_warnings, parse_nik

TODAY = date(2026, 11, 27)


def build_nik(district: str, birth_date: date, sex: str, serial: int) -> str:
    """A NIK written out independently of nik.py: district, DDMMYY (women +40), serial."""
    day = birth_date.day + (40 if sex == "F" else 0)
    return f"{district}{day:02d}{birth_date:%m}{birth_date.year % 100:02d}{serial:04d}"


two_digits = st.integers(min_value=1, max_value=99).map(lambda n: f"{n:02d}")
districts = st.tuples(two_digits, two_digits, two_digits).map("".join)
sexes = st.sampled_from(["M", "F"])
serials = st.integers(min_value=1, max_value=9999)


@st.composite
def today_and_birth_date(draw: st.DrawFn) -> tuple[date, date]:
    """A 'today' and a birth date from the 100 years up to it (the century rule's window)."""
    today = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2098, 12, 31)))
    try:
        hundred_years_ago = today.replace(year=today.year - 100)
    except ValueError:  # today is 29 February
        hundred_years_ago = date(today.year - 100, 3, 1)
    birth = draw(st.dates(min_value=hundred_years_ago + timedelta(days=1), max_value=today))
    return today, birth


@given(district=districts, dates=today_and_birth_date(), sex=sexes, serial=serials)
def test_it_reads_back_every_part_of_a_valid_nik(
    district: str, dates: tuple[date, date], sex: str, serial: int
) -> None:
    today, birth = dates
    nik = build_nik(district, birth, sex, serial)

    parsed = parse_nik(nik, today=today)

    assert parsed == ParsedNik(
        nik=nik,
        district_code=district,
        province_code=district[:2],
        regency_code=f"{district[:2]}.{district[2:4]}",
        district_dotted=f"{district[:2]}.{district[2:4]}.{district[4:]}",
        birth_date=birth,
        sex="F" if sex == "F" else "M",
        serial=f"{serial:04d}",
    )


@given(
    district=districts,
    dates=today_and_birth_date(),
    sex=sexes,
    serial=serials,
    separators=st.lists(st.sampled_from(["", " ", ".", "-", "  "]), min_size=15, max_size=15),
    padding=st.sampled_from(["", " ", "\t", "\n  "]),
)
def test_it_accepts_spaces_dots_and_hyphens_between_digits(
    district: str,
    dates: tuple[date, date],
    sex: str,
    serial: int,
    separators: list[str],
    padding: str,
) -> None:
    today, birth = dates
    nik = build_nik(district, birth, sex, serial)
    written = nik[0] + "".join(sep + digit for sep, digit in zip(separators, nik[1:], strict=True))

    assert parse_nik(padding + written + padding, today=today) == parse_nik(nik, today=today)


def test_it_reads_the_example_from_the_briefing() -> None:
    parsed = parse_nik("3216011705030001", today=TODAY)

    assert parsed.district_code == "321601"
    assert parsed.province_code == "32"
    assert parsed.regency_code == "32.16"
    assert parsed.district_dotted == "32.16.01"
    assert parsed.birth_date == date(2003, 5, 17)
    assert parsed.sex == "M"
    assert parsed.serial == "0001"


@pytest.mark.parametrize(
    ("written_day", "sex", "day"),
    [
        ("01", "M", 1),
        ("17", "M", 17),
        ("31", "M", 31),
        ("41", "F", 1),
        ("57", "F", 17),
        ("71", "F", 31),
    ],
)
def test_it_reads_women_from_the_day_plus_forty(written_day: str, sex: str, day: int) -> None:
    parsed = parse_nik(f"321601{written_day}0503" + "0001", today=TODAY)

    assert parsed.sex == sex
    assert parsed.birth_date == date(2003, 5, day)


@pytest.mark.parametrize(
    ("ddmmyy", "born"),
    [
        ("170503", date(2003, 5, 17)),
        ("170599", date(1999, 5, 17)),
        ("010100", date(2000, 1, 1)),
        ("271126", date(2026, 11, 27)),  # born today: 0 years old
        ("281126", date(1926, 11, 28)),  # tomorrow a century ago: 99 years old
        ("261126", date(2026, 11, 26)),
        ("290200", date(2000, 2, 29)),
        ("290204", date(2004, 2, 29)),
    ],
)
def test_it_picks_the_century_that_makes_the_person_0_to_100(ddmmyy: str, born: date) -> None:
    assert parse_nik(f"321601{ddmmyy}0001", today=TODAY).birth_date == born


def test_it_uses_the_real_date_when_today_is_not_given() -> None:
    nik = build_nik("321601", date(2003, 5, 17), "M", 1)

    assert parse_nik(nik) == parse_nik(nik, today=date.today())


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("321601170503000", "length", "A NIK has 16 digits; this one has 15."),
        ("32160117050300011", "length", "A NIK has 16 digits; this one has 17."),
        ("3216 0117 0503 000", "length", "A NIK has 16 digits; this one has 15."),
        ("", "length", "A NIK has 16 digits; none were given."),
        ("   ", "length", "A NIK has 16 digits; none were given."),
        (
            "32160117O5030001",
            "not_digits",
            "A NIK has only the digits 0-9; this one contains 'O'.",
        ),
        (
            "3216011705030001/",
            "not_digits",
            "A NIK has only the digits 0-9; this one contains '/'.",
        ),
        (
            "3216\t011705030001",
            "not_digits",
            "A NIK has only the digits 0-9; this one contains the character U+0009.",
        ),
        (
            "\uff13216011705030001",  # a full-width 3
            "not_digits",
            "A NIK has only the digits 0-9; this one contains '\uff13'.",
        ),
        (
            "3.2E+15",
            "float",
            "A NIK must be written as text; 3.2E+15 looks like a number from a spreadsheet "
            "that lost its last digits.",
        ),
        ("3.216011705030001E15", "float", None),
        ("3,21601E+15", "float", None),
        ("3216011705030001.0", "float", None),
        ("3216011705030001.00", "float", None),
        ("3216011705030001e0", "float", None),
        (
            "0016011705030001",
            "district",
            "The NIK's district code 001601 is not a district: province, regency and district "
            "parts start at 01.",
        ),
        ("3200011705030001", "district", None),
        ("3216001705030001", "district", None),
        ("3216013102030001", "birth_date", "The NIK's birth date 31-02 does not exist."),
        ("3216017102030001", "birth_date", "The NIK's birth date 31-02 does not exist."),
        ("3216013104030001", "birth_date", "The NIK's birth date 31-04 does not exist."),
        (
            "3216012902010001",
            "birth_date",
            "The NIK's birth date 29-02-01 does not exist: neither 1901 nor 2001 was a leap year.",
        ),
        (
            "3216010005030001",
            "birth_date",
            "The NIK's birth day 00 is neither a day (01-31) nor a woman's day + 40 (41-71).",
        ),
        ("3216013505030001", "birth_date", None),
        ("3216014005030001", "birth_date", None),
        ("3216017205030001", "birth_date", None),
        ("3216019905030001", "birth_date", None),
        ("3216011713030001", "birth_date", "The NIK's birth month 13 is not a month (01-12)."),
        ("3216011700030001", "birth_date", None),
        (
            "3216011705030000",
            "serial",
            "The NIK's serial number 0000 is not valid; serials start at 0001.",
        ),
    ],
)
def test_it_refuses_each_kind_of_invalid_nik_with_its_code(
    value: str, code: str, message: str | None
) -> None:
    with pytest.raises(InvalidNik) as raised:
        parse_nik(value, today=TODAY)

    assert raised.value.code == code
    assert isinstance(raised.value, ValueError)
    if message is not None:
        assert str(raised.value) == message


@pytest.mark.parametrize("number", [3.216011705030001e15, 3216011705030001.0])
def test_it_refuses_a_float_object(number: float) -> None:
    with pytest.raises(InvalidNik) as raised:
        parse_nik(number, today=TODAY)  # type: ignore[arg-type]

    assert raised.value.code == "float"


def test_it_refuses_an_integer_object_because_a_nik_is_text() -> None:
    with pytest.raises(InvalidNik) as raised:
        parse_nik(3216011705030001, today=TODAY)  # type: ignore[arg-type]

    assert raised.value.code == "not_text"


def test_it_accepts_a_spreadsheet_text_marker() -> None:
    assert parse_nik("'3216011705030001", today=TODAY).nik == "3216011705030001"


@given(number=st.floats(min_value=1e15, max_value=1e16, allow_nan=False))
def test_it_refuses_every_float_as_a_spreadsheet_writes_it(number: float) -> None:
    for written in (repr(number), f"{number:E}", f"{number:.1f}", f"{number:e}"):
        with pytest.raises(InvalidNik) as raised:
            parse_nik(written, today=TODAY)
        assert raised.value.code == "float", written


@given(district=districts, dates=today_and_birth_date(), sex=sexes, serial=serials)
def test_a_valid_nik_never_has_an_impossible_part(
    district: str, dates: tuple[date, date], sex: str, serial: int
) -> None:
    today, birth = dates
    parsed = parse_nik(build_nik(district, birth, sex, serial), today=today)

    assert 0 <= today.year - parsed.birth_date.year <= 100
    assert parsed.birth_date <= today
    assert parsed.serial != "0000"


DOTTED_DISTRICTS = frozenset({"32.16.01", "32.16.02", "33.74.01"})
PLAIN_DISTRICTS = frozenset({"321601", "321602", "337401"})


@pytest.mark.parametrize("known", [DOTTED_DISTRICTS, PLAIN_DISTRICTS])
def test_it_accepts_a_known_district_in_dotted_or_plain_form(known: frozenset[str]) -> None:
    parsed = parse_nik("3216011705030001", today=TODAY, known_districts=known)

    assert parsed.district_dotted == "32.16.01"


@pytest.mark.parametrize("known", [DOTTED_DISTRICTS, PLAIN_DISTRICTS])
def test_it_refuses_an_unknown_district_when_districts_are_given(known: frozenset[str]) -> None:
    with pytest.raises(InvalidNik) as raised:
        parse_nik("3216031705030001", today=TODAY, known_districts=known)

    assert raised.value.code == "district"
    assert str(raised.value) == "The NIK's district code 32.16.03 is not a known district."


@pytest.mark.parametrize("known", [frozenset({"32.16", "33.74"}), frozenset({"3216", "3374"})])
def test_it_checks_the_regency_when_only_regencies_are_given(known: frozenset[str]) -> None:
    assert parse_nik("3216091705030001", today=TODAY, known_regencies=known).regency_code == "32.16"
    with pytest.raises(InvalidNik) as raised:
        parse_nik("3217011705030001", today=TODAY, known_regencies=known)

    assert raised.value.code == "district"
    assert str(raised.value) == "The NIK's regency code 32.17 is not a known regency or city."


def test_it_does_not_check_the_area_against_a_table_unless_given_one() -> None:
    assert parse_nik("9999991705030001", today=TODAY).district_dotted == "99.99.99"


PARSED = parse_nik("3216015705030001", today=TODAY)  # a woman born 17 May 2003


def test_it_warns_nothing_when_the_form_agrees_or_is_silent() -> None:
    assert nik_warnings(PARSED, birth_date=date(2003, 5, 17), sex="F") == []
    assert nik_warnings(PARSED, birth_date=None, sex=None) == []
    assert nik_warnings(PARSED, birth_date=None, sex="f") == []
    assert nik_warnings(PARSED, birth_date=None, sex=" ") == []


def test_it_warns_when_the_birth_date_differs() -> None:
    assert nik_warnings(PARSED, birth_date=date(2003, 5, 18), sex="F") == [
        "The birth date in the NIK (17-05-2003) differs from the form (18-05-2003)."
    ]


def test_it_warns_when_the_sex_differs() -> None:
    assert nik_warnings(PARSED, birth_date=None, sex="M") == [
        "The sex in the NIK (female) differs from the form (male)."
    ]


def test_it_warns_about_both_at_once() -> None:
    warnings = nik_warnings(PARSED, birth_date=date(2003, 5, 17 + 1), sex="M")

    assert len(warnings) == 2


def test_it_warns_when_the_form_sex_cannot_be_compared() -> None:
    assert nik_warnings(PARSED, birth_date=None, sex="X") == [
        "The form's sex 'X' is neither M nor F, so it cannot be compared with the NIK."
    ]


@given(
    district=districts,
    dates=today_and_birth_date(),
    sex=sexes,
    serial=serials,
    form_birth=st.dates(),
    form_sex=sexes,
)
def test_a_warning_appears_exactly_when_the_form_disagrees(
    district: str,
    dates: tuple[date, date],
    sex: str,
    serial: int,
    form_birth: date,
    form_sex: str,
) -> None:
    today, birth = dates
    parsed = parse_nik(build_nik(district, birth, sex, serial), today=today)

    warnings = nik_warnings(parsed, birth_date=form_birth, sex=form_sex)

    assert len(warnings) == (form_birth != birth) + (form_sex != sex)


@given(
    value=st.text(alphabet=st.characters(codec="utf-8"), max_size=30)
    | st.from_regex(r"[0-9 .\-eE+,]{10,25}")
)
def test_it_either_parses_or_raises_invalid_nik(value: str) -> None:
    try:
        parsed = parse_nik(value, today=TODAY)
    except InvalidNik as error:
        assert error.code in {
            "not_text",
            "float",
            "length",
            "not_digits",
            "district",
            "birth_date",
            "serial",
        }
        assert str(error)
    else:
        assert len(parsed.nik) == 16
        assert parsed.nik.isascii()
        assert parsed.nik.isdigit()
