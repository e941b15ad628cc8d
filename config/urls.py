from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from .api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("magang.core.urls")),
    path("accounts/", include("magang.accounts.urls")),
    path("recruitment/", include("magang.recruitment.urls")),
    path("selection/", include("magang.selection.urls")),
    path("training/", include("magang.training.urls")),
    path("placement/", include("magang.placement.urls")),
    path("internships/", include("magang.internships.urls")),
    path("partnerships/", include("magang.partnerships.urls")),
    path("stats/", include("magang.stats.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
