"""The Jinja2 environment: GOV.UK Frontend macros, Django helpers, and carebridge filters."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.templatetags.static import static
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import timezone
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape

from carebridge.core.access import Capability, can
from carebridge.rules.money import money, signed_money

_PLAIN_ARG = re.compile(r"^[A-Za-z0-9_-]+$")


@functools.lru_cache(maxsize=512)
def _url_pattern(prefix: str, name: str, arity: int) -> tuple[str, tuple[str, ...]] | None:
    """The URL for ``name`` reversed once with numbered stand-ins for its arguments (digits:
    every converter in use accepts them), or None if there is no such pattern."""
    stand_ins = tuple(f"9{i:02d}7531" for i in range(arity))
    try:
        built = reverse(name, args=stand_ins or None)
    except NoReverseMatch:
        return None
    if any(built.count(s) != 1 for s in stand_ins):
        return None
    return built, stand_ins


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """``reverse`` for templates. Pages list dozens of links to the same view (a results table,
    a caseload): plain arguments (letters, digits, ``-``, ``_``) are put into the URL reversed
    once per view, which gives the same URL as ``reverse`` at a fraction of the cost."""
    if not kwargs and all(_PLAIN_ARG.match(str(a)) for a in args):
        found = _url_pattern(get_script_prefix(), name, len(args))
        if found is not None:
            built, stand_ins = found
            for stand_in, arg in zip(stand_ins, args, strict=True):
                built = built.replace(stand_in, str(arg))
            return built
    return reverse(name, args=args or None, kwargs=kwargs or None)


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


def may(worker: Any, capability: str) -> bool:
    """``may(request.user, "search_people")`` in templates: the role table in core.access is the
    one place that says what a role may do (an unknown capability name is an error)."""
    return can(worker, Capability(capability))


def error_href(form: Any, field: str) -> str:
    """The id the error summary links to: the first box of a date input, else the field."""
    if field == "__all__":
        return "#main-content"
    bound = getattr(form, "fields", {}).get(field) if form is not None else None
    if bound is not None and bound.widget.__class__.__name__ == "DateParts":
        return f"#{field}-day"
    if bound is not None and bound.widget.__class__.__name__ == "RadioSelect":
        return f"#{field}"
    return f"#{field}"


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
            "get_messages": messages.get_messages,
            "now": timezone.now,
            "session_idle_seconds": settings.SESSION_COOKIE_AGE,
            "error_href": error_href,
            "may": may,
            "money": money,
            "signed_money": signed_money,
        }
    )
    env.filters.update({"date": date_format, "datetime": datetime_format})
    return env
