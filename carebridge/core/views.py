"""Sign in and out, health, and error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carebridge.core import audit
from carebridge.core.middleware import PRESERVED_WORK_KEY, remember_worker


def _safe_next(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return ""


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    errors: dict[str, str] = {}
    username = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        password = request.POST.get("password", "")
        if not username:
            errors["username"] = "Enter your username"
        if not password:
            errors["password"] = "Enter your password"  # noqa: S105 - a message
        if not errors:
            worker = authenticate(request, username=username, password=password)
            if worker is None:
                errors["password"] = "The username or password is not right"  # noqa: S105
                audit.record(
                    None,
                    audit.Action.SIGN_IN_FAILED,
                    summary=f"Failed sign-in for username {username[:60]!r}",
                )
            else:
                login(request, worker)
                request.session.set_expiry(None)  # back to the idle time-out (see ADR 0005)
                audit.record(worker, audit.Action.SIGN_IN, summary="Signed in")
                response = redirect(_safe_next(request) or settings.LOGIN_REDIRECT_URL)
                remember_worker(response, worker)
                return response
    elif request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    context = {
        "errors": errors,
        "username": username,
        "next": _safe_next(request),
        "timed_out": request.GET.get("timed_out") == "1",
        "kept_work": PRESERVED_WORK_KEY in request.session,
        "idle_minutes": settings.SESSION_IDLE_MINUTES,
    }
    return render(request, "core/sign_in.html", context, status=400 if errors else 200)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    audit.record(request.user, audit.Action.SIGN_OUT, summary="Signed out")
    logout(request)
    messages.success(request, "You have signed out")
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return redirect(settings.LOGIN_REDIRECT_URL)


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: up, and the database answers. No personal data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "core/csrf_failure.html", {}, status=403)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "core/403.html", {"message": str(exception or "")}, status=403)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "core/404.html", {}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "core/500.html", {}, status=500)


@require_GET
def keep_alive(request: HttpRequest) -> HttpResponse:
    """Touching the session resets its idle clock (SESSION_SAVE_EVERY_REQUEST)."""
    return HttpResponse(status=204)
