"""Cohort pages: the cohorts a user may see; one cohort with its classes and trainees, where
training staff of its centre create classes, move trainees between them and enrol selected
people; a curriculum's modules, and its copy for next year (administrators). The central
team, leadership and administrators read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from magang.accounts.models import Role, User
from magang.accounts.permissions import role_required
from magang.accounts.scopes import scope_for
from magang.recruitment.models import Application

from .. import services
from ..access import READER_ROLES, access_cohort, may_manage
from ..models import Cohort, Curriculum, EnrolmentState, TrainingClass
from ..selectors import cohorts as selectors

PAGE_SIZE = 100
ENROL_PAGE_SIZE = 100
MAX_CHOSEN = 1000


class StaffRequest(HttpRequest):
    user: User


def chosen_ids(values: list[str]) -> list[int]:
    """The ids ticked in a list of checkboxes; anything else is ignored."""
    return sorted({int(v) for v in values[:MAX_CHOSEN] if v.isdigit() and len(v) <= 12})


def _number(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) <= 12 else None


class ClassForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Class name"), max_length=60)
    homeroom_trainer = forms.ModelChoiceField(
        label=gettext_lazy("Homeroom trainer"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trainer = self.fields["homeroom_trainer"]
        assert isinstance(trainer, forms.ModelChoiceField)  # noqa: S101 - declared above
        trainer.queryset = selectors.centre_trainers(cohort.centre_id)


@require_GET
@role_required(*READER_ROLES)
def cohort_list(request: StaffRequest) -> HttpResponse:
    page = Paginator(selectors.cohort_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "training/cohort_list.html", {"page": page})


def _detail(
    request: StaffRequest,
    cohort: Cohort,
    *,
    class_form: ClassForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    classes = list(selectors.cohort_classes(cohort))
    trainees = list(selectors.cohort_trainees(cohort))
    active = sum(1 for e in trainees if e.state == EnrolmentState.ACTIVE)
    acts = may_manage(request.user, cohort)
    return render(
        request,
        "training/cohort_detail.html",
        {
            "cohort": cohort,
            "classes": classes,
            "trainees": trainees,
            "active": active,
            "unassigned": sum(
                1 for e in trainees if e.state == EnrolmentState.ACTIVE and not e.training_class_id
            ),
            "places_left": max(cohort.capacity - active, 0),
            "acts": acts,
            "class_form": class_form or (ClassForm(cohort=cohort) if acts else None),
            "errors": errors or [],
        },
        status=status,
    )


@require_GET
@role_required(*READER_ROLES)
def cohort_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _detail(request, access_cohort(user=request.user, pk=pk))


@require_POST
@role_required(*READER_ROLES)
def class_create(request: StaffRequest, pk: int) -> HttpResponse:
    cohort = access_cohort(user=request.user, pk=pk, write=True)
    form = ClassForm(request.POST, cohort=cohort)
    if form.is_valid():
        try:
            klass = services.class_create(
                cohort=cohort,
                name=form.cleaned_data["name"],
                homeroom_trainer=form.cleaned_data["homeroom_trainer"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)  # the model's fields are not all the form's
        else:
            messages.success(request, _("Class %(name)s was created.") % {"name": klass.name})
            return redirect("training:cohort_detail", pk=cohort.pk)
    return _detail(request, cohort, class_form=form, status=400)


@require_POST
@role_required(*READER_ROLES)
def class_move(request: StaffRequest, pk: int) -> HttpResponse:
    """Move the ticked trainees into the chosen class."""
    cohort = access_cohort(user=request.user, pk=pk, write=True)
    ids = chosen_ids(request.POST.getlist("enrolment"))
    to = _number(request.POST.get("to"))
    target = TrainingClass.objects.filter(cohort=cohort, pk=to).first() if to else None
    errors = []
    if target is None:
        errors.append(_("Choose the class to move them to."))
    if not ids:
        errors.append(_("Tick the trainees to move."))
    found = list(cohort.enrolments.filter(pk__in=ids))
    if len(found) != len(ids):
        errors.append(_("Only active trainees of this cohort can join its classes."))
    if not errors and target is not None:
        try:
            moved = services.class_assign(training_class=target, enrolments=found, by=request.user)
        except ValidationError as exc:
            errors.extend(exc.messages)
        else:
            messages.success(
                request,
                _("%(count)s trainee(s) moved to class %(name)s.")
                % {"count": moved, "name": target.name},
            )
            return redirect("training:cohort_detail", pk=cohort.pk)
    return _detail(request, cohort, errors=errors, status=400)


@require_http_methods(["GET", "POST"])
@role_required(*READER_ROLES)
def cohort_enrol(request: StaffRequest, pk: int) -> HttpResponse:
    """Enrol ticked applications (selected, or in training after Stage I) in bulk."""
    cohort = access_cohort(user=request.user, pk=pk, write=True)
    sites = list(selectors.enrolment_sites(cohort))
    site = _number(request.GET.get("site"))
    if site is not None and site not in {s.pk for s in sites}:
        site = None
    classes = list(cohort.classes.order_by("name"))
    errors: list[str] = []
    chosen: list[int] = []
    chosen_class = None
    if request.method == "POST":
        chosen = chosen_ids(request.POST.getlist("application"))
        class_pk = _number(request.POST.get("training_class"))
        chosen_class = next((c for c in classes if c.pk == class_pk), None)
        if class_pk is not None and chosen_class is None:
            errors.append(_("Choose a class of this cohort."))
        if not chosen:
            errors.append(_("Tick the people to enrol."))
        people = Application.objects.filter(pk__in=chosen).exclude(enrolments__cohort=cohort)
        if cohort.round_id is not None:
            people = people.filter(round_id=cohort.round_id)
        found = list(people)
        if chosen and len(found) != len(chosen):
            errors.append(
                _(
                    "%(count)s of the ticked applications cannot join this cohort (another "
                    "round, or already in it)."
                )
                % {"count": len(chosen) - len(found)}
            )
        if not errors:
            try:
                enrolments = services.cohort_enrol(
                    cohort=cohort, applications=found, training_class=chosen_class,
                    by=request.user,
                )  # fmt: skip
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(
                    request,
                    _("%(count)s trainee(s) enrolled in %(cohort)s.")
                    % {"count": len(enrolments), "cohort": cohort.name},
                )
                return redirect("training:cohort_detail", pk=cohort.pk)
    candidates = selectors.enrollable_applications(cohort=cohort, site=site)
    page = Paginator(candidates, ENROL_PAGE_SIZE).get_page(request.GET.get("page"))
    active = cohort.enrolments.filter(state=EnrolmentState.ACTIVE).count()
    return render(
        request,
        "training/cohort_enrol.html",
        {
            "cohort": cohort,
            "sites": sites,
            "site": site,
            "classes": classes,
            "chosen_class": chosen_class,
            "page": page,
            "chosen": set(chosen),
            "errors": errors,
            "active": active,
            "places_left": max(cohort.capacity - active, 0),
        },
        status=400 if errors else 200,
    )


@require_GET
@role_required(*READER_ROLES)
def curriculum_detail(request: StaffRequest, pk: int) -> HttpResponse:
    """Curricula are shared by every centre: any reader of training sees them; only
    administrators change or copy them (in the admin)."""
    curriculum = get_object_or_404(Curriculum.objects.select_related("copied_from"), pk=pk)
    return render(
        request,
        "training/cohort_curriculum.html",
        {
            "curriculum": curriculum,
            "modules": curriculum.modules.order_by("order"),
            "is_admin": scope_for(request.user).has_role(Role.ADMINISTRATOR),
        },
    )


class CurriculumCopyForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code of the copy"), max_length=40)
    name = forms.CharField(label=gettext_lazy("Name of the copy"), max_length=200)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if Curriculum.objects.filter(code=code).exists():
            raise ValidationError(_("Another curriculum has this code."))
        return code


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def curriculum_copy(request: StaffRequest, pk: int) -> HttpResponse:
    """Next year's curriculum: copy this one, then edit the copy in the admin."""
    source = get_object_or_404(Curriculum, pk=pk)
    if request.method == "POST":
        form = CurriculumCopyForm(request.POST)
        if form.is_valid():
            copy = services.curriculum_copy(source=source, by=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("%(name)s was copied. Edit its modules and rules here.") % {"name": source.name},
            )
            return redirect("admin:training_curriculum_change", copy.pk)
    else:
        form = CurriculumCopyForm(
            initial={
                "year": source.year + 1,
                "name": source.name.replace(str(source.year), str(source.year + 1)),
                "code": source.code.replace(str(source.year), str(source.year + 1)),
            }
        )
    return render(
        request,
        "training/cohort_curriculum_copy.html",
        {"source": source, "form": form},
        status=400 if form.errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("cohorts/", cohort_list, name="cohort_list"),
    path("cohorts/<int:pk>/", cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/enrol/", cohort_enrol, name="cohort_enrol"),
    path("cohorts/<int:pk>/classes/", class_create, name="class_create"),
    path("cohorts/<int:pk>/classes/move/", class_move, name="class_move"),
    path("curricula/<int:pk>/", curriculum_detail, name="curriculum_detail"),
    path("curricula/<int:pk>/copy/", curriculum_copy, name="curriculum_copy"),
]
