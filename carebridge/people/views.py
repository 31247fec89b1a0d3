"""Person pages: search, the person's record, add and edit, histories, and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from carebridge.casework.access import person_access
from carebridge.casework.guards import person_view
from carebridge.casework.services import allocate_new_person
from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.core.forms import (
    DuplicateSubmission,
    claim_submission,
    form_errors,
    previous_result,
    validation_errors,
)
from carebridge.core.middleware import take_preserved_work
from carebridge.core.models import AuditEvent
from carebridge.duties import selectors as duty_selectors
from carebridge.mentalhealth import aftercare_selectors
from carebridge.mentalhealth import selectors as mental_health
from carebridge.planning import pathway
from carebridge.rules import cld
from carebridge.safeguarding import selectors as safeguarding_selectors

from . import search as person_search
from . import selectors, services
from .forms import AlertForm, CarerForm, PersonForm, RestrictionForm, SearchForm, StatusForm


@require_http_methods(["GET"])
def search(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Capability.SEARCH_PEOPLE):
        raise PermissionDenied("Your role does not include finding people's records.")
    submitted = (
        any(
            request.GET.get(k)
            for k in ("nhs_number", "name", "postcode", "date_of_birth-day", "date_of_birth-year")
        )
        or "search" in request.GET
    )
    form = SearchForm(request.GET if submitted else None)
    context: dict = {"form": form, "errors": {}, "results": None, "active_nav": "search"}
    if submitted and form.is_valid():
        criteria = person_search.Criteria(**form.cleaned_data)
        try:
            results = person_search.search(request.user, criteria)
        except person_search.SearchError as e:
            context["errors"] = e.errors
        else:
            context["results"] = results
            context["may_open"] = can(request.user, Capability.VIEW_PERSON)
            audit.record(
                request.user,
                audit.Action.SEARCH,
                summary=f"Searched for people: {len(results.hits)} found",
                changes={
                    "criteria": criteria.describe(),
                    "results": [h.person.person_id for h in results.hits],
                },
            )
            context["relationships"] = {
                h.person.pk: _relationship_label(request.user, h) for h in results.hits
            }
    elif submitted:
        context["errors"] = form_errors(form)
    return render(request, "people/search.html", context, status=400 if context["errors"] else 200)


def _relationship_label(worker, hit) -> str:
    alloc = hit.current_allocation
    if hit.person.is_restricted:
        return "Restricted: you are named on this record"
    if alloc is None:
        return "Not allocated"
    if alloc.worker_id == worker.pk:
        return "Your caseload"
    if worker.team_id and alloc.team_id == worker.team_id:
        return "Your team"
    return "Another team"


@require_http_methods(["GET"])  # a POST would show the page unaudited
@person_view(Capability.VIEW_PERSON, page="the person's record")
def detail(request: HttpRequest, person, access) -> HttpResponse:
    try:
        page = int(request.GET.get("timeline_page", "1"))
    except ValueError:
        page = 1
    record = selectors.person_record(person, timeline_page=page, viewer_pk=request.user.pk)
    worker = request.user
    context = {
        "title": person.full_name,
        "record": record,
        "person": person,
        "access": access,
        "can_edit": can(worker, Capability.EDIT_PERSON),
        "can_record_contact": can(worker, Capability.RECORD_CONTACT),
        "can_assess": can(worker, Capability.ASSESS),
        "mental_health": mental_health.record_for(person),
        "can_request_mha": can(worker, Capability.REQUEST_MHA_ASSESSMENT),
        "can_record_legal_status": can(worker, Capability.RECORD_LEGAL_STATUS),
        "pathway": pathway.for_person(person),
        "aftercare": aftercare_selectors.for_person(person),
        "duties": duty_selectors.for_person(person.pk, timezone.localdate()),
        "safeguarding": safeguarding_selectors.for_person(person, worker),
        "today": timezone.localdate(),
        "can_add_note": can(worker, Capability.ADD_CASE_NOTE),
        "can_allocate": can(worker, Capability.ALLOCATE),
        "may_view_audit": request.person_may_view_audit,
        "can_restrict": can(worker, Capability.MANAGE_RESTRICTIONS)
        and request.person_may_view_audit,
        "recent_audit": (
            list(AuditEvent.objects.filter(person=person).order_by("-occurred_at", "-id")[:10])
            if request.person_may_view_audit
            else []
        ),
    }
    return render(request, "people/detail.html", context)


def _details_from(cleaned: dict) -> services.PersonDetails:
    gp = cleaned.get("gp_practice")
    previous = cleaned.get("previous_family_name") or ""
    return services.PersonDetails(
        title=cleaned.get("title", ""),
        given_name=cleaned["given_name"],
        family_name=cleaned["family_name"],
        preferred_name=cleaned.get("preferred_name", ""),
        nhs_number=cleaned.get("nhs_number") or None,
        nhs_number_status=cleaned.get("nhs_number_status") or "",
        date_of_birth=cleaned["date_of_birth"],
        date_of_death=cleaned.get("date_of_death"),
        gender=cleaned["gender"],
        ethnicity=cleaned["ethnicity"],
        address_line_1=cleaned.get("address_line_1", ""),
        address_line_2=cleaned.get("address_line_2", ""),
        town=cleaned.get("town", ""),
        postcode=cleaned.get("postcode", ""),
        phone=cleaned.get("phone", ""),
        email=cleaned.get("email", ""),
        gp_practice_id=gp.pk if gp else None,
        primary_support_reason=cleaned["primary_support_reason"],
        communication_needs=cleaned.get("communication_needs", ""),
        previous_names=[(cleaned["given_name"], previous)] if previous else [],
    )


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Capability.CREATE_PERSON):
        raise PermissionDenied("Your role does not allow you to add people.")
    context: dict = {"errors": {}, "active_nav": "create", "title": "Add a person"}
    if request.method == "POST":
        if done := previous_result(request.POST.get("submission_token", "")):
            messages.info(request, "This person was already added: you submitted the form twice.")
            return redirect(done)
        form = PersonForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    person = services.create_person(request.user, _details_from(form.cleaned_data))
                    allocate_new_person(request.user, person)
                    url = reverse("people:detail", args=[person.person_id])
                    claim_submission(form.cleaned_data["submission_token"], request.user, url)
            except services.DuplicateNHSNumber as e:
                context["errors"] = validation_errors(e)
                context["duplicate"] = e.existing
                context["duplicate_access"] = person_access(request.user, e.existing)
            except ValidationError as e:
                context["errors"] = validation_errors(e)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(request, f"{person.full_name} has been added ({person.person_id})")
                return redirect(url)
        else:
            context["errors"] = form_errors(form)
    else:
        kept = take_preserved_work(request)
        form = PersonForm(kept) if kept else PersonForm()
        context["kept_work"] = bool(kept)
    context["form"] = form
    status = 400 if context["errors"] else 200
    return render(request, "people/person_form.html", context, status=status)


@person_view(Capability.EDIT_PERSON, page="edit details")
def edit(request: HttpRequest, person, access) -> HttpResponse:
    context: dict = {"errors": {}, "person": person, "title": f"Change details: {person.full_name}"}
    if request.method == "POST":
        form = PersonForm(request.POST, editing=True)
        if form.is_valid():
            version = form.cleaned_data.get("version") or 0
            try:
                services.update_person(
                    request.user, person, version, _details_from(form.cleaned_data)
                )
            except services.EditConflict as e:
                context["conflict"] = e
                context["errors"] = {
                    "__all__": "Someone else changed this record while you were editing it. "
                    "Your changes have not been saved yet: check theirs below, then save again."
                }
                data = request.POST.copy()
                data["version"] = str(e.current.version)
                form = PersonForm(data, editing=True)
                form.is_valid()
            except services.DuplicateNHSNumber as e:
                context["errors"] = validation_errors(e)
                context["duplicate"] = e.existing
                context["duplicate_access"] = person_access(request.user, e.existing)
            except ValidationError as e:
                context["errors"] = validation_errors(e)
            else:
                messages.success(request, "The person's details have been saved")
                return redirect("people:detail", person.person_id)
        else:
            context["errors"] = form_errors(form)
    else:
        kept = take_preserved_work(request)
        if kept:
            form = PersonForm(kept, editing=True)
            context["kept_work"] = True
        else:
            initial = {f: getattr(person, f) for f in services.EDITABLE_FIELDS}
            initial["gp_practice"] = initial.pop("gp_practice_id")
            initial["version"] = person.version
            form = PersonForm(initial=initial, editing=True)
    context["form"] = form
    status = 409 if "conflict" in context else (400 if context["errors"] else 200)
    return render(request, "people/person_form.html", context, status=status)


def _status_view(field_name: str, recorder, page: str, label: str):
    @person_view(Capability.EDIT_PERSON, page=page)
    def view(request: HttpRequest, person, access) -> HttpResponse:
        errors: dict[str, str] = {}
        if request.method == "POST":
            form = StatusForm(request.POST, field_name=field_name)
            if form.is_valid():
                try:
                    recorder(
                        request.user,
                        person,
                        form.cleaned_data["status"],
                        form.cleaned_data["valid_from"],
                    )
                except ValidationError as e:
                    errors = validation_errors(e)
                else:
                    messages.success(request, f"{label.capitalize()} recorded")
                    return redirect("people:detail", person.person_id)
            else:
                errors = form_errors(form)
        else:
            form = StatusForm(field_name=field_name)
        return render(
            request,
            "people/status_form.html",
            {"form": form, "errors": errors, "person": person, "label": label, "title": label},
            status=400 if errors else 200,
        )

    return require_http_methods(["GET", "POST"])(view)


accommodation = _status_view(
    cld.ACCOMMODATION_STATUS,
    services.record_accommodation_status,
    "record accommodation status",
    "accommodation status",
)
employment = _status_view(
    cld.EMPLOYMENT_STATUS,
    services.record_employment_status,
    "record employment status",
    "employment status",
)


@require_http_methods(["GET"])  # a POST would show the page unaudited
@person_view(Capability.VIEW_AUDIT, page="the audit log", relationship=False, hide_restricted=False)
def audit_log(request: HttpRequest, person, access) -> HttpResponse:
    if not request.person_may_view_audit:
        raise PermissionDenied(
            "Only the team manager of the person's team and administrators can see the audit log."
        )
    events = AuditEvent.objects.filter(person=person).select_related(None)
    action = request.GET.get("action", "")
    if action in AuditEvent.Action.values:
        events = events.filter(action=action)
    paginator = Paginator(events.order_by("-occurred_at", "-id"), 100)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "people/audit_log.html",
        {
            "person": person,
            "page": page,
            "action": action,
            "actions": AuditEvent.Action.choices,
            "title": f"Audit log: {person.full_name}",
        },
    )


def _find_person_by_identifier(worker, text: str):
    """A person the worker may find, by council person ID or NHS number."""
    from carebridge.casework.access import searchable_people
    from carebridge.rules import nhs_number as nhs

    text = (text or "").strip().upper()
    qs = searchable_people(worker)
    if nhs.is_valid(text):
        return qs.filter(nhs_number=nhs.parse(text).digits).first()
    return qs.filter(person_id=text).first()


@person_view(Capability.EDIT_PERSON, page="add an unpaid carer")
def add_carer(request: HttpRequest, person, access) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = CarerForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            carer = _find_person_by_identifier(request.user, d["carer_person_id"])
            if carer is None:
                errors = {
                    "carer_person_id": "No person found with that council person ID or NHS "
                    "number. Find or add the carer first"
                }
            else:
                try:
                    services.add_carer_relationship(
                        request.user,
                        carer=carer,
                        cared_for=person,
                        relationship=d["relationship"],
                        lives_with_cared_for=d["lives_with_cared_for"],
                        is_main_carer=d["is_main_carer"],
                        started_on=d["started_on"],
                    )
                except ValidationError as e:
                    errors = validation_errors(e)
                    if "carer" in errors:
                        errors["carer_person_id"] = errors.pop("carer")
                except IntegrityError:
                    errors = {
                        "carer_person_id": f"{carer.full_name} is already recorded as a carer"
                    }
                else:
                    messages.success(request, f"{carer.full_name} recorded as an unpaid carer")
                    return redirect("people:detail", person.person_id)
        else:
            errors = form_errors(form)
    else:
        form = CarerForm()
    return render(
        request,
        "people/carer_form.html",
        {"form": form, "errors": errors, "person": person, "title": "Add an unpaid carer"},
        status=400 if errors else 200,
    )


@person_view(Capability.EDIT_PERSON, page="add an alert")
def add_alert(request: HttpRequest, person, access) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = AlertForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            with transaction.atomic():
                alert = services.add_alert(
                    request.user, person, d["kind"], d["details"], d["starts_on"]
                )
                if d["ends_on"]:
                    alert.ends_on = d["ends_on"]
                    alert.save(update_fields=["ends_on"])
            messages.success(request, "Alert added")
            return redirect("people:detail", person.person_id)
        errors = form_errors(form)
    else:
        form = AlertForm()
    return render(
        request,
        "people/alert_form.html",
        {"form": form, "errors": errors, "person": person, "title": "Add an alert"},
        status=400 if errors else 200,
    )


@person_view(
    Capability.MANAGE_RESTRICTIONS,
    page="restrict the record",
    relationship=False,
    hide_restricted=False,
)
def restriction(request: HttpRequest, person, access) -> HttpResponse:
    from carebridge.casework.access import manages_team_of
    from carebridge.organisations.models import Worker

    worker = request.user
    if not (can(worker, Capability.VIEW_ALL_AUDIT) or manages_team_of(worker, person)):
        raise PermissionDenied(
            "Only the team manager of the person's team and administrators can restrict a record."
        )
    workers = Worker.objects.filter(is_active=True, team__isnull=False).select_related("team")
    current = person.allocations.filter(ended_at__isnull=True).first()
    if current is not None:
        workers = workers.filter(team_id=current.team_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = RestrictionForm(request.POST, workers=workers)
        if form.is_valid():
            services.set_restriction(
                worker,
                person,
                restricted=form.cleaned_data["is_restricted"],
                named_workers=list(form.cleaned_data["named_workers"]),
            )
            messages.success(request, "Restriction saved")
            return redirect("people:restriction", person.person_id)
        errors = form_errors(form)
    else:
        from carebridge.core.models import RestrictedAccess

        named = RestrictedAccess.objects.filter(person=person).values_list("worker_id", flat=True)
        form = RestrictionForm(
            initial={"is_restricted": person.is_restricted, "named_workers": list(named)},
            workers=workers,
        )
    return render(
        request,
        "people/restriction_form.html",
        {"form": form, "errors": errors, "person": person, "title": "Restrict the record"},
        status=400 if errors else 200,
    )


add_carer = require_http_methods(["GET", "POST"])(add_carer)
add_alert = require_http_methods(["GET", "POST"])(add_alert)
restriction = require_http_methods(["GET", "POST"])(restriction)


edit = require_http_methods(["GET", "POST"])(edit)
