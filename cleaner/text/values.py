"""Checking what a capture says about itself before it is trusted: URLs and site names.

A capture's URL, site and date come from sidecars, WARC headers, HTML meta tags, a
stream record or the capture's own front matter: any of them may be wrong, or made to
do harm (`javascript:` URLs, a site of `../../etc`). Dates are checked by
`text.dates.normalise_date`; file names are made from these values by
`sinks.paths`, which sanitises them again on its own.
"""
from __future__ import annotations

import reprlib
from urllib.parse import urlsplit

from .safety import safe_text

WEB_SCHEMES = ("http", "https")
# A host name has at most 253 characters (RFC 1035); a site's own name is shorter still.
MAX_SITE_CHARS = 253
# Characters that would make a site name a path, or more than one line.
NOT_IN_SITE = ("/", "\\", "\n", "\r", "\t")
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
