"""Training API at /api/v1/training/: the same operations and scopes as the pages."""

from ninja import Router
from ninja.security import django_auth

router = Router(tags=["training"], auth=django_auth)
