"""How close `cleaner learn` comes to the hand-written rule sets.

usage: python bench/learn_rules.py [--sitecaptures DIR] [--show]

For each seed site, learn a rule file from its text captures (fixtures/<site>/ and the
site's folder in ../shared/sitecaptures), then clean every one of those captures twice,
with the hand-written rule set and with the learned one (the whole cleaning both times).
Reported per site and in total:

- covered: of the lines the hand-written rules drop (their reason is `rule:...`), the
  share the learned rules drop too (aim: 90% or more); "+generic" counts the lines the
  whole cleaning with the learned rules drops, whoever drops them;
- article lost: lines of the hand-written article (kept by the whole cleaning with the
  hand-written rules) that the learned rules drop (must be 0); "+generic" as above;
- the generic heuristics alone, for comparison (no rule set at all).

In-sample (learned from all the captures, the figures the issue asks for) and
leave-one-out (each capture cleaned by rules learned from the others: what a capture
the learner has not seen gets).
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from cleaner.pipeline import clean_with
from cleaner.siterules.load import parse_ruleset
from cleaner.siterules.rulebook import default_rulebook
from cleaner.sources.files import find_captures, read_capture
from cleaner.upkeep.learn import learn

ROOT = Path(__file__).resolve().parent.parent
SITES = {  # rule set id: its folder in ../shared/sitecaptures
    "japannews": "japannews",
    "kyivindependent": "kyivindependent",
    "ukrainianworldcongress": "uwc",
    "wix": "balitangmarino",
}


@dataclass
class Tally:
    hand_dropped: int = 0
    covered_by_rules: int = 0
    covered_by_cleaning: int = 0
    covered_by_generic: int = 0
    article: int = 0
    lost_by_rules: int = 0
    lost_by_cleaning: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def line(self, label: str) -> str:
        share = lambda n: f"{n / self.hand_dropped:.1%}" if self.hand_dropped else "-"
        return (f"{label:24} covered {self.covered_by_rules}/{self.hand_dropped} "
                f"({share(self.covered_by_rules)}), +generic {share(self.covered_by_cleaning)}; "
                f"article lost {self.lost_by_rules} of {self.article} (+generic "
                f"{self.lost_by_cleaning}); generic alone covers {share(self.covered_by_generic)}")


def compare(capture, hand, learned, show: bool) -> Tally:
    """The tally of one capture cleaned by the hand-written and the learned rule set."""
    by_hand = clean_with(capture, hand).decisions
    by_learned = clean_with(capture, learned).decisions
    generic = clean_with(capture, None).decisions
    tally = Tally()
    for ours, theirs, alone in zip(by_hand, by_learned, generic, strict=True):
        ruled = theirs.reason is not None and theirs.reason.startswith("rule:")
        if ours.reason is not None and ours.reason.startswith("rule:"):
            tally.hand_dropped += 1
            tally.covered_by_rules += ruled
            tally.covered_by_cleaning += not theirs.kept
            tally.covered_by_generic += not alone.kept
            if show and not ruled:
                print(f"    missed  {capture.source}: {ours.text[:90]!r} ({ours.reason})")
        if ours.kept:
            tally.article += 1
            tally.lost_by_rules += ruled
            tally.lost_by_cleaning += not theirs.kept
            if show and not theirs.kept:
                print(f"    LOST    {capture.source}: {ours.text[:90]!r} ({theirs.reason})")
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sitecaptures", type=Path, default=ROOT.parent / "shared" / "sitecaptures")
    parser.add_argument("--show", action="store_true", help="list the lines missed and lost")
    args = parser.parse_args()
    book = default_rulebook()
    totals = {"in-sample": Tally(), "leave-one-out": Tally()}
    for site, folder in SITES.items():
        paths = [p for p in find_captures([ROOT / "fixtures" / site, args.sitecaptures / folder])
                 if p.suffix == ".txt"]
        captures = [read_capture(p) for p in paths]
        hand = book.get(site)
        learned = parse_ruleset(learn(captures, site).yaml, f"<learned {site}>")
        sample = Tally()
        for capture in captures:
            sample.add(compare(capture, hand, learned, args.show))
        held_out = Tally()
        for i, capture in enumerate(captures):
            others = captures[:i] + captures[i + 1 :]
            rules = parse_ruleset(learn(others, site).yaml, f"<learned {site} without {i}>")
            held_out.add(compare(capture, hand, rules, False))
        print(sample.line(f"{site} ({len(captures)})"))
        print(held_out.line("  leave-one-out"))
        totals["in-sample"].add(sample)
        totals["leave-one-out"].add(held_out)
    for label, tally in totals.items():
        print(tally.line(f"all, {label}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
