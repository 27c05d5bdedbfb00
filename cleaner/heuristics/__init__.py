"""Generic heuristics for sites with no rule set.

`lift_metadata` moves the title, date and byline lines into `doc.meta`;
`drop_boilerplate` drops page furniture: `drop_noise_lines` (line-local rules, any
capture kind) and, for text captures, `keep_main_run` (the article's run of prose).
"""
from __future__ import annotations

from ..document import Document
from .levels import ALL, NONE
from .main_run import keep_main_run, keep_runs
from .metadata import lift_metadata
from .noise import drop_noise_lines

__all__ = [
    "drop_boilerplate", "drop_boilerplate_again", "drop_noise_lines", "keep_main_run",
    "lift_metadata",
]


def drop_boilerplate(doc: Document) -> None:
    """Drop navigation, share bars, teaser lists and other noise, each with a reason.

    Text captures get both the line-local rules and the main-run search; extracted
    content (HTML after extraction, the body of an article file) only the line-local rules. A site
    rule set may ask for less (its `heuristics:` key: `noise` or `none`).
    """
    wanted = doc.ruleset.heuristics if doc.ruleset is not None else ALL
    if wanted == NONE:
        return
    drop_noise_lines(doc)
    if not doc.extracted and wanted == ALL:
        keep_main_run(doc)


def drop_boilerplate_again(doc: Document) -> None:
    """`drop_boilerplate` on the lines a document kept after it (its kept lines alone), as
    cleaning settles (see pipeline.settle): only the search for the article's runs can
    drop more. The other rules drop what they would drop of these lines already: a
    line's own noise reason and the title do not change, and a line said three times
    among the kept lines was said three times among all of them.
    """
    wanted = doc.ruleset.heuristics if doc.ruleset is not None else ALL
    if not doc.extracted and wanted == ALL:
        keep_runs(doc)
