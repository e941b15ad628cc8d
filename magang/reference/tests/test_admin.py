"""The admin shows the reference tables and refuses to edit them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from magang.reference.services import reference_load_all

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["dataset", "province", "regency", "prefecture", "trade"])
def test_it_shows_each_reference_table_to_an_admin(admin_client: Client, model: str) -> None:
    reference_load_all()

    response = admin_client.get(reverse(f"admin:reference_{model}_changelist"), {"q": "3"})

    assert response.status_code == 200


def test_it_refuses_to_add_a_trade_in_the_admin(admin_client: Client) -> None:
    response = admin_client.get(reverse("admin:reference_trade_add"))

    assert response.status_code == 403
