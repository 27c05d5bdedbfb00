"""Checking what a capture says about itself before it is trusted: URLs, site names,
dates, titles, authors, the front matter of an article file given as input.

A capture's URL, site and date come from sidecars, WARC headers, HTML meta tags, a
stream record or the capture's own front matter: any of them may be wrong, or made to
do harm (`javascript:` URLs, a site of `../../etc`, a date of `/tmp/elsewhere/x`). A
value refused is left out and a warning says so (see REFUSALS). File names are made
from these values by `sinks.paths`, which sanitises them again on its own.
"""
from __future__ import annotations

import re
import reprlib
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from ..document import PAGE_TYPES
from .dates import normalise_date
from .safety import safe_text

WEB_SCHEMES = ("http", "https")
# A host name has at most 253 characters (RFC 1035); a site's own name is shorter still.
MAX_SITE_CHARS = 253
# Characters that would make a site name a path, or more than one line.
NOT_IN_SITE = ("/", "\\", "\n", "\r", "\t")
# An ISO 639-1 (or -3) code, as the language guess and <html lang> give it.
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
# How much of a refused value a warning quotes (reprlib cuts long strings and lists short).
QUOTED_CHARS = 60
QUOTE = reprlib.Repr()
QUOTE.maxstring = QUOTE.maxother = QUOTED_CHARS


def web_url(value: object) -> str | None:
    """`value` when it is an http(s) URL with a host, else None (javascript:, file:, data:,
    relative or unparsable URLs are not the address of a web page)."""
    if not isinstance(value, str):
        return None
    url = safe_text(value).strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not host:
        return None
    return url


def site_name(value: object) -> str | None:
    """`value` when it can name a site (a host, or a publication's own name): one line of
    text, no path separator, not only dots; else None."""
    if not isinstance(value, str):
        return None
    name = safe_text(value).strip()
    if not name or len(name) > MAX_SITE_CHARS or not name.strip("."):
        return None
    if any(char in name for char in NOT_IN_SITE):
        return None
    return name


def quoted(value: object) -> str:
    """A short, safe quotation of a refused value for a warning."""
    return safe_text(QUOTE.repr(value))


def text_value(value: Any) -> str | None:
    """A title as text: text itself, a number written out (YAML reads `title: 1984` as one)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = safe_text(str(value))
    return text if text.strip() else None


def author_list(value: Any) -> list[str] | None:
    """Authors as a list of names: a list of text, or one name alone."""
    names = value if isinstance(value, list) else [value]
    checked = [name for name in map(text_value, names) if name]
    return checked or None


def language_code(value: Any) -> str | None:
    """An ISO 639 code as the front matter holds it ("en"), else None."""
    return value if isinstance(value, str) and LANGUAGE_CODE.fullmatch(value) else None


def date_value(value: Any) -> str | None:
    """A date or date-time as it is written, when it is one (fetched_at keeps the crawler's
    own spelling, e.g. a WARC-Date "2024-03-04T05:06:07Z")."""
    if normalise_date(value) is None:
        return None
    return value if isinstance(value, str) else normalise_date(value)


def page_type_name(value: Any) -> str | None:
    """A page type's name (see document.PAGE_TYPES), when it is one."""
    return value if isinstance(value, str) and value in PAGE_TYPES else None


# Front matter keys of an input article file that carry over as known metadata, how
# each is checked, and what a refused value is said not to be.
CARRIED_CHECKS: dict[str, Callable[[Any], Any]] = {
    "title": text_value, "published": normalise_date, "authors": author_list,
    "site": site_name, "url": web_url, "language": language_code, "fetched_at": date_value,
    "page_type": page_type_name,
}
REFUSALS = {
    "title": "is not text", "published": "is not a date", "authors": "is not a list of names",
    "site": "is not a site name", "site_name": "is not a site name",
    "url": "is not an http(s) URL", "language": "is not a language code",
    "fetched_at": "is not a date", "page_type": f"is not a page type ({', '.join(PAGE_TYPES)})",
}


def carried_meta(front: Mapping[str, Any], warnings: list[str]) -> dict[str, Any]:
    """The metadata an article file given as input states in its front matter, each value
    checked as any other source's: a `published` that is not a date, a `site` that is
    not a site name or a `url` that is not http(s) is left out, with a warning."""
    meta: dict[str, Any] = {}
    for key, check in CARRIED_CHECKS.items():
        value = front.get(key)
        if value in (None, "", []):
            continue
        checked = check(value)
        if checked in (None, "", []):
            warnings.append(f"{key} not kept: {quoted(value)} {REFUSALS[key]}")
        else:
            meta[key] = checked
    return meta


def check_page_meta(meta: dict[str, Any], warnings: list[str]) -> None:
    """Leave out a URL or site name a page states (a canonical link, og:site_name) that
    is not one, with a warning: a capture's own statements are checked like any other."""
    for key, check in (("url", web_url), ("site_name", site_name)):
        value = meta.get(key)
        if value is None:
            continue
        checked = check(value)
        if checked is None:
            del meta[key]
            warnings.append(f"{key} not kept: {quoted(value)} {REFUSALS[key]}")
        else:
            meta[key] = checked
