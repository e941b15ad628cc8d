"""The load benchmark's URLconf: the product's URLs plus `/bare/`, a POST that inserts one
row into the benchmark's own table (`bench_bare`, created by `bench/load.py`). It goes
through the same middleware as every page; only the view is bare."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as product_urlpatterns


@csrf_exempt
@require_POST
def bare(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_bare (created_at, note) VALUES (now(), %s)",
            [request.POST.get("note", "")[:100]],
        )
    return HttpResponse("ok", status=201, content_type="text/plain")


urlpatterns = [path("bare/", bare), *product_urlpatterns]
