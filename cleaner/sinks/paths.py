"""Where an article is written: OUT/<site>/<YYYY-MM-DD>-<slug>.md, stable and collision-free.

Every part of the path comes from what a capture says (its site, date and title, or its
file name), so none is trusted: each is reduced to a safe spelling here (the site to
[a-z0-9.-], the date to YYYY-MM-DD or "undated", the slug to [a-z0-9-]), and `inside`
checks the final path against OUT, symbolic links followed, before anything is written.
"""
from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import regex

from ..errors import UnsafePathError
from ..sources.files import capture_name

# Slugs are cut here: long enough to tell titles apart, short enough for any file system.
MAX_SLUG_CHARS = 60
NOT_SLUG = regex.compile(r"[^a-z0-9]+")
NOT_SITE = regex.compile(r"[^a-z0-9.-]+")
UNKNOWN_SITE = "unknown-site"
UNDATED = "undated"
# A folder name is at most 255 bytes on common file systems; host names reach 253.
MAX_SITE_CHARS = 200
DATE_PART = regex.compile(r"\d{4}-\d{2}-\d{2}")
# Characters of the body hash added to a name that another article already holds.
HASH_SUFFIX_CHARS = 8


def slugify(text: str, limit: int = MAX_SLUG_CHARS) -> str:
    """ASCII slug of `text` ('' when nothing Latin is left, e.g. a Japanese title)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rfind("-")  # end at a word boundary when there is one
    return slug[:cut] if cut > 0 else slug[:limit]


def article_path(meta: Mapping[str, Any], source: str) -> Path:
    """The preferred relative path of an article from its metadata (before collisions)."""
    named = capture_name(Path(source))
    stem = named[0] if named else Path(source).stem
    slug = (
        slugify(str(meta.get("title") or "")) or slugify(stem)
        or NOT_SLUG.sub("", str(meta.get("sha256") or ""))[:HASH_SUFFIX_CHARS] or "article"
    )
    return Path(site_part(meta.get("site"))) / f"{date_part(meta.get('published'))}-{slug}.md"


def site_part(site: Any) -> str:
    """The folder of a site: its name in [a-z0-9.-], never '.' or '..', else unknown-site."""
    name = NOT_SITE.sub("-", str(site or "").lower()).strip("-.")
    return name[:MAX_SITE_CHARS].rstrip("-.") or UNKNOWN_SITE


def date_part(published: Any) -> str:
    """YYYY-MM-DD from the start of an ISO date, else 'undated' (a value that is no
    date gives no part of a path)."""
    day = str(published or "")[:10]
    return day if DATE_PART.fullmatch(day) else UNDATED


def inside(out: Path, relative: Path) -> Path:
    """OUT/`relative`, checked to lie inside OUT once symbolic links are followed;
    UnsafePathError when it does not."""
    root = Path(os.path.realpath(out))
    target = root / relative
    real = Path(os.path.realpath(target))
    if relative.is_absolute() or real == root or not real.is_relative_to(root):
        raise UnsafePathError(f"{relative.as_posix()} would be written outside {out}: not written")
    return target


def with_hash_suffix(path: Path, sha256: str) -> Path:
    """`path` made unique for one body by the start of its hash."""
    return path.with_name(f"{path.stem}-{sha256[:HASH_SUFFIX_CHARS]}{path.suffix}")
