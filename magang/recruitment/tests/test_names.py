"""Names on their own: validation, display and katakana. Pure, property-tested."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from magang.recruitment.names import (
    MAX_NAME_LENGTH,
    InvalidName,
    display_name,
    normalise_name,
    to_katakana,
)

# --- normalise_name ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("Budi Santoso", "Budi Santoso"),
        ("  Budi   Santoso  ", "Budi Santoso"),
        ("Budi\tSantoso\n", "Budi Santoso"),
        ("Budi\u00a0Santoso", "Budi Santoso"),  # a no-break space from a word processor
        ("Sukarno", "Sukarno"),
        ("Ma'ruf Amin", "Ma'ruf Amin"),
        ("Ma\u2019ruf Amin", "Ma'ruf Amin"),
        ("Ma\u2018ruf", "Ma'ruf"),
        ("Sri-Wahyuni", "Sri-Wahyuni"),
        ("M. Yusuf", "M. Yusuf"),
        ("MUHAMMAD MA'RUF", "MUHAMMAD MA'RUF"),
        ("budi santoso", "budi santoso"),
        ("Jose\u0301", "Jos\u00e9"),  # NFC combines e + accent into é
        ("\u00c9lodie", "\u00c9lodie"),
        ("I Gusti Ngurah Rai", "I Gusti Ngurah Rai"),
    ],
)
def test_it_stores_a_tidy_name(value: str, stored: str) -> None:
    assert normalise_name(value) == stored


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("", "empty", "A name cannot be empty."),
        ("   ", "empty", "A name cannot be empty."),
        ("Budi2", "digit", "A name cannot contain digits; this one contains '2'."),
        ("Budi \u0663", "digit", None),  # an Arabic-Indic digit
        ("Henry \u2167", "digit", None),  # a Roman numeral
        (
            "Budi\u202eosotnaS",
            "bidi",
            "A name cannot contain invisible characters that change text direction (U+202E).",
        ),
        ("Budi\u202a", "bidi", None),
        ("\u2066Budi\u2069", "bidi", None),
        ("Budi\u200e", "bidi", None),
        ("Budi\u200f", "bidi", None),
        ("Bu\u200bdi", "zero_width", "A name cannot contain zero-width characters (U+200B)."),
        ("Bu\u200ddi", "zero_width", None),
        ("\ufeffBudi", "zero_width", None),
        ("Bu\x00di", "control", "A name cannot contain control characters (U+0000)."),
        ("Budi\x1b[31m", "control", None),
        ("Budi\x7f", "control", None),
        ("Budi\x1fSantoso", "control", None),  # a unit separator, though Python calls it space
        ("Budi\x85", "control", None),
        ("Bu\u00addi", "invisible", None),  # soft hyphen
        (
            "Budi@example",
            "character",
            "A name can contain letters, spaces, apostrophes, hyphens and periods; "
            "'@' (U+0040) is not allowed.",
        ),
        ("Budi, Santoso", "character", None),
        ("Budi_Santoso", "character", None),
        ("Budi`s", "character", None),
        ("Budi \U0001f600", "character", None),
        ("\u0301Budi", "character", None),  # an accent with no letter before it
        ("'-.", "no_letter", "A name needs at least one letter."),
        (
            "a" * (MAX_NAME_LENGTH + 1),
            "too_long",
            "A name has at most 150 characters; this one has 151.",
        ),
    ],
)
def test_it_refuses_each_kind_of_bad_name_with_its_code(
    value: str, code: str, message: str | None
) -> None:
    with pytest.raises(InvalidName) as raised:
        normalise_name(value)

    assert raised.value.code == code
    assert isinstance(raised.value, ValueError)
    if message is not None:
        assert str(raised.value) == message


def test_it_allows_exactly_the_maximum_length_after_collapsing_spaces() -> None:
    name = "a" * MAX_NAME_LENGTH

    assert normalise_name("  " + name + "  ") == name


def test_it_refuses_text_that_is_not_a_string() -> None:
    with pytest.raises(InvalidName) as raised:
        normalise_name(None)  # type: ignore[arg-type]

    assert raised.value.code == "not_text"


name_parts = st.text(
    alphabet=st.characters(categories=["L", "M", "Zs"]) | st.sampled_from("'-.\u2019 "),
    min_size=1,
    max_size=60,
)


def _valid_or_none(value: str) -> str | None:
    try:
        return normalise_name(value)
    except InvalidName:
        return None


@given(value=st.text(max_size=200))
def test_it_either_returns_a_clean_name_or_raises_invalid_name(value: str) -> None:
    try:
        name = normalise_name(value)
    except InvalidName as error:
        assert error.code
        assert str(error)
        return
    assert name == name.strip()
    assert "  " not in name
    assert 0 < len(name) <= MAX_NAME_LENGTH
    assert unicodedata.is_normalized("NFC", name)
    assert any(unicodedata.category(ch).startswith("L") for ch in name)
    assert all(unicodedata.category(ch)[0] in "LM" or ch in " '-." for ch in name), (
        f"unexpected character in {name!r}"
    )


@given(value=name_parts)
def test_normalising_twice_changes_nothing(value: str) -> None:
    name = _valid_or_none(value)
    assume(name is not None)
    assert name is not None

    assert normalise_name(name) == name


# --- display_name ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("MUHAMMAD MA'RUF", "Muhammad Ma'ruf"),
        ("SITI NURHALIZA", "Siti Nurhaliza"),
        ("SRI-WAHYUNI", "Sri-Wahyuni"),
        ("M. YUSUF", "M. Yusuf"),
        ("A.RAHMAN", "A.Rahman"),
        ("AHMAD BIN ABDULLAH", "Ahmad bin Abdullah"),
        ("SITI BINTI AHMAD", "Siti binti Ahmad"),
        ("BIN LADEN", "Bin Laden"),
        ("I GUSTI NGURAH RAI", "I Gusti Ngurah Rai"),
        ("budi santoso", "Budi Santoso"),
        ("ÉLODIE", "Élodie"),
        ("Budi SANTOSO", "Budi SANTOSO"),  # mixed case: the person chose it
        ("McDonald", "McDonald"),
        ("  MUHAMMAD   MA\u2019RUF ", "Muhammad Ma'ruf"),
    ],
)
def test_it_title_cases_all_caps_names_sensibly(value: str, shown: str) -> None:
    assert display_name(value) == shown


def test_display_name_refuses_what_normalise_name_refuses() -> None:
    with pytest.raises(InvalidName):
        display_name("Budi2")


@given(value=name_parts)
def test_display_name_gives_a_valid_stable_name_of_the_same_letters(value: str) -> None:
    name = _valid_or_none(value)
    assume(name is not None)
    assert name is not None

    shown = display_name(name)

    assert normalise_name(shown) == shown
    assert display_name(shown) == shown
    assert len(shown) == len(name)
    assert all(b in (a, a.upper(), a.lower()) for a, b in zip(name, shown, strict=True))


# --- to_katakana ----------------------------------------------------------------------------

COMMON_NAMES = [
    ("Budi Santoso", "ブディ・サントソ"),
    ("Siti Nurhaliza", "シティ・ヌルハリザ"),
    ("Muhammad", "ムハンマド"),
    ("Agus", "アグス"),
    ("Dewi", "デウィ"),
    ("Rizky", "リズキ"),
    ("Nyoman", "ニョマン"),
    ("Bambang", "バンバン"),
    ("Joko", "ジョコ"),
    ("Cahyo", "チャヒョ"),
    ("Cahya", "チャヒャ"),
    ("Wahyu", "ワヒュ"),
    ("Fajar", "ファジャル"),
    ("Eko", "エコ"),
    ("Yusuf", "ユスフ"),
    ("Putri", "プトリ"),
    ("Ketut", "ケトゥット"),
    ("Ahmad", "アフマド"),
    ("Rahmat Hidayat", "ラフマット・ヒダヤット"),
    ("Taufik", "タウフィック"),
    ("Fatimah", "ファティマ"),
    ("Abdullah", "アブドゥッラ"),
    ("Hassan", "ハッサン"),
    ("Anggi", "アンギ"),
    ("Bangun", "バングン"),
    ("Ngurah Rai", "ングラ・ライ"),
    ("Wayan", "ワヤン"),
    ("Made", "マデ"),
    ("Komang", "コマン"),
    ("Kadek", "カデック"),
    ("Dwi Lestari", "ドウィ・レスタリ"),
    ("Sri Mulyani Indrawati", "スリ・ムルヤニ・インドラワティ"),
    ("Susilo Bambang Yudhoyono", "スシロ・バンバン・ユドヨノ"),
    ("Prabowo Subianto", "プラボウォ・スビアント"),
    ("Syarif", "シャリフ"),
    ("Aisyah", "アイシャ"),
    ("Ibrahim", "イブラヒム"),
    ("Kurniawan", "クルニアワン"),
    ("Slamet", "スラメット"),
    ("Wulandari", "ウランダリ"),
    ("Fitri Handayani", "フィトリ・ハンダヤニ"),
    ("Ma'ruf Amin", "マルフ・アミン"),
    ("Ma\u2019ruf", "マルフ"),
    ("M. Yusuf", "エム・ユスフ"),
    ("A. Rahman", "エー・ラフマン"),
    ("Mahfud MD", "マフフド・エムディー"),
    ("I Wayan Sudirta", "イ・ワヤン・スディルタ"),
    ("Ni Luh Putu", "ニ・ル・プトゥ"),
    ("Sri-Wahyuni", "スリ・ワヒュニ"),
    ("Chairul Tanjung", "ハイルル・タンジュン"),
    ("Chandra", "チャンドラ"),
    ("Achmad", "アフマド"),
    ("Novita", "ノビタ"),
    ("Dany", "ダニ"),
    ("Aditya Pratama", "アディティヤ・プラタマ"),
    ("Teguh", "テグ"),
    # Old spelling reads as modern.
    ("Soekarno", "スカルノ"),
    ("Djoko", "ジョコ"),
    ("Tjahjo", "チャヒョ"),
    ("Joesoef", "ユスフ"),
    # Capitals and accents do not matter.
    ("BUDI SANTOSO", "ブディ・サントソ"),
    ("José", "ジョセ"),
]


@pytest.mark.parametrize(("name", "katakana"), COMMON_NAMES)
def test_it_writes_common_indonesian_names_in_katakana(name: str, katakana: str) -> None:
    assert to_katakana(name) == katakana


KATAKANA_OUTPUT = {chr(code) for code in range(0x30A1, 0x30FB)} | {"ー", "・"}


def _only_katakana(text: str) -> bool:
    return all(ch in KATAKANA_OUTPUT for ch in text)


@given(value=name_parts)
def test_it_returns_only_katakana_long_marks_and_middle_dots(value: str) -> None:
    name = _valid_or_none(value)
    assume(name is not None)
    assert name is not None

    katakana = to_katakana(name)

    assert _only_katakana(katakana)
    assert not katakana.startswith("・")
    assert not katakana.endswith("・")
    assert "・・" not in katakana
    assert to_katakana(name) == katakana


@given(words=st.lists(st.from_regex(r"[A-Za-z']{1,15}", fullmatch=True), min_size=1, max_size=5))
def test_every_latin_word_gets_katakana(words: list[str]) -> None:
    name = " ".join(words)
    assume(any(ch.isalpha() for ch in name))

    katakana = to_katakana(name)

    assert _only_katakana(katakana)
    assert katakana
    assert katakana.count("・") == sum(1 for word in words if word.strip("'")) - 1


@given(value=st.text(max_size=80))
def test_it_never_fails_even_on_text_that_is_not_a_name(value: str) -> None:
    assert _only_katakana(to_katakana(value))


def test_it_returns_nothing_for_a_name_without_latin_letters() -> None:
    assert to_katakana("\u0627\u062d\u0645\u062f") == ""
