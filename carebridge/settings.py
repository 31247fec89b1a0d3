"""Django settings, read from the environment (twelve-factor).

``DATABASE_URL`` selects the database: ``postgres://...`` (psycopg 3) or ``sqlite:///path``.
With none set, SQLite in ``var/carebridge.sqlite3`` under the checkout (the embedded default).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CAREBRIDGE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """From SECRET_KEY, else a random key kept in var/ so sessions survive restarts of the demo."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "*").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "carebridge.core",
    "carebridge.organisations",
    "carebridge.people",
    "carebridge.casework",
    "carebridge.frontdoor",
    "carebridge.letters",
    "carebridge.assessments",
    "carebridge.planning",
    "carebridge.finance",
    "carebridge.duties",
    "carebridge.returns",
    "carebridge.mentalhealth",
    "carebridge.safeguarding",
    "carebridge.partnerships",
    "carebridge.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "carebridge.core.middleware.RequestContextMiddleware",
    "carebridge.core.middleware.PreserveWorkOnTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "carebridge.urls"
WSGI_APPLICATION = "carebridge.wsgi.application"
AUTH_USER_MODEL = "organisations.Worker"
LOGIN_URL = "core:sign-in"
LOGIN_REDIRECT_URL = "casework:caseload"
LOGOUT_REDIRECT_URL = "core:sign-in"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "carebridge.jinja2.environment"},
    },
    {
        # Django's admin ships Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'carebridge.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_SQLITE), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server's workers read while one writes; IMMEDIATE avoids
        # "database is locked" upgrades mid-transaction.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA cache_size=-64000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's default random_page_cost (4) models spinning disks: on SSD storage it makes
    # the planner scan whole tables where an index lookup per row is faster (person search by a
    # mistyped common surname: 8 ms -> 5 ms). 1.1 is the usual SSD setting. A DBA's own value
    # wins: set POSTGRES_RANDOM_PAGE_COST to empty to leave the server's setting alone.
    #
    # Just-in-time compilation pays off for long analytical queries; carebridge's are short, or
    # set-based over a county's tens of thousands of rows, where compiling costs more than
    # running (the duties engine: 270 ms of JIT on a 0.9 s query). Off by default;
    # POSTGRES_JIT=on turns it on, empty leaves the server's setting alone.
    from django.core.exceptions import ImproperlyConfigured

    _settings: list[str] = []
    _page_cost = os.environ.get("POSTGRES_RANDOM_PAGE_COST", "1.1").strip()
    if _page_cost:
        try:
            _cost = float(_page_cost)
        except ValueError:
            _cost = -1.0
        if not 0 < _cost < 1000:
            raise ImproperlyConfigured(
                f"POSTGRES_RANDOM_PAGE_COST must be a positive number like 1.1 (or empty to keep "
                f"the server's setting), not {_page_cost!r}"
            )
        _settings.append(f"-c random_page_cost={_cost}")
    _jit = os.environ.get("POSTGRES_JIT", "off").strip().lower()
    if _jit:
        if _jit not in ("on", "off"):
            raise ImproperlyConfigured(
                f"POSTGRES_JIT must be on or off (or empty to keep the server's setting), not "
                f"{_jit!r}"
            )
        _settings.append(f"-c jit={_jit}")
    if _settings:
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = " ".join([_options.get("options", ""), *_settings]).strip()


def _evaluation_connections() -> int:
    """Connections the duties engine reads a county's duties over at once (ADR 0016): one more
    than the CPUs, up to 4, so the database works on statements side by side while the
    application formats rows. 1 reads them in turn on the request's own connection."""
    value = os.environ.get("DUTIES_EVALUATION_CONNECTIONS", "").strip()
    if not value:
        cpus = os.cpu_count() or 1
        return 1 if cpus < 2 else min(4, cpus + 1)
    if not value.isdigit() or not 1 <= int(value) <= 32:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"DUTIES_EVALUATION_CONNECTIONS must be a whole number from 1 to 32, not {value!r}"
        )
    return int(value)


DUTIES_EVALUATION_CONNECTIONS = _evaluation_connections()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Sessions end after SESSION_IDLE_MINUTES without a request. Typed work survives the time-out:
# see docs/adr/0005-session-timeout-keeps-work.md and core.middleware.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A CSRF failure after a long pause should say what happened, not show a bare 403.
CSRF_FAILURE_VIEW = "carebridge.core.views.csrf_failure"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/assets/"
STATIC_ROOT = VAR_DIR / "static"
_GOVUK = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
# GOV.UK Frontend's CSS refers to /assets/fonts and /assets/images, so its assets folder is served
# at the root of STATIC_URL and its CSS and JS under /assets/govuk/ (ADR 0003).
STATICFILES_DIRS = [
    d
    for d in (
        ("", _GOVUK / "assets"),
        ("govuk", _GOVUK),
        ("vendor/axe-core", BASE_DIR / "node_modules" / "axe-core"),
    )
    if d[1].exists()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# How long a break-glass access lasts before the worker must give a reason again.
BREAK_GLASS_HOURS = int(os.environ.get("BREAK_GLASS_HOURS", "8"))

# The performance page's "Refresh figures" computes in a background thread, so the request
# returns at once (at county scale it takes about a minute, near the web server's timeout).
# Tests run it within the request.
PERFORMANCE_REFRESH_IN_BACKGROUND = _env_bool("PERFORMANCE_REFRESH_IN_BACKGROUND", True)

# The council this installation serves (CLD LA_Code); set by the seed or an administrator.
CAREBRIDGE_COUNCIL_NAME = os.environ.get("CAREBRIDGE_COUNCIL_NAME", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The council's contact details on letters (letterhead, complaints). Set from the environment in
# production; the defaults are the synthetic demo county's.
COUNCIL_LETTERHEAD = {
    "address_lines": [
        line.strip()
        for line in os.environ.get(
            "COUNCIL_ADDRESS", "County Hall|Martineau Lane|Brackenford"
        ).split("|")
        if line.strip()
    ],
    "postcode": os.environ.get("COUNCIL_POSTCODE", "BF1 2DH"),
    "phone": os.environ.get("COUNCIL_PHONE", "0300 123 4567"),
    "email": os.environ.get("COUNCIL_EMAIL", "adultsocialcare@example.gov.uk"),
    "website": os.environ.get("COUNCIL_WEBSITE", "www.example.gov.uk/adult-social-care"),
}
