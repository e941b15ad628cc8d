"""Pages of the stay: the intern's own ("My internship"); the staff list with filters; one
internship with its timeline and the forms of the moves its status allows; the monitoring
schedule; a supervising organisation's page of overdue duties and open incidents.

Who: see ``access.py``. Lists need a reading role (403 otherwise); another's internship is
404; a form posted by someone who may read but not act is 403.

The package: ``forms``, ``actions`` (the moves offered on an internship's page), ``pages``
(the intern's and the staff's pages) and ``organisation`` (a supervising organisation's
page); the URLs are below."""

from django.urls import URLPattern, path

from .actions import ACTIONS, IN_JAPAN, Action
from .forms import (
    ArrivalForm,
    DayForm,
    DutyForm,
    EarlyReturnForm,
    ExamForm,
    HomeLeaveForm,
    NextStageForm,
    TransferForm,
)
from .organisation import my_organisation, organisation_page
from .pages import (
    StaffRequest,
    duties,
    duty_record,
    internship_act,
    internship_detail,
    internship_list_view,
    my_internship,
)

__all__ = [
    "ACTIONS",
    "IN_JAPAN",
    "Action",
    "ArrivalForm",
    "DayForm",
    "DutyForm",
    "EarlyReturnForm",
    "ExamForm",
    "HomeLeaveForm",
    "NextStageForm",
    "StaffRequest",
    "TransferForm",
    "duties",
    "duty_record",
    "internship_act",
    "internship_detail",
    "internship_list_view",
    "my_internship",
    "my_organisation",
    "organisation_page",
    "urlpatterns",
]

urlpatterns: list[URLPattern] = [
    path("", internship_list_view, name="list"),
    path("mine/", my_internship, name="mine"),
    path("monitoring/", duties, name="duties"),
    path("monitoring/<int:pk>/record/", duty_record, name="duty_record"),
    path("organisations/<int:pk>/", organisation_page, name="organisation"),
    path("organisations/mine/", my_organisation, name="my_organisation"),
    path("<int:pk>/", internship_detail, name="detail"),
    path("<int:pk>/<slug:action>/", internship_act, name="act"),
]
