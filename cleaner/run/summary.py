"""The counts of a run: statuses, drop reasons, skipped records; summary.json and the console line."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..siterules.stats import SUMMARY_KEY, RuleStats
from .outcome import DUPLICATE, EMPTY, ERROR, SKIPPED, WRITTEN


@dataclass(slots=True)
class Summary:
    """Counts of a run. The time is printed, not saved, so that the output stays byte-stable."""

    statuses: Counter = field(default_factory=Counter)
    drops: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    page_types: Counter = field(default_factory=Counter)  # of the captures whose type is known
    warnings: int = 0  # captures with a warning in the manifest
    rules: RuleStats = field(default_factory=RuleStats)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def failed(self) -> bool:
        return self.statuses[ERROR] > 0

    def line(self) -> str:
        rate = self.total / self.seconds if self.seconds else 0.0
        skipped = f", {sum(self.skipped.values())} WARC records skipped" if self.skipped else ""
        passed = f", {self.statuses[SKIPPED]} skipped" if self.statuses[SKIPPED] else ""
        warned = f", {self.warnings} with warnings" if self.warnings else ""
        kinds = ", ".join(f"{n} {kind}" for kind, n in by_count(self.page_types).items())
        typed = f"; page types: {kinds}" if kinds else ""
        return (
            f"{self.total} captures: {self.statuses[WRITTEN]} written, "
            f"{self.statuses[DUPLICATE]} duplicates, {self.statuses[EMPTY]} empty, "
            f"{self.statuses[ERROR]} errors{passed}{skipped}{warned} in {self.seconds:.1f}s "
            f"({rate:.0f} docs/s){typed}"
        )

    def add_row(self, status: str, page_type: str | None, warned: bool) -> None:
        """Count one manifest line."""
        self.statuses[status] += 1
        self.warnings += warned
        if page_type:
            self.page_types[page_type] += 1

    def lines(self) -> list[str]:
        """The console lines: the counts, then the rule sets' statistics."""
        return [self.line(), *self.rules.lines()]

    def to_dict(self) -> dict[str, Any]:
        return {
            "captures": self.total,
            "statuses": dict(sorted(self.statuses.items())),
            "page_types": by_count(self.page_types),
            "drop_reasons": by_count(self.drops),
            "skipped_records": by_count(self.skipped),
            "warnings": self.warnings,
            SUMMARY_KEY: self.rules.to_dict(),
        }


def by_count(counter: Counter) -> dict[str, int]:
    """The counts, most frequent first (ties by name)."""
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
