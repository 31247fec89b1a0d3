"""Request-wide concerns: the audit context, and keeping typed work across a session time-out."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils import timezone

from carebridge.core import context

PRESERVED_WORK_KEY = "preserved_work"
LAST_WORKER_COOKIE = "cb_last_worker"
# How long work typed before a time-out is kept for its author to sign in and save.
PRESERVED_WORK_HOURS = 12
# Shown when a form comes back filled in with what was kept.
KEPT_WORK_MESSAGE = "We kept what you typed before you were signed out. Check it and save."
_SALT = "carebridge.last-worker"


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ctx = context.ActionContext(
            source="web",
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            path=request.get_full_path()[:300],
        )
        request.request_id = ctx.request_id
        with context.acting(ctx):
            return self.get_response(request)


def remember_worker(response: HttpResponse, worker) -> None:
    """Set at sign-in: which worker last used this browser (a signed ID, no personal data), so
    work kept over a time-out is only ever given back to the worker who typed it."""
    response.set_cookie(
        LAST_WORKER_COOKIE,
        signing.dumps(worker.pk, salt=_SALT),
        max_age=60 * 60 * 24,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _last_worker_id(request: HttpRequest) -> int | None:
    raw = request.COOKIES.get(LAST_WORKER_COOKIE)
    if not raw:
        return None
    try:
        return signing.loads(raw, salt=_SALT, max_age=60 * 60 * 24)
    except signing.BadSignature:
        return None


class PreserveWorkOnTimeoutMiddleware:
    """A form posted after the session has timed out is not thrown away.

    The posted fields are kept server-side in the new (anonymous) session, the worker is sent
    to sign in, and on return to the same page the form is shown again filled in with what
    they typed, with a message asking them to check and save. Only the worker who typed it
    gets it back (checked against a signed cookie set at sign-in). See ADR 0005.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.user.is_authenticated:
            return None
        if not getattr(view_func, "login_required", True):
            return None
        data = {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"}
        # Keep the anonymous session holding the work for as long as the work is kept (the sign-in
        # view puts the idle expiry back once the worker has signed in).
        request.session.set_expiry(int(PRESERVED_WORK_HOURS * 3600))
        request.session[PRESERVED_WORK_KEY] = {
            "path": request.path,
            "data": data,
            "owner": _last_worker_id(request),
            "saved_at": timezone.now().isoformat(),
        }
        query = urlencode({"next": request.path, "timed_out": "1"})
        return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?{query}")


def take_preserved_work(request: HttpRequest) -> QueryDict | None:
    """The fields kept for this page when the session timed out, once, for their owner only:
    as a QueryDict, like ``request.POST``, to bind the page's form to."""
    kept = request.session.get(PRESERVED_WORK_KEY)
    if not kept or kept.get("path") != request.path:
        return None
    del request.session[PRESERVED_WORK_KEY]
    if kept.get("owner") != request.user.pk:
        return None
    saved_at = dt.datetime.fromisoformat(kept["saved_at"])
    if timezone.now() - saved_at > dt.timedelta(hours=PRESERVED_WORK_HOURS):
        return None
    data = QueryDict(mutable=True)
    for name, values in kept["data"].items():
        data.setlist(name, values)
    return data
