"""The timetable pages through the client: a class's week as days by start time, the
session form (module and trainer choices limited, a clash shown beside the form), and the
roll call: everyone present by default, the exceptions marked, one save, the counts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from magang import factories as f
from magang.training.models import Attendance, Curriculum, Module, Session
from magang.training.services import enrolment_drop_out, roll_call_save, session_save

from .test_pages_cohorts import assert_refused, client_for, html

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=7))


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def lesson(training: Any, cast: Any) -> Session:
    """Japanese on Tuesday 8 December 2026, 08:00-10:00, room R1, with the cast trainer."""
    return session_save(
        training_class=training.klass, module=training.modules["japanese"], trainer=cast.trainer,
        room="R1", starts_at=at(8, 8), ends_at=at(8, 10), by=cast.trainer,
    )  # fmt: skip


def form(session_day: str = "2026-12-09", **extra: Any) -> dict[str, Any]:
    return {"room": "R2", "day": session_day, "starts": "13:00", "ends": "15:00", **extra}


def test_every_timetable_page_refuses_the_wrong_people(
    cast: Any, training: Any, lesson: Session
) -> None:
    klass = training.klass.pk
    assert_refused(cast, training, reverse("training:timetable", args=[klass]))
    assert_refused(cast, training, reverse("training:session_create", args=[klass]), readers=403)
    assert_refused(
        cast, training, reverse("training:session_create", args=[klass]), method="post",
        readers=403, data=form(module=training.modules["culture"].pk, trainer=cast.trainer.pk),
    )  # fmt: skip
    assert_refused(cast, training, reverse("training:session_edit", args=[lesson.pk]), readers=403)
    assert_refused(
        cast, training, reverse("training:session_edit", args=[lesson.pk]), method="post",
        readers=403,
    )  # fmt: skip
    assert_refused(cast, training, reverse("training:roll_call", args=[lesson.pk]))
    assert_refused(
        cast, training, reverse("training:roll_call", args=[lesson.pk]), method="post", readers=403
    )
    assert Session.objects.count() == 1 and not Attendance.objects.exists()


def test_the_week_is_a_table_of_days_by_start_time(
    cast: Any, training: Any, lesson: Session
) -> None:
    session_save(
        training_class=training.klass, module=training.modules["culture"], trainer=cast.trainer,
        room="R2", starts_at=at(10, 13), ends_at=at(10, 15), by=cast.trainer,
    )  # fmt: skip
    session_save(
        training_class=training.klass, module=training.modules["safety"], trainer=cast.trainer,
        room="R2", starts_at=at(15, 8), ends_at=at(15, 10), by=cast.trainer,
    )  # fmt: skip
    url = reverse("training:timetable", args=[training.klass.pk])
    page = html(client_for(cast.trainer).get(url, {"week": "2026-12-10"}))  # any day of it
    assert "Week of 7 Dec 2026" in page
    assert 'href="?week=2026-11-30"' in page and 'href="?week=2026-12-14"' in page
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(\d\d:\d\d)</th>(.*?)</tr>", page, re.S)
    assert [time for time, _ in rows] == ["08:00", "13:00"]
    cells = [re.findall(r"<td>(.*?)</td>", body, re.S) for _, body in rows]
    assert len(cells[0]) == 6  # Monday to Saturday
    assert "Japanese language" in cells[0][1] and "room R1" in cells[0][1]  # Tuesday 08:00
    assert "Culture and manners" in cells[1][3]  # Thursday 13:00
    assert "Occupational safety" not in page  # next week
    assert f'href="{reverse("training:session_edit", args=[lesson.pk])}"' in page
    assert f'href="{reverse("training:roll_call", args=[lesson.pk])}"' in page
    reader = html(client_for(cast.central).get(url, {"week": "2026-12-07"}))
    assert "Japanese language" in reader
    assert f'href="{reverse("training:session_edit", args=[lesson.pk])}"' not in reader
    assert reverse("training:session_create", args=[training.klass.pk]) not in reader


def test_the_default_week_lies_within_the_cohort(cast: Any, training: Any) -> None:
    url = reverse("training:timetable", args=[training.klass.pk])
    page = html(client_for(cast.trainer).get(url, {"week": "not a date"}))
    # The cohort runs December 2026 to January 2027: before it starts, its first week shows.
    assert "Week of 30 Nov 2026" in page and 'id="no-sessions"' in page


def test_a_session_is_created_with_limited_choices(cast: Any, training: Any) -> None:
    url = reverse("training:session_create", args=[training.klass.pk])
    client = client_for(cast.trainer)
    page = html(client.get(url))
    assert "Japanese language" in page and str(cast.trainer) in page
    assert str(training.trainer_other) not in page
    other = Curriculum.objects.create(
        programme=training.curriculum.programme, code="other", name="Other", year=2027
    )
    foreign = Module.objects.create(
        curriculum=other, order=1, key="welding", name_en="Welding", name_id="Las",
        category="technical", planned_hours=10,
    )  # fmt: skip
    assert "Welding" not in page
    refused = client.post(url, form(module=foreign.pk, trainer=cast.trainer.pk))
    assert refused.status_code == 400 and not Session.objects.exists()
    refused = client.post(url, form(module=training.modules["culture"].pk,
                                     trainer=training.trainer_other.pk))  # fmt: skip
    assert refused.status_code == 400 and not Session.objects.exists()
    response = client.post(
        url, form(module=training.modules["culture"].pk, trainer=cast.trainer.pk)
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?week=2026-12-07")
    session = Session.objects.get()
    assert session.starts_at == at(9, 13) and session.ends_at == at(9, 15)
    assert session.room == "R2"


def test_a_clash_is_shown_beside_the_form(cast: Any, training: Any, lesson: Session) -> None:
    colleague = f.member("trainer.two", "training_staff", training.centre)
    url = reverse("training:session_create", args=[training.klass.pk])
    response = client_for(cast.trainer).post(
        url,
        form("2026-12-08", module=training.modules["culture"].pk, trainer=colleague.pk,
             room="r1", starts="09:00", ends="11:00"),
    )  # fmt: skip
    assert response.status_code == 400
    page = html(response)
    clash = page[page.index('id="clash"') :]
    assert "Room R1 is taken" in clash[:600] and "A · Japanese language" in clash[:600]
    assert Session.objects.count() == 1
    backwards = client_for(cast.trainer).post(
        url, form(module=training.modules["culture"].pk, trainer=colleague.pk, ends="12:00")
    )
    assert backwards.status_code == 400 and "ends after it starts" in html(backwards)


def test_a_session_is_changed(cast: Any, training: Any, lesson: Session) -> None:
    url = reverse("training:session_edit", args=[lesson.pk])
    client = client_for(cast.trainer)
    page = html(client.get(url))
    assert 'value="2026-12-08"' in page and 'value="08:00"' in page and 'value="R1"' in page
    response = client.post(
        url, form("2026-12-08", module=lesson.module_id, trainer=cast.trainer.pk, room="R1",
                  starts="08:30", ends="10:30"),
    )  # fmt: skip
    assert response.status_code == 302  # not a clash with itself
    lesson.refresh_from_db()
    assert lesson.starts_at == at(8, 8, 30) and Session.objects.count() == 1


def test_the_roll_call_has_everyone_present_by_default(
    cast: Any, training: Any, lesson: Session
) -> None:
    enrolment_drop_out(enrolment=training.enrolments[3], by=cast.trainer, reason="Went home")
    url = reverse("training:roll_call", args=[lesson.pk])
    page = html(client_for(cast.trainer).get(url))
    assert 'id="not-taken"' in page
    for enrolment in training.enrolments[:3]:
        assert re.search(rf'name="status-{enrolment.pk}" value="present" checked', page), (
            enrolment.pk
        )
    assert f"status-{training.enrolments[3].pk}" not in page  # dropped out


def test_the_roll_call_is_saved_whole_with_its_counts(
    cast: Any, training: Any, lesson: Session
) -> None:
    one, two, three, four = (e.pk for e in training.enrolments)
    url = reverse("training:roll_call", args=[lesson.pk])
    client = client_for(cast.trainer)
    refused = client.post(url, {f"status-{one}": "late", f"status-{two}": "excused"})
    assert refused.status_code == 400 and not Attendance.objects.exists()
    page = html(refused)
    assert f'id="error-{two}"' in page and "An excused absence needs a reason." in page
    assert re.search(rf'name="status-{one}" value="late" checked', page)  # kept as marked
    response = client.post(
        url,
        {f"status-{one}": "late", f"status-{two}": "excused",
         f"reason-{two}": "Sick, letter from the clinic", f"status-{three}": "present"},
        follow=True,
    )  # fmt: skip
    page = html(response)
    assert "Roll call saved: 2 present, 1 late, 1 excused, 0 absent." in page
    assert 'id="count-present">2<' in page and 'id="count-excused">1<' in page
    marks = dict(Attendance.objects.filter(session=lesson).values_list("enrolment_id", "status"))
    assert marks == {one: "late", two: "excused", three: "present", four: "present"}
    assert 'value="Sick, letter from the clinic"' in page
    # Saving again with nobody marked makes everyone present.
    client.post(url, {})
    assert set(Attendance.objects.filter(session=lesson).values_list("status", flat=True)) == {
        "present"
    }


def test_readers_see_the_roll_call_without_the_form(
    cast: Any, training: Any, lesson: Session
) -> None:
    roll_call_save(session=lesson, marks={training.enrolments[0].pk: ("absent", "")},
                   by=cast.trainer)  # fmt: skip
    page = html(client_for(cast.leadership).get(reverse("training:roll_call", args=[lesson.pk])))
    assert 'id="roll-call"' not in page and 'id="roll"' in page
    assert 'id="count-absent">1<' in page and 'id="count-present">3<' in page
