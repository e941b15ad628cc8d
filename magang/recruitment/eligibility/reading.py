"""Reading a rule set's JSON values, each with every problem it finds. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _read_date(data: Mapping[str, object], key: str, problems: list[str]) -> date | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.append(f"'{key}' must be a date written as YYYY-MM-DD, not {value!r}.")
    return None


def _read_int(data: Mapping[str, object], key: str, problems: list[str]) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"'{key}' must be a whole number, not {value!r}.")
        return None
    return value


def _read_str(data: Mapping[str, object], key: str, problems: list[str]) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(f"'{key}' must be text, not {value!r}.")
        return ""
    return value


def _read_strings(data: Mapping[str, object], key: str, problems: list[str]) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        problems.append(f"'{key}' must be a list of text values, not {value!r}.")
        return []
    if len(set(value)) != len(value):
        problems.append(f"'{key}' lists a value twice.")
    return list(value)


def _read_int_map(data: Mapping[str, object], key: str, problems: list[str]) -> dict[str, int]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        problems.append(f"'{key}' must be an object, not {value!r}.")
        return {}
    result: dict[str, int] = {}
    for inner, number in value.items():
        if not isinstance(inner, str) or isinstance(number, bool) or not isinstance(number, int):
            problems.append(
                f"'{key}' must map names to whole numbers; {inner!r}: {number!r} does not."
            )
            continue
        result[inner] = number
    return result
