"""Record a contact or request for support about a person."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from carebridge.casework.guards import person_view
from carebridge.core.access import Capability
from carebridge.core.forms import (
    DuplicateSubmission,
    claim_submission,
    form_errors,
    form_with_kept_work,
    previous_result,
    validation_errors,
)

from . import services
from .forms import ContactForm


@person_view(Capability.RECORD_CONTACT, page="record a contact")
def record_contact(request: HttpRequest, person, access) -> HttpResponse:
    errors: dict[str, str] = {}
    detail_url = reverse("people:detail", args=[person.person_id])
    if request.method == "POST":
        if previous_result(request.POST.get("submission_token", "")):
            messages.info(request, "This contact was already recorded: you submitted it twice.")
            return redirect(detail_url)
        form = ContactForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                with transaction.atomic():
                    event = services.record_contact(
                        request.user,
                        person,
                        contact_date=d["contact_date"],
                        client_type=d["client_type"],
                        route_of_access=d["route_of_access"],
                        request_source=d["request_source"],
                        contact_method=d["contact_method"],
                        description=d["description"],
                        outcome=d["outcome"],
                        completed_on=d["completed_on"],
                    )
                    claim_submission(d["submission_token"], request.user, detail_url)
            except ValidationError as e:
                errors = validation_errors(e)
                if "start_date" in errors:
                    errors["contact_date"] = errors.pop("start_date")
                if "end_date" in errors:
                    errors["completed_on"] = errors.pop("end_date")
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(request, f"Contact recorded ({event.reference})")
                return redirect(detail_url)
        else:
            errors = form_errors(form)
    else:
        form, _ = form_with_kept_work(request, ContactForm)
    return render(
        request,
        "frontdoor/contact_form.html",
        {"form": form, "errors": errors, "person": person, "title": "Record a contact"},
        status=400 if errors else 200,
    )


record_contact = require_http_methods(["GET", "POST"])(record_contact)
