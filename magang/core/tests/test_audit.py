from __future__ import annotations

import pytest

from magang import factories as f
from magang.core.models import AuditEntry
from magang.core.services import audit_record

pytestmark = pytest.mark.django_db


def test_it_records_actor_object_change_and_reason() -> None:
    user = f.UserFactory(username="petugas")
    organisation = f.OrganisationFactory(name="Disnaker Riau")
    entry = audit_record(
        actor=user,
        action="organisation.rename",
        obj=organisation,
        changes={"name": ["Old", "Disnaker Riau"]},
        reason="typo",
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor, stored.action, stored.object_type, stored.object_id) == (
        user,
        "organisation.rename",
        "accounts.organisation",
        str(organisation.pk),
    )
    assert stored.changes == {"name": ["Old", "Disnaker Riau"]}
    assert stored.reason == "typo"
    assert stored.object_repr == "Disnaker Riau"


def test_it_records_the_system_as_an_empty_actor() -> None:
    entry = audit_record(actor=None, action="import", obj=f.OrganisationFactory())
    assert entry.actor is None


def test_it_cannot_be_edited_in_the_admin(client) -> None:
    admin = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    entry = audit_record(actor=admin, action="x.y", obj=f.OrganisationFactory())
    client.force_login(admin)
    assert client.get(f"/admin/core/auditentry/{entry.pk}/change/").status_code == 200
    assert (
        client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
