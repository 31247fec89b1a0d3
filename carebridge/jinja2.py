"""The Jinja2 environment: GOV.UK Frontend macros, Django helpers, and carebridge filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape
from markupsafe import Markup, escape


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def csrf_input(request) -> Markup:
    return Markup(
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(get_token(request))}">'
    )


def date_format(value: dt.date | dt.datetime | None, fmt: str = "%-d %B %Y") -> str:
    """GOV.UK style dates: 4 June 2026; datetimes shown in UK local time."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return value.strftime(fmt)


def datetime_format(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return local.strftime("%-d %B %Y at %-I:%M%p").replace("AM", "am").replace("PM", "pm")


def environment(**options: Any) -> Environment:
    base_loader = options.pop("loader", None)
    loaders = [
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")})
    ]
    if base_loader is not None:
        loaders.insert(0, base_loader)
    options["loader"] = ChoiceLoader(loaders) if base_loader is not None else loaders[0]
    options.setdefault("autoescape", select_autoescape(default=True))
    env = Environment(**options)  # noqa: S701 - autoescape is set above
    env.globals.update(
        {
            "static": static,
            "url": url,
            "csrf_input": csrf_input,
            "get_messages": messages.get_messages,
            "now": timezone.now,
        }
    )
    env.filters.update({"date": date_format, "datetime": datetime_format})
    return env
