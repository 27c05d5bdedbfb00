"""Reading and writing article files: YAML front matter between `---` lines, then the body."""
from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import regex
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
    """YAML for `meta`, the same text as a real dumper's (so titles holding ': ' or quotes
    stay valid), its values made safe first (no control character, no surrogate: see
    `text.safety`): written directly when every value is of the common simple kinds (a
    quarter of the time of PyYAML's representer, measured), else by PyYAML."""
    meta = safe_value(meta)
    fast = _fast_dump(meta)
    if fast is not None:
        return fast
    return yaml.dump(
        dict(meta), Dumper=Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
        width=WIDTH,
    )


# Lines of front matter are never folded below this width.
WIDTH = 1000
# A scalar PyYAML writes plain unless its first character is one of these (indicators),
# or "-", "?", ":" followed by a space (left to PyYAML here).
_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`-?:")
# Characters libyaml does not write as they are in a plain or single-quoted scalar (line
# breaks, tabs, controls, surrogates, the BOM, and everything beyond the Basic
# Multilingual Plane, emoji included): any of them leaves the writing to PyYAML.
_SPECIAL = regex.compile(r"[^\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]|[\u2028\u2029]")
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"


def _fast_dump(meta: Mapping[str, Any]) -> str | None:
    """`meta` as PyYAML writes it, for flat mappings of strings, whole numbers, None and
    lists of those (or of flat mappings of strings); None for anything else."""
    lines = []
    for key, value in meta.items():
        name = _scalar(key, 0) if isinstance(key, str) else None
        if name is None or name != key:
            return None
        if isinstance(value, list):
            if not value:
                lines.append(f"{key}: []")
                continue
            lines.append(f"{key}:")
            for item in value:
                entry = _list_item(item)
                if entry is None:
                    return None
                lines.append(entry)
            continue
        written = _value(value, len(key) + 2)
        if written is None:
            return None
        lines.append(f"{key}: {written}")
    return "\n".join(lines) + "\n" if lines else None


def _list_item(item: Any) -> str | None:
    if isinstance(item, dict):
        parts = []
        for key, value in item.items():
            name = _scalar(key, 2) if isinstance(key, str) else None
            written = _value(value, len(key) + 4)
            if name != key or written is None or isinstance(value, list):
                return None
            parts.append(f"{key}: {written}")
        return "- " + "\n  ".join(parts) if parts else None
    written = _value(item, 2)
    return None if written is None else f"- {written}"


def _value(value: Any, column: int) -> str | None:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _scalar(value, column)
    return None


# Keys and most values (site, language, page type, authors) recur from article to article.
@lru_cache(maxsize=4096)
def _scalar(text: str, column: int) -> str | None:
    """`text` as PyYAML writes it plain or in single quotes; None for what it writes
    otherwise or where it might fold the line."""
    if not text or column + len(text) + 2 > WIDTH:
        return None
    # printable ASCII is never special, and telling so is ten times faster than the search
    if not (text.isascii() and text.isprintable()) and _SPECIAL.search(text):
        return None
    quoted = "'" + text.replace("'", "''") + "'"
    if text[0] in _INDICATORS:
        return None if text[0] in "-?:" else quoted
    if text[0] == " " or text[-1] == " " or text[-1] == ":" or ": " in text or " #" in text:
        return quoted
    if _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) != _STR_TAG:
        return quoted  # it would read back as a date, a number, a boolean...
    return text


def render_article(article: Article) -> str:
    """The article file: front matter, a blank line, paragraphs one blank line apart."""
    return render(article.meta, article.body)


def render(meta: Mapping[str, Any], body: str) -> str:
    """An article file from its front matter and body."""
    tail = body + "\n" if body else ""
    return f"{FENCE}\n{dump_front_matter(meta)}{FENCE}\n\n{tail}"
