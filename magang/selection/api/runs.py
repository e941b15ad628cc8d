"""Selection API: runs."""

from ninja import Router
from ninja.security import django_auth

router = Router(tags=["selection"], auth=django_auth)
