"""Reading and writing article files: YAML front matter between `---` lines, then the body."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from .document import Article
from .text.safety import safe_text, safe_value

FENCE = "---"
# libyaml's dumper and loader read and write the same YAML as the pure-Python ones,
# many times faster (the loader about 5 times: 2 MB/s of front matter, measured).
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Front matter longer than this in a capture is not read as such: an article's is under
# 2 KB (each capture listed under `duplicates` adds about 100 bytes), and a megabyte
# takes half a second to read.
MAX_FRONT_MATTER_CHARS = 1 << 20


def split_front_matter(
    text: str, max_chars: int | None = MAX_FRONT_MATTER_CHARS
) -> tuple[dict[str, Any] | None, str]:
    """(front matter mapping, body) of an article file; (None, text) when it has none,
    or front matter that is not a YAML mapping, or one longer than `max_chars`."""
    if not text.startswith(FENCE + "\n"):
        return None, text
    end = text.find("\n" + FENCE + "\n", len(FENCE), None if max_chars is None else max_chars)
    if end < 0:
        return None, text
    try:
        # YAML refuses control characters: those a writer would not have written go first
        meta = yaml.load(safe_text(text[len(FENCE) + 1 : end + 1]), Loader=Loader)
    except (yaml.YAMLError, RecursionError):
        return None, text
    if not isinstance(meta, dict):
        return None, text
    return meta, text[end + len(FENCE) + 2 :]


def dump_front_matter(meta: Mapping[str, Any]) -> str:
    """YAML for `meta` from a real dumper, so titles holding ': ' or quotes stay valid;
    values made safe first (no control character, no surrogate: see `text.safety`)."""
    return yaml.dump(
        safe_value(meta), Dumper=Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000
    )


def render_article(article: Article) -> str:
    """The article file: front matter, a blank line, paragraphs one blank line apart."""
    return render(article.meta, article.body)


def render(meta: Mapping[str, Any], body: str) -> str:
    """An article file from its front matter and body."""
    tail = body + "\n" if body else ""
    return f"{FENCE}\n{dump_front_matter(meta)}{FENCE}\n\n{tail}"
