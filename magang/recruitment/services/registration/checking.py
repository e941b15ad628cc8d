"""Checking one registration: its typed data, the regions it names, and the errors and
warnings found, without touching the database's rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from magang.reference.models import Province, Regency

from ...models import Education, Sex
from ...names import InvalidName, normalise_name
from ...nik import InvalidNik, ParsedNik, nik_warnings, parse_nik

_SEXES = frozenset(Sex.values)
_EDUCATION = frozenset(Education.values)


@dataclass(frozen=True)
class RegistrationData:
    """Everything a registration holds, already typed (forms and the importer build it)."""

    nik: str
    full_name: str
    sex: str
    birth_date: dt.date
    province_code: str
    regency_code: str = ""
    family_name: str = ""
    birth_place: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    education: str = ""
    education_institution: str = ""
    graduation_year: int | None = None
    height_cm: int | None = None
    weight_kg: Decimal | None = None
    declarations: frozenset[str] = frozenset()


@dataclass
class Checked:
    """The outcome of checking registration data: normalised values, errors and warnings."""

    data: RegistrationData
    parsed_nik: ParsedNik | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def add_error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class RegionIndex:
    """Province and regency codes: every one, loaded once for a whole import, or only those
    one registration names."""

    provinces: Mapping[str, int]
    regencies: Mapping[str, tuple[int, str]]  # code -> (id, province code)

    @classmethod
    def load(cls) -> RegionIndex:
        return cls(
            provinces=dict(Province.objects.values_list("code", "id")),
            regencies={
                code: (pk, province)
                for code, pk, province in Regency.objects.values_list(
                    "code", "id", "province__code"
                )
            },
        )

    @classmethod
    def only(cls, *, provinces: Iterable[str] = (), regencies: Iterable[str] = ()) -> RegionIndex:
        """The named codes that exist, and no others: one query, and a second only for a
        province none of the named regencies lies in."""
        wanted_provinces = {code for code in provinces if code}
        wanted_regencies = {code for code in regencies if code}
        rows = (
            list(
                Regency.objects.filter(code__in=wanted_regencies).values_list(
                    "code", "id", "province__code", "province_id"
                )
            )
            if wanted_regencies
            else []
        )
        found = {code: pk for _, _, code, pk in rows if code in wanted_provinces}
        if missing := wanted_provinces - found.keys():
            found.update(Province.objects.filter(code__in=missing).values_list("code", "id"))
        return cls(
            provinces=found,
            regencies={code: (pk, province) for code, pk, province, _ in rows},
        )

    @classmethod
    def for_registration(cls, data: RegistrationData) -> RegionIndex:
        """What ``registration_check`` needs for one registration: its province, its regency
        and its NIK's regency (usually all one row)."""
        return cls.only(
            provinces=[data.province_code],
            regencies=[data.regency_code, nik_regency_code(data.nik)],
        )

    @property
    def regency_codes(self) -> Container[str]:
        return self.regencies


def nik_regency_code(value: str) -> str:
    """The dotted regency code ("32.16") of what may be a NIK, "" when it does not hold 16
    digits. Only to know which regency to load: ``parse_nik`` decides whether it is a NIK
    (any NIK it accepts has exactly these digits)."""
    digits = "".join(ch for ch in value if ch in "0123456789")
    return f"{digits[0:2]}.{digits[2:4]}" if len(digits) == 16 else ""


def registration_check(
    *, data: RegistrationData, regions: RegionIndex | None = None, today: dt.date | None = None
) -> Checked:
    """Check and normalise one registration without touching the database's rows.

    Errors refuse; warnings are shown to the officer (a NIK whose birth date or sex differs
    from the form is a warning: NIKs are never reissued).
    """
    regions = regions or RegionIndex.for_registration(data)
    today = today or timezone.localdate()
    checked = Checked(data=data)
    values: dict[str, Any] = {}

    try:
        checked.parsed_nik = parse_nik(data.nik, today=today, known_regencies=regions.regencies)
        values["nik"] = checked.parsed_nik.nik
    except InvalidNik as exc:
        checked.add_error("nik", str(exc))

    for name in ("full_name", "family_name"):
        raw = getattr(data, name)
        if not raw and name == "family_name":
            continue
        try:
            values[name] = normalise_name(raw)
        except InvalidName as exc:
            checked.add_error(name, str(exc))

    if data.sex not in _SEXES:
        checked.add_error("sex", _("Choose male or female."))
    if data.birth_date > today:
        checked.add_error("birth_date", _("The birth date is in the future."))
    elif data.birth_date < dt.date(today.year - 100, 1, 1):
        checked.add_error("birth_date", _("The birth date is more than 100 years ago."))

    if data.province_code not in regions.provinces:
        checked.add_error(
            "province_code", _("Unknown province code: %(code)s.") % {"code": data.province_code}
        )
    if data.regency_code:
        regency = regions.regencies.get(data.regency_code)
        if regency is None:
            checked.add_error(
                "regency_code",
                _("Unknown regency or city code: %(code)s.") % {"code": data.regency_code},
            )
        elif regency[1] != data.province_code:
            checked.add_error(
                "regency_code",
                _("Regency %(regency)s is not in province %(province)s.")
                % {"regency": data.regency_code, "province": data.province_code},
            )

    if data.education and data.education not in _EDUCATION:
        checked.add_error(
            "education", _("Unknown education level: %(value)s.") % {"value": data.education}
        )
    if data.height_cm is not None and not 100 <= data.height_cm <= 230:
        checked.add_error("height_cm", _("A height between 100 and 230 cm, please."))
    if data.weight_kg is not None and not Decimal(30) <= data.weight_kg <= Decimal(200):
        checked.add_error("weight_kg", _("A weight between 30 and 200 kg, please."))
    if data.graduation_year is not None and not 1950 <= data.graduation_year <= today.year:
        checked.add_error("graduation_year", _("The graduation year is not possible."))

    if checked.parsed_nik is not None and "sex" not in checked.errors:
        checked.warnings.extend(
            nik_warnings(checked.parsed_nik, birth_date=data.birth_date, sex=data.sex)
        )
    changed = {name: value for name, value in values.items() if getattr(data, name) != value}
    if changed:
        checked.data = replace(data, **changed)
    return checked
