"""A page's title as the story's headline: without the site's name around it.

Pages title themselves "Headline | Site", "Headline - site.com" or "Site: Headline";
the front matter's title is the story's: a part at either end, after or before a
separator, that names the site (its own name for itself, or its host) is left out.
A part that does not name the site stays ("Budget 2025 | Analysis").
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

# Separators between a headline and a site's name: a bar or dash with spaces around it
# (a hyphen inside a word, "e-mail", is none), or a colon and a space ("Site: Headline").
SEPARATOR: Final = re.compile(r"\s+(?:[|·•»«~/]|::|-{1,2}|[–—])\s+|:\s+")
# A headline left shorter than this is not one: the title stays whole.
MIN_HEADLINE_CHARS: Final = 8
# Host labels that never name a site alone, and words a site's name may add to them.
GENERIC_LABELS: Final = frozenset({"www", "com", "org", "net", "co", "uk", "de", "io", "blog",
                                   "news", "the"})
# A word of a title part that starts a host label names it when it is this long at least
# ("rust" of "rustlang").
MIN_PREFIX_CHARS: Final = 4


def headline(title: str, sites: Iterable[str | None]) -> str:
    """`title` without the site's name (see above): from the first part after the
    headline that names the site to the end (a tag line may follow the name: "Headline -
    Site | Gyms near you"), or the first part when it is the name ("Site: Headline")."""
    keys = site_keys(sites)
    if not keys:
        return title
    parts = SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    separators = SEPARATOR.findall(title)
    kept = title
    if names_site(parts[0], keys):
        kept = title[len(parts[0]) + len(separators[0]):]
    else:
        at = len(parts[0])
        for part, separator in zip(parts[1:], separators, strict=True):
            if names_site(part, keys):
                kept = title[:at]
                break
            at += len(separator) + len(part)
    kept = kept.strip()
    return kept if len(kept) >= MIN_HEADLINE_CHARS else title


def site_keys(sites: Iterable[str | None]) -> set[str]:
    """What a title part naming one of `sites` reduces to (see `key`): each site whole,
    and each label of a host name ("fool" of "www.fool.com")."""
    keys = set()
    for site in sites:
        if not site:
            continue
        keys.add(key(site))
        if "." in site and " " not in site:
            keys.update(key(label) for label in site.split(".") if label not in GENERIC_LABELS)
    keys.discard("")
    return keys


def names_site(part: str, keys: set[str]) -> bool:
    """Whether a title part is a site's name: its letters and digits are one of `keys`,
    or each of its words is one, or starts one, or is a word such as "blog" ("Google
    Cloud" for cloud.google.com, "Rust Blog" for blog.rust-lang.org)."""
    if key(part) in keys:
        return True
    words = [key(word) for word in part.split()]
    if len(words) < 2:
        return False
    named = [word in keys or (len(word) >= MIN_PREFIX_CHARS and any(k.startswith(word) for k in keys)) for word in words]
    return any(named) and all(
        found or word in GENERIC_LABELS for found, word in zip(named, words, strict=True))


def key(text: str) -> str:
    """Lower-case letters and digits of `text` alone ("It's All Trip To Me" and
    "itsalltriptome" alike)."""
    return "".join(char for char in text.casefold() if char.isalnum())
