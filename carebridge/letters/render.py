"""Draw a letter template as a tagged, accessible PDF (PDF/UA-1) with WeasyPrint.

Letters hold personal data: nothing here writes to disk or caches (WeasyPrint's image cache is
off, the PDF only ever exists in memory), and the letter may fetch nothing over the network (see
``_LetterFetcher``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.request import url2pathname

from django.http import HttpResponse
from django.template.loader import get_template
from django.utils import timezone
from django.utils.http import content_disposition_header
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

#: The alias Django gives the Jinja2 backend in settings.TEMPLATES (its module's name).
TEMPLATE_BACKEND = "jinja2"

#: ISO 14289-1: a tagged PDF whose structure screen readers can follow, with title and language.
PDF_VARIANT = "pdf/ua-1"

#: Relative URLs in a letter (a logo, say) resolve here, and only files under it may be read.
ASSETS_DIR = Path(__file__).resolve().parent / "assets"


class _LetterFetcher(URLFetcher):
    """Refuse every URL except files under ``ASSETS_DIR``: a letter never reaches the network,
    so text a worker typed can never make the server fetch something."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("file:"):
            path = Path(url2pathname(url.removeprefix("file:").split("?")[0].split("#")[0]))
            path = path.resolve()
            if path.is_relative_to(ASSETS_DIR) and path.is_file():
                return URLFetcherResponse(url, body=path.read_bytes())
        raise ValueError(f"Letters may not fetch {url!r}")


def _w3c_date(value: object) -> str | None:
    """The letter date as the W3C date WeasyPrint writes to /CreationDate (so the same letter
    draws the same bytes)."""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        stamp = local.strftime("%Y-%m-%dT%H:%M:%S")
        offset = local.strftime("%z")
        return f"{stamp}{offset[:3]}:{offset[3:]}" if offset else stamp
    if isinstance(value, dt.date):
        return value.isoformat()
    return None


def render_html(
    template_name: str, context: Mapping[str, Any], *, title: str, language: str = "en-GB"
) -> str:
    """The letter's HTML (the same HTML the PDF is drawn from; useful for previews and tests)."""
    template = get_template(template_name, using=TEMPLATE_BACKEND)
    return template.render({**context, "document_title": title, "document_language": language})


def render_pdf(
    template_name: str, context: Mapping[str, Any], *, title: str, language: str = "en-GB"
) -> bytes:
    """Render a Jinja2 letter template to a PDF/UA-1 tagged PDF and return its bytes.

    ``title`` becomes the PDF title (shown by readers instead of the file name) and
    ``language`` the document language. ``context["letter_date"]``, if given, is the creation
    date, so the same context always draws the same PDF.
    """
    html = render_html(template_name, context, title=title, language=language)
    document = HTML(
        string=html,
        base_url=ASSETS_DIR.as_uri() + "/",
        url_fetcher=_LetterFetcher(),
        media_type="print",
    ).render(pdf_variant=PDF_VARIANT)
    metadata = document.metadata
    metadata.title = title
    metadata.lang = language
    metadata.generator = "carebridge"
    metadata.created = _w3c_date(context.get("letter_date"))
    metadata.modified = None
    # pdf_identifier=True: the file ID is a hash of the content, not random.
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=True)


_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(filename: str) -> str:
    """ASCII letters, digits, dot, dash and underscore only, ending .pdf: nothing a browser or
    file system could read as a path, a header break or a different file type."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    stem = ascii_name.removesuffix(".pdf").removesuffix(".PDF")
    stem = _UNSAFE_FILENAME.sub("-", stem).strip(".-_")[:100]
    return f"{stem or 'letter'}.pdf"


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """An HTTP response for a letter PDF. Letters are personal data: no browser or proxy may
    keep a copy. Prefer file names without the person's name (they end up in download lists)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        not inline, safe_filename(filename)
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Length"] = str(len(pdf))
    return response
