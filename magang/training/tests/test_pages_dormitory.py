"""Dormitory pages: buildings, rooms and beds with who sleeps where; beds given and released
with the service's refusals shown; set-up forms; and who may see and do what."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from magang.training.models import Bed, BedAssignment, Building, DormRoom

from .test_pages_graduation import NOBODY, READERS, assert_access, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def dorm(training: Any) -> Any:
    building = Building.objects.create(centre=training.centre, name="Asrama Sakura")
    men = DormRoom.objects.create(building=building, name="101", sex="M")
    women = DormRoom.objects.create(building=building, name="201", sex="F")
    return {
        "building": building,
        "men": [Bed.objects.create(room=men, label=str(i)) for i in (1, 2)],
        "women": [Bed.objects.create(room=women, label="1")],
    }


def centre_url(training: Any) -> str:
    return reverse("training:dorm_centre", args=[training.centre.pk])


def test_the_centre_page_shows_beds_occupants_and_who_has_none(
    training: Any, cast: Any, dorm: Any
) -> None:
    man = training.enrolments[0]
    BedAssignment.objects.create(bed=dorm["men"][0], enrolment=man, from_date=man.enrolled_on)
    page = client_for(cast.trainer).get(centre_url(training)).content.decode()
    assert "Asrama Sakura" in page and "Room 101 (Male)" in page
    assert "1 of 2 beds taken" in page
    assert man.application.candidate.full_name in page
    unbedded = page[page.index('id="unbedded"') :]
    assert f'data-enrolment="{man.pk}"' not in unbedded
    for other in training.enrolments[1:]:
        assert f'data-enrolment="{other.pk}"' in unbedded


def test_a_bed_is_given_and_refusals_are_shown(training: Any, cast: Any, dorm: Any) -> None:
    man, woman = training.enrolments[0], training.enrolments[3]
    trainer = client_for(cast.trainer)
    assign = reverse("training:dorm_bed_assign", args=[training.centre.pk])
    given = trainer.post(assign, {"bed": dorm["men"][0].pk, "enrolment": man.pk})
    assert given.status_code == 302
    assert BedAssignment.objects.get(to_date__isnull=True).enrolment == man
    wrong_sex = trainer.post(assign, {"bed": dorm["men"][1].pk, "enrolment": woman.pk})
    assert wrong_sex.status_code == 400 and "is for the other sex" in wrong_sex.content.decode()
    taken = trainer.post(assign, {"bed": dorm["men"][0].pk, "enrolment": training.enrolments[1].pk})
    assert taken.status_code == 400 and "is taken" in taken.content.decode()
    missing = trainer.post(assign, {"bed": "", "enrolment": man.pk})
    assert missing.status_code == 400
    assert BedAssignment.objects.filter(to_date__isnull=True).count() == 1
    released = trainer.post(reverse("training:dorm_bed_release", args=[man.pk]))
    assert released.status_code == 302
    assert not BedAssignment.objects.filter(to_date__isnull=True).exists()


def test_buildings_rooms_and_beds_are_set_up_with_pages(training: Any, cast: Any) -> None:
    trainer = client_for(cast.trainer)
    trainer.post(
        reverse("training:dorm_building_create", args=[training.centre.pk]), {"name": "Fuji"}
    )
    building = Building.objects.get(name="Fuji", centre=training.centre)
    again = trainer.post(
        reverse("training:dorm_building_create", args=[training.centre.pk]), {"name": "fuji"}
    )
    assert again.status_code == 400 and "already a building" in again.content.decode()
    room_url = reverse("training:dorm_room_create", args=[building.pk])
    assert trainer.post(room_url, {"name": "A1", "sex": "X"}).status_code == 400
    assert trainer.post(room_url, {"name": "A1", "sex": "F"}).status_code == 302
    room = DormRoom.objects.get(building=building, name="A1")
    beds_url = reverse("training:dorm_beds_add", args=[room.pk])
    assert trainer.post(beds_url, {"count": "0"}).status_code == 400
    assert trainer.post(beds_url, {"count": "3"}).status_code == 302
    assert trainer.post(beds_url, {"count": "2"}).status_code == 302
    assert sorted(room.beds.values_list("label", flat=True), key=int) == ["1", "2", "3", "4", "5"]
    page = trainer.get(f"{centre_url(training)}?building={building.pk}").content.decode()
    assert "Room A1 (Female)" in page and "0 of 5 beds taken" in page


def test_who_may_see_the_dormitory(training: Any, cast: Any, dorm: Any) -> None:
    assert_access(cast, training, centre_url(training))
    index = reverse("training:dorm_index")
    assert client_for(cast.trainer).get(index)["Location"] == centre_url(training)
    page = client_for(cast.central).get(index).content.decode()
    assert "BBPVP Bekasi" in page and "BPVP Semarang" in page
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(index).status_code == 403
    readers_page = client_for(cast.central).get(centre_url(training)).content.decode()
    assert "Give the bed" not in readers_page and "Add the building" not in readers_page


def test_only_the_centres_staff_change_the_dormitory(training: Any, cast: Any, dorm: Any) -> None:
    man = training.enrolments[0]
    BedAssignment.objects.create(bed=dorm["men"][0], enrolment=man, from_date=man.enrolled_on)
    posts = [
        (reverse("training:dorm_building_create", args=[training.centre.pk]), {"name": "X"}),
        (
            reverse("training:dorm_room_create", args=[dorm["building"].pk]),
            {"name": "9", "sex": "M"},
        ),
        (reverse("training:dorm_beds_add", args=[dorm["men"][0].room_id]), {"count": "1"}),
        (
            reverse("training:dorm_bed_assign", args=[training.centre.pk]),
            {"bed": dorm["men"][1].pk, "enrolment": training.enrolments[1].pk},
        ),
        (reverse("training:dorm_bed_release", args=[man.pk]), {}),
    ]
    for url, data in posts:
        for name in READERS:
            assert client_for(getattr(cast, name)).post(url, data).status_code == 403, url
        assert client_for(training.trainer_other).post(url, data).status_code == 404, url
        for name in NOBODY:
            assert client_for(getattr(cast, name)).post(url, data).status_code == 403, url
        assert Client().post(url, data).status_code == 302
    assert Building.objects.count() == 1 and DormRoom.objects.count() == 2
    assert Bed.objects.count() == 3
    assert list(BedAssignment.objects.filter(to_date__isnull=True)) == [
        BedAssignment.objects.get(enrolment=man)
    ]


def test_the_other_centres_trainer_cannot_use_their_own_page_to_bed_our_trainees(
    training: Any, cast: Any, dorm: Any
) -> None:
    theirs = Building.objects.create(centre=training.other_centre, name="Semarang")
    room = DormRoom.objects.create(building=theirs, name="1", sex="M")
    bed = Bed.objects.create(room=room, label="1")
    other = client_for(training.trainer_other)
    assign = reverse("training:dorm_bed_assign", args=[training.other_centre.pk])
    assert (
        other.post(assign, {"bed": bed.pk, "enrolment": training.enrolments[0].pk}).status_code
        == 404
    )
    ours = client_for(cast.trainer).post(
        reverse("training:dorm_bed_assign", args=[training.centre.pk]),
        {"bed": bed.pk, "enrolment": training.enrolments[0].pk},
    )
    assert ours.status_code == 404
    assert not BedAssignment.objects.exists()
