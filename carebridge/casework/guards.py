"""The gate in front of every page about a person: find the record, check the worker's role and
relationship, audit the view (or the refusal), and offer break-glass where the role allows."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.people.models import Person

from .access import Access, may_view_audit, person_access


def person_view(
    capability: Capability | None = None,
    *,
    page: str,
    relationship: bool = True,
    audit_view: bool = True,
    hide_restricted: bool = True,
) -> Callable:
    """Decorate a view ``view(request, person, access, ...)`` taking ``person_id`` in the URL.

    ``capability``: the role capability needed (checked before the relationship).
    ``relationship``: False for pages that need no relationship (the audit page, which has its
    own rule). ``hide_restricted``: a restricted record the worker is not named on is "not found"
    before any other check (False only for pages with their own rule for restricted records:
    the audit log and the restriction page, which the person's team manager manages).
    Each GET that shows the page is recorded in the audit log as a view of the person's data;
    a refusal (by the guard or the page's own rule) as an access refused.
    """

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, person_id: str, *args, **kwargs) -> HttpResponse:
            worker = request.user
            person = (
                Person.objects.select_related("gp_practice").filter(person_id=person_id).first()
            )
            if person is None:
                raise Http404("No such person")
            if (
                hide_restricted
                and person.is_restricted
                and not person_access(worker, person).exists_for_worker
            ):
                # Before the role check: a refusal by role would confirm the record exists.
                audit.record(
                    worker,
                    audit.Action.ACCESS_REFUSED,
                    person=person,
                    obj=person,
                    summary=f"Refused ({page}): restricted record",
                )
                raise Http404("No such person")
            if capability is not None and not can(worker, capability):
                audit.record(
                    worker,
                    audit.Action.ACCESS_REFUSED,
                    person=person,
                    obj=person,
                    summary=f"Refused ({page}): role does not allow {capability.value}",
                )
                raise PermissionDenied("Your role does not allow you to do this.")
            if relationship:
                access = person_access(worker, person)
                if not access.exists_for_worker:
                    audit.record(
                        worker,
                        audit.Action.ACCESS_REFUSED,
                        person=person,
                        obj=person,
                        summary=f"Refused ({page}): restricted record",
                    )
                    raise Http404("No such person")
                if not access.allowed:
                    audit.record(
                        worker,
                        audit.Action.ACCESS_REFUSED,
                        person=person,
                        obj=person,
                        summary=f"Refused ({page}): no relationship with the person",
                    )
                    return render(
                        request,
                        "casework/no_relationship.html",
                        {"person": person, "access": access, "next": request.get_full_path()},
                        status=403,
                    )
            else:
                access = person_access(worker, person)
            request.person_may_view_audit = may_view_audit(worker, person)
            try:
                response = view(request, person, access, *args, **kwargs)
            except PermissionDenied as e:
                # A page with a rule of its own (the audit log, restrictions) refused: record
                # the refusal, not a view of data that was never shown.
                audit.record(
                    worker,
                    audit.Action.ACCESS_REFUSED,
                    person=person,
                    obj=person,
                    summary=f"Refused ({page}): {e}",
                )
                raise
            if request.method == "GET" and audit_view and 200 <= response.status_code < 300:
                audit.record(
                    worker,
                    audit.Action.VIEW,
                    person=person,
                    obj=person,
                    summary=f"Viewed {page}",
                    reason=(
                        "break-glass access" if access.basis == access.basis.BREAK_GLASS else ""
                    ),
                )
            return response

        return wrapper

    return decorate


__all__ = ["Access", "person_view"]
