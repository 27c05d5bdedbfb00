"""Reading and writing article files: YAML front matter between `---` lines, then the body."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from .document import Article

FENCE = "---"
# libyaml's dumper writes the same YAML as the pure-Python one, many times faster.
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str]:
    """(front matter mapping, body) of an article file; (None, text) when it has none."""
    if not text.startswith(FENCE + "\n"):
        return None, text
    end = text.find("\n" + FENCE + "\n", len(FENCE))
    if end < 0:
        return None, text
    try:
        meta = yaml.safe_load(text[len(FENCE) + 1 : end + 1])
    except yaml.YAMLError:
        return None, text
    if not isinstance(meta, dict):
        return None, text
    return meta, text[end + len(FENCE) + 2 :]


def dump_front_matter(meta: Mapping[str, Any]) -> str:
    """YAML for `meta` from a real dumper, so titles holding ': ' or quotes stay valid."""
    return yaml.dump(
        dict(meta), Dumper=Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000
    )


def render_article(article: Article) -> str:
    """The article file: front matter, a blank line, paragraphs one blank line apart."""
    return render(article.meta, article.body)


def render(meta: Mapping[str, Any], body: str) -> str:
    """An article file from its front matter and body."""
    tail = body + "\n" if body else ""
    return f"{FENCE}\n{dump_front_matter(meta)}{FENCE}\n\n{tail}"
