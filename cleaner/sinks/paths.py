"""Where an article is written: OUT/<site>/<YYYY-MM-DD>-<slug>.md, stable and collision-free."""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import regex

from ..sources.files import capture_name

# Slugs are cut here: long enough to tell titles apart, short enough for any file system.
MAX_SLUG_CHARS = 60
NOT_SLUG = regex.compile(r"[^a-z0-9]+")
NOT_SITE = regex.compile(r"[^a-z0-9.-]+")
UNKNOWN_SITE = "unknown-site"
UNDATED = "undated"
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
    site = NOT_SITE.sub("-", str(meta.get("site") or "").lower()).strip("-.") or UNKNOWN_SITE
    published = str(meta.get("published") or "")[:10] or UNDATED
    named = capture_name(Path(source))
    stem = named[0] if named else Path(source).stem
    slug = slugify(str(meta.get("title") or "")) or slugify(stem) or meta["sha256"][:HASH_SUFFIX_CHARS]
    return Path(site) / f"{published}-{slug}.md"


def with_hash_suffix(path: Path, sha256: str) -> Path:
    """`path` made unique for one body by the start of its hash."""
    return path.with_name(f"{path.stem}-{sha256[:HASH_SUFFIX_CHARS]}{path.suffix}")
