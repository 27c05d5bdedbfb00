"""Proposing a rule file from many captures of one site: `cleaner learn`.

Page furniture recurs from page to page of a site, a story does not. The learner reads
many text captures of one site, cleans each with the generic heuristics alone to see
roughly where its story is, and looks for lines that recur across different stories:

- each line becomes a template: numbers (counters, times, years: `\\d[\\d,.]*`), month
  names and quoted labels (`"World" POPULAR ARTICLE`) turned into patterns, the rest
  literal; a template seen in enough stories is furniture;
- the furniture found after the story in (nearly) every capture where it appears, and
  first after it, ends the article (`cut_after`); what stands last before the story
  starts it (`cut_before`); any other furniture, never inside a story, is dropped
  (`drop_lines`); a line that always stands just above an end marker goes with it;
- a template whose lines hold a date, before or at the story's start, is the date line
  (`published`); the headline (the line whose words the URL's slug repeats, else the
  generic title) is placed relative to the nearest furniture line (`title`); bylines
  ("By ... / Staff Writer") that share a suffix give `authors`;
- hosts come from the captures' URLs, else the most frequent furniture becomes the
  fingerprints; `checks` are built from two of the captures as the proposal cleans them.

The result is a proposal to read, correct and test (`cleaner rules check`, fixtures),
never applied silently: it is written to a file, with a comment on every rule saying
how many captures support it and an example line.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit

import regex
import yaml

from ..document import TEXT, Capture
from ..errors import CleanerError
from ..pipeline import clean_document, clean_with, site_of
from ..siterules.load import parse_ruleset
from ..text.dates import MONTHS, find_date
from ..text.lines import split_lines

# A template is furniture when the lines it stands for appear in this share of the
# stories (near-duplicate captures counted once), and in two stories at least.
MIN_STORY_SHARE: Final = 0.2
MIN_STORIES: Final = 2
# A marker ends (starts) the article when it stands after (before) the story in this share
# of the captures holding it: a layout or two may put it elsewhere.
MARKER_SHARE: Final = 0.75
# Captures sharing this share of their long lines are one story captured twice.
SAME_STORY_SHARE: Final = 0.5
LONG_LINE_WORDS: Final = 10
# A headline repeats this share of its URL's slug words.
SLUG_MATCH: Final = 0.6
# How far (lines) the headline may stand from the furniture line it is placed by.
HEADLINE_REACH: Final = 3
# A headline position holds when it fits this share of the captures whose headline is known.
POSITION_SHARE: Final = 0.5
FINGERPRINTS: Final = 4
CHECK_CAPTURES: Final = 2
CHECK_KEEP: Final = 2
CHECK_DROP: Final = 6
# Lines longer than this are prose, never a template.
TEMPLATE_MAX_WORDS: Final = 40

NUMBER: Final = r"\d[\d,.]*"
NUMBER_RUN: Final = re.compile(r"\d[\d,.]*\d|\d")
QUOTED: Final = re.compile(r"[“\"][^“”\"\n]{1,40}[”\"]")
QUOTED_PATTERN: Final = r'[“"][^“”"\n]+[”"]'
MONTH_PATTERN: Final = r"\p{L}+"
WORD: Final = re.compile(r"\w+")
MONTH_WORDS: Final = frozenset(MONTHS)
SLUG_WORDS: Final = re.compile(r"[a-z0-9]+")
# A line of one "word" made of several parts ("site-name-story-slug.jpg", a URL): its
# first two parts and separators are kept, the rest is a pattern.
NAME_LIKE: Final = re.compile(r"([^\W\d]+[-_/][^\W\d]+[-_/])[^\s]+[-_/.][^\s]+")
# A fingerprint is searched in raw captures: a line's end there may hold spaces or \r.
LINE_END: Final = r"[ \t]*\r?$"


@dataclass
class Template:
    """Lines that are the same but for their numbers, month names and quoted labels."""

    pattern: str
    example: str
    stories: set[int] = field(default_factory=set)
    # per capture: line positions where it stands
    positions: dict[int, list[int]] = field(default_factory=dict)


@dataclass
class CaptureView:
    """One capture as the learner sees it."""

    capture: Capture
    lines: list[str]
    story: int
    templates: list[str]  # template pattern of each line
    kept: list[bool]  # kept by the generic heuristics
    generic_title: int | None  # the line the generic heuristics took for the title
    start: int = 0  # the story's first and last line (generic, unique lines)
    end: int = -1
    headline: int | None = None


@dataclass
class Proposal:
    """A learned rule file: its YAML text and what it was learned from."""

    site: str
    yaml: str
    captures: int
    notes: list[str]


def template_of(line: str) -> str:
    """The pattern standing for `line` and the lines like it."""
    named = NAME_LIKE.fullmatch(line)
    if named:  # a file name or slug made of the page's words: its first parts recur
        return regex.escape(named.group(1), special_only=True) + r"\S+"
    parts: list[str] = []
    position = 0
    spans = sorted(
        [(m.start(), m.end(), QUOTED_PATTERN) for m in QUOTED.finditer(line)]
        + [(m.start(), m.end(), NUMBER) for m in NUMBER_RUN.finditer(line)]
        + [(m.start(), m.end(), MONTH_PATTERN) for m in WORD.finditer(line)
           if m.group().lower() in MONTH_WORDS and len(m.group()) >= 3]
    )
    for start, end, pattern in spans:
        if start < position:
            continue  # inside a span already taken (a number inside a quoted label)
        parts.append(regex.escape(line[position:start], special_only=True, literal_spaces=True))
        parts.append(pattern)
        position = end
    parts.append(regex.escape(line[position:], special_only=True, literal_spaces=True))
    return "".join(parts)


def learn(captures: Sequence[Capture], site: str) -> Proposal:
    """A proposed rule file for `site` (its id) from text captures of it."""
    texts = [capture for capture in captures if capture.kind == TEXT]
    if len(texts) < MIN_STORIES:
        raise CleanerError(f"learn needs {MIN_STORIES} text captures of the site or more, "
                           f"got {len(texts)}")
    views = [view_of(capture) for capture in texts]
    group_stories(views)
    templates = collect_templates(views)
    stories = len({view.story for view in views})
    needed = max(MIN_STORIES, math.ceil(MIN_STORY_SHARE * stories))
    furniture = {p: t for p, t in templates.items()
                 if len(t.stories) >= needed and words(t.example) <= TEMPLATE_MAX_WORDS}
    for view in views:
        place_story(view, furniture)
        view.headline = find_headline(view)
    learner = _Learner(site, views, furniture, stories)
    return learner.proposal()


def view_of(capture: Capture) -> CaptureView:
    lines = [line.text for line in split_lines(capture.text)]
    generic = clean_document(capture, None)
    kept = [line.kept for line in generic.decisions]
    title = next((i for i, line in enumerate(generic.decisions) if line.reason == "title"), None)
    return CaptureView(capture, lines, 0, [template_of(line) for line in lines], kept, title)


def group_stories(views: list[CaptureView]) -> None:
    """Number the stories: near-duplicate captures (re-crawls) get the same number."""
    for view, story in zip(views, story_numbers([view.lines for view in views]), strict=True):
        view.story = story


def story_numbers(documents: Sequence[list[str]]) -> list[int]:
    """A story number per document (its lines): near-duplicates (re-crawls, sharing
    SAME_STORY_SHARE of their long lines) get the number of the first of them."""
    long_lines = [{line for line in lines if words(line) >= LONG_LINE_WORDS} for lines in documents]
    numbers: list[int] = []
    for i in range(len(documents)):
        for j in range(i):
            shared = long_lines[i] & long_lines[j]
            smaller = min(len(long_lines[i]), len(long_lines[j]))
            if smaller and len(shared) >= SAME_STORY_SHARE * smaller:
                numbers.append(numbers[j])
                break
        else:
            numbers.append(max(numbers, default=-1) + 1)
    return numbers


def recurring_templates(documents: Sequence[list[str]], share: float) -> set[str]:
    """Templates of the lines that stand in `share` or more of the stories the documents
    (lists of lines of one site) tell, and in two stories at least."""
    stories: dict[str, set[int]] = defaultdict(set)
    numbers = story_numbers(documents)
    for lines, story in zip(documents, numbers, strict=True):
        for line in lines:
            stories[template_of(line)].add(story)
    needed = max(MIN_STORIES, share * len(set(numbers)))
    return {template for template, seen in stories.items() if len(seen) >= needed}


def collect_templates(views: list[CaptureView]) -> dict[str, Template]:
    templates: dict[str, Template] = {}
    for number, view in enumerate(views):
        for position, (line, pattern) in enumerate(zip(view.lines, view.templates)):
            template = templates.setdefault(pattern, Template(pattern, line))
            template.stories.add(view.story)
            template.positions.setdefault(number, []).append(position)
    return templates


def place_story(view: CaptureView, furniture: dict[str, Template]) -> None:
    """The story's span: furniture lines cut the capture into segments, and the story is
    the segment holding most words the generic heuristics keep (a caption kept above
    the date line, a blurb kept below the author box are segments of their own)."""
    best, best_words = None, 0
    segment: list[int] = []
    for i in range(len(view.lines) + 1):
        if i == len(view.lines) or view.templates[i] in furniture:
            kept = [j for j in segment if view.kept[j]]
            count = sum(words(view.lines[j]) for j in kept)
            if count > best_words:
                best, best_words = kept, count
            segment = []
        else:
            segment.append(i)
    if best:
        view.start, view.end = best[0], best[-1]
    else:
        view.start, view.end = len(view.lines), -1


def find_headline(view: CaptureView) -> int | None:
    """The headline above the story: the line whose words the URL's slug repeats, else
    the one the generic heuristics took for the title."""
    slug: set[str] = set()
    if view.capture.url:
        path = urlsplit(view.capture.url).path.rstrip("/").rsplit("/", 1)[-1]
        slug = set(SLUG_WORDS.findall(path.lower())) - {"html", "htm", "php"}
    if len(slug) >= 3:
        best, best_share = None, SLUG_MATCH
        for i, line in enumerate(view.lines[: view.start]):
            share = len(slug & set(SLUG_WORDS.findall(line.lower()))) / len(slug)
            if share > best_share or best is None and share >= best_share:
                best, best_share = i, share  # the topmost of the best: a repeat comes later
        if best is not None:
            return best
    if view.generic_title is not None and view.generic_title < view.start:
        # the generic title is the last headline-like line above the story: a headline
        # repeated under the date is taken for it, so take its first appearance
        return view.lines.index(view.lines[view.generic_title])
    return None


def words(line: str) -> int:
    return line.count(" ") + 1


def yaml_quote(text: str) -> str:
    """`text` as a single-quoted YAML scalar."""
    return "'" + text.replace("'", "''") + "'"


def rule_name(example: str, taken: set[str]) -> str:
    """A snake_case name from the words of an example line, unique among `taken`."""
    name = "_".join(w.lower() for w in WORD.findall(example) if not w.isdigit())[:32].strip("_")
    name = re.sub(r"[^a-z0-9_]", "", name) or "line"
    if not name[0].isalpha():
        name = "line_" + name
    unique, n = name, 2
    while unique in taken:
        unique, n = f"{name}_{n}", n + 1
    taken.add(unique)
    return unique


class _Learner:
    """Turns the furniture of a site's captures into rules."""

    def __init__(self, site: str, views: list[CaptureView], furniture: dict[str, Template],
                 stories: int) -> None:
        self.site = site
        self.views = views
        self.furniture = furniture
        self.stories = stories
        self.names: set[str] = set()
        self.notes: list[str] = []

    def support(self, template: Template) -> str:
        return f"in {len(template.stories)} of {self.stories} stories"

    def side_share(self, template: Template, after: bool) -> tuple[float, bool]:
        """(share of the captures holding `template` where it stands after (before) the
        story, whether it ever stands inside one)."""
        on_side = inside = 0
        for number, positions in template.positions.items():
            view = self.views[number]
            if any(view.start <= p <= view.end for p in positions):
                inside += 1
            if after and positions[0] > view.end or not after and positions[-1] < view.start:
                on_side += 1
        return on_side / len(template.positions), inside > 0

    def end_markers(self) -> list[Template]:
        """Furniture that is the first after the story in some capture, always after it."""
        firsts: Counter[str] = Counter()
        for number, view in enumerate(self.views):
            after = [(p, t) for t in self.furniture.values()
                     for p in t.positions.get(number, []) if p > view.end >= 0]
            if after:
                firsts[min(after)[1].pattern] += 1
        found = []
        for pattern, _ in firsts.most_common():
            share, inside = self.side_share(self.furniture[pattern], after=True)
            if share >= MARKER_SHARE and not inside:
                found.append(self.furniture[pattern])
        return found

    def start_markers(self, at_top: bool = False) -> list[Template]:
        """Furniture that is the last before the story in some capture, always before it
        (with `at_top`, also furniture always on the first line, which cuts nothing)."""
        lasts: Counter[str] = Counter()
        for number, view in enumerate(self.views):
            before = [(p, t) for t in self.furniture.values()
                      for p in t.positions.get(number, []) if p < view.start]
            if before:
                lasts[max(before, key=lambda pt: pt[0])[1].pattern] += 1
        found = []
        for pattern, _ in lasts.most_common():
            template = self.furniture[pattern]
            share, inside = self.side_share(template, after=False)
            top = all(positions == [0] for positions in template.positions.values())
            if share >= MARKER_SHARE and not inside and (at_top or not top):
                found.append(template)
        return found

    def teaser_above(self, marker: Template) -> bool:
        """Whether the line just above `marker` is never story: a teaser's headline."""
        seen = False
        for number, positions in marker.positions.items():
            view = self.views[number]
            for p in positions:
                if p == 0:
                    return False
                if view.start <= p - 1 <= view.end or view.templates[p - 1] in self.furniture:
                    return False
                seen = True
        return seen

    def date_template(self) -> tuple[Template, str] | None:
        """The furniture line holding the date, and its pattern with a `date` group."""
        best = None
        for template in self.furniture.values():
            found = find_date(template.example)
            if found is None:
                continue
            share, _ = self.side_share(template, after=False)
            at_start = sum(1 for n, ps in template.positions.items()
                           if ps[0] <= self.views[n].start + 1) / len(template.positions)
            if max(share, at_start) < MARKER_SHARE:
                continue
            if best is None or len(template.stories) > len(best[0].stories):
                example = template.example
                pattern = (template_of(example[: found.start]) + "(?P<date>"
                           + template_of(example[found.start : found.end]) + ")"
                           + template_of(example[found.end :]))
                best = (template, pattern)
        return best

    def headline_rules(self, anchors: list[Template]) -> list[tuple[str, str]]:
        """(pattern, comment) of the headline, placed by the anchor lines it stands above
        (within a few lines: a caption may come between) or below: one rule per anchor,
        the anchor that places most headlines first, while each places two or more of
        those not placed yet (layouts differ).

        Above an anchor, the headline is the topmost line within reach that could be
        one: it starts with a capital, a digit or a quote, does not end with a full stop
        (captions do), and is no furniture (a photo credit).
        """
        known = {n: v.headline for n, v in enumerate(self.views) if v.headline is not None}
        head = [t.pattern for t in self.furniture.values()
                if self.side_share(t, after=False)[0] >= MARKER_SHARE]
        candidates = []
        for anchor in dict.fromkeys(a.pattern for a in anchors):
            for below in (False, True):
                placed = {}
                for number, headline in known.items():
                    offsets = [p - headline for p in self.furniture[anchor].positions.get(number, [])]
                    offsets = [o for o in offsets if 0 < (-o if below else o) <= HEADLINE_REACH]
                    if offsets:
                        placed[number] = min(offsets, key=abs)
                # below an anchor, the line must never be the story's own (a date line
                # followed by the story's first paragraph where no headline repeats)
                if below and self.story_follows(anchor):
                    continue
                if len(placed) >= MIN_STORIES:
                    candidates.append((anchor, below, placed))
        rules: list[tuple[str, str]] = []
        left = set(known)
        while candidates and len(rules) < 3:
            anchor, below, placed = max(candidates, key=lambda c: (len(left & set(c[2])), c[0]))
            covered = left & set(placed)
            if len(covered) < MIN_STORIES or (not rules and len(covered) < POSITION_SHARE * len(known)):
                break
            candidates.remove((anchor, below, placed))
            left -= covered
            others = [p for p in head if p != anchor]
            exclude = f"(?!(?:{'|'.join(others)})$)" if others else ""
            example = self.furniture[anchor].example
            if not below:
                furthest = max(placed.values())
                between = "" if furthest == 1 else f"(?:\\n.+){{0,{furthest - 1}}}"
                pattern = (f"(?P<title>(?=[\\p{{Lu}}\\p{{Lo}}\\d\"'“‘]){exclude}.*[^.\\n])"
                           f"(?={between}\\n{anchor}$)")
                where = f"within {furthest} line{'s' if furthest > 1 else ''} above"
            else:
                offset = Counter(placed.values()).most_common(1)[0][0]
                between = "" if offset == -1 else f"(?:.+\\n){{{-offset - 1}}}"
                pattern = f"(?<=^{anchor}\\n{between})(?P<title>{exclude}.+)"
                where = f"{-offset} line{'s' if offset < -1 else ''} below"
            comment = (f"the headline stands {where} {example!r} in {len(covered)} of the "
                       f"{len(known)} captures whose headline is known")
            rules.append((pattern, comment))
        return rules

    def story_follows(self, anchor: str) -> bool:
        """Whether the line after `anchor` is the story's in some capture."""
        for number, positions in self.furniture[anchor].positions.items():
            view = self.views[number]
            if any(view.start <= p + 1 <= view.end and view.kept[p + 1] for p in positions
                   if p + 1 < len(view.lines)):
                return True
        return False

    def repeated_headline(self) -> tuple[str, str] | None:
        """(pattern, comment) for a headline repeated a few lines below itself (a banner
        holds it, then the date, then the story's own heading)."""
        gaps = Counter()
        for view in self.views:
            if view.headline is None:
                continue
            for gap in range(2, HEADLINE_REACH + 2):
                at = view.headline + gap
                if at < len(view.lines) and view.lines[at] == view.lines[view.headline]:
                    gaps[gap] += 1
                    break
        if sum(gaps.values()) < MIN_STORIES:
            return None
        reach = max(gaps) - 1
        pattern = f"(?<=^(?P<first>.+)\\n(?:.+\\n){{1,{reach}}})(?P=first)"
        return pattern, f"the headline stands again a few lines below itself in {sum(gaps.values())} captures"

    def byline_rule(self) -> tuple[str, str] | None:
        """(pattern, comment) of a byline: lines "By ..." before the story sharing a suffix."""
        bylines = []
        for view in self.views:
            for line in view.lines[: view.start + 2]:
                if re.match(r"[Bb]y \S", line) and words(line) <= 15:
                    bylines.append(line)
                    break
        if len(bylines) < MIN_STORIES:
            return None
        suffix = common_suffix([line.split() for line in bylines])
        if len(suffix) < 2:
            return None
        tail = " ".join(suffix)
        pattern = f"[Bb]y (?P<authors>.+?) ?{regex.escape(tail, special_only=True, literal_spaces=True)}"
        return pattern, f"bylines ending {tail!r} in {len(bylines)} captures"

    def proposal(self) -> Proposal:
        ends = self.end_markers()
        starts = [t for t in self.start_markers() if t not in ends]
        date = self.date_template()
        anchors = self.start_markers(at_top=True) + ([date[0]] if date else [])
        headlines = self.headline_rules(anchors) if anchors else []
        repeated = self.repeated_headline()
        byline = self.byline_rule()
        drops = [t for t in self.furniture.values()
                 if t.pattern not in {e.pattern for e in ends}
                 and (date is None or t is not date[0])
                 and not self.side_share(t, after=True)[1]]
        drops.sort(key=lambda t: (-len(t.stories), t.pattern))

        learned_from = (f"# Proposed by `cleaner learn` from {len(self.views)} captures "
                        f"({self.stories} stories) on {dt.date.today().isoformat()}.")
        out = [learned_from,
               "# Review every rule before use: rename the rules, merge or widen patterns,",
               "# remove what is the story's own text, then run `cleaner rules check`.",
               f"id: {self.site}", f"name: {self.site}", "version: 1"]
        hosts = self.hosts()
        if hosts:
            out.append(f"site: {hosts[0]}")
        out.append("")
        out.append("match:")
        if hosts:
            out.append(f"  hosts: [{', '.join(hosts)}]   # from the captures' URLs")
        else:
            out += ["  # no URLs: the most frequent furniture lines recognise the site", "  fingerprints:"]
            for template in sorted(self.furniture.values(), key=lambda t: -len(t.stories))[:FINGERPRINTS]:
                fingerprint = yaml_quote(template.pattern + LINE_END)
                out.append(f"    - {fingerprint}   # {self.support(template)}")
            out.append(f"  min_fingerprints: {min(2, len(self.furniture))}")
        out += ["", "text:"]
        if headlines:
            out.append("  title:")
            for pattern, comment in headlines:
                out += [f"    # {comment}", "    - name: headline",
                        f"      pattern: {yaml_quote(pattern)}"]
        if date:
            out += ["  published:", f"    # {self.support(date[0])}, e.g. {date[0].example!r}",
                    "    - name: date_line", f"      pattern: {yaml_quote(date[1])}"]
        if byline:
            out += ["  authors:", f"    # {byline[1]}", "    - name: byline",
                    f"      pattern: {yaml_quote(byline[0])}"]
        if starts:
            out += ["  cut_before:", "    # the last furniture before the story: what is above it goes"]
            out += self.rule_lines(starts)
        if ends:
            out += ["  cut_after:", "    # the first furniture after the story: it and what follows go"]
            for template in ends:
                if self.teaser_above(template):
                    name = rule_name(template.example, self.names) + "_teaser"
                    above = yaml_quote(".+(?=\\n" + template.pattern + "$)")
                    out += [f"    # the line above {template.example!r} is never the story's",
                            f"    - name: {name}", f"      pattern: {above}"]
            out += self.rule_lines(ends)
        if drops or repeated:
            out.append("  drop_lines:")
        if repeated:
            out += [f"    # {repeated[1]}", "    - name: repeated_headline",
                    f"      pattern: {yaml_quote(repeated[0])}"]
        if drops:
            out += ["    # furniture that recurs across stories, never inside one"]
            out += self.rule_lines(drops)
        text = "\n".join(out) + "\n"
        text += self.checks(text)
        return Proposal(self.site, text, len(self.views), self.notes)

    def rule_lines(self, templates: Iterable[Template]) -> list[str]:
        lines = []
        for template in templates:
            lines += [f"    # {self.support(template)}, e.g. {template.example!r}",
                      f"    - name: {rule_name(template.example, self.names)}",
                      f"      pattern: {yaml_quote(template.pattern)}"]
        return lines

    def hosts(self) -> list[str]:
        counts = Counter(site_of(view.capture.url) for view in self.views if view.capture.url)
        return [host for host, _ in counts.most_common() if host]

    def checks(self, rules_text: str) -> str:
        """`checks:` built from captures as the proposal cleans them (whole cleaning)."""
        ruleset = parse_ruleset(rules_text, f"<learned {self.site}>")
        # the captures showing most furniture, the shorter of those first
        chosen = sorted(self.views, key=lambda v: -sum(t in self.furniture for t in v.templates))
        chosen = sorted(chosen[: max(CHECK_CAPTURES, len(chosen) // 2)], key=lambda v: len(v.capture.text))
        out = ["", "checks:"]
        for view in chosen[:CHECK_CAPTURES]:
            article = clean_with(view.capture, ruleset)
            keep = sorted(article.paragraphs, key=lambda p: -len(p))[:CHECK_KEEP]
            drop = [line.text for line in article.decisions
                    if line.reason and line.reason.startswith("rule:")][:CHECK_DROP]
            if not keep:
                continue
            out += [f"  # from {view.capture.source}",
                    "  - capture: " + yaml_block(view.capture.text)]
            if view.capture.url:
                out.append(f"    url: {yaml_quote(view.capture.url)}")
            out.append("    keep:")
            out += [f"      - {yaml_quote(line)}" for line in keep]
            if drop:
                out.append("    drop:")
                out += [f"      - {yaml_quote(line)}" for line in dict.fromkeys(drop)]
            meta = {k: article.meta[k] for k in ("title", "published") if article.meta.get(k)}
            if meta:
                out.append("    meta:")
                out += [f"      {k}: {yaml_quote(str(v))}" for k, v in meta.items()]
        return "\n".join(out) + "\n" if len(out) > 2 else ""


def yaml_block(text: str) -> str:
    """`text` as a YAML literal block under a list item's key, indented six spaces."""
    lines = text.splitlines() or [""]
    if any(line != line.rstrip() or "\t" in line for line in lines) or text.startswith(" "):
        return yaml.safe_dump(text, default_style='"', width=10**6).strip()
    return "|\n" + "\n".join(("      " + line) if line else "" for line in lines)


def common_suffix(token_lists: list[list[str]]) -> list[str]:
    """The longest run of tokens every list ends with."""
    suffix: list[str] = []
    for tokens in zip(*(reversed(t) for t in token_lists)):
        if len(set(tokens)) != 1:
            break
        suffix.insert(0, tokens[0])
    return suffix

