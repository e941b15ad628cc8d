"""NIK and passport numbers are sealed at rest, found through their blind index, and survive a
key rotation (docs/security.md, "Personal data")."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from magang import factories as f
from magang.core import crypto
from magang.core.checks import check_field_keys
from magang.core.sealing import SealedColumn, reseal, sealed_columns
from magang.recruitment import services
from magang.recruitment.models import Candidate, RegistrationDraft
from magang.recruitment.selectors import ApplicationFilters, application_list

pytestmark = pytest.mark.django_db

NIK = "3273016502990417"
PASSPORT = "C7731942"
OLD_FIELD = crypto.DEV_FIELD_KEYS
OLD_INDEX = crypto.DEV_INDEX_KEYS


def dump_text() -> str:
    """Every value of every table, as the raw database holds it (a dump)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608
            parts.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(parts)


def _candidate(nik: str = NIK) -> Candidate:
    f.province("32")
    return services.candidate_create(
        nik=nik, full_name="Budi Santoso", sex="M", birth_date=dt.date(2003, 5, 17),
        province_code="32", phone="081234567890", email="budi@example.org",
    )  # fmt: skip


def test_a_raw_dump_shows_no_nik_or_passport(cast) -> None:
    from magang.placement.models import DepartureFile, JobOrder

    candidate = _candidate()
    application = f.ApplicationFactory(candidate=candidate, site=cast.site_jabar)
    RegistrationDraft.objects.create(
        user=cast.outsider, site=cast.site_jabar, data={"identity": {"nik": "3216011705030099"}}
    )
    order = JobOrder.objects.create(
        host_company=cast.host_company, supervising_organisation=cast.imjapan,
        round=cast.site_jabar.round, reference="JO-1", trade=f.trade(),
        prefecture=f.prefecture("04"), slots=2, planned_start=dt.date(2027, 10, 1),
    )  # fmt: skip
    DepartureFile.objects.create(application=application, job_order=order, passport_number=PASSPORT)

    text = dump_text()
    assert NIK not in text
    assert "3216011705030099" not in text
    assert PASSPORT not in text
    # The application still reads them.
    assert Candidate.objects.get(pk=candidate.pk).nik == NIK
    assert DepartureFile.objects.get(application=application).passport_number == PASSPORT
    draft = RegistrationDraft.objects.get(user=cast.outsider)
    assert draft.data == {"identity": {"nik": "3216011705030099"}}


def test_officers_still_find_a_person_by_nik(cast) -> None:
    nik = cast.application_jabar.candidate.nik
    found = application_list(user=cast.officer_jabar, filters=ApplicationFilters(query=nik))
    assert list(found) == [cast.application_jabar]
    spaced = f"{nik[:6]} {nik[6:12]} {nik[12:]}"
    found = application_list(user=cast.officer_jabar, filters=ApplicationFilters(query=spaced))
    assert list(found) == [cast.application_jabar]


def test_comparing_a_sealed_column_fails_loudly() -> None:
    with pytest.raises(FieldError, match="blind_indexes"):
        list(Candidate.objects.filter(nik=NIK))


def test_the_same_nik_seals_differently_each_time_but_indexes_alike() -> None:
    one, two = crypto.seal(NIK, purpose="nik"), crypto.seal(NIK, purpose="nik")
    assert one[0] != two[0] and one[1] == two[1]
    assert crypto.decrypt(one[0], purpose="nik") == NIK
    # Bound to its purpose: a sealed NIK does not open as a passport number.
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(one[0], purpose="passport")
    assert crypto.blind_index(NIK, purpose="passport") != one[1]


def test_every_sealed_column_is_found_for_rotation() -> None:
    labels = {column.label for column in sealed_columns()}
    assert {
        "recruitment_candidate.nik",
        "recruitment_registrationdraft.data",
        "placement_departurefile.passport_number",
    } <= labels


NEW_FIELD = crypto.new_key_text("k2")
NEW_INDEX = crypto.new_key_text("i2")


def test_rotation_reseals_and_lookups_and_uniqueness_still_work() -> None:
    niks = [f.make_nik() for _ in range(5)]
    people = [_candidate(nik) for nik in niks]
    with override_settings(
        MAGANG_FIELD_KEYS=f"{NEW_FIELD},{OLD_FIELD}",
        MAGANG_BLIND_INDEX_KEYS=f"{NEW_INDEX},{OLD_INDEX}",
    ):
        # Before the rotation runs, look-ups try every key: nobody is lost meanwhile.
        assert Candidate.objects.with_nik(niks[0]).get() == people[0]
        out = io.StringIO()
        call_command("rotate_field_keys", "--batch", "2", stdout=out)
        assert "recruitment_candidate.nik: 5 rows re-sealed" in out.getvalue()
        # Running again changes nothing (resumable: done rows are skipped).
        out = io.StringIO()
        call_command("rotate_field_keys", stdout=out)
        assert "recruitment_candidate.nik: 0 rows re-sealed" in out.getvalue()
    with override_settings(MAGANG_FIELD_KEYS=NEW_FIELD, MAGANG_BLIND_INDEX_KEYS=NEW_INDEX):
        # The old keys are gone: every row opens and is found with the new ones alone.
        for nik, person in zip(niks, people, strict=True):
            assert Candidate.objects.with_nik(nik).get() == person
            assert Candidate.objects.get(pk=person.pk).nik == nik
        raw = _raw("recruitment_candidate", "nik", "nik_index")
        assert all(crypto.key_id(v) == "k2" and i.startswith("i2:") for v, i in raw)
        with pytest.raises(services.DuplicateNik, match="already registered"):
            _candidate(niks[0])
        with pytest.raises(IntegrityError), transaction.atomic():
            Candidate.objects.create(
                nik=niks[1], full_name="X", sex="M", birth_date=dt.date(2000, 1, 1),
                province=f.province("32"),
            )  # fmt: skip


def _raw(table: str, *columns: str) -> list[tuple[str, ...]]:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(map(q, columns))} FROM {q(table)}")  # noqa: S608
        return list(cursor.fetchall())


def test_rotation_resumes_after_a_given_row_and_seals_legacy_plain_text() -> None:
    first, second = _candidate(f.make_nik()), _candidate(f.make_nik())
    plain = f.make_nik()
    # A row as written before encryption existed (the data migration's starting point).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE recruitment_candidate SET nik = %s, nik_index = '' WHERE id = %s",
            [plain, second.pk],
        )
    column = SealedColumn("recruitment_candidate", "nik", "nik", "nik_index")
    assert reseal(column, after=second.pk) == 0  # nothing after the last row
    assert reseal(column, after=first.pk, batch=1) == 1
    assert Candidate.objects.with_nik(plain).get() == second
    assert plain not in dump_text()


@override_settings(MAGANG_ALLOW_DEV_KEYS=False, MAGANG_FIELD_KEYS="", MAGANG_BLIND_INDEX_KEYS="")
def test_production_refuses_to_run_without_keys() -> None:
    ids = {error.id for error in check_field_keys()}
    assert ids == {"magang.E101", "magang.E102"}
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt(NIK, purpose="nik")


@override_settings(
    MAGANG_ALLOW_DEV_KEYS=False, MAGANG_FIELD_KEYS=OLD_FIELD, MAGANG_BLIND_INDEX_KEYS=NEW_INDEX
)
def test_production_refuses_the_public_development_keys() -> None:
    assert {error.id for error in check_field_keys()} == {"magang.E103"}


@override_settings(
    MAGANG_ALLOW_DEV_KEYS=False, MAGANG_FIELD_KEYS=NEW_FIELD, MAGANG_BLIND_INDEX_KEYS="i2:short"
)
def test_it_says_what_is_wrong_with_a_key() -> None:
    errors = check_field_keys()
    assert [e.id for e in errors] == ["magang.E102"]
    assert "base64" in errors[0].msg or "bytes" in errors[0].msg


@override_settings(
    MAGANG_ALLOW_DEV_KEYS=False, MAGANG_FIELD_KEYS=NEW_FIELD, MAGANG_BLIND_INDEX_KEYS=NEW_INDEX
)
def test_real_keys_pass_the_check() -> None:
    assert check_field_keys() == []
