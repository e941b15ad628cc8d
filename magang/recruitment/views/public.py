"""Candidate pages: open rounds, account, registration wizard, status, documents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any, cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from magang.accounts.models import User
from magang.accounts.services import candidate_account_create

from .. import selectors, services
from ..eligibility import InvalidRules, RuleSet
from ..forms import (
    REVIEW,
    SERVICE_FIELDS,
    STEP_BY_SLUG,
    STEPS,
    DocumentUploadForm,
    SignupForm,
    Step,
    StepForm,
    WizardContext,
    first_open_step,
    regency_choices,
    registration_data,
    step_done,
    summary,
)
from ..journey import Status
from ..models import (
    Application,
    Document,
    DocumentType,
    Education,
    RegistrationDraft,
    SelectionSite,
)
from ..services.documents import SUFFIX, max_upload_bytes
from ..services.registration import CONSENT_NOTICE_VERSION, CONSENT_PURPOSE

# What each status means for the person who applied, in plain words.
STATUS_EXPLANATIONS: Mapping[str, Promise] = {
    Status.REGISTERED: gettext_lazy(
        "We have your registration. Upload every required document; the officers of your "
        "selection site then check them and confirm whether you meet the requirements."
    ),
    Status.ELIGIBLE: gettext_lazy(
        "Your documents were checked and you meet the requirements of this round. Your "
        "selection site will invite you to the selection stages."
    ),
    Status.INELIGIBLE: gettext_lazy(
        "You do not meet one or more requirements of this round; the reasons are below. If "
        "you think this is a mistake, contact your selection site."
    ),
    Status.IN_SELECTION: gettext_lazy("You are taking part in the selection stages."),
    Status.SELECTED: gettext_lazy(
        "You have been selected. You will be invited to the pre-departure training."
    ),
    Status.RESERVE: gettext_lazy(
        "You are on the reserve list: you will be called if a place becomes free."
    ),
    Status.NOT_SELECTED: gettext_lazy(
        "You were not selected in this round. You may apply again in a later round."
    ),
    Status.WITHDRAWN: gettext_lazy("This application was withdrawn."),
    Status.IN_TRAINING: gettext_lazy("You are in the pre-departure training."),
    Status.GRADUATED: gettext_lazy(
        "You have completed the pre-departure training and wait to be matched with a host "
        "company in Japan."
    ),
    Status.DROPPED_OUT: gettext_lazy("You left the pre-departure training."),
    Status.MATCHED: gettext_lazy(
        "You have been matched with a host company; your departure is being prepared."
    ),
    Status.DEPARTED: gettext_lazy("You have departed for Japan."),
    Status.IN_JAPAN: gettext_lazy("You are doing your internship in Japan."),
    Status.COMPLETED: gettext_lazy("You have completed your internship in Japan."),
    Status.EARLY_RETURN: gettext_lazy("Your internship in Japan ended early."),
    Status.MISSING: gettext_lazy("Your host company reported that it cannot reach you."),
    Status.RETURNED: gettext_lazy("You have returned home. Welcome back."),
}
UPLOAD_OPEN = frozenset({Status.REGISTERED.value, Status.ELIGIBLE.value})


class CandidateRequest(HttpRequest):
    user: User


def _language() -> str:
    return translation.get_language() or "id"


def _safe_next(request: HttpRequest, value: str | None) -> str | None:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


# ---------------------------------------------------------------------------------------
# Open rounds


@require_GET
def rounds(request: HttpRequest) -> HttpResponse:
    """Programme information and every selection site still taking registrations."""
    today = timezone.localdate()
    by_round: dict[int, dict[str, Any]] = {}
    for site in selectors.open_sites(today=today):
        entry = by_round.setdefault(
            site.round_id,
            {
                "round": site.round,
                "rules": _rules_summary(site.round.eligibility_rules),
                "sites": [],
            },
        )
        entry["sites"].append(
            {"site": site, "days_left": (site.registration_deadline - today).days}
        )
    drafts = []
    if request.user.is_authenticated:
        drafts = list(selectors.open_drafts(user=request.user, today=today))
    return render(
        request,
        "recruitment/public/rounds.html",
        {"rounds": list(by_round.values()), "drafts": drafts, "today": today},
    )


def _rules_summary(data: Mapping[str, Any]) -> dict[str, Any] | None:
    if not data:
        return None
    try:
        rules = RuleSet.from_dict(data)
    except InvalidRules:
        return None
    return {
        "rules": rules,
        "men": "M" in rules.allowed_sexes,
        "women": "F" in rules.allowed_sexes,
        "education": Education(rules.min_education).label
        if rules.min_education in Education.values
        else rules.min_education,
        "heights": sorted(rules.min_height_cm.items()),
        "weights": sorted(rules.min_weight_kg.items()),
    }


# ---------------------------------------------------------------------------------------
# Account


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    site = request.GET.get("site", "")
    after = (
        reverse("recruitment:register", args=[int(site)])
        if site.isdigit()
        else _safe_next(request, request.GET.get("next")) or reverse("recruitment:rounds")
    )
    if request.user.is_authenticated:
        return redirect(after)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = candidate_account_create(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                language=_language()[:2],
            )
        except (IntegrityError, ValidationError):
            # Someone registered the same address a moment ago.
            form.add_error(
                "email",
                _(
                    "An account with this e-mail address already exists. Log in with "
                    "it, or use another address."
                ),
            )
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready."))
            return redirect(after)
    login_url = reverse("accounts:login") + "?" + urlencode({"next": after})
    return render(request, "recruitment/public/signup.html", {"form": form, "login_url": login_url})


# ---------------------------------------------------------------------------------------
# Registration wizard


def _open_site(site_id: int) -> SelectionSite | None:
    return selectors.open_sites(today=timezone.localdate()).filter(pk=site_id).first()


def _known_candidate_answers(user: User) -> dict[str, dict[str, Any]]:
    """What we already know about a returning person, to fill in the first steps."""
    candidate = selectors.own_candidate(user=user)
    if candidate is None:
        return {"identity": {"full_name": user.full_name}, "contact": {"email": user.email}}
    return {
        "identity": {
            "nik": candidate.nik,
            "full_name": candidate.full_name,
            "family_name": candidate.family_name,
            "sex": candidate.sex,
            "birth_date": candidate.birth_date.isoformat(),
            "birth_place": candidate.birth_place,
        },
        "contact": {"phone": candidate.phone, "email": candidate.email or user.email},
        "address": {
            "province": candidate.province.code,
            "regency": candidate.regency.code if candidate.regency else "",
            "address": candidate.address,
        },
    }


def _wizard_page(
    request: CandidateRequest,
    *,
    site: SelectionSite,
    draft: RegistrationDraft,
    step: Step,
    form: StepForm,
) -> HttpResponse:
    data = draft.data or {}
    index = STEPS.index(step)
    previous = STEPS[index - 1].slug if index else None
    return render(
        request,
        "recruitment/public/register_step.html",
        {
            "site": site,
            "step": step,
            "form": form,
            "number": index + 1,
            "total": len(STEPS),
            "steps": _progress(data, current=step.slug),
            "previous": previous,
            "purpose": CONSENT_PURPOSE,
            "notice_version": CONSENT_NOTICE_VERSION,
        },
    )


def _progress(data: Mapping[str, Any], *, current: str) -> list[dict[str, Any]]:
    reachable = True
    rows = []
    for step in STEPS:
        rows.append(
            {
                "slug": step.slug,
                "title": step.title,
                "current": step.slug == current,
                "done": step_done(step.slug, data),
                "reachable": reachable,
            }
        )
        reachable = reachable and step_done(step.slug, data)
    rows.append(
        {
            "slug": REVIEW,
            "title": gettext_lazy("Check and send"),
            "current": current == REVIEW,
            "done": False,
            "reachable": reachable,
        }
    )
    return rows


def _reachable(slug: str, data: Mapping[str, Any]) -> bool:
    """A step can be opened once every step before it has answers."""
    for step in STEPS:
        if step.slug == slug:
            return True
        if not step_done(step.slug, data):
            return False
    return slug == REVIEW


def _step_url(site: SelectionSite, slug: str) -> str:
    return reverse("recruitment:register", args=[site.pk]) + "?" + urlencode({"step": slug})


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, site_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(reverse("recruitment:signup") + "?" + urlencode({"site": site_id}))
    request = cast(CandidateRequest, request)
    today = timezone.localdate()
    # Every request after the first finds the draft and its open site in one query.
    draft = selectors.open_site_draft(user=request.user, site_id=site_id, today=today)
    if draft is not None:
        site = draft.site
    else:
        found = _open_site(site_id)
        if found is None:
            return render(request, "recruitment/public/register_closed.html", status=404)
        site = found
        draft = services.registration_draft_open(user=request.user, site=site)
    if draft.application_id is not None:
        submitted = draft.application
        if submitted is not None and submitted.status != Status.WITHDRAWN:
            return redirect("recruitment:my_application", submitted.pk)
    data: dict[str, Any] = dict(draft.data or {})
    slug = request.GET.get("step") or draft.step or first_open_step(data)
    if slug != REVIEW and slug not in STEP_BY_SLUG:
        slug = first_open_step(data)
    if not _reachable(slug, data):
        return redirect(_step_url(site, first_open_step(data)))
    if slug == REVIEW:
        return _review(request, site=site, draft=draft)

    step = STEP_BY_SLUG[slug]
    wizard = WizardContext(user=request.user, site=site, today=today)
    if request.method == "POST":
        form = step.form_class(request.POST, wizard=wizard)
        if not form.is_valid():
            return _wizard_page(request, site=site, draft=draft, step=step, form=form)
        data[slug] = form.as_data()
        following = first_open_step(data)
        services.registration_draft_save(draft=draft, data=data, step=following)
        return redirect(_step_url(site, following))
    known = _known_candidate_answers(request.user) if slug not in data else {}
    initial = data.get(slug) or known.get(slug) or {}
    form = step.form_class(initial=dict(initial), wizard=wizard)
    return _wizard_page(request, site=site, draft=draft, step=step, form=form)


def _review(
    request: CandidateRequest, *, site: SelectionSite, draft: RegistrationDraft
) -> HttpResponse:
    data: dict[str, Any] = dict(draft.data or {})
    wizard = WizardContext(user=request.user, site=site, today=timezone.localdate())
    error = ""
    if request.method == "POST":
        try:
            application = services.registration_submit(
                user=request.user, site=site, data=registration_data(data)
            )
        except services.DuplicateApplication as exc:
            return _back_to_step(
                request, site=site, draft=draft, wizard=wizard, errors={"nik": exc.messages}
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                return _back_to_step(
                    request, site=site, draft=draft, wizard=wizard, errors=exc.message_dict
                )
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _(
                    "Your registration is sent. Your registration number is %(number)s. Now "
                    "upload your documents."
                )
                % {"number": application.registration_number},
            )
            return redirect("recruitment:my_application", application.pk)
    if draft.step != REVIEW:
        services.registration_draft_save(draft=draft, data=data, step=REVIEW)
    sections = [
        {
            "step": step,
            "rows": summary(step, data[step.slug], wizard),
            "url": _step_url(site, step.slug),
        }
        for step in STEPS
    ]
    return render(
        request,
        "recruitment/public/register_review.html",
        {
            "site": site,
            "sections": sections,
            "error": error,
            "steps": _progress(data, current=REVIEW),
            "previous": STEPS[-1].slug,
        },
        status=400 if error else 200,
    )


def _back_to_step(
    request: CandidateRequest,
    *,
    site: SelectionSite,
    draft: RegistrationDraft,
    wizard: WizardContext,
    errors: Mapping[str, list[str]],
) -> HttpResponse:
    """Show the first step the service's errors concern, with the errors on its fields."""
    placed: dict[str, list[tuple[str | None, list[str]]]] = {}
    for name, field_errors in errors.items():
        slug, field = SERVICE_FIELDS.get(name, ("identity", None))
        placed.setdefault(slug, []).append((field, list(field_errors)))
    step = next(s for s in STEPS if s.slug in placed)
    data = dict(draft.data or {})
    form = step.form_class(dict(data.get(step.slug, {})), wizard=wizard)
    form.full_clean()
    for field, field_errors in placed[step.slug]:
        for message in field_errors:
            if field is None or field not in form.fields:
                form.add_error(None, message)
            elif message not in form.errors.get(field, []):
                form.add_error(field, message)
    services.registration_draft_save(draft=draft, data=data, step=step.slug)
    return _wizard_page(request, site=site, draft=draft, step=step, form=form)


@login_required
@require_GET
def regency_options(request: HttpRequest) -> HttpResponse:
    """The regency <option>s of one province, for the address step's second select."""
    province = request.GET.get("province", "")[:2]
    return render(
        request,
        "recruitment/public/_regency_options.html",
        {"choices": regency_choices(province) if province else [], "selected": ""},
    )


# ---------------------------------------------------------------------------------------
# Status and documents


def _own_application(request: CandidateRequest, pk: int) -> Application:
    """The candidate's own application; staff use the officer pages instead (404 here)."""
    application = selectors.access_application(user=request.user, pk=pk)
    if application.candidate.user_id != request.user.pk:
        raise Http404("No such application.")
    return application


@login_required
@require_GET
def my_application(request: HttpRequest, application_id: int) -> HttpResponse:
    request = cast(CandidateRequest, request)
    application = _own_application(request, application_id)
    language = _language()
    eligibility = application.eligibility or {}
    failures = [
        f.get("id") if language.startswith("id") else f.get("en")
        for f in eligibility.get("failures", [])
    ]
    return render(
        request,
        "recruitment/public/my_application.html",
        {
            "application": application,
            "explanation": STATUS_EXPLANATIONS.get(application.status, ""),
            "missing": [t.name_for(language) for t in services.missing_documents(application)],
            "rejected": [
                {"name": d.document_type.name_for(language), "reason": d.rejection_reason}
                for d in application.documents.filter(
                    status=Document.Status.REJECTED
                ).select_related("document_type")
            ],
            "eligibility": eligibility,
            "failures": failures,
            "events": selectors.application_events(application=application),
            "can_upload": application.status in UPLOAD_OPEN,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_documents(request: HttpRequest, application_id: int) -> HttpResponse:
    request = cast(CandidateRequest, request)
    application = _own_application(request, application_id)
    language = _language()
    required = list(application.round.required_documents.order_by("order", "code"))
    documents = {
        d.document_type_id: d for d in application.documents.select_related("document_type")
    }
    types = required + [
        d.document_type for d in documents.values() if d.document_type not in required
    ]
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES)
        code = request.POST.get("document_type", "")
        document_type = next((t for t in types if t.code == code), None)
        if document_type is None:
            return HttpResponse(_("Unknown document type."), status=400)
        if not form.is_valid():
            errors[code] = [str(m) for m in form.errors.get("file", [])]
        else:
            upload = form.cleaned_data["file"]
            try:
                services.document_upload(
                    application=application,
                    document_type=document_type,
                    upload=cast(IO[bytes], upload),
                    size=upload.size,
                    by=request.user,
                )
            except ValidationError as exc:
                errors[code] = exc.messages
            else:
                messages.success(
                    request,
                    _("%(document)s uploaded. The officers will check it.")
                    % {"document": document_type.name_for(language)},
                )
                return redirect("recruitment:my_documents", application.pk)
    rows = [_document_row(t, documents.get(t.pk), language, application, errors) for t in types]
    return render(
        request,
        "recruitment/public/my_documents.html",
        {
            "application": application,
            "rows": rows,
            "can_upload": application.status in UPLOAD_OPEN,
            "limit_mb": round(max_upload_bytes() / 1024 / 1024, 1),
        },
        status=400 if errors else 200,
    )


def _document_row(
    document_type: DocumentType,
    document: Document | None,
    language: str,
    application: Application,
    errors: Mapping[str, list[str]],
) -> dict[str, Any]:
    accepted = document is not None and document.status == Document.Status.ACCEPTED
    return {
        "type": document_type,
        "name": document_type.name_for(language),
        "document": document,
        "errors": errors.get(document_type.code, []),
        "can_upload": application.status in UPLOAD_OPEN and not accepted,
    }


@login_required
@require_GET
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """Stream a stored document to whoever may read its application (candidate or staff)."""
    document = selectors.access_document(user=request.user, pk=pk)
    suffix = SUFFIX.get(document.content_type) or ""
    filename = f"{document.document_type.code}-{document.application.registration_number}{suffix}"
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=document.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("", rounds, name="rounds"),
    path("signup/", signup, name="signup"),
    path("register/regencies/", regency_options, name="regency_options"),
    path("register/<int:site_id>/", register, name="register"),
    path("my/<int:application_id>/", my_application, name="my_application"),
    path("my/<int:application_id>/documents/", my_documents, name="my_documents"),
    path("documents/<int:pk>/file/", document_file, name="document_file"),
]
