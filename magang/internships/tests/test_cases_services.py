"""Cases through their services: filing as intern, officer or partner; bad input changes
nothing; the timeline; assignment, resolution, the intern's confirmation and reopening;
target times as data and escalation (once, with an e-mail); the statistics aggregates."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from magang.core.models import AuditEntry
from magang.internships.cases_selectors import case_statistics
from magang.internships.models import Case, CaseAttachment, CaseEvent, CaseTarget
from magang.internships.services import cases as services

from .cases_fixtures import file_case, interns_fixture, png, private_media_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_it_files_a_case_as_the_intern_with_a_target_time_from_the_severity(
    cast: Any, interns: Any, private_media: None
) -> None:
    before = timezone.now()
    case = file_case(
        interns.jabar, cast.candidate, severity="high",
        uploads=[services.Upload(file=io.BytesIO(png()), size=None)],
    )  # fmt: skip
    assert case.filed_as == "intern"
    assert case.status == "open"
    assert case.share_with_partner is False
    hours = CaseTarget.objects.get(severity="high").resolve_within_hours
    assert before + dt.timedelta(hours=hours) <= case.due_at
    assert case.attachments.get().content_type == "image/png"
    assert list(case.events.values_list("kind", flat=True)) == ["filed"]
    assert AuditEntry.objects.filter(action="internships.case_file").count() == 1


def test_it_files_as_an_officer_of_the_site_or_the_partner_and_refuses_others(
    cast: Any, interns: Any
) -> None:
    assert file_case(interns.jabar, cast.officer_jabar).filed_as == "officer"
    by_partner = file_case(interns.jabar, cast.partner)
    assert by_partner.filed_as == "partner"
    assert by_partner.share_with_partner is True
    for outsider in (cast.officer_jateng, cast.host, cast.trainer, cast.outsider):
        with pytest.raises(PermissionDenied):
            file_case(interns.jabar, outsider)


def test_it_refuses_bad_input_and_writes_nothing(
    cast: Any, interns: Any, private_media: None
) -> None:
    with pytest.raises(ValidationError) as err:
        file_case(interns.jabar, cast.candidate, category="gossip", description="  ")
    assert set(err.value.message_dict) == {"category", "description"}
    with pytest.raises(ValidationError, match="PDF, JPEG or PNG"):
        file_case(
            interns.jabar, cast.candidate,
            uploads=[services.Upload(file=io.BytesIO(b"MZ\x90\x00 not a picture"), size=None)],
        )  # fmt: skip
    assert not Case.objects.exists()
    assert not CaseAttachment.objects.exists()


def test_the_case_moves_through_assignment_resolution_and_confirmation(
    cast: Any, interns: Any
) -> None:
    case = file_case(interns.jabar, cast.candidate)
    with pytest.raises(ValidationError):
        services.case_assign(case=case, assignee=cast.officer_jateng, by=cast.central)
    case = services.case_assign(case=case, assignee=cast.officer_jabar, by=cast.central)
    assert case.status == "in_progress"
    with pytest.raises(PermissionDenied):
        services.case_resolve(case=case, by=cast.leadership, resolution="Paid.")
    with pytest.raises(ValidationError):
        services.case_resolve(case=case, by=cast.officer_jabar, resolution=" ")
    case = services.case_resolve(case=case, by=cast.officer_jabar, resolution="The company paid.")
    assert case.status == "resolved"
    with pytest.raises(PermissionDenied):
        services.case_confirm(case=case, by=cast.officer_jabar)
    case = services.case_reopen(case=case, by=cast.candidate, reason="Only one month was paid.")
    assert (case.status, case.reopen_count, case.resolution) == ("in_progress", 1, "")
    case = services.case_resolve(case=case, by=cast.officer_jabar, resolution="Both months paid.")
    case = services.case_confirm(case=case, by=cast.candidate)
    assert case.status == "closed"
    assert case.confirmed_by_intern
    kinds = list(case.events.values_list("kind", "to_status"))
    assert kinds == [
        ("filed", "open"),
        ("assigned", ""),
        ("status", "resolved"),
        ("status", "in_progress"),
        ("status", "resolved"),
        ("status", "closed"),
    ]


def test_only_the_intern_chooses_sharing_and_a_partners_case_stays_shared(
    cast: Any, interns: Any
) -> None:
    case = file_case(interns.jabar, cast.candidate)
    with pytest.raises(PermissionDenied):
        services.case_set_sharing(case=case, by=cast.officer_jabar, share=True)
    assert services.case_set_sharing(case=case, by=cast.candidate, share=True).share_with_partner
    partners = file_case(interns.jabar, cast.partner)
    with pytest.raises(ValidationError):
        services.case_set_sharing(case=partners, by=cast.candidate, share=False)


def test_officials_only_notes_are_refused_to_the_intern_and_the_partner(
    cast: Any, interns: Any
) -> None:
    case = file_case(interns.jabar, cast.candidate, share_with_partner=True)
    with pytest.raises(ValidationError):
        services.case_note_add(case=case, by=cast.candidate, text="x", audience="officials")
    with pytest.raises(ValidationError):
        services.case_note_add(case=case, by=cast.partner, text="x", audience="officials")
    services.case_note_add(
        case=case, by=cast.officer_jabar, text="Called the union.", audience="officials"
    )
    with pytest.raises(PermissionDenied):
        services.case_note_add(case=case, by=cast.host, text="We deny it.")


def test_target_times_are_data(cast: Any, interns: Any) -> None:
    CaseTarget.objects.filter(severity="low").update(resolve_within_hours=2)
    case = file_case(interns.jabar, cast.candidate, severity="low")
    assert case.due_at - case.filed_at == dt.timedelta(hours=2)
    CaseTarget.objects.all().delete()  # the built-in defaults still answer
    case = file_case(interns.jabar, cast.candidate, severity="critical")
    assert case.due_at - case.filed_at == dt.timedelta(hours=24)


def test_overdue_cases_are_escalated_once_with_an_email(
    cast: Any, interns: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cast.central.email = "central@kemnaker.example"
    cast.central.save()
    overdue = file_case(interns.jabar, cast.candidate, severity="critical")
    on_time = file_case(interns.jateng, cast.officer_jateng, severity="low")
    resolved = file_case(interns.jateng, cast.officer_jateng, severity="critical")
    services.case_resolve(case=resolved, by=cast.central, resolution="Done.")
    later = timezone.now() + dt.timedelta(hours=25)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: later)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.cases_escalate() == 1
        assert services.cases_escalate() == 0
    overdue.refresh_from_db()
    on_time.refresh_from_db()
    assert overdue.escalated_at == later
    assert on_time.escalated_at is None
    assert overdue.events.filter(kind=CaseEvent.Kind.ESCALATED, audience="officials").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["central@kemnaker.example"]
    assert f"#{overdue.pk}" in mail.outbox[0].subject


def test_the_command_escalates(cast: Any, interns: Any) -> None:
    case = file_case(interns.jabar, cast.candidate, severity="critical")
    Case.objects.filter(pk=case.pk).update(
        filed_at=timezone.now() - dt.timedelta(days=3),
        due_at=timezone.now() - dt.timedelta(days=2),
    )
    out = io.StringIO()
    call_command("cases_escalate", stdout=out)
    assert "1 case(s) escalated." in out.getvalue()


def test_statistics_are_aggregates_by_category_within_scope(cast: Any, interns: Any) -> None:
    wages = file_case(interns.jabar, cast.candidate)
    Case.objects.filter(pk=wages.pk).update(filed_at=timezone.now() - dt.timedelta(hours=10))
    services.case_resolve(case=wages, by=cast.central, resolution="Paid.")
    file_case(interns.jateng, cast.officer_jateng, category="housing")
    rows = {r.category: r for r in case_statistics(user=cast.central)}
    assert len(rows) == 8
    assert (rows["wages"].filed, rows["wages"].resolved, rows["wages"].open) == (1, 1, 0)
    assert rows["wages"].mean_hours_to_resolution == pytest.approx(10, abs=0.1)
    assert (rows["housing"].filed, rows["housing"].mean_hours_to_resolution) == (1, None)
    jabar = {r.category: r.filed for r in case_statistics(user=cast.officer_jabar)}
    assert (jabar["wages"], jabar["housing"]) == (1, 0)
    assert sum(r.filed for r in case_statistics(user=cast.host)) == 0
