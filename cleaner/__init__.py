"""cleaner: turn raw web captures into clean, canonical, deduplicated news articles.

>>> from cleaner import clean
>>> article = clean(open("capture.txt").read(), url="https://example.com/news/1")
>>> article.body, article.meta["title"], [(l.text, l.reason) for l in article.decisions]
"""
from .document import Article, Capture, Document, Line
from .errors import (
    CaptureError,
    CaptureTypeError,
    CleanerError,
    OutputError,
    RuleError,
    UnsafePathError,
)
from .pipeline import clean, clean_capture
from .run.stream import Result, clean_many
from .version import __version__

__all__ = [
    "Article", "Capture", "CaptureError", "CaptureTypeError", "CleanerError", "Document", "Line",
    "OutputError", "Result", "RuleError", "UnsafePathError", "__version__", "clean",
    "clean_capture", "clean_many", "core_build",
]


def core_build() -> str:
    """How this installation runs the text-cleaning core: "compiled" (built by mypyc at
    install, see setup.py) or "plain Python"."""
    from .heuristics import noise

    return "plain Python" if noise.__file__.endswith(".py") else "compiled"
