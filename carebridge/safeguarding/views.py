"""Safeguarding pages: raise a concern from the person's record, decide it (s42), carry out
the enquiry (plan, actions, strategy meetings, the outcomes the adult wants, advocacy, the
safeguarding plan) and conclude it; the safeguarding overview; the SAC figures; and concerns
about providers for commissioners, without the people's identities.

Every change goes through :mod:`carebridge.safeguarding.services`; the pages only read and
show. Person pages are behind ``casework.guards.person_view`` (role, relationship, audit)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carebridge.casework.guards import person_view
from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.core.forms import (
    DuplicateSubmission,
    already_submitted,
    as_int,
    form_errors,
    form_with_kept_work,
    submit_once,
    validation_errors,
)
from carebridge.organisations.models import Organisation
from carebridge.people.models import Person
from carebridge.rules import safeguarding as sg

from . import figures, selectors, services
from .forms import (
    ActionForm,
    AdvocacyForm,
    ConcernForm,
    ConcludeForm,
    DecisionForm,
    EnquiryForm,
    MeetingForm,
    OutcomesForm,
    PlanForm,
    PlanReviewForm,
    initial_yes_no,
)
from .models import Concern, Enquiry

E = Capability.SAFEGUARDING_ENQUIRY


# --- helpers --------------------------------------------------------------------------------------


def _person_url(person: Person) -> str:
    return reverse("people:detail", args=[person.person_id]) + "#safeguarding"


def _concern_url(concern: Concern) -> str:
    return reverse("safeguarding:concern", args=[concern.person.person_id, concern.pk])


def _enquiry_url(enquiry: Enquiry) -> str:
    return reverse("safeguarding:enquiry", args=[enquiry.person.person_id, enquiry.pk])


@dataclass
class Page:
    """One form page: what it shows and what saving it does."""

    template_title: str
    heading: str
    button: str
    form_class: type
    save: Callable  # (form) -> result
    done_url: str
    success: str
    duplicate: str
    initial: dict
    form_kwargs: dict | None = None
    versioned: bool = False
    version: int | None = None
    intro: str = ""
    # service error keys that are not fields of the form -> the field they belong beside
    rename: dict[str, str] | None = None


def _form_page(
    request: HttpRequest, person: Person, page: Page, template: str, **context
) -> HttpResponse:
    """GET shows the form (with work kept over a time-out); POST saves it once, through the
    service, or shows the form again with what was typed and the errors; a conflicting edit
    (409) keeps the worker's words and says who changed the record."""
    errors: dict[str, str] = {}
    conflict = ""
    version = page.version
    kwargs = page.form_kwargs or {}
    if request.method == "POST":
        if done := already_submitted(request, page.duplicate):
            return done
        form = page.form_class(request.POST, **kwargs)
        if page.versioned:
            version = as_int(request.POST.get("version"), -1)
        if form.is_valid():
            try:
                submit_once(
                    request,
                    form.cleaned_data["submission_token"],
                    lambda: page.save(form),
                    page.done_url,
                )
            except services.Conflict as e:
                conflict, version = str(e), e.current.version
            except ValidationError as e:
                errors = validation_errors(e)
                for key, field in (page.rename or {}).items():
                    if key in errors:
                        errors[field] = errors.pop(key)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(request, page.success)
                return redirect(page.done_url)
        else:
            errors = form_errors(form)
            if "version" in errors:
                errors["__all__"] = errors.pop("version")
    else:
        form, kept = form_with_kept_work(request, page.form_class, initial=page.initial, **kwargs)
        if kept and page.versioned:
            version = as_int(kept.get("version"), page.version or 0)
    return render(
        request,
        template,
        {
            "person": person,
            "form": form,
            "errors": errors,
            "conflict": conflict,
            "version": version,
            "page": page,
            "title": f"{page.template_title}: {person.full_name}",
            **context,
        },
        status=409 if conflict else (400 if errors else 200),
    )


# --- concerns -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@person_view(Capability.RAISE_CONCERN, page="raise a safeguarding concern")
def raise_concern(request: HttpRequest, person: Person, access) -> HttpResponse:
    def save(form):
        d = form.cleaned_data
        return services.raise_concern(
            request.user,
            person,
            received_at=d.get("received_at"),
            raised_by_name=d["raised_by_name"],
            raised_by_role=d["raised_by_role"],
            raised_by_organisation=d["raised_by_organisation"],
            source=d["source"],
            details=d["details"],
            risk_types=d["risk_types"],
            location_of_risk=d["location_of_risk"],
            source_of_risk=d["source_of_risk"],
            source_relationship=d["source_relationship"],
            source_provider=d["source_provider"],
            immediate_actions=d["immediate_actions"],
        )

    page = Page(
        template_title="Raise a safeguarding concern",
        heading="Raise a safeguarding concern",
        button="Raise the concern",
        form_class=ConcernForm,
        save=save,
        done_url=_person_url(person),
        success="The safeguarding concern has been raised. A safeguarding lead will decide what "
        "happens next.",
        duplicate="The concern was already raised: you sent it twice.",
        initial=ConcernForm.initial_for(request.user),
        intro="Anyone can raise a concern that an adult is experiencing, or is at risk of, "
        "abuse or neglect. Record who raised it and what they told you.",
        rename={"received_at": "received_on"},
    )
    return _form_page(request, person, page, "safeguarding/concern_form.html")


@require_GET
@person_view(E, page="a safeguarding concern")
def concern(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    c = selectors.concern_for(person, pk)
    decision = getattr(c, "decision", None)
    return render(
        request,
        "safeguarding/concern.html",
        {
            "person": person,
            "concern": c,
            "decision": decision,
            "enquiry": getattr(c, "enquiry", None),
            "can_decide": decision is None and can(request.user, Capability.DECIDE_SAFEGUARDING),
            "sg": sg,
            "title": f"Safeguarding concern {c.reference}: {person.full_name}",
        },
    )


@require_http_methods(["GET", "POST"])
@person_view(Capability.DECIDE_SAFEGUARDING, page="decide a safeguarding concern")
def decide(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    c = selectors.concern_for(person, pk)
    if getattr(c, "decision", None) is not None and request.method == "GET":
        messages.info(request, "A decision has already been recorded on this concern")
        return redirect(_concern_url(c))

    def save(form):
        d = form.cleaned_data
        return services.decide(
            request.user,
            c,
            answers=form.answers(),
            reasons=form.reasons(),
            result=d["result"],
            route=d["route"],
            reason=d["reason"],
            decided_on=d["decided_on"],
            lead_enquirer=d["lead_enquirer"],
        )

    def after(decision) -> str:
        enquiry = Enquiry.objects.filter(concern_id=decision.concern_id).first()
        return _enquiry_url(enquiry) if enquiry else _concern_url(c)

    page = Page(
        template_title="Decide a safeguarding concern",
        heading="Record the section 42 decision",
        button="Record the decision",
        form_class=DecisionForm,
        save=save,
        done_url="",
        success="The decision has been recorded",
        duplicate="The decision was already recorded: you sent it twice.",
        initial={"decided_on": timezone.localdate(), "lead_enquirer": request.user.pk},
    )
    return _decide_page(request, person, page, c, after)


def _decide_page(request, person, page: Page, c: Concern, after) -> HttpResponse:
    """The decision's form page: where it goes next depends on the decision (the enquiry it
    started, or the concern), so the URL is worked out from the result."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        if done := already_submitted(request, page.duplicate):
            return done
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                decision = submit_once(
                    request, form.cleaned_data["submission_token"], lambda: page.save(form), after
                )
            except ValidationError as e:
                errors = validation_errors(e)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(request, f"{page.success}: {decision.get_result_display()}")
                return redirect(after(decision))
        else:
            errors = form_errors(form)
    else:
        form, _ = form_with_kept_work(request, DecisionForm, initial=page.initial)
    return render(
        request,
        "safeguarding/decide.html",
        {
            "person": person,
            "concern": c,
            "form": form,
            "errors": errors,
            "page": page,
            "title": f"{page.template_title}: {person.full_name}",
        },
        status=400 if errors else 200,
    )


# --- enquiries ------------------------------------------------------------------------------------


@require_GET
@person_view(E, page="a safeguarding enquiry")
def enquiry(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    e = selectors.enquiry_for(person, pk)
    plan = getattr(e, "plan", None)
    worker = request.user
    return render(
        request,
        "safeguarding/enquiry.html",
        {
            "person": person,
            "enquiry": e,
            "concern": e.concern,
            "decision": e.concern.decision,
            "plan": plan,
            "reviews": selectors.plan_reviews(plan),
            "can_work": can(worker, E) and e.is_open,
            "can_plan": can(worker, E) and (e.is_open if plan is None else plan.is_open),
            "can_conclude": can(worker, Capability.DECIDE_SAFEGUARDING) and e.is_open,
            "sg": sg,
            "today": timezone.localdate(),
            "title": f"Safeguarding enquiry: {person.full_name}",
        },
    )


def _open_enquiry(request, person, pk) -> tuple[Enquiry, HttpResponse | None]:
    e = get_object_or_404(
        Enquiry.objects.select_related("person", "concern", "lead_enquirer", "plan"),
        pk=pk,
        person=person,
    )
    if not e.is_open:
        messages.info(request, "The enquiry has concluded: it cannot be changed")
        return e, redirect(_enquiry_url(e))
    return e, None


def _enquiry_form(
    request,
    person,
    e: Enquiry,
    call: Callable,
    form_class: type,
    *,
    subject=None,
    anchor: str = "",
    template: str = "safeguarding/form.html",
    context: dict | None = None,
    **page,
) -> HttpResponse:
    """A form page of an enquiry (or of its plan, ``subject``): saving calls
    ``call(worker, subject, **form.values())`` and goes back to the enquiry (at ``anchor``)."""
    target = e if subject is None else subject
    page.setdefault("template_title", page["heading"])
    if page.get("versioned"):
        page.setdefault("version", target.version)
        page["initial"] = {**page.get("initial", {}), "version": page["version"]}
    return _form_page(
        request,
        person,
        Page(
            form_class=form_class,
            save=lambda form: call(request.user, target, **form.values()),
            done_url=_enquiry_url(e) + anchor,
            **page,
        ),
        template,
        enquiry=e,
        **(context or {}),
    )


@require_http_methods(["GET", "POST"])
@person_view(E, page="change a safeguarding enquiry")
def enquiry_edit(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    e, gone = _open_enquiry(request, person, pk)
    return gone or _enquiry_form(
        request, person, e, services.update_enquiry, EnquiryForm,
        heading="The lead enquirer and the enquiry plan", button="Save the enquiry plan",
        success="The enquiry plan has been saved",
        duplicate="Your changes were already saved: you sent them twice.",
        initial={"lead_enquirer": e.lead_enquirer_id, "enquiry_plan": e.enquiry_plan},
        versioned=True,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@person_view(E, page="the outcomes an adult wants (Making Safeguarding Personal)")
def outcomes(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    e, gone = _open_enquiry(request, person, pk)
    return gone or _enquiry_form(
        request, person, e, services.record_outcomes_asked, OutcomesForm,
        heading="The outcomes the adult wants", button="Save the outcomes",
        success="The outcomes the adult wants have been recorded",
        duplicate="The outcomes were already recorded: you sent them twice.",
        initial={
            "msp_asked": e.msp_asked,
            "outcomes_asked_on": e.outcomes_asked_on or timezone.localdate(),
            "desired_outcomes": e.desired_outcomes,
        },
        versioned=True,
        intro="Making Safeguarding Personal: ask the adult, or their representative or "
        "advocate, what they want to happen, and record it in their words.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@person_view(E, page="advocacy in a safeguarding enquiry")
def advocacy(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    e, gone = _open_enquiry(request, person, pk)
    return gone or _enquiry_form(
        request, person, e, services.record_advocacy, AdvocacyForm,
        heading="Involvement and independent advocacy", button="Save advocacy",
        success="Advocacy has been recorded",
        duplicate="Advocacy was already recorded: you sent it twice.",
        initial={
            "substantial_difficulty": initial_yes_no(e.substantial_difficulty),
            "appropriate_person": e.appropriate_person,
            "advocate_referred_on": e.advocate_referred_on,
        },
        versioned=True,
        intro="An independent advocate must be arranged where the adult would have substantial "
        "difficulty being involved and there is nobody appropriate to support them (Care Act "
        "2014 s68).",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@person_view(E, page="add an action to a safeguarding enquiry")
def add_action(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    e, gone = _open_enquiry(request, person, pk)
    return gone or _enquiry_form(
        request, person, e, services.add_action, ActionForm, anchor="#actions",
        heading="Add an action", button="Add the action", success="The action has been added",
        duplicate="The action was already added: you sent it twice.",
        initial={"taken_on": timezone.localdate()},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@person_view(E, page="record a strategy meeting")
def add_meeting(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    e, gone = _open_enquiry(request, person, pk)
    return gone or _enquiry_form(
        request, person, e, services.add_meeting, MeetingForm, anchor="#meetings",
        heading="Record a strategy meeting", button="Save the meeting",
        success="The strategy meeting has been recorded",
        duplicate="The meeting was already recorded: you sent it twice.",
        initial={"held_on": timezone.localdate()},
    )  # fmt: skip


def _plan_of(request, person, pk, *, existing: bool):
    """The enquiry and its plan; a redirect when the plan cannot be changed (or reviewed)."""
    e = get_object_or_404(
        Enquiry.objects.select_related("person", "concern", "plan"), pk=pk, person=person
    )
    current = getattr(e, "plan", None)
    closed = (existing or not e.is_open) if current is None else not current.is_open
    if closed:
        messages.info(request, "The safeguarding plan cannot be changed now")
        return e, current, redirect(_enquiry_url(e))
    return e, current, None


@require_http_methods(["GET", "POST"])
@person_view(E, page="a safeguarding plan")
def plan(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    e, current, gone = _plan_of(request, person, pk, existing=False)
    return gone or _enquiry_form(
        request, person, e, services.save_plan, PlanForm, anchor="#plan",
        heading="Change the safeguarding plan" if current else "Record the safeguarding plan",
        template_title="The safeguarding plan", button="Save the plan",
        success="The safeguarding plan has been saved",
        duplicate="The plan was already saved: you sent it twice.",
        initial={
            "details": current.details if current else "",
            "started_on": current.started_on if current else timezone.localdate(),
            "review_due": current.review_due if current else None,
            "version": current.version if current else None,
        },
        versioned=current is not None,
        version=current.version if current else None,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@person_view(E, page="review a safeguarding plan")
def plan_review(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    e, current, gone = _plan_of(request, person, pk, existing=True)
    return gone or _enquiry_form(
        request, person, e, services.review_plan, PlanReviewForm, subject=current,
        anchor="#plan", heading="Review the safeguarding plan", button="Save the review",
        success="The review of the safeguarding plan has been recorded",
        duplicate="The review was already recorded: you sent it twice.",
        initial={"reviewed_on": timezone.localdate(), "outcome": "continue"},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@person_view(Capability.DECIDE_SAFEGUARDING, page="conclude a safeguarding enquiry")
def conclude(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    e, gone = _open_enquiry(request, person, pk)
    return gone or _enquiry_form(
        request, person, e, services.conclude, ConcludeForm,
        heading="Conclude the enquiry", button="Conclude the enquiry",
        success="The enquiry has been concluded",
        duplicate="The enquiry was already concluded: you sent it twice.",
        initial={"concluded_on": timezone.localdate()}, versioned=True,
        template="safeguarding/conclude.html",
        context={"plan": getattr(e, "plan", None), "sg": sg},
    )  # fmt: skip


# --- the overview, figures and providers ---------------------------------------------------------


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Capability.DECIDE_SAFEGUARDING):
        raise PermissionDenied("Your role does not include safeguarding decisions.")
    today = timezone.localdate()
    data = selectors.overview(request.user, today)
    audit.record(
        request.user,
        audit.Action.VIEW,
        object_type="safeguarding.overview",
        summary=f"Viewed the safeguarding overview ({len(data.awaiting)} concerns awaiting a "
        f"decision, {len(data.enquiries)} open enquiries listed)",
        changes={
            "listed": sorted(
                {a.concern.person.person_id for a in data.awaiting}
                | {e.enquiry.person.person_id for e in data.enquiries}
            )
        },
    )
    return render(
        request,
        "safeguarding/overview.html",
        {
            "overview": data,
            "today": today,
            "active_nav": "safeguarding",
            "title": "Safeguarding",
        },
    )


def _may_see_figures(worker) -> bool:
    return can(worker, Capability.DECIDE_SAFEGUARDING) or can(worker, Capability.VIEW_PERFORMANCE)


@require_GET
def sac_figures(request: HttpRequest) -> HttpResponse:
    if not _may_see_figures(request.user):
        raise PermissionDenied("Your role does not include safeguarding figures.")
    today = timezone.localdate()
    choice = request.GET.get("year", "")
    try:
        year = figures.year_from(choice) if choice else figures.current_year(today)
    except figures.BadYear as e:
        return render(
            request,
            "safeguarding/figures.html",
            {"errors": {"year": str(e)}, "years": figures.recent_years(today), "title": "SAC"},
            status=400,
        )
    return render(
        request,
        "safeguarding/figures.html",
        {
            "figures": figures.for_year(year),
            "year": year,
            "years": figures.recent_years(today),
            "active_nav": "safeguarding" if can(request.user, Capability.DECIDE_SAFEGUARDING)
            else "performance",
            "title": f"Safeguarding Adults Collection {year}",
        },
    )  # fmt: skip


def _require_provider_concerns(worker) -> None:
    if not can(worker, Capability.VIEW_PROVIDER_CONCERNS):
        raise PermissionDenied("Your role does not include concerns about providers.")


@require_GET
def providers(request: HttpRequest) -> HttpResponse:
    _require_provider_concerns(request.user)
    rows = selectors.provider_list()
    audit.record(
        request.user,
        audit.Action.VIEW,
        object_type="safeguarding.providers",
        summary=f"Viewed safeguarding concerns by provider ({len(rows)} providers)",
    )
    return render(
        request,
        "safeguarding/providers.html",
        {"rows": rows, "active_nav": "providers", "title": "Safeguarding concerns by provider"},
    )


@require_GET
def provider(request: HttpRequest, pk: int) -> HttpResponse:
    _require_provider_concerns(request.user)
    org = get_object_or_404(Organisation, pk=pk, kind=Organisation.PROVIDER)
    rows = selectors.provider_concerns(org)
    audit.record(
        request.user,
        audit.Action.VIEW,
        obj=org,
        summary=f"Viewed safeguarding concerns about {org.name} ({len(rows)} concerns)",
    )
    return render(
        request,
        "safeguarding/provider.html",
        {
            "provider": org,
            "rows": rows,
            "active_nav": "providers",
            "title": f"Safeguarding concerns: {org.name}",
        },
    )
