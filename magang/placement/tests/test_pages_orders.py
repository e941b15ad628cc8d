"""Job order pages through the client: who sees which orders, the filters, the form for
host companies, partners and the central team (the cap refused with its arithmetic), and a
host company's page with its trades."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from magang import factories as f
from magang.core.models import AuditEntry
from magang.placement.models import HostTrade, JobOrder

pytestmark = pytest.mark.django_db

NOBODY = ("officer_jabar", "officer_jateng", "trainer", "candidate", "outsider")
NATIONWIDE = ("central", "leadership", "admin")


def client_for(user: Any) -> Client:
    client = Client(headers={"accept-language": "en"})  # pages negotiate; Indonesian by default
    if user is not None:
        client.force_login(user)
    return client


def form_data(reference: str, **extra: Any) -> dict[str, Any]:
    data = {
        "reference": reference,
        "trade": f.trade().pk,
        "prefecture": f.prefecture("04").pk,
        "slots": 1,
        "planned_start": "2027-07-01",
        "interview_on": "",
        "sex": "",
        "min_age": "",
        "max_age": "",
        "min_height_cm": "",
        "japanese_level": "",
        "notes": "",
    }
    data.update(extra)
    return data


def references(response: Any) -> set[str]:
    return {o.reference for o in response.context["page"]}


def test_it_lists_the_orders_each_user_may_see(placement: Any, cast: Any) -> None:
    url = reverse("placement:order_list")
    for name in (*NATIONWIDE, "partner"):
        response = client_for(getattr(cast, name)).get(url)
        assert response.status_code == 200, name
        assert references(response) == {"SS-2027-01", "NK-2027-01"}, name
    assert references(client_for(cast.host).get(url)) == {"SS-2027-01"}
    assert references(client_for(cast.host_other).get(url)) == {"NK-2027-01"}
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(url).status_code == 403, name
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_it_filters_by_state_trade_and_prefecture(placement: Any, cast: Any) -> None:
    HostTrade.objects.create(host_company=cast.host_company_other, trade=f.trade("2-1-9"))
    nagoya = JobOrder.objects.get(reference="NK-2027-01")
    nagoya.trade, nagoya.prefecture, nagoya.state = f.trade("2-1-9"), f.prefecture("23"), "matched"
    nagoya.save()
    central = client_for(cast.central)
    url = reverse("placement:order_list")
    assert references(central.get(url, {"state": "open"})) == {"SS-2027-01"}
    assert references(central.get(url, {"state": "matched"})) == {"NK-2027-01"}
    assert references(central.get(url, {"trade": "2-1-9"})) == {"NK-2027-01"}
    assert references(central.get(url, {"prefecture": "04"})) == {"SS-2027-01"}
    assert references(central.get(url, {"state": "nonsense"})) == {"SS-2027-01", "NK-2027-01"}
    page = central.get(url).content.decode()
    assert "Aichi" in page and "2-1-9" in page  # the filters offer what the list holds


def test_one_order_for_those_who_see_it_and_404_for_others(placement: Any, cast: Any) -> None:
    order = placement.orders[0]  # Sendai Seiko's
    url = reverse("placement:order_detail", args=[order.pk])
    for name in (*NATIONWIDE, "partner", "host"):
        response = client_for(getattr(cast, name)).get(url)
        assert response.status_code == 200, name
        assert "SS-2027-01" in response.content.decode()
    assert client_for(cast.host_other).get(url).status_code == 404
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(url).status_code == 403, name
    assert client_for(None).get(url).status_code == 302
    assert (
        client_for(cast.central).get(reverse("placement:order_detail", args=[999999])).status_code
        == 404
    )
    page = client_for(cast.host).get(url).content.decode()
    assert "2 of 6 interns a year ordered for 2027" in page
    assert reverse("placement:order_edit", args=[order.pk]) in page
    assert reverse("placement:order_edit", args=[order.pk]) not in (
        client_for(cast.leadership).get(url).content.decode()
    )


def test_a_host_company_sends_an_order_for_itself(placement: Any, cast: Any) -> None:
    url = reverse("placement:order_create")
    host = client_for(cast.host)
    form = host.get(url)
    assert form.status_code == 200
    assert list(form.context["form"].fields["host_company"].queryset) == [cast.host_company]
    response = host.post(url, form_data("SS-2027-05", host_company=cast.host_company.pk))
    order = JobOrder.objects.get(reference="SS-2027-05")
    assert response.status_code == 302
    assert response["Location"] == reverse("placement:order_detail", args=[order.pk])
    assert order.created_by == cast.host and order.supervising_organisation == cast.imjapan
    assert AuditEntry.objects.filter(action="placement.job_order_create", actor=cast.host).exists()
    refused = host.post(url, form_data("NK-X", host_company=cast.host_company_other.pk))
    assert refused.status_code == 400
    assert not JobOrder.objects.filter(reference="NK-X").exists()


def test_a_partner_chooses_one_of_its_host_companies(placement: Any, cast: Any) -> None:
    url = reverse("placement:order_create")
    partner = client_for(cast.partner)
    offered = partner.get(url).context["form"].fields["host_company"].queryset
    assert set(offered) == {cast.host_company, cast.host_company_other}
    chosen = partner.get(url, {"host_company": cast.host_company_other.pk})
    assert chosen.context["form"].initial["host_company"] == cast.host_company_other
    response = partner.post(url, form_data("NK-2027-02", host_company=cast.host_company_other.pk))
    assert response.status_code == 302
    assert JobOrder.objects.get(reference="NK-2027-02").host_company == cast.host_company_other
    other_partner = f.OrganisationFactory(kind="supervising_organisation", name="Other SO")
    stranger = f.OrganisationFactory(
        kind="host_company",
        name="Osaka",
        parent=other_partner,
        staff_count=40,
        prefecture=f.prefecture("27"),
    )
    assert partner.post(url, form_data("OS-1", host_company=stranger.pk)).status_code == 400
    central = client_for(cast.central)
    assert stranger in central.get(url).context["form"].fields["host_company"].queryset
    assert central.post(url, form_data("OS-1", host_company=stranger.pk)).status_code == 302


def test_the_cap_is_refused_on_the_form_with_its_arithmetic(placement: Any, cast: Any) -> None:
    response = client_for(cast.host).post(
        reverse("placement:order_create"),
        form_data("SS-2027-06", host_company=cast.host_company.pk, slots=5),
    )
    assert response.status_code == 400
    assert (
        "Over the intake cap: 80 staff allow 6 interns a year; 2 already ordered for 2027 + 5 "
        "asked = 7, 1 too many."
    ) in response.content.decode()
    assert not JobOrder.objects.filter(reference="SS-2027-06").exists()


def test_who_may_not_send_orders(placement: Any, cast: Any) -> None:
    url = reverse("placement:order_create")
    for name in ("leadership", "admin", *NOBODY):
        client = client_for(getattr(cast, name))
        assert client.get(url).status_code == 403, name
        assert (
            client.post(url, form_data("X-1", host_company=cast.host_company.pk)).status_code == 403
        )
    assert client_for(None).get(url).status_code == 302
    assert not JobOrder.objects.filter(reference="X-1").exists()


def test_changing_an_order(placement: Any, cast: Any) -> None:
    order = placement.orders[0]
    url = reverse("placement:order_edit", args=[order.pk])
    host = client_for(cast.host)
    form = host.get(url)
    assert form.status_code == 200 and "host_company" not in form.context["form"].fields
    assert host.post(url, form_data("SS-2027-01", slots=3, min_height_cm=160)).status_code == 302
    order.refresh_from_db()
    assert (order.slots, order.min_height_cm) == (3, 160)
    over = host.post(url, form_data("SS-2027-01", slots=7))
    assert over.status_code == 400 and "0 already ordered for 2027 + 7 asked = 7" in (
        over.content.decode()
    )
    assert client_for(cast.partner).post(url, form_data("SS-2027-01", slots=2)).status_code == 302
    assert client_for(cast.host_other).get(url).status_code == 404
    for name in ("leadership", "admin"):
        assert client_for(getattr(cast, name)).get(url).status_code == 403, name
        assert client_for(getattr(cast, name)).post(url, form_data("SS-2027-01")).status_code == 403
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(url).status_code == 403, name
    assert client_for(None).get(url).status_code == 302
    JobOrder.objects.filter(pk=order.pk).update(state="cancelled")
    closed = host.post(url, form_data("SS-2027-01", slots=1))
    assert closed.status_code == 302
    order.refresh_from_db()
    assert order.slots == 2


def test_a_host_companys_page_and_its_trades(placement: Any, cast: Any) -> None:
    company = cast.host_company
    url = reverse("placement:company_detail", args=[company.pk])
    trades = reverse("placement:company_trades", args=[company.pk])
    for name in (*NATIONWIDE, "partner", "host"):
        response = client_for(getattr(cast, name)).get(url)
        assert response.status_code == 200, name
        assert (
            "Sendai Seiko" in response.content.decode()
            and "SS-2027-01" in response.content.decode()
        )
    assert "2 of 6 ordered, 4 left" in client_for(cast.host).get(url).content.decode()
    assert client_for(cast.host_other).get(url).status_code == 404
    for name in NOBODY:
        assert client_for(getattr(cast, name)).get(url).status_code == 403, name
    assert client_for(None).get(url).status_code == 302

    f.trade("2-1-9")
    partner = client_for(cast.partner)
    assert partner.post(trades, {"action": "add", "trade": "2-1-9"}).status_code == 302
    assert partner.post(trades, {"action": "add", "trade": "6-1-1"}).status_code == 302
    assert set(
        HostTrade.objects.filter(host_company=company).values_list("trade__code", flat=True)
    ) == {"2-1-9", "6-1-1"}
    in_use = partner.post(trades, {"action": "remove", "trade": "6-1-1"}, follow=True)
    assert "Open job orders are in this trade: SS-2027-01." in in_use.content.decode()
    assert (
        client_for(cast.central).post(trades, {"action": "remove", "trade": "2-1-9"}).status_code
        == 302
    )
    assert list(
        HostTrade.objects.filter(host_company=company).values_list("trade__code", flat=True)
    ) == ["6-1-1"]
    for name in ("host", "leadership", "admin", *NOBODY):
        assert (
            client_for(getattr(cast, name))
            .post(trades, {"action": "add", "trade": "2-1-9"})
            .status_code
            == 403
        ), name
    assert (
        client_for(cast.host_other).post(trades, {"action": "add", "trade": "2-1-9"}).status_code
        == 404
    )
    assert AuditEntry.objects.filter(action="placement.host_trade_add").count() == 2
    # An order in a trade the company does not train in is refused.
    refused = client_for(cast.host).post(
        reverse("placement:order_create"),
        form_data("SS-2027-07", host_company=company.pk, trade=f.trade("2-1-9").pk),
    )
    assert (
        refused.status_code == 400 and "Sendai Seiko does not train in" in refused.content.decode()
    )


def test_the_home_page_shows_job_orders_in_figures(placement: Any, cast: Any) -> None:
    home = reverse("accounts:home")
    host = client_for(cast.host).get(home).content.decode()
    assert "Your job orders" in host and "1 open job order for 2 interns" in host
    partner = client_for(cast.partner).get(home).content.decode()
    assert "2 open job orders for 3 interns" in partner
    assert "Job orders" in client_for(cast.central).get(home).content.decode()
    assert "home-job-orders" not in client_for(cast.officer_jabar).get(home).content.decode()


def admin_form(order: JobOrder, **changes: Any) -> dict[str, Any]:
    data = {
        "reference": order.reference,
        "trade": order.trade_id,
        "prefecture": order.prefecture_id,
        "slots": order.slots,
        "planned_start": "2027-07-01",
        "interview_on": "",
        "sex": "",
        "min_age": "",
        "max_age": "",
        "min_height_cm": "",
        "japanese_level": "",
        "notes": "",
        "state": order.state,
    }
    data.update(changes)
    return data


def test_administrators_correct_orders_through_the_service(placement: Any, cast: Any) -> None:
    admin = client_for(cast.admin)
    order = placement.orders[0]
    assert admin.get("/admin/placement/joborder/").status_code == 200
    change = f"/admin/placement/joborder/{order.pk}/change/"
    assert admin.get(change).status_code == 200
    over = admin.post(change, admin_form(order, slots=7))
    assert over.status_code == 200 and "Over the intake cap" in over.content.decode()
    order.refresh_from_db()
    assert order.slots == 2
    assert admin.post(change, admin_form(order, slots=3, state="cancelled")).status_code == 302
    order.refresh_from_db()
    assert (order.slots, order.state) == (3, "cancelled")
    assert AuditEntry.objects.filter(action="placement.job_order_change").exists()
    assert admin.get("/admin/placement/joborder/add/").status_code == 403
    trade = f.trade("2-1-9")
    assert (
        admin.post(
            "/admin/placement/hosttrade/add/",
            {"host_company": cast.host_company.pk, "trade": trade.pk},
        ).status_code
        == 302
    )
    assert HostTrade.objects.filter(host_company=cast.host_company, trade=trade).exists()
    assert client_for(cast.central).get("/admin/placement/joborder/").status_code == 302
