"""Rule sets: loading, validating and selecting site YAML rules (placeholder until filled in)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path


class RuleBook:
    def __init__(self, rulesets=()):
        self.rulesets = list(rulesets)

    @classmethod
    def load(cls, directory: str | Path) -> "RuleBook":
        return cls()

    def select(self, url, text):
        return None


@lru_cache(maxsize=1)
def default_rulebook() -> RuleBook:
    return RuleBook.load(Path(str(resources.files("cleaner._rules"))))
