"""Personal names: validation, display and katakana. Pure: standard library only.

``normalise_name`` is what a form stores; ``display_name`` tidies ALL-CAPS input for print;
``to_katakana`` proposes the katakana used on Japanese documents, which staff may edit.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "MAX_NAME_LENGTH",
    "InvalidName",
    "display_name",
    "normalise_name",
    "to_katakana",
]

MAX_NAME_LENGTH = 150

# Right and left single quotation marks and the modifier letter apostrophe.
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'"}
_HYPHENS = {"\u2010": "-", "\u2011": "-"}  # hyphen, non-breaking hyphen
_BIDI = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)
_ZERO_WIDTH = frozenset(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
_PUNCTUATION = frozenset("'-.")
# Control characters that still read as a space: a pasted tab or line break.
_TYPED_SPACES = frozenset("\t\n\r\x0b\x0c")


class InvalidName(ValueError):
    """A name that cannot be stored. ``code`` names the problem.

    Codes: ``not_text``, ``empty``, ``too_long``, ``control``, ``bidi``, ``zero_width``,
    ``invisible`` (other formatting characters), ``digit``, ``character``, ``no_letter``.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def normalise_name(value: str) -> str:
    """The name as stored: NFC, single spaces, typographic apostrophes as ', or ``InvalidName``.

    Letters of any script are allowed, with spaces, apostrophes, hyphens and periods
    ("Ma'ruf", "Sri-Wahyuni", "M. Yusuf"); the person's capitalisation is kept. Tabs and
    line breaks count as spaces; other control, direction-changing and zero-width
    characters, digits and other symbols are refused.
    """
    if not isinstance(value, str):
        raise InvalidName("not_text", f"A name must be text, not {type(value).__name__}.")
    text = unicodedata.normalize("NFC", value)
    kept: list[str] = []
    previous_is_letter = False
    for ch in text:
        ch = _APOSTROPHES.get(ch, _HYPHENS.get(ch, ch))
        category = unicodedata.category(ch)
        if ch.isspace() and (category != "Cc" or ch in _TYPED_SPACES):
            kept.append(" ")
            previous_is_letter = False
            continue
        if ch in _BIDI:
            raise InvalidName(
                "bidi",
                f"A name cannot contain invisible characters that change text direction "
                f"({_codepoint(ch)}).",
            )
        if ch in _ZERO_WIDTH:
            raise InvalidName(
                "zero_width", f"A name cannot contain zero-width characters ({_codepoint(ch)})."
            )
        if category == "Cc":
            raise InvalidName(
                "control", f"A name cannot contain control characters ({_codepoint(ch)})."
            )
        if category[0] == "C":
            raise InvalidName(
                "invisible",
                f"A name cannot contain invisible or unassigned characters ({_codepoint(ch)}).",
            )
        if category[0] == "N":
            raise InvalidName("digit", f"A name cannot contain digits; this one contains '{ch}'.")
        if category[0] == "L":
            previous_is_letter = True
        elif category[0] == "M" and previous_is_letter:
            pass  # an accent NFC could not combine with its letter
        elif category[0] == "M":
            raise InvalidName(
                "character",
                f"A name cannot contain an accent without a letter before it ({_codepoint(ch)}).",
            )
        elif ch not in _PUNCTUATION:
            raise InvalidName(
                "character",
                "A name can contain letters, spaces, apostrophes, hyphens and periods; "
                f"'{ch}' ({_codepoint(ch)}) is not allowed.",
            )
        else:
            previous_is_letter = False
        kept.append(ch)
    name = " ".join("".join(kept).split())
    if not name:
        raise InvalidName("empty", "A name cannot be empty.")
    if not any(unicodedata.category(ch)[0] == "L" for ch in name):
        raise InvalidName("no_letter", "A name needs at least one letter.")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidName(
            "too_long",
            f"A name has at most {MAX_NAME_LENGTH} characters; this one has {len(name)}.",
        )
    return name


_LOWER_PARTICLES = frozenset({"bin", "binti"})


def display_name(value: str) -> str:
    """The name for print: ALL-CAPS (or all-lowercase) input title-cased, else unchanged.

    "MUHAMMAD MA'RUF" -> "Muhammad Ma'ruf", "SRI-WAHYUNI" -> "Sri-Wahyuni",
    "AHMAD BIN ABDULLAH" -> "Ahmad bin Abdullah". A letter after an apostrophe stays
    small (Arabic-origin names: Ma'ruf, Syafi'i). Raises ``InvalidName`` like
    ``normalise_name``.
    """
    name = normalise_name(value)
    has_upper = any(ch.isupper() for ch in name)
    has_lower = any(ch.islower() for ch in name)
    if has_upper and has_lower:
        return name
    words = name.split(" ")
    shown: list[str] = []
    for index, word in enumerate(words):
        lowered = "".join(_one_char(ch, ch.lower()) for ch in word)
        if index > 0 and lowered in _LOWER_PARTICLES:
            shown.append(lowered)
            continue
        chars = list(lowered)
        start = True
        for position, ch in enumerate(chars):
            if start and unicodedata.category(ch)[0] == "L":
                chars[position] = _one_char(ch, ch.upper())
                start = False
            elif ch in "-.":
                start = True
        shown.append("".join(chars))
    return " ".join(shown)


def _one_char(original: str, mapped: str) -> str:
    # "ß".upper() is "SS" and "İ".lower() is two code points: keep such letters as typed,
    # so the result stays a valid name of the same length.
    return mapped if len(mapped) == 1 else original


def _codepoint(ch: str) -> str:
    return f"U+{ord(ch):04X}"


# --- Katakana ---------------------------------------------------------------------------
#
# Convention (documented for staff, who can edit the result):
# - Indonesian spelling read syllable by syllable; vowels a i u e o -> ア イ ウ エ オ rows;
#   "e" is always the エ row (schwa and é are spelled alike). No long vowels are added.
# - c -> チャ row, j -> ジャ row, ny -> ニャ row, sy/sh -> シャ row, kh -> ハ row,
#   hy -> ヒャ row (Wahyu ワヒュ), ng -> ン (+ ガ row before a vowel: Bangun バングン),
#   w -> ワ ウィ ウ ウェ ウォ, y -> ヤ イ ユ イェ ヨ, f -> ファ row, v -> バ row, z -> ザ row,
#   t/d -> タ ティ トゥ テ ト / ダ ディ ドゥ デ ド, q -> k, x -> ks.
# - Consonants without a vowel: the u-column kana, with o after t and d (Putri プトリ,
#   Ahmad アフマド), but ティ/ディ before y (Aditya アディティヤ); n, ng and m before
#   b/p/m -> ン, other m -> ム (Ibrahim イブラヒム); l, r -> ル; h before a consonant -> フ,
#   a final h is silent (Fatimah ファティマ); y and w act as i and u.
# - A final t, k or p after a vowel is doubled: Ketut ケトゥット, Rahmat ラフマット,
#   Taufik タウフィック. A doubled consonant is ッ (Hassan ハッサン), doubled m/n is ン.
# - Apostrophes (glottal stops) are ignored. Old spelling is read as modern: oe -> u,
#   dj -> j, tj -> c, sj -> sy, and j -> y in a word that uses them (Tjahjo チャヒョ).
#   dh, th, bh, gh -> d, t, b, g; ph -> f; ch -> kh (Chairul), except chr- and Chand-/Chint-.
# - Words are joined with ・; hyphens also separate. A word without vowels of up to three
#   letters, or a single letter with a period, is read as initials with English letter
#   names (M. -> エム, MD -> エムディー); a lone vowel is a syllable (Balinese I -> イ).
# - Letters outside a-z after removing accents are dropped.

_VOWELS = "aiueo"
_VOWEL_INDEX = {vowel: index for index, vowel in enumerate(_VOWELS)}

# Kana for consonant + a, i, u, e, o.
_ROWS: dict[str, tuple[str, str, str, str, str]] = {
    "": ("ア", "イ", "ウ", "エ", "オ"),
    "k": ("カ", "キ", "ク", "ケ", "コ"),
    "g": ("ガ", "ギ", "グ", "ゲ", "ゴ"),
    "s": ("サ", "シ", "ス", "セ", "ソ"),
    "z": ("ザ", "ジ", "ズ", "ゼ", "ゾ"),
    "t": ("タ", "ティ", "トゥ", "テ", "ト"),
    "d": ("ダ", "ディ", "ドゥ", "デ", "ド"),
    "n": ("ナ", "ニ", "ヌ", "ネ", "ノ"),  # noqa: RUF001 - katakana no, not a slash
    "h": ("ハ", "ヒ", "フ", "ヘ", "ホ"),
    "kh": ("ハ", "ヒ", "フ", "ヘ", "ホ"),
    "b": ("バ", "ビ", "ブ", "ベ", "ボ"),
    "v": ("バ", "ビ", "ブ", "ベ", "ボ"),
    "p": ("パ", "ピ", "プ", "ペ", "ポ"),
    "m": ("マ", "ミ", "ム", "メ", "モ"),
    "y": ("ヤ", "イ", "ユ", "イェ", "ヨ"),
    "r": ("ラ", "リ", "ル", "レ", "ロ"),
    "l": ("ラ", "リ", "ル", "レ", "ロ"),
    "w": ("ワ", "ウィ", "ウ", "ウェ", "ウォ"),
    "f": ("ファ", "フィ", "フ", "フェ", "フォ"),
    "c": ("チャ", "チ", "チュ", "チェ", "チョ"),
    "j": ("ジャ", "ジ", "ジュ", "ジェ", "ジョ"),
    "ny": ("ニャ", "ニ", "ニュ", "ニェ", "ニョ"),
    "sy": ("シャ", "シ", "シュ", "シェ", "ショ"),
    "hy": ("ヒャ", "ヒ", "ヒュ", "ヒェ", "ヒョ"),
    "ng": ("ンガ", "ンギ", "ング", "ンゲ", "ンゴ"),
}

# Kana for a consonant with no vowel after it.
_CODA = {
    "b": "ブ",
    "c": "チ",
    "d": "ド",
    "f": "フ",
    "g": "グ",
    "h": "フ",
    "kh": "フ",
    "j": "ジ",
    "k": "ク",
    "l": "ル",
    "m": "ム",
    "n": "ン",
    "ng": "ン",
    "p": "プ",
    "r": "ル",
    "s": "ス",
    "t": "ト",
    "v": "ブ",
    "z": "ズ",
}
_DOUBLED_AS_SOKUON = frozenset("bcdfgjklprstvz")
_FINAL_SOKUON = frozenset("tkp")

_LETTER_NAMES = {
    "a": "エー",
    "b": "ビー",
    "c": "シー",
    "d": "ディー",
    "e": "イー",
    "f": "エフ",
    "g": "ジー",
    "h": "エイチ",
    "i": "アイ",
    "j": "ジェー",
    "k": "ケー",
    "l": "エル",
    "m": "エム",
    "n": "エヌ",
    "o": "オー",
    "p": "ピー",
    "q": "キュー",
    "r": "アール",
    "s": "エス",
    "t": "ティー",
    "u": "ユー",
    "v": "ブイ",
    "w": "ダブリュー",
    "x": "エックス",
    "y": "ワイ",
    "z": "ゼット",
}

_UNACCENTED = {"ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "ß": "ss", "\u0131": "i"}
_OLD_SPELLING = ("oe", "dj", "tj", "sj")
_SPELLING = (
    ("oe", "u"),
    ("dj", "j"),
    ("tj", "c"),
    ("sj", "sy"),
    ("chr", "kr"),
    ("ch", "kh"),
    ("ck", "k"),
    ("sh", "sy"),
    ("ph", "f"),
    ("dh", "d"),
    ("th", "t"),
    ("bh", "b"),
    ("gh", "g"),
    ("dz", "z"),
    ("q", "k"),
    ("x", "ks"),
)


def to_katakana(name: str) -> str:
    """A katakana reading of an Indonesian name in Latin script, words joined by ・.

    "Budi Santoso" -> "ブディ・サントソ", "Ketut" -> "ケトゥット". Deterministic, and the
    result holds only katakana, ー and ・ (empty when nothing in the name is Latin). The
    rules are the convention written above this function; staff may correct the result.
    """
    words = [_katakana_word(word, abbreviated) for word, abbreviated in _latin_words(name)]
    return "・".join(word for word in words if word)


def _latin_words(name: str) -> list[tuple[str, bool]]:
    """The name's words in plain a-z, each with whether a period follows it ("M.")."""
    # Compatibility forms first (full-width and styled letters), then case, then accents.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    letters: list[str] = []
    for ch in decomposed:
        if ch in _APOSTROPHES or ch == "'" or unicodedata.category(ch)[0] == "M":
            continue  # glottal stops and accents
        plain = _UNACCENTED.get(ch, ch)
        if ch == "." or (plain.isascii() and plain.isalpha()):
            letters.append(plain.lower())
        else:
            letters.append(" ")
    words = _LATIN_WORD.finditer("".join(letters))
    return [(word[1], word[2] == ".") for word in words]


_LATIN_WORD = re.compile(r"([a-z]+)(\.?)")


def _respell(word: str) -> str:
    if any(marker in word for marker in _OLD_SPELLING):
        word = re.sub(r"(?<![dts])j", "y", word)
    if word.startswith(("chand", "chint")):
        word = "c" + word[2:]
    for old, new in _SPELLING:
        word = word.replace(old, new)
    return word


def _katakana_word(word: str, abbreviated: bool) -> str:
    # Initials: "M." or "MD" are spelled out, but Balinese "I" and "A" alone are syllables.
    if (abbreviated and len(word) == 1) or (
        len(word) <= 3 and not any(ch in "aiueoy" for ch in word)
    ):
        return "".join(_LETTER_NAMES[ch] for ch in word)
    tokens = _tokens(_respell(word))
    out: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token in _VOWEL_INDEX:
            out.append(_ROWS[""][_VOWEL_INDEX[token]])
            index += 1
            continue
        if following is not None and following in _VOWEL_INDEX:
            out.append(_ROWS[token][_VOWEL_INDEX[following]])
            index += 2
            continue
        after_vowel = index > 0 and _is_vowel(tokens[index - 1])
        out.append(_coda(token, following, after_vowel=after_vowel))
        index += 1
    return "".join(out)


def _tokens(word: str) -> list[str]:
    """Split a respelled word into vowels and consonant units (digraphs as one unit)."""
    tokens: list[str] = []
    index = 0
    while index < len(word):
        ch = word[index]
        pair = word[index : index + 2]
        if pair in ("ng", "kh") or (
            pair in ("ny", "sy", "hy") and _is_vowel(word[index + 2 : index + 3])
        ):
            tokens.append(pair)
            index += 2
            continue
        if ch in "yw" and not _is_vowel(word[index + 1 : index + 2]):
            tokens.append("i" if ch == "y" else "u")  # y and w without a vowel: i and u
        else:
            tokens.append(ch)
        index += 1
    return tokens


def _is_vowel(text: str) -> bool:
    return len(text) == 1 and text in _VOWELS


def _coda(unit: str, following: str | None, *, after_vowel: bool) -> str:
    if following is None:
        if unit == "h":
            return ""  # a final h is barely heard: Fatimah, Abdullah
        if after_vowel and unit in _FINAL_SOKUON:
            return "ッ" + _CODA[unit]
    elif following == unit:
        if unit in ("m", "n"):
            return "ン"
        if unit in _DOUBLED_AS_SOKUON:
            return "ッ"
    if unit == "m" and following in ("b", "p", "m"):
        return "ン"
    if unit in ("t", "d") and following == "y":
        return _ROWS[unit][1]  # Aditya アディティヤ, Setyo セティヨ
    return _CODA.get(unit, _ROWS[unit][2])
