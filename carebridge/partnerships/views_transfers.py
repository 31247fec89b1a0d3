"""Transfers of teams and workers between organisations, and bulk reallocation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from carebridge.core.access import Capability, can

from . import selectors


@require_GET
def transfers(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Capability.MANAGE_PARTNERSHIPS):
        raise PermissionDenied("Your role does not allow you to manage transfers.")
    return render(
        request,
        "partnerships/transfers.html",
        {"transfers": selectors.transfers(), "active_nav": "partnerships"},
    )
