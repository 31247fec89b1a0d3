"""Assessment pages: start, fill in section by section (saving as the worker types), check and
complete with the eligibility determination, and the determination letter (PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carebridge.casework.guards import person_view
from carebridge.casework.models import Event
from carebridge.core.access import Capability, can
from carebridge.core.forms import validation_errors
from carebridge.core.middleware import KEPT_WORK_MESSAGE, take_preserved_work
from carebridge.people.models import Person
from carebridge.rules import cld, eligibility

from . import answers, letters, selectors, services
from .models import Assessment

AUTOSAVE_HEADER = "HTTP_X_CAREBRIDGE_AUTOSAVE"


def _section_url(a: Assessment, slug: str) -> str:
    return reverse("assessments:section", args=[a.person.person_id, a.pk, slug])


def _next_slug(a: Assessment, slug: str) -> str:
    slugs = [s.slug for s in answers.sections_for(a.kind)] + [answers.CHECK]
    i = slugs.index(slug)
    return slugs[min(i + 1, len(slugs) - 1)]


@require_http_methods(["GET", "POST"])
@person_view(Capability.ASSESS, page="start an assessment")
def start(request: HttpRequest, person: Person, access) -> HttpResponse:
    errors: dict[str, str] = {}
    requests = list(
        Event.objects.filter(person=person, event_type=cld.REQUEST, cancelled=False).order_by(
            "-start_date", "-pk"
        )[:10]
    )
    # A link may choose for the worker (?kind=carer&cared_for=P0001234: from a carer's accepted
    # offer of an assessment); what they post decides.
    source = request.POST if request.method == "POST" else request.GET
    values = {"kind": source.get("kind", ""), "cared_for": source.get("cared_for", "")}
    if request.method == "POST":
        kind = values["kind"]
        cared_for = None
        if kind not in Assessment.Kind.values:
            errors["kind"] = "Select the kind of assessment"
        if kind == Assessment.Kind.CARER:
            pid = values["cared_for"].strip().upper()
            cared_for = Person.objects.filter(person_id=pid).first() if pid else None
            if cared_for is None:
                errors["cared_for"] = (
                    "Enter the person ID of the adult the carer looks after, like P0001234"
                )
        chosen = request.POST.get("request", "")
        follows = next((e for e in requests if str(e.pk) == chosen), None)
        if not errors:
            # A reassessment (after a review, or a change) carries on from the last one.
            previous = (
                Assessment.objects.filter(
                    person=person, kind=kind, status=Assessment.Status.COMPLETED
                )
                .order_by("-completed_on", "-pk")
                .first()
            )
            try:
                a = services.start_assessment(
                    request.user,
                    person,
                    kind=kind,
                    request=follows,
                    cared_for=cared_for,
                    previous=previous,
                )
            except ValidationError as e:
                errors = validation_errors(e)
            else:
                return redirect(_section_url(a, answers.sections_for(kind)[0].slug))
    drafts = Assessment.objects.filter(person=person, status=Assessment.Status.DRAFT)
    return render(
        request,
        "assessments/start.html",
        {
            "person": person,
            "requests": requests,
            "drafts": list(drafts),
            "errors": errors,
            "values": values,
            "kinds": Assessment.Kind.choices,
            "title": f"Start an assessment: {person.full_name}",
        },
        status=400 if errors else 200,
    )


@require_GET
@person_view(Capability.VIEW_PERSON, page="an assessment")
def detail(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    a = selectors.assessment_for(person, pk)
    if a.is_draft and can(request.user, Capability.ASSESS):
        return redirect(_section_url(a, answers.sections_for(a.kind)[0].slug))
    determination = selectors.determination_of(a)
    return render(
        request,
        "assessments/detail.html",
        {
            "person": person,
            "a": a,
            "determination": determination,
            "outcomes": _outcome_rows(a),
            "limbs": answers.limb_labels(a.kind),
            "can_plan": can(request.user, Capability.ASSESS)
            and determination is not None
            and determination.eligible,
            "title": f"{a.get_kind_display()}: {person.full_name}",
        },
    )


def _outcome_rows(a: Assessment) -> list[dict]:
    limbs = answers.limb_labels(a.kind)
    rows = []
    for key, label in answers.outcome_labels(a.kind).items():
        answer = (a.outcomes or {}).get(key, {})
        chosen = answer.get("limbs", [])
        rows.append(
            {
                "key": key,
                "label": label,
                "limbs": [limbs[x] for x in chosen if x in limbs],
                "chosen": chosen,
                "evidence": answer.get("evidence", ""),
                "unable": bool([x for x in chosen if x in limbs]),
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@person_view(Capability.ASSESS, page="an assessment draft", audit_view=True)
def section(request: HttpRequest, person: Person, access, pk: int, slug: str) -> HttpResponse:
    a = selectors.assessment_for(person, pk)
    if not a.is_draft:
        if request.META.get(AUTOSAVE_HEADER):
            return JsonResponse({"error": "This assessment is completed."}, status=409)
        return redirect("assessments:detail", person.person_id, a.pk)
    if slug == answers.CHECK:
        return _check(request, person, a)
    sec = answers.section(a.kind, slug)
    if sec is None:
        raise Http404("No such section")
    autosave = bool(request.META.get(AUTOSAVE_HEADER))
    errors: dict[str, str] = {}
    conflict = ""
    posted = None
    if request.method == "POST":
        posted = request.POST
        changes, errors = answers.parse_section(a.kind, sec, posted, timezone.localdate())
        try:
            version = int(posted.get("version", ""))
        except ValueError:
            version = -1
        try:
            saved = services.save_draft(request.user, a, version=version, changes=changes)
        except services.DraftConflict as e:
            conflict = str(e)
            a = e.current
            if autosave:
                return JsonResponse({"conflict": conflict, "version": a.version}, status=409)
        else:
            if autosave:
                return JsonResponse(
                    {
                        "saved": True,
                        "version": saved.version,
                        "saved_at": timezone.localtime(saved.saved_at).strftime("%H:%M:%S"),
                        "errors": errors,
                    },
                    status=200,
                )
            if not errors:
                action = posted.get("action", "continue")
                if action == "save":
                    messages.success(request, "Your answers have been saved")
                    return redirect(_section_url(a, slug))
                return redirect(_section_url(a, _next_slug(a, slug)))
    else:
        kept = take_preserved_work(request)
        if kept:
            posted = kept
            messages.info(request, KEPT_WORK_MESSAGE)
    return render(
        request,
        "assessments/section.html",
        _section_context(person, a, sec, posted, errors, conflict),
        status=409 if conflict else (400 if errors else 200),
    )


def _section_context(person, a, sec, posted, errors, conflict) -> dict:
    values = _values(a, sec, posted)
    return {
        "person": person,
        "a": a,
        "section": sec,
        "sections": answers.sections_for(a.kind),
        "values": values,
        "errors": errors,
        "conflict": conflict,
        "outcome_labels": answers.outcome_labels(a.kind),
        "outcome_paragraphs": (
            eligibility.ADULT_OUTCOME_PARAGRAPHS
            if a.kind == Assessment.Kind.ADULT
            else eligibility.CARER_OUTCOME_PARAGRAPHS
        ),
        "limb_labels": answers.limb_labels(a.kind),
        "version": a.version,
        "autosave_url": _section_url(a, sec.slug),
        "title": f"{sec.title}: {a.get_kind_display()}",
    }


def _values(a: Assessment, sec, posted) -> dict:
    """What each box shows: what was just typed (when it could not be saved), else the draft."""
    values: dict = {}
    for name in sec.fields:
        if name == "outcomes":
            saved = a.outcomes or {}
            for key in answers.outcome_labels(a.kind):
                if posted is not None and "outcomes-shown" in posted:
                    values[f"outcome-{key}"] = posted.getlist(f"outcome-{key}")
                    values[f"outcome-{key}-evidence"] = posted.get(f"outcome-{key}-evidence", "")
                else:
                    values[f"outcome-{key}"] = saved.get(key, {}).get("limbs", [])
                    values[f"outcome-{key}-evidence"] = saved.get(key, {}).get("evidence", "")
            continue
        if name in answers.DATE_FIELDS:
            if posted is not None and f"{name}-day" in posted:
                values[name] = [posted.get(f"{name}-{p}", "") for p in ("day", "month", "year")]
            else:
                d = getattr(a, name)
                values[name] = [str(d.day), str(d.month), str(d.year)] if d else ["", "", ""]
            continue
        if posted is not None and name in posted:
            values[name] = posted.get(name, "")
            continue
        v = getattr(a, name)
        if name in answers.BOOLEAN_FIELDS:
            v = "" if v is None else (answers.YES if v else answers.NO)
        values[name] = v or ""
    return values


def _check(request: HttpRequest, person: Person, a: Assessment) -> HttpResponse:
    errors: dict[str, str] = {}
    conflict = ""
    values = {
        "method_of_assessment": request.POST.get("method_of_assessment", a.method_of_assessment),
        "prevention_advice": request.POST.get("prevention_advice", ""),
        "next_steps": request.POST.get("next_steps", ""),
    }
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            with transaction.atomic():
                services.complete_assessment(
                    request.user,
                    a,
                    version=version,
                    method_of_assessment=values["method_of_assessment"],
                    prevention_advice=values["prevention_advice"],
                    next_steps=values["next_steps"],
                )
        except services.DraftConflict as e:
            conflict = str(e)
            a = e.current
        except ValidationError as e:
            errors = validation_errors(e)
        else:
            messages.success(request, "Assessment completed and eligibility determined")
            return redirect("assessments:detail", person.person_id, a.pk)
    missing = answers.missing_for_completion(a)
    preview = eligibility.determine(answers.needs_for_rules(a))
    return render(
        request,
        "assessments/check.html",
        {
            "person": person,
            "a": a,
            "sections": answers.sections_for(a.kind),
            "section": None,
            "missing": missing,
            "preview": preview,
            "outcomes": _outcome_rows(a),
            "values": values,
            "methods": cld.codes(cld.METHOD_OF_ASSESSMENT),
            "errors": errors,
            "conflict": conflict,
            "version": a.version,
            "title": f"Check and complete: {a.get_kind_display()}",
        },
        status=409 if conflict else (400 if errors else 200),
    )


@require_http_methods(["GET", "POST"])
@person_view(Capability.ASSESS, page="cancel an assessment")
def cancel(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    a = selectors.assessment_for(person, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            services.cancel_assessment(request.user, a, reason=request.POST.get("reason", ""))
        except ValidationError as e:
            errors = validation_errors(e)
        else:
            messages.success(request, "The assessment has been cancelled")
            return redirect("people:detail", person.person_id)
    return render(
        request,
        "assessments/cancel.html",
        {"person": person, "a": a, "errors": errors, "title": "Cancel the assessment"},
        status=400 if errors else 200,
    )


@require_GET
@person_view(Capability.VIEW_PERSON, page="the eligibility determination letter")
def letter(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    a = selectors.assessment_for(person, pk)
    determination = selectors.determination_of(a)
    if determination is None:
        raise Http404("The assessment has no determination yet")
    return letters.determination_letter(request.user, a, determination)
