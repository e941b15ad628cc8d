from django.contrib.auth import views as auth_views
from django.urls import path

from . import auth_views as login_views
from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", login_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/setup/", login_views.two_factor_enrol, name="two_factor_enrol"),
    path("2fa/verify/", login_views.two_factor_verify, name="two_factor_verify"),
    path("2fa/recovery-codes/", login_views.two_factor_recovery, name="two_factor_recovery"),
    path("home/", views.home, name="home"),
    path("audit/", views.audit_log, name="audit_log"),
]
