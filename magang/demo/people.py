"""Synthetic Indonesian people for the demo: names, NIKs, birth dates, home regions.

Pure (no Django): the builder passes in the regions it loaded and gets plain records back.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate

from faker import Faker


@dataclass(frozen=True, slots=True)
class Region:
    """A regency or city and its districts, for NIKs and places of birth."""

    province_code: str
    regency_code: str  # "32.16"
    name: str  # "Kabupaten Bekasi"
    is_city: bool
    districts: tuple[str, ...]  # two-digit district numbers: ("01", "02", ...)

    @property
    def place(self) -> str:
        for prefix in ("Kabupaten ", "Kota Administrasi ", "Kota "):
            if self.name.startswith(prefix):
                return self.name.removeprefix(prefix)
        return self.name


@dataclass(frozen=True, slots=True)
class Person:
    nik: str
    full_name: str
    sex: str  # "M" or "F"
    birth_date: dt.date
    birth_place: str
    province_code: str
    regency_code: str
    phone: str


def nik_for(district_code: str, birth_date: dt.date, sex: str, serial: int) -> str:
    """A NIK: 6-digit district code, DDMMYY birth date (day + 40 for women), 4-digit serial."""
    day = birth_date.day + (40 if sex == "F" else 0)
    return f"{district_code}{day:02d}{birth_date:%m%y}{serial:04d}"


def birth_date_for_age(rng: random.Random, on: dt.date, youngest: int, oldest: int) -> dt.date:
    """A birth date such that the person's age on ``on`` lies in [youngest, oldest]."""
    age = rng.randint(youngest, oldest)
    anchor = dt.date(on.year - age, on.month, min(on.day, 28))
    return anchor - dt.timedelta(days=rng.randint(0, 364))


class PersonFactory:
    """Deterministic people: the same seed and calls give the same people and NIKs."""

    def __init__(
        self,
        *,
        seed: int,
        regions: Sequence[Region],
        province_weights: Mapping[str, float],
        default_weight: float,
    ) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self._by_province: dict[str, tuple[list[Region], list[float]]] = {}
        for region in regions:
            members, weights = self._by_province.setdefault(region.province_code, ([], []))
            members.append(region)
            weights.append(1.0 if region.is_city else 3.0)
        self._provinces = sorted(self._by_province)
        self._province_cum = list(
            accumulate(province_weights.get(code, default_weight) for code in self._provinces)
        )
        self._region_cum = {
            code: list(accumulate(weights)) for code, (_, weights) in self._by_province.items()
        }
        self._serials: dict[str, int] = {}

    def province(self) -> str:
        return self.rng.choices(self._provinces, cum_weights=self._province_cum)[0]

    def region(self, province_code: str | None = None) -> Region:
        code = province_code or ""
        if code not in self._by_province:
            code = self.province()
        members, _ = self._by_province[code]
        return self.rng.choices(members, cum_weights=self._region_cum[code])[0]

    def name(self, sex: str) -> str:
        fake, shape = self.fake, self.rng.random()
        if sex == "F":
            first, last = fake.first_name_female, fake.last_name_female
        else:
            first, last = fake.first_name_male, fake.last_name_male
        if shape < 0.15:
            return str(first())
        if shape < 0.75:
            return f"{first()} {last()}"
        return f"{first()} {first()} {last()}"

    def person(
        self,
        *,
        age_on: dt.date,
        youngest: int,
        oldest: int,
        female_share: float,
        province_code: str | None = None,
    ) -> Person:
        """A new person aged ``youngest``..``oldest`` on ``age_on``, with a unique NIK."""
        rng = self.rng
        sex = "F" if rng.random() < female_share else "M"
        region = self.region(province_code)
        birth_date = birth_date_for_age(rng, age_on, youngest, oldest)
        district = rng.choice(region.districts) if region.districts else "01"
        prefix = region.regency_code.replace(".", "") + district
        key = nik_for(prefix, birth_date, sex, 0)[:12]
        serial = self._serials.get(key, 0) + 1
        self._serials[key] = serial
        birth_place = (
            region.place if rng.random() < 0.8 else self.region(region.province_code).place
        )
        return Person(
            nik=nik_for(prefix, birth_date, sex, serial),
            full_name=self.name(sex),
            sex=sex,
            birth_date=birth_date,
            birth_place=birth_place,
            province_code=region.province_code,
            regency_code=region.regency_code,
            phone=f"08{rng.choice('1235789')}{rng.randrange(10**8, 10**9)}",
        )
