"""The stay's pages: who sees what, and the forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from magang.accounts.models import User
from magang.internships.models import ExamType, MonitoringDuty
from magang.internships.services import stay as services

from .stay_fixtures import Stay, stay_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
D = dt.date


def client(user: User | None) -> Client:
    c = Client(headers={"accept-language": "en"})
    if user is not None:
        c.force_login(user)
    return c


def arrived(s: Stay) -> None:
    for i in (s.jabar, s.jateng):
        services.internship_arrive(internship=i, arrived_on=D(2022, 3, 2), by=s.cast.central)


def listed(user: User) -> set[str]:
    response = client(user).get(reverse("internships:list"))
    assert response.status_code == 200
    return {i.application.registration_number for i in response.context["page"]}


def test_the_list_shows_each_role_exactly_its_interns(stay: Stay) -> None:
    c = stay.cast
    both = {stay.jabar.application.registration_number, stay.jateng.application.registration_number}
    jabar = {stay.jabar.application.registration_number}
    jateng = {stay.jateng.application.registration_number}
    assert listed(c.central) == both and listed(c.leadership) == both
    assert listed(c.partner) == both
    assert listed(c.host) == jabar and listed(c.host_other) == jateng
    assert listed(c.officer_jabar) == jabar and listed(c.officer_jateng) == jateng


def test_the_list_refuses_roles_without_interns_and_sends_strangers_to_login(stay: Stay) -> None:
    url = reverse("internships:list")
    assert client(stay.cast.trainer).get(url).status_code == 403
    assert client(stay.cast.candidate).get(url).status_code == 403
    assert client(None).get(url).status_code == 302


def test_another_companys_intern_is_not_found(stay: Stay) -> None:
    url = reverse("internships:detail", args=[stay.jateng.pk])
    assert client(stay.cast.host).get(url).status_code == 404
    assert client(stay.cast.officer_jabar).get(url).status_code == 404
    assert client(stay.cast.outsider).get(url).status_code == 404
    assert client(stay.cast.host_other).get(url).status_code == 200


def test_host_companies_never_see_the_early_return_reason_or_notes(stay: Stay) -> None:
    arrived(stay)
    services.internship_early_return(
        internship=stay.jabar,
        on=D(2022, 8, 1),
        reason="health",
        note="Hospitalised for tuberculosis",
        by=stay.cast.partner,
    )
    url = reverse("internships:detail", args=[stay.jabar.pk])
    host_page = client(stay.cast.host).get(url).content.decode()
    assert "tuberculosis" not in host_page and "Health" not in host_page
    partner_page = client(stay.cast.partner).get(url).content.decode()
    assert "tuberculosis" in partner_page and "Health" in partner_page


def test_the_partner_transfers_through_the_form_and_the_host_may_not(stay: Stay) -> None:
    arrived(stay)
    url = reverse("internships:act", args=[stay.jabar.pk, "transfer"])
    data = {
        "transfer-to_company": stay.cast.host_company_other.pk,
        "transfer-on": "2022-09-01",
        "transfer-reason": "company_closure",
        "transfer-note": "",
    }
    assert client(stay.cast.host).post(url, data).status_code == 403
    response = client(stay.cast.partner).post(url, data)
    assert response.status_code == 302
    stay.jabar.refresh_from_db()
    assert stay.jabar.host_company == stay.cast.host_company_other


def test_a_refused_stage_move_explains_itself_and_changes_nothing(stay: Stay) -> None:
    arrived(stay)
    url = reverse("internships:act", args=[stay.jabar.pk, "next_stage"])
    response = client(stay.cast.partner).post(url, {"next_stage-on": "2023-03-02"})
    assert response.status_code == 422
    assert "Basic grade skills test" in response.content.decode()
    stay.jabar.refresh_from_db()
    assert stay.jabar.stage is not None and stay.jabar.stage.number == 1


def test_the_host_notifies_missing_for_its_own_intern_only(stay: Stay) -> None:
    arrived(stay)
    data = {"missing-on": "2022-06-01", "missing-note": ""}
    own = reverse("internships:act", args=[stay.jabar.pk, "missing"])
    other = reverse("internships:act", args=[stay.jateng.pk, "missing"])
    assert client(stay.cast.host).post(other, data).status_code == 404
    assert client(stay.cast.host).post(own, data).status_code == 302
    stay.jabar.refresh_from_db()
    assert stay.jabar.end_reason == "missing"


def test_an_exam_is_recorded_from_the_page(stay: Stay) -> None:
    arrived(stay)
    url = reverse("internships:act", args=[stay.jabar.pk, "exam"])
    basic = ExamType.objects.get(code="titp-basic")
    data = {
        "exam-exam_type": basic.pk,
        "exam-taken_on": "2023-01-20",
        "exam-result": "passed",
        "exam-score": "85",
    }
    assert client(stay.cast.partner).post(url, data).status_code == 302
    assert stay.jabar.exams.get().score == 85


def test_the_intern_sees_their_own_stay_only(stay: Stay) -> None:
    arrived(stay)
    response = client(stay.cast.candidate).get(reverse("internships:mine"))
    assert response.status_code == 200
    assert [i.pk for i, _t in response.context["stays"]] == [stay.jabar.pk]
    assert (
        client(stay.cast.candidate)
        .get(reverse("internships:detail", args=[stay.jateng.pk]))
        .status_code
        == 404
    )
    assert client(None).get(reverse("internships:mine")).status_code == 302


def test_the_organisation_page_lists_overdue_duties_to_its_partner_and_kemnaker(
    stay: Stay,
) -> None:
    arrived(stay)
    url = reverse("internships:organisation", args=[stay.cast.imjapan.pk])
    response = client(stay.cast.partner).get(url)
    assert response.status_code == 200
    assert (
        response.context["overdue_total"]
        == MonitoringDuty.objects.filter(status="open").count()
        == 4
    )
    assert client(stay.cast.central).get(url).status_code == 200
    assert client(stay.cast.host).get(url).status_code == 403
    assert client(stay.cast.officer_jabar).get(url).status_code == 403
    other = reverse("internships:organisation", args=[stay.cast.host_company.pk])
    assert client(stay.cast.partner).get(other).status_code == 404


def test_home_pages_flag_overdue_monitoring(stay: Stay) -> None:
    arrived(stay)
    partner_home = client(stay.cast.partner).get(reverse("accounts:home")).content.decode()
    assert "Overdue monitoring: 2 visits, 2 audits." in partner_home
    central_home = client(stay.cast.central).get(reverse("accounts:home")).content.decode()
    assert 'id="home-overdue"' in central_home and "IM Japan" in central_home
    host_home = client(stay.cast.host).get(reverse("accounts:home")).content.decode()
    assert 'id="home-overdue"' not in host_home


def test_the_partner_records_a_visit_from_the_schedule(stay: Stay) -> None:
    arrived(stay)
    duty = MonitoringDuty.objects.filter(internship=stay.jabar, kind="visit").get()
    url = reverse("internships:duty_record", args=[duty.pk])
    assert client(stay.cast.host).post(url, {"done_on": "2022-04-02"}).status_code == 403
    response = client(stay.cast.partner).post(url, {"done_on": "2022-04-02", "next": "duties"})
    assert response.status_code == 302
    duty.refresh_from_db()
    assert duty.status == "done"
    page = client(stay.cast.partner).get(reverse("internships:duties"))
    assert page.status_code == 200
    assert client(stay.cast.trainer).get(reverse("internships:duties")).status_code == 403


def test_the_organisation_page_lists_only_the_open_incidents_the_partner_may_see(
    stay: Stay,
) -> None:
    from django.utils import timezone

    from magang.internships.models import Case

    now = timezone.now()
    common = {
        "kind": "incident",
        "category": "wages",
        "severity": "high",
        "description": "Unpaid overtime",
        "filed_as": "intern",
        "filed_at": now,
        "due_at": now + dt.timedelta(days=3),
    }
    shared = Case.objects.create(internship=stay.jabar, share_with_partner=True, **common)
    Case.objects.create(internship=stay.jateng, share_with_partner=False, **common)
    url = reverse("internships:organisation", args=[stay.cast.imjapan.pk])
    partner = client(stay.cast.partner).get(url)
    assert [c.pk for c in partner.context["cases"]] == [shared.pk]
    assert partner.context["cases_total"] == 1
    assert client(stay.cast.central).get(url).context["cases_total"] == 2
