"""Pages for offering an unpaid carer an assessment of their own (Care Act 2014 s10): record an
offer, and record the carer's response. Reached from the carers section of either person's page
(the carer's or the person cared for): the guard checks the worker's role and relationship with
the person whose page it is, and the relationship must be one of theirs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from carebridge.casework.access import person_access
from carebridge.casework.guards import person_view
from carebridge.core import audit
from carebridge.core.access import Capability
from carebridge.core.forms import (
    DuplicateSubmission,
    already_submitted,
    form_errors,
    form_with_kept_work,
    submit_once,
    validation_errors,
)
from carebridge.rules import carers

from . import carer_offers
from .forms import CarerOfferForm, CarerResponseForm
from .models import CarerAssessmentOffer, CarerRelationship, Person


def _carers_section(person: Person) -> str:
    return reverse("people:detail", args=[person.person_id]) + "#carers"


def _check_other_side(worker, person: Person, rel: CarerRelationship) -> None:
    """The other person in the relationship may be a restricted record the worker is not
    named on: then, as everywhere, it does not exist for them."""
    other = rel.cared_for if rel.carer_id == person.pk else rel.carer
    if other.is_restricted and not person_access(worker, other).exists_for_worker:
        audit.record(
            worker,
            audit.Action.ACCESS_REFUSED,
            person=other,
            obj=other,
            summary="Refused (a carer's assessment offer): restricted record",
        )
        raise Http404("No such caring relationship")


def _relationship(worker, person: Person, pk: int) -> CarerRelationship:
    rel = (
        CarerRelationship.objects.select_related("carer", "cared_for")
        .filter(Q(carer=person) | Q(cared_for=person), pk=pk)
        .first()
    )
    if rel is None:
        raise Http404("No such caring relationship")
    _check_other_side(worker, person, rel)
    return rel


def _context(person: Person, rel: CarerRelationship, **more) -> dict:
    return {
        "person": person,
        "rel": rel,
        "offers": carer_offers.offers_for([rel.pk])[rel.pk],
        "back": _carers_section(person),
        **more,
    }


@require_http_methods(["GET", "POST"])
@person_view(Capability.ASSESS, page="record an offer of a carer's assessment")
def record_offer(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    rel = _relationship(request.user, person, pk)
    back = _carers_section(person)
    errors: dict[str, str] = {}
    if rel.ended_on is not None:
        messages.info(request, "The caring has ended: an offer can no longer be recorded for it")
        return redirect(back)
    if request.method == "POST":
        if done := already_submitted(request, "The offer was already recorded: you sent it twice."):
            return done
        form = CarerOfferForm(request.POST, worker=request.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                offer = submit_once(
                    request,
                    d["submission_token"],
                    lambda: carer_offers.record_offer(
                        request.user,
                        rel,
                        offered_on=d["offered_on"],
                        method=d["method"],
                        offered_by=d["offered_by"],
                        details=d["details"],
                        response=d["response"],
                        responded_on=d["responded_on"],
                        declined_reason=d["declined_reason"],
                    ),
                    back,
                )
            except ValidationError as e:
                errors = validation_errors(e)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(request, _recorded(offer))
                return redirect(back)
        else:
            errors = form_errors(form)
    else:
        form, _ = form_with_kept_work(request, CarerOfferForm, worker=request.user)
    return render(
        request,
        "people/carer_offer_form.html",
        _context(
            person,
            rel,
            form=form,
            errors=errors,
            title=f"Record an offer of a carer's assessment: {rel.carer.full_name}",
        ),
        status=400 if errors else 200,
    )


def _recorded(offer: CarerAssessmentOffer) -> str:
    if offer.response == carers.ACCEPTED:
        return "Recorded: the carer accepted. Start their carer's assessment (carers section)"
    if offer.response == carers.DECLINED:
        return "Recorded: the carer declined a carer's assessment"
    return "Offer of a carer's assessment recorded"


def _offer(worker, person: Person, pk: int) -> CarerAssessmentOffer:
    offer = (
        CarerAssessmentOffer.objects.select_related(
            "relationship__carer", "relationship__cared_for", "offered_by"
        )
        .filter(pk=pk)
        .first()
    )
    rel = offer.relationship if offer is not None else None
    if rel is None or person.pk not in (rel.carer_id, rel.cared_for_id):
        raise Http404("No such offer")
    _check_other_side(worker, person, rel)
    return offer


@require_http_methods(["GET", "POST"])
@person_view(Capability.ASSESS, page="record a carer's response to an offer of an assessment")
def record_response(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    offer = _offer(request.user, person, pk)
    rel = offer.relationship
    back = _carers_section(person)
    errors: dict[str, str] = {}
    conflict = None
    if request.method == "POST" and (
        done := already_submitted(request, "The response was already recorded.")
    ):
        return done
    if not offer.is_awaiting:
        messages.info(
            request,
            f"The carer's response is already recorded: {offer.get_response_display().lower()}",
        )
        return redirect(back)
    if request.method == "POST":
        form = CarerResponseForm(request.POST, offered_on=offer.offered_on)
        if form.is_valid():
            d = form.cleaned_data
            try:
                offer = submit_once(
                    request,
                    d["submission_token"],
                    lambda: carer_offers.record_response(
                        request.user,
                        offer,
                        version=d["version"],
                        response=d["response"],
                        responded_on=d["responded_on"],
                        declined_reason=d["declined_reason"],
                    ),
                    back,
                )
            except carer_offers.OfferConflict as e:
                conflict = e.current
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form = CarerResponseForm(data, offered_on=offer.offered_on)
                errors = {
                    "__all__": "Someone else changed this offer while you were on this page. "
                    "Nothing has been saved: check the record, then try again."
                }
            except ValidationError as e:
                errors = validation_errors(e)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(request, _recorded(offer))
                return redirect(back)
        else:
            errors = form_errors(form)
    else:
        form, _ = form_with_kept_work(
            request,
            CarerResponseForm,
            initial={"version": offer.version},
            offered_on=offer.offered_on,
        )
    return render(
        request,
        "people/carer_response_form.html",
        _context(
            person,
            rel,
            offer=offer,
            conflict=conflict,
            form=form,
            errors=errors,
            title=f"Record the carer's response: {rel.carer.full_name}",
        ),
        status=400 if errors else 200,
    )
