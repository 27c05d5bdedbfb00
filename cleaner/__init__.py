"""cleaner: turn raw web captures into clean, canonical, deduplicated news articles.

>>> from cleaner import clean
>>> article = clean(open("capture.txt").read(), url="https://example.com/news/1")
>>> article.body, article.meta["title"], [(l.text, l.reason) for l in article.decisions]

The names below are imported when first used, so that importing one part of the package
(say the text core, `cleaner.heuristics`) does not load the rest (HTML, rules, dedup).
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

from .version import __version__

# Public name -> the module that defines it.
_EXPORTS = {
    "Article": "document", "Capture": "document", "Document": "document", "Line": "document",
    "CaptureError": "errors", "CaptureTypeError": "errors", "CleanerError": "errors",
    "OutputError": "errors", "PageTypeError": "errors", "RuleError": "errors", "UnsafePathError": "errors",
    "clean": "pipeline", "clean_capture": "pipeline", "Result": "run.stream",
    "clean_many": "run.stream",
}

__all__ = [
    "Article", "Capture", "CaptureError", "CaptureTypeError", "CleanerError", "Document", "Line",
    "OutputError", "PageTypeError", "Result", "RuleError", "UnsafePathError", "__version__", "clean",
    "clean_capture", "clean_many", "core_build",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'cleaner' has no attribute {name!r}")


def core_build() -> str:
    """How this installation runs the text-cleaning core: "compiled" (built by mypyc at
    install, see setup.py) or "plain Python"."""
    from .heuristics import noise

    return "plain Python" if noise.__file__.endswith(".py") else "compiled"
