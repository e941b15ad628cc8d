"""Erasure and retention: a person purged is found nowhere, in any table or file, while the
statistics keep their anonymous rows (docs/security.md, "Personal data").

The person has data in every app: the access-matrix world (``magang/tests/world.py``, and
each app's ``build`` in its ``tests/access_matrix.py``) gives candidate A rows in every app
that declares its objects there, so a new app's tables join this test as soon as they join
the matrix; the search afterwards reads every table of the database, whatever it is.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from magang import factories as f
from magang.core import privacy as registry
from magang.core.fields import EncryptedCharField, EncryptedJSONField
from magang.core.services import audit_record
from magang.internships.models import Internship
from magang.recruitment.journey import Status
from magang.recruitment.models import (
    Application,
    Candidate,
    Consent,
    CorrectionRequest,
    Document,
    ErasureRecord,
    JourneyEvent,
    RegistrationDraft,
)
from magang.recruitment.services import privacy
from magang.recruitment.tests.test_field_encryption import dump_text
from magang.tests.test_access_matrix import BUILDERS
from magang.tests.world import SENTINELS, World, build_core, document_for

pytestmark = pytest.mark.django_db

NAME = "Sentinel Wibisono Purgeable"
NIK = "3273016502990417"
PASSPORT = "C9911235"
PHONE = "0813PURGE4242"
EMAIL = "purge.me@example.org"
ADDRESS = "Jalan Purge Nomor 17"


def _world() -> World:
    world = World()
    build_core(world)
    for build in BUILDERS:
        build(world)
    return world


def _everything_about_a(world: World) -> Candidate:
    """Fill candidate A's footprint in the tables the world leaves empty for them."""
    candidate: Candidate = world.candidate_a
    candidate.full_name, candidate.nik = NAME, NIK
    candidate.phone, candidate.email, candidate.address = PHONE, EMAIL, ADDRESS
    candidate.save()
    user = world.users["candidate"]
    application = world.application_a
    Consent.objects.create(
        candidate=candidate, purpose="recruitment", notice_version="1", given_at=timezone.now()
    )
    RegistrationDraft.objects.create(
        user=user, site=world.site_b, data={"identity": {"nik": NIK, "full_name": NAME}}
    )
    CorrectionRequest.objects.create(
        candidate=candidate, site=world.site_a, field="phone", proposed=PHONE + "0"
    )
    JourneyEvent.objects.create(
        application=application, from_status="registered", to_status="eligible",
        recorded_at=timezone.now(), effective_on=dt.date(2026, 6, 1),
        reason=f"Checked KTP of {NAME}", actor=world.users["officer_a"],
    )  # fmt: skip
    audit_record(actor=user, action="candidate.update", obj=candidate, changes={"phone": "x"})
    LogEntry.objects.create(
        user=world.users["admin"], content_type=ContentType.objects.get_for_model(Candidate),
        object_id=str(candidate.pk), object_repr=NAME, action_flag=CHANGE,
        change_message=f"Changed name to {NAME}",
    )  # fmt: skip
    if not Internship.objects.filter(application=application).exists():
        f.InternshipFactory(application=application, supervising_organisation=world.partner_org_a)
    from magang.placement.models import DepartureFile

    departure, _created = DepartureFile.objects.get_or_create(
        application=application, defaults={"job_order": world.job_order_a}
    )
    departure.passport_number = PASSPORT
    departure.save()
    privacy.medical_read_log(actor=world.users["central"], candidate_ids=[candidate.pk], what="t")
    privacy.partner_export_log(
        actor=world.users["partner_a"], candidate_ids=[candidate.pk], what="t",
        recipient=world.partner_org_a,
    )  # fmt: skip
    return candidate


def _files_under(root: Path) -> list[Path]:
    return [Path(d) / name for d, _, names in os.walk(root) for name in names]


def test_purge_leaves_nothing_of_the_person_in_any_table_or_file(
    django_capture_on_commit_callbacks,
) -> None:
    world = _world()
    candidate = _everything_about_a(world)
    other_document = document_for(world.application_b, by=world.users["candidate_other"])
    my_files = [
        Path(d.file.path) for d in Document.objects.filter(application__candidate=candidate)
    ]
    assert my_files and all(p.exists() for p in my_files)
    number = world.application_a.registration_number
    needles = [
        NAME, NIK, PASSPORT, number, PHONE, EMAIL, ADDRESS, SENTINELS["medical"],
        SENTINELS["discipline"],
    ]  # fmt: skip
    before = dump_text()
    # The raw dump holds the plain text ones before (NIK and passport are sealed anyway).
    assert all(n in before for n in needles if n not in (NIK, PASSPORT))
    counts = {m: m.objects.count() for m in (Application, Internship, Candidate)}
    found = registry.footprint({Candidate: {candidate.pk}})
    apps_touched = {m._meta.app_label for m, pks in found.rows.items() if pks}
    assert {"recruitment", "selection", "training", "placement", "internships"} <= apps_touched

    with django_capture_on_commit_callbacks(execute=True):
        record = privacy.purge_person(
            candidate=candidate, by=world.users["admin"], reason="Request 2026/17"
        )

    after = dump_text()
    left = [n for n in needles if n in after]
    assert left == [], f"still in the database: {left}"
    # Sealed columns are opened too: nobody's sealed value is the person's.
    for model, field in _sealed_fields():
        for value in model._default_manager.values_list(field.name, flat=True):
            text = json.dumps(value) if isinstance(field, EncryptedJSONField) else value
            assert NIK not in text and PASSPORT not in text and NAME not in text
    # The file store: their files are gone, everyone else's stay.
    assert not any(p.exists() for p in my_files)
    assert Path(other_document.file.path).exists()
    for path in _files_under(Path(settings.MEDIA_ROOT)):
        content = path.read_bytes()
        assert not any(n.encode() in content for n in needles), path
    # Statistics keep anonymous rows; the account is gone; the erasure is on record.
    assert {m: m.objects.count() for m in counts} == counts
    shell = Candidate.objects.get(pk=candidate.pk)
    assert shell.full_name == "[erased]" and shell.user_id is None and shell.phone == ""
    assert shell.birth_date == dt.date(candidate.birth_date.year, 1, 1)
    assert (
        not type(world.users["candidate"]).objects.filter(pk=world.users["candidate"].pk).exists()
    )
    assert record.rows["recruitment.Document"] == {"deleted": len(my_files)}
    # Their documents, and whatever other apps stored for them (case attachments, a
    # completion certificate): the file-store walk above proves none is left.
    assert ErasureRecord.objects.get().files >= len(my_files)
    # Someone else's data is untouched.
    assert Application.objects.get(pk=world.application_b.pk).registration_number
    assert Document.objects.filter(pk=other_document.pk).exists()
    assert Candidate.objects.get(pk=world.application_b.candidate_id).full_name != "[erased]"


def _sealed_fields() -> list[tuple[type, object]]:
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedCharField | EncryptedJSONField)
    ]


def test_every_declared_rule_names_a_real_model_and_fields() -> None:
    from django.apps import apps

    for label, rule in registry.rules().items():
        model = apps.get_model(label)
        for name in rule.values:
            model._meta.get_field(name)


def _old(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def test_retention_erases_the_long_unsuccessful_and_stale_drafts_only(cast) -> None:
    old_fail = f.ApplicationFactory(site=cast.site_jabar, status=Status.NOT_SELECTED.value)
    recent_fail = f.ApplicationFactory(site=cast.site_jabar, status=Status.INELIGIBLE.value)
    old_success = f.ApplicationFactory(site=cast.site_jabar, status=Status.IN_JAPAN.value)
    Application.objects.filter(pk__in=[old_fail.pk, old_success.pk]).update(
        status_changed_at=_old(4 * 366)
    )
    stale = RegistrationDraft.objects.create(user=cast.outsider, site=cast.site_jabar)
    fresh = RegistrationDraft.objects.create(user=cast.outsider, site=cast.site_jateng)
    RegistrationDraft.objects.filter(pk=stale.pk).update(updated_at=_old(365))

    drafts, people = privacy.retention_purge()

    assert (drafts, people) == (1, 1)
    assert Candidate.objects.get(pk=old_fail.candidate_id).full_name == "[erased]"
    assert Candidate.objects.get(pk=recent_fail.candidate_id).full_name != "[erased]"
    assert Candidate.objects.get(pk=old_success.candidate_id).full_name != "[erased]"
    assert list(RegistrationDraft.objects.all()) == [fresh]
    assert ErasureRecord.objects.get().trigger == ErasureRecord.Trigger.RETENTION
    # An erased person is not erased again.
    assert privacy.retention_purge() == (0, 0)
