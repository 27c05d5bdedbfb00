"""Would recurrence help the generic cleaning of batches without rules?

usage: python bench/recurrence.py [--wcxb DIR] [--devset DIR]

`cleaner learn` finds a site's furniture as lines recurring across its stories. A batch
holding many captures of one site with no rule file could drop such lines too, after
the generic cleaning: this script measures whether that helps, on the sites of the
development sets that have three pages or more (near-duplicate pages counted as one
story, so that re-crawls do not make a story's own lines "recur"):

- WCXB (../shared/wcxb-dev): word F1 of title + body against `main_content`, as its
  score.py counts it, for those pages, without and with the recurring lines dropped at
  several shares of the site's stories;
- the text dev set (../shared/devset): how many of its pages have such a site at all
  (its only host with three pages or more is web.archive.org, which archives other sites).

Measured 2026-11-29 (commit of this script): WCXB, 161 pages on 38 sites, F1 0.6618 with
the generic cleaning, 0.6598 / 0.6609 / 0.6612 with lines recurring in 50 / 67 / 80% of a
site's stories dropped: no gain, so batches are not cleaned this way. (Counting pages
rather than stories, two near-identical pages make each other's text "recur", and the
figures look better: 0.6673 at 80%; that is the duplicates speaking.)
"""
from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from cleaner.pipeline import clean_capture
from cleaner.sources.files import read_capture
from cleaner.upkeep.learn import recurring_templates, template_of

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
MIN_PAGES = 3
SHARES = (0.5, 0.67, 0.8)


def host(url: str | None) -> str:
    return (urlsplit(url or "").hostname or "").removeprefix("www.")


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def word_f1(predicted: str, reference: str) -> float:
    """WCXB's word-level F1 (lower-cased \\w+ tokens, with multiplicity)."""
    ours, theirs = tokens(predicted), tokens(reference)
    if not theirs:
        return 1.0 if not ours else 0.0
    overlap = sum((Counter(ours) & Counter(theirs)).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / len(ours), overlap / len(theirs)
    return 2 * precision * recall / (precision + recall)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wcxb", type=Path, default=SHARED / "wcxb-dev")
    parser.add_argument("--devset", type=Path, default=SHARED / "devset")
    args = parser.parse_args()

    notes = json.loads((args.devset / "annotations.json").read_text(encoding="utf-8"))
    sites = Counter(host(page["url"]) for page in notes.values() if host(page["url"]))
    many = {site: n for site, n in sites.items() if n >= MIN_PAGES}
    print(f"text dev set: {len(notes)} pages of {len(sites)} sites; {sum(many.values())} pages "
          f"on {len(many)} sites with {MIN_PAGES} pages or more ({', '.join(many)})")

    truth = json.loads((args.wcxb / "gt.json").read_text(encoding="utf-8"))
    by_site: dict[str, list[str]] = defaultdict(list)
    for key, page in truth.items():
        if host(page.get("url")):
            by_site[host(page["url"])].append(key)
    groups = {site: keys for site, keys in by_site.items() if len(keys) >= MIN_PAGES}
    articles = {key: clean_capture(read_capture(args.wcxb / "html" / f"{key}.html.gz"))
                for keys in groups.values() for key in keys}
    pages = sum(len(keys) for keys in groups.values())
    print(f"WCXB: {pages} pages on {len(groups)} sites with {MIN_PAGES} pages or more")
    for share in (None, *SHARES):
        scores: dict[str, list[float]] = defaultdict(list)
        for keys in groups.values():
            furniture = (recurring_templates([articles[k].paragraphs for k in keys], share)
                         if share else set())
            for key in keys:
                article = articles[key]
                body = [p for p in article.paragraphs if template_of(p) not in furniture]
                predicted = f"{article.meta.get('title') or ''}\n\n" + "\n\n".join(body)
                score = word_f1(predicted, truth[key]["main_content"])
                scores["all"].append(score)
                scores[truth[key]["page_type"]].append(score)
        label = f"recurring in {share:.0%} of a site's stories dropped" if share else "generic cleaning"
        per_type = ", ".join(f"{kind} {sum(s) / len(s):.3f} ({len(s)})"
                             for kind, s in sorted(scores.items()) if kind != "all")
        print(f"  {label:45} F1 {sum(scores['all']) / len(scores['all']):.4f}; {per_type}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
