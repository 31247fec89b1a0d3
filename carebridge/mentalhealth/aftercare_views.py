"""Pages for s117 aftercare: the person's aftercare page, and the forms to record eligibility
and the responsible bodies, agree the joint plan, fund services under s117 (the council/ICB
split), record joint reviews and the joint decision to end; and the s117 register. Thin: the
services validate and write, the selectors read."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carebridge.casework.guards import person_view
from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.core.downloads import csv_response
from carebridge.core.forms import (
    DuplicateSubmission,
    already_submitted,
    form_errors,
    form_with_kept_work,
    submit_once,
    validation_errors,
)
from carebridge.people.models import Person
from carebridge.rules import aftercare as rules

from . import aftercare_selectors as selectors
from . import aftercare_services as services
from .aftercare_forms import YES, EligibilityForm, EndForm, FundingForm, PlanForm, ReviewForm
from .models import AftercareEpisode, AftercareFunding


def _back(person: Person) -> str:
    return reverse("aftercare:overview", args=[person.person_id])


def _episode(person: Person, pk: int) -> AftercareEpisode:
    episode = selectors.episode_for(person, pk)
    if episode is None:
        raise Http404("No such aftercare")
    return episode


def _closed(request, person: Person, episode: AftercareEpisode):
    if episode.ended_on is not None:
        messages.info(request, f"This aftercare ended on {episode.ended_on:%-d %B %Y}")
        return redirect(_back(person))
    return None


def _submit(
    request, token: str, call: Callable, back: str, done: str
) -> tuple[HttpResponse | None, dict[str, str], object]:
    """Run the service call once (double submissions go to the first result): (a redirect on
    success, the errors, the current record when someone else changed it)."""
    try:
        submit_once(request, token, call, back)
    except services.AftercareConflict as e:
        return None, {"__all__": services.CONFLICT_MESSAGE}, e.current or True
    except ValidationError as e:
        return None, validation_errors(e), None
    except DuplicateSubmission as e:
        return redirect(e.result_url), {}, None
    messages.success(request, done)
    return redirect(back), {}, None


def _handle(
    request, form, call: Callable[[dict], object], back: str, done: str | Callable[[dict], str]
) -> tuple[HttpResponse | None, dict[str, str], object]:
    """A posted form: checked, then the service called once with the cleaned data."""
    if not form.is_valid():
        return None, form_errors(form), None
    d = form.cleaned_data
    message = done(d) if callable(done) else done
    return _submit(request, d["submission_token"], lambda: call(d), back, message)


def _fields(d: dict, *names: str) -> dict:
    return {n: d[n] for n in names}


def _render(request, template: str, context: dict, errors: dict) -> HttpResponse:
    return render(
        request,
        f"aftercare/{template}",
        {**context, "errors": errors},
        status=400 if errors else 200,
    )


# --- the person's aftercare page ------------------------------------------------------------------


@require_GET
@person_view(Capability.VIEW_PERSON, page="s117 aftercare")
def overview(request: HttpRequest, person: Person, access) -> HttpResponse:
    aftercare = selectors.for_person(person)
    return render(
        request,
        "aftercare/overview.html",
        {
            "title": f"s117 aftercare: {person.full_name}",
            "person": person,
            "aftercare": aftercare,
            "can_record": can(request.user, Capability.RECORD_AFTERCARE),
            "can_end": can(request.user, Capability.END_AFTERCARE),
            "today": timezone.localdate(),
            "rules": rules,
        },
    )


# --- eligibility ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@person_view(Capability.RECORD_AFTERCARE, page="record s117 aftercare eligibility")
def record_eligibility(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    detention = selectors.detention_for(person, pk)
    if detention is None:
        raise Http404("No such legal status")
    back = _back(person)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if done := already_submitted(request, "Aftercare was already recorded: you sent it twice."):
            return done
        form = EligibilityForm(request.POST)
        response, errors, _ = _handle(
            request,
            form,
            lambda d: services.record_eligibility(
                request.user,
                detention,
                disputed=d["disputed"] == YES,
                **_fields(
                    d,
                    "council",
                    "icb",
                    "residence_basis",
                    "residence_address",
                    "residence_postcode",
                    "dispute_notes",
                ),
            ),
            back,
            "s117 aftercare recorded: agree the joint aftercare plan next",
        )
        if response:
            return response
    else:
        form, _ = form_with_kept_work(request, EligibilityForm, initial=_eligibility_initial())
    return _render(
        request,
        "eligibility_form.html",
        {
            "title": "Record s117 aftercare",
            "person": person,
            "detention": detention,
            "eligibility": services.eligibility_of(detention),
            "form": form,
            "back": back,
        },
        errors,
    )


def _eligibility_initial() -> dict:
    from carebridge.organisations.models import Organisation

    initial = {}
    for key, kind in (("council", Organisation.COUNCIL), ("icb", Organisation.ICB)):
        only = list(
            Organisation.objects.filter(kind=kind, is_active=True).values_list("pk", flat=True)[:2]
        )
        if len(only) == 1:
            initial[key] = only[0]
    return initial


# --- the joint plan -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@person_view(Capability.RECORD_AFTERCARE, page="agree the joint s117 aftercare plan")
def plan(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    episode = _episode(person, pk)
    if closed := _closed(request, person, episode):
        return closed
    current = getattr(episode, "plan", None)
    back = _back(person)
    errors: dict[str, str] = {}
    conflict = None
    kwargs = {"worker": request.user, "current": current.council_worker if current else None}
    if request.method == "POST":
        if done := already_submitted(request, "The plan was already saved: you sent it twice."):
            return done
        form = PlanForm(request.POST, **kwargs)
        response, errors, conflict = _handle(
            request,
            form,
            lambda d: services.agree_plan(
                request.user,
                episode,
                **_fields(
                    d,
                    "version",
                    "needs",
                    "reduces_risk",
                    "council_worker",
                    "icb_representative",
                    "icb_representative_role",
                    "agreed_on",
                ),
            ),
            back,
            "Joint aftercare plan agreed",
        )
        if response:
            return response
        if conflict:
            conflict = getattr(selectors.episode_for(person, pk), "plan", None)
            data = request.POST.copy()
            data["version"] = str(conflict.version) if conflict else ""
            form = PlanForm(data, **kwargs)
    else:
        initial = {"version": current.version if current else None}
        if current:
            initial |= {
                "needs": current.needs,
                "reduces_risk": current.reduces_risk,
                "council_worker": current.council_worker_id,
                "icb_representative": current.icb_representative,
                "icb_representative_role": current.icb_representative_role,
            }
        form, _ = form_with_kept_work(request, PlanForm, initial=initial, **kwargs)
    return _render(
        request,
        "plan_form.html",
        {
            "title": "Agree the joint aftercare plan",
            "person": person,
            "episode": episode,
            "current": current,
            "conflict": conflict,
            "form": form,
            "back": back,
        },
        errors,
    )


# --- services funded under s117 -------------------------------------------------------------------


def _split_args(d: dict) -> dict:
    return _fields(
        d, "given_as", "council_percent", "icb_percent", "council_weekly", "icb_weekly", "notes"
    )


@require_http_methods(["GET", "POST"])
@person_view(Capability.RECORD_AFTERCARE, page="add a service funded under s117")
def add_service(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    episode = _episode(person, pk)
    if closed := _closed(request, person, episode):
        return closed
    back = _back(person)
    errors: dict[str, str] = {}
    available = services.fundable_services(episode)
    if request.method == "POST":
        if done := already_submitted(request, "The service was already added: you sent it twice."):
            return done
        form = FundingForm(request.POST, services=available)
        response, errors, _ = _handle(
            request,
            form,
            lambda d: services.record_funding(
                request.user, episode, planned_service=d["planned_service"], **_split_args(d)
            ),
            back,
            lambda d: (
                f"{d['planned_service'].description} is funded under s117: it is never charged for"
            ),
        )
        if response:
            return response
    else:
        form, _ = form_with_kept_work(request, FundingForm, services=available)
    return _render(
        request,
        "funding_form.html",
        {
            "title": "Add a service funded under s117",
            "person": person,
            "episode": episode,
            "form": form,
            "no_services": not available.exists(),
            "back": back,
        },
        errors,
    )


@require_http_methods(["GET", "POST"])
@person_view(Capability.RECORD_AFTERCARE, page="change an s117 funding split")
def change_service(
    request: HttpRequest, person: Person, access, pk: int, funding_pk: int
) -> HttpResponse:
    episode = _episode(person, pk)
    funding = (
        AftercareFunding.objects.select_related("planned_service")
        .filter(episode=episode, pk=funding_pk)
        .first()
    )
    if funding is None:
        raise Http404("No such funded service")
    if closed := _closed(request, person, episode):
        return closed
    back = _back(person)
    errors: dict[str, str] = {}
    conflict = None
    if request.method == "POST":
        if done := already_submitted(request, "The split was already saved: you sent it twice."):
            return done
        form = FundingForm(request.POST, services=None)
        response, errors, conflict = _handle(
            request,
            form,
            lambda d: services.change_funding(
                request.user, funding, version=d["version"], **_split_args(d)
            ),
            back,
            f"Funding split of {funding.planned_service.description} changed",
        )
        if response:
            return response
        if conflict:
            conflict = AftercareFunding.objects.get(pk=funding.pk)
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            form = FundingForm(data, services=None)
    else:
        form, _ = form_with_kept_work(
            request,
            FundingForm,
            services=None,
            initial={
                "version": funding.version,
                "council_percent": funding.council_percent,
                "icb_percent": funding.icb_percent,
                "notes": funding.notes,
            },
        )
    return _render(
        request,
        "funding_form.html",
        {
            "title": f"Change the funding split: {funding.planned_service.description}",
            "person": person,
            "episode": episode,
            "funding": funding,
            "conflict": conflict,
            "form": form,
            "back": back,
        },
        errors,
    )


# --- joint reviews --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@person_view(Capability.RECORD_AFTERCARE, page="record a joint s117 aftercare review")
def review(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    episode = _episode(person, pk)
    if closed := _closed(request, person, episode):
        return closed
    back = _back(person)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if done := already_submitted(
            request, "The review was already recorded: you sent it twice."
        ):
            return done
        form = ReviewForm(request.POST)
        response, errors, _ = _handle(
            request,
            form,
            lambda d: services.record_review(
                request.user,
                episode,
                **_fields(d, "held_on", "council_attendees", "icb_attendees", "outcome", "notes"),
            ),
            back,
            "Joint review recorded",
        )
        if response:
            return response
    else:
        form, _ = form_with_kept_work(request, ReviewForm)
    return _render(
        request,
        "review_form.html",
        {
            "title": "Record a joint review",
            "person": person,
            "episode": episode,
            "form": form,
            "back": back,
        },
        errors,
    )


# --- the joint decision to end --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@person_view(Capability.END_AFTERCARE, page="end s117 aftercare")
def end(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    episode = _episode(person, pk)
    if request.method == "POST" and (
        done := already_submitted(request, "The decision was already recorded: you sent it twice.")
    ):
        return done
    if closed := _closed(request, person, episode):
        return closed
    back = _back(person)
    errors: dict[str, str] = {}
    conflict = None
    if request.method == "POST":
        form = EndForm(request.POST)
        response, errors, conflict = _handle(
            request,
            form,
            lambda d: services.end_aftercare(
                request.user,
                episode,
                council_agrees=d["council_agrees"] == YES,
                icb_agrees=d["icb_agrees"] == YES,
                **_fields(
                    d,
                    "version",
                    "decided_on",
                    "council_decision_maker",
                    "icb_decision_maker",
                    "reasons",
                ),
            ),
            back,
            "s117 aftercare ended by joint decision",
        )
        if response:
            return response
        if conflict:
            conflict = selectors.episode_for(person, pk)
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            form = EndForm(data)
    else:
        form, _ = form_with_kept_work(request, EndForm, initial={"version": episode.version})
    return _render(
        request,
        "end_form.html",
        {
            "title": "End s117 aftercare",
            "person": person,
            "episode": episode,
            "on_cto": services.on_cto(person.pk),
            "conflict": conflict,
            "form": form,
            "back": back,
        },
        errors,
    )


# --- the s117 register ----------------------------------------------------------------------------


def _allow_register(request) -> None:
    if not can(request.user, Capability.VIEW_S117_REGISTER):
        raise PermissionDenied("Your role does not allow you to see the s117 register.")


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    _allow_register(request)
    today = timezone.localdate()
    episodes = selectors.register(request.user, today)
    rows = [(e, selectors.services_in_force(e), selectors.next_review(e)) for e in episodes]
    audit.record(
        request.user,
        audit.Action.VIEW,
        object_type="mentalhealth.s117_register",
        summary=f"Viewed the s117 aftercare register ({len(rows)} people)",
        changes={"listed": [e.person.person_id for e in episodes]},
    )
    return render(
        request,
        "aftercare/register.html",
        {
            "title": "s117 aftercare register",
            "active_nav": "s117_register",
            "rows": rows,
            "today": today,
            "names": selectors.names_people(request.user),
        },
    )


@require_GET
def register_csv(request: HttpRequest) -> HttpResponse:
    _allow_register(request)
    today = timezone.localdate()
    rows = selectors.register_rows(request.user, today)
    audit.record(
        request.user,
        audit.Action.EXPORT,
        object_type="mentalhealth.s117_register",
        summary=f"Downloaded the s117 aftercare register as of {today:%-d %B %Y}",
        changes={"as_of": today.isoformat(), "rows": len(rows)},
    )
    return csv_response(f"s117-register-{today.isoformat()}.csv", selectors.REGISTER_HEADER, rows)
